#!/usr/bin/env bash
# One Fashion-MNIST training epoch of the standard small CNN, jgrad against PyTorch, back to back.
#
#   bench/compare-cnn.sh [rounds]        (default 2)
#
# jgrad: ./jgrad cnn --epochs 1 (org.jgrad.examples.FashionCnn: SGD lr 0.05 momentum 0.9, batch 128,
# 2 threads); PyTorch: ../shared/peers/fmnist_torch.py cnn (the same network and settings, PyTorch 1.13
# with 2 threads; apt-get install -y python3-torch libopenblas0-openmp dataset-fashion-mnist).
# Each round runs one, then the other; the script prints each epoch time, the medians and the ratio.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-2}"
ref="${FMNIST_REF:-$(cd .. && pwd)/shared/peers/fmnist_torch.py}"
[[ -f "$ref" ]] || { echo "compare-cnn: PyTorch reference not found at $ref (set FMNIST_REF)" >&2; exit 1; }
. bench/openblas-env.sh
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
js=(); ts=()
for ((r = 1; r <= rounds; r++)); do
  jline="$(./jgrad cnn --epochs 1 --threads 2 2>/dev/null | grep '^epoch 1 ')"
  j="$(sed -n 's/.*epoch time \([0-9.]*\) s.*/\1/p' <<<"$jline")"
  tline="$(/usr/bin/python3 "$ref" cnn)"
  t="$(awk '{for (i=1;i<=NF;i++) if ($i=="epoch_s") print $(i+1)}' <<<"$tline")"
  echo "round $r: jgrad $j s ($jline)  pytorch $t s ($tline)"
  js+=("$j"); ts+=("$t")
done
jm="$(printf '%s\n' "${js[@]}" | median)"; tm="$(printf '%s\n' "${ts[@]}" | median)"
echo "cnn epoch: jgrad median ${jm} s, pytorch median ${tm} s, ratio jgrad/pytorch $(awk -v a="$jm" -v b="$tm" 'BEGIN {printf "%.3f", a/b}')"
