#!/usr/bin/python3
"""PyTorch's twin of jgrad's `TrainingStep mlp-nn`: the MLP step as a torch.nn user writes it.

nn.Sequential(Linear(784, 256), ReLU, Linear(256, 128), ReLU, Linear(128, 10)), F.cross_entropy on
class indices, loss.backward(), optim.SGD(lr=0.01).step(); batch 128, 2 threads. Prints the median
milliseconds of 30 steps after 30 warm-up steps (as ../shared/peers/perf_ref.py does).
Run with /usr/bin/python3 (Debian's python3-torch); OpenBLAS's OpenMP build is loaded as perf_ref.py does.
"""
import os, sys
_omp = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
if os.path.isdir(_omp) and os.environ.get("LD_LIBRARY_PATH", "").split(":")[0] != _omp:
    os.environ["LD_LIBRARY_PATH"] = _omp + ":" + os.environ.get("LD_LIBRARY_PATH", "")
    os.execv(sys.executable, [sys.executable] + sys.argv)
import time, statistics
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(7)
model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(),
                            torch.nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.randn(128, 784) * 0.05
y = torch.randint(0, 10, (128,))
reps = 30
ts = []
for r in range(-reps, reps):
    t = time.perf_counter()
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    if r >= 0:
        ts.append((time.perf_counter() - t) * 1e3)
print("%.3f" % statistics.median(ts))
