#!/usr/bin/python3
"""../shared/peers/fmnist_torch.py run for several epochs: the plain recipe (SGD lr 0.1 momentum 0.9, batch 128,
constant lr, raw pixels) in PyTorch 1.13, to compare with jgrad train --schedule constant --nesterov off --label-smoothing 0.
usage: fmnist_torch_epochs.py mlp|cnn [epochs]  -> prints 'epochs E seconds S test_acc Y'"""
import os, sys
# PyTorch's OpenMP threads fight OpenBLAS's pthreads (8 s vs 1.2 s per MLP epoch here): use the OpenMP build
# of OpenBLAS (apt-get install libopenblas0-openmp) when it is installed.
_omp = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
if os.path.isdir(_omp) and os.environ.get("LD_LIBRARY_PATH", "").split(":")[0] != _omp:
    os.environ["LD_LIBRARY_PATH"] = _omp + ":" + os.environ.get("LD_LIBRARY_PATH", "")
    os.execv(sys.executable, [sys.executable] + sys.argv)
import gzip, struct, sys, time
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(2); torch.manual_seed(0)
D = "/usr/share/datasets/fashion-mnist/"
def idx(name):
    b = gzip.open(D + name).read(); (magic,) = struct.unpack(">I", b[:4]); nd = magic & 0xFF
    dims = struct.unpack(">" + "I" * nd, b[4:4 + 4 * nd]); return np.frombuffer(b, np.uint8, offset=4 + 4 * nd).reshape(dims)
xtr = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32).div_(255); ytr = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
xte = torch.tensor(idx("t10k-images-idx3-ubyte.gz"), dtype=torch.float32).div_(255); yte = torch.tensor(idx("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
if sys.argv[1] == "mlp":
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
else:
    xtr, xte = xtr[:, None], xte[:, None]
    model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.1 if sys.argv[1] == "mlp" else 0.05, momentum=0.9)
lossf = nn.CrossEntropyLoss()
t = time.perf_counter()
E = int(sys.argv[2]) if len(sys.argv) > 2 else 1
for e in range(E):
  perm = torch.randperm(len(xtr))
  for i in range(0, len(xtr), 128):
    j = perm[i:i + 128]; opt.zero_grad(); lossf(model(xtr[j]), ytr[j]).backward(); opt.step()
s = time.perf_counter() - t
with torch.no_grad(): acc = (model(xte).argmax(1) == yte).float().mean().item()
print(f"epochs {E} seconds {s:.2f} test_acc {acc:.4f}")
