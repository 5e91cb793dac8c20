#!/bin/sh
# jgrad's float32 gemm against OpenBLAS on the 1024³ square product and the three products of the
# MLP's first layer (forward, dW, dx), with 2 and 1 threads.
#
#   bench/compare-matmul.sh [rounds]        (default 10)
#
# The ratio comes from org.jgrad.bench.MatmulVsOpenBlas: one JVM that alternates jgrad and OpenBLAS's
# cblas_sgemm (Debian's libopenblas0-pthread, called through java.lang.foreign) in 300 ms slices over
# the rounds and compares the medians, so that both see the same state of a shared host (measured in
# separate processes, whichever landed in a period where the host ran both vCPUs at half speed lost).
# numpy's OpenBLAS (bench/matmul_ref.py) is measured after it as an independent check that the
# reference called from Java is as fast as OpenBLAS called the usual way.
#
# Needs: ./mvnw -B -q package -DskipTests, and apt-get install -y python3-numpy libopenblas0-pthread.
# Prints per shape and thread count: jgrad GFLOPS, OpenBLAS GFLOPS, their ratio, the lowest and
# highest ratio of a single round, then numpy's GFLOPS. GFLOPS = 2·m·n·k / time.
set -eu
cd "$(dirname "$0")/.."
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
ROUNDS=${1:-10}
SHAPES="1024x1024x1024:NN 128x256x784:NN 784x256x128:TN 128x784x256:NT"
. bench/openblas-env.sh
for t in 2 1; do
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
      -cp jgrad-bench/target/benchmarks.jar org.jgrad.bench.MatmulVsOpenBlas "$t" "$ROUNDS" $SHAPES
  OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t /usr/bin/python3 bench/matmul_ref.py $SHAPES \
      | awk -v t="$t" '{printf "%-18s threads=%s numpy_openblas_gflops=%s\n", $1, t, $2}'
done
