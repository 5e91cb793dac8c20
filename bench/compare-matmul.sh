#!/bin/sh
# jgrad's float32 gemm (JMH, MatmulBench) against OpenBLAS through numpy (bench/matmul_ref.py), on the
# 1024³ square product and the three products of the MLP's first layer (forward, dW, dx), with 2 and
# 1 threads; each round runs jgrad, then OpenBLAS, so that the ratio is measured back to back.
#
#   bench/compare-matmul.sh [rounds]        (default 1)
#
# Needs: ./mvnw -B -q package -DskipTests, and apt-get install -y python3-numpy libopenblas0-pthread.
# Prints per shape and thread count: jgrad GFLOPS, OpenBLAS GFLOPS, ratio. GFLOPS = 2·m·n·k / time.
set -eu
cd "$(dirname "$0")/.."
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
ROUNDS=${1:-1}
SHAPES="1024x1024x1024:NN 128x256x784:NN 784x256x128:TN 128x784x256:NT"
. bench/openblas-env.sh
r=0
while [ "$r" -lt "$ROUNDS" ]; do
  for t in 2 1; do
    jmh=$("$JAVA" --add-modules jdk.incubator.vector -jar jgrad-bench/target/benchmarks.jar MatmulBench \
          -p shape="$(echo $SHAPES | tr ' ' ,)" -p threads=$t -wi 3 -i 8 -w 1 -r 1 -f 1 2>/dev/null | grep '^MatmulBench.gemm')
    ref=$(OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t /usr/bin/python3 bench/matmul_ref.py $SHAPES)
    for s in $SHAPES; do
      us=$(echo "$jmh" | awk -v s="$s" '$2 == s {print $(NF-3)}')
      ob=$(echo "$ref" | awk -v s="$s" '$1 == s {print $2}')
      echo "$s" "$us" "$ob" | awk -v t="$t" '{split($1, d, "[x:]"); g = 2 * d[1] * d[2] * d[3] / $2 / 1000;
        printf "%-18s threads=%s jgrad_gflops=%.1f openblas_gflops=%.1f ratio=%.2f\n", $1, t, g, $3, g / $3}'
    done
  done
  r=$((r + 1))
done
