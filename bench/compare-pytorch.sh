#!/usr/bin/env bash
# One training step (forward, backward, SGD update), jgrad against PyTorch, measured in one run.
#
#   bench/compare-pytorch.sh [mlp|tiny|mlp-nn] [rounds]
#
# mlp:  784-256-128-10 ReLU, batch 128;  tiny: 2-16-16-2 tanh, batch 32 (framework overhead dominates);
# both written with raw tensors as perf_ref.py writes them. mlp-nn: the mlp step written with modules,
# cross-entropy and the SGD optimizer on both sides (jgrad's fused kernels; bench/perf_nn_ref.py).
# The two alternate, `rounds` times each (default 5), because the machine is shared and noisy; the
# script prints every sample, the median of each side and the ratio jgrad/PyTorch (below 1: jgrad faster).
# Both sides use 2 threads. PyTorch runs /work/shared/peers/perf_ref.py (or $PERF_REF) with the system
# python3-torch and OpenBLAS's OpenMP build (apt-get install -y python3-torch libopenblas0-openmp).
# Extra JVM flags go in JGRAD_JAVA_OPTS, e.g. JGRAD_JAVA_OPTS=-Djgrad.blas=openblas for the native gemm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode="${1:-mlp}"
rounds="${2:-5}"
perf_ref="${PERF_REF:-$(cd .. && pwd)/shared/peers/perf_ref.py}"
[[ -f "$perf_ref" ]] || { echo "compare-pytorch: PyTorch reference script not found at $perf_ref (set PERF_REF)" >&2; exit 1; }

JAVA=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25*; do
  if [[ -n "$candidate" && -x "$candidate/bin/java" ]] && "$candidate/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
    JAVA="$candidate/bin/java"; break
  fi
done
[[ -n "$JAVA" ]] || { echo "compare-pytorch: no JDK 25 found (set JAVA_HOME)" >&2; exit 1; }

. bench/openblas-env.sh

jar="jgrad-bench/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  ./mvnw -B -q -DskipTests package -pl jgrad-bench -am >&2
fi

jgrad_step() {
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED ${JGRAD_JAVA_OPTS:-} \
    -Djgrad.threads=2 -cp "$jar" org.jgrad.bench.TrainingStep "$mode" 2>/dev/null
}
torch_step() {
  if [[ "$mode" == "mlp-nn" ]]; then
    /usr/bin/python3 bench/perf_nn_ref.py
  else
    /usr/bin/python3 "$perf_ref" "$mode"
  fi
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

j_samples=(); t_samples=()
for ((r = 1; r <= rounds; r++)); do
  line="$(jgrad_step)"
  j="$(awk '{for (i=1;i<=NF;i++) if ($i=="median_ms") print $(i+1)}' <<<"$line")"
  t="$(torch_step)"
  echo "round $r: jgrad ${j} ms ($line)  pytorch ${t} ms"
  j_samples+=("$j"); t_samples+=("$t")
done
jm="$(printf '%s\n' "${j_samples[@]}" | median)"
tm="$(printf '%s\n' "${t_samples[@]}" | median)"
ratio="$(awk -v a="$jm" -v b="$tm" 'BEGIN {printf "%.3f", a/b}')"
echo "$mode: jgrad median ${jm} ms, pytorch median ${tm} ms, ratio jgrad/pytorch ${ratio}"
