# Sourced by the comparison scripts: give OpenBLAS (numpy's, PyTorch's and jgrad's native provider)
# its fastest kernels on this CPU, so that jgrad is compared with the best the reference can do.
# This machine's environment sets OPENBLAS_CORETYPE=Haswell (AVX2 kernels); on a CPU with AVX-512
# (AMD Zen 5 here) OpenBLAS's SkylakeX kernels are about twice as fast, so the scripts select them.
# BENCH_OPENBLAS_CORETYPE=<core> chooses another (e.g. Haswell, to measure the machine's default).
if [ -n "${BENCH_OPENBLAS_CORETYPE:-}" ]; then
  export OPENBLAS_CORETYPE="$BENCH_OPENBLAS_CORETYPE"
elif grep -q ' avx512f ' /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
echo "# OpenBLAS core: ${OPENBLAS_CORETYPE:-auto-detected} (cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(grep -q ' avx512f ' /proc/cpuinfo && echo AVX-512 || echo no AVX-512))"
