#!/bin/sh
# Alternates jgrad's JMH gemm benchmark with numpy/OpenBLAS on the same machine, so that the ratio is
# measured back-to-back (the machine is shared and noisy). Usage: bench/compare-matmul.sh [rounds]
# Needs: ./mvnw -B -q package -DskipTests, and apt-get install -y python3-numpy libopenblas0-openmp.
set -eu
cd "$(dirname "$0")/.."
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
ROUNDS=${1:-2}
for t in 2 1; do
  r=0
  while [ "$r" -lt "$ROUNDS" ]; do
    us=$("$JAVA" --add-modules jdk.incubator.vector -jar jgrad-bench/target/benchmarks.jar MatmulBench \
          -p shape=1024x1024x1024:NN -p threads=$t -wi 3 -i 8 -w 1 -r 1 2>/dev/null \
        | awk '/^MatmulBench.gemm/ {print $(NF-3)}')
    jg=$(awk -v us="$us" 'BEGIN {printf "%.1f", 2 * 1024^3 / us / 1000}')
    ob=$(OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t /work/shared/peers/perf_ref.py matmul 1024)
    echo "threads=$t jgrad_gflops=$jg openblas_gflops=$ob ratio=$(awk -v a="$jg" -v b="$ob" 'BEGIN {printf "%.2f", a / b}')"
    r=$((r + 1))
  done
done
