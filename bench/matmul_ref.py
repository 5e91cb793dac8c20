#!/usr/bin/python3
"""OpenBLAS sgemm GFLOPS through numpy for shapes written as jgrad's MatmulBench writes them.

    bench/matmul_ref.py 1024x1024x1024:NN 128x256x784:NN 784x256x128:TN 128x784x256:NT

MxNxK:XY is C[M, N] = op(A)·op(B) with op(A) M×K and op(B) K×N; T means the operand is stored
transposed (numpy passes a transposed view to cblas_sgemm as a transpose flag, without copying).
Prints one line per shape: `<shape> <median GFLOPS>`. Threads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS.
"""
import sys, time, statistics
import numpy as np

rng = np.random.default_rng(42)
for spec in sys.argv[1:]:
    dims, flags = spec.split(":")
    m, n, k = (int(v) for v in dims.split("x"))
    a = rng.random((k, m), dtype=np.float32).T if flags[0] == "T" else rng.random((m, k), dtype=np.float32)
    b = rng.random((n, k), dtype=np.float32).T if flags[1] == "T" else rng.random((k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    flop = 2.0 * m * n * k
    # About a second of samples after a warm-up, whatever the size.
    t = time.perf_counter(); np.matmul(a, b, out=c); once = max(time.perf_counter() - t, 1e-6)
    reps = max(15, min(2000, int(1.0 / once)))
    for _ in range(min(reps, 50)):
        np.matmul(a, b, out=c)
    g = []
    for _ in range(reps):
        t = time.perf_counter(); np.matmul(a, b, out=c); g.append(flop / (time.perf_counter() - t) / 1e9)
    print("%s %.1f" % (spec, statistics.median(g)))
