#!/usr/bin/env bash
# What a user waits for: whole processes, jgrad against PyTorch, alternating in one run.
#
#   bench/compare-wallclock.sh [mlp|cnn|demo] [rounds]      (default: mlp 3)
#
# mlp:  ./jgrad train (Fashion-MNIST MLP, 5 epochs)   vs  ../shared/peers/fmnist_torch.py mlp 5
# cnn:  ./jgrad train --model cnn --lr 0.05 --epochs 1 vs  ../shared/peers/fmnist_torch.py cnn 1
# demo: ./jgrad demo (1000 steps of a 2-16-1 net)     vs  ../shared/peers/moons_torch.py
# Each round runs jgrad (A), then PyTorch (B), through ../shared/tools/wallclock.py: the whole wall
# time, the peak RSS (/usr/bin/time), and when the first `data:` line appeared; the epoch lines of
# both are echoed with their time since the start. PyTorch runs as the peers scripts give it its best
# (OpenBLAS's AVX-512 kernels, a malloc that keeps freed memory); needs
# apt-get install -y python3-torch libopenblas0-openmp dataset-fashion-mnist. Build jgrad first
# (./jgrad builds on first use; a build inside the first round would be timed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

what="${1:-mlp}"
rounds="${2:-3}"
shared="${JGRAD_SHARED:-$(cd .. && pwd)/shared}"
wallclock="$shared/tools/wallclock.py"
peers="$shared/peers"
[[ -f "$wallclock" ]] || { echo "compare-wallclock: $wallclock not found (set JGRAD_SHARED)" >&2; exit 1; }
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "compare-wallclock: PyTorch missing (apt-get install -y python3-torch libopenblas0-openmp)" >&2; exit 1; }
. bench/openblas-env.sh

case "$what" in
  mlp) jgrad=(./jgrad train); torch=(/usr/bin/python3 "$peers/fmnist_torch.py" mlp 5) ;;
  cnn) jgrad=(./jgrad train --model cnn --lr 0.05 --epochs 1); torch=(/usr/bin/python3 "$peers/fmnist_torch.py" cnn 1) ;;
  demo) jgrad=(./jgrad demo); torch=(/usr/bin/python3 "$peers/moons_torch.py") ;;
  *) echo "compare-wallclock: expected mlp, cnn or demo, got '$what'" >&2; exit 2 ;;
esac
./jgrad help >/dev/null # builds the jars if they are missing or stale, outside the timed runs
echo "# cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# A: ${jgrad[*]}"
echo "# B: ${torch[*]}"
/usr/bin/python3 "$wallclock" --rounds "$rounds" --match '^data:' --echo -- "${jgrad[@]}" --vs "${torch[@]}" \
  | grep -E '^ *[0-9.]+ (data:|epoch|test accuracy|training accuracy|epoch_s)|^round|^median' || true
