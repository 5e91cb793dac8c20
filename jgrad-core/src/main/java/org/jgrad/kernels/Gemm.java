package org.jgrad.kernels;

/** What the gemm kernels share: argument checks and the split of a product among threads. */
final class Gemm {
    private Gemm() {}

    /**
     * Below this many multiply-adds (2 MFLOP) a product runs on the calling thread: waking a worker
     * costs microseconds, as much as the whole product.
     */
    static final long PARALLEL_MIN_FMA = 1L << 20;

    /** A rectangle of C: rows [i0, i1), columns [j0, j1). */
    @FunctionalInterface
    interface Block {
        void run(int i0, int i1, int j0, int j1);
    }

    /**
     * Cuts C into one block per thread along its longer side, in whole micro-tiles, and runs them.
     * Every element of C is computed by exactly one block, with the same k order whatever the cut,
     * so the result does not depend on the number of threads.
     *
     * <p>Each thread packs the operands of its own block, even though the other threads pack the
     * same A (or B) again. A BLIS-style split that packs B once and lets every thread read it was
     * 2–3% faster most of the time on the 2-vCPU development host, but whenever the host placed the
     * two vCPUs far apart (for seconds at a time) reading the other core's half of the packed panel
     * made both threads run at half speed: (128×784)·(784×256) fell from ~380 to ~220 GFLOPS, while
     * this split stayed at ~335.
     */
    static void split(int m, int n, int k, int mr, int nr, Block body) {
        int threads = Threads.get();
        if (threads <= 1 || (long) m * n * k < PARALLEL_MIN_FMA) {
            body.run(0, m, 0, n);
            return;
        }
        boolean rows = m > n;
        int len = rows ? m : n, unit = rows ? mr : nr;
        int units = (len + unit - 1) / unit;
        int tasks = Math.min(threads, units);
        int chunk = (units + tasks - 1) / tasks * unit;
        int used = (len + chunk - 1) / chunk;
        WorkerPool.run(used, t -> {
            int lo = t * chunk, hi = Math.min(len, lo + chunk);
            if (rows) body.run(lo, hi, 0, n);
            else body.run(0, m, lo, hi);
        });
    }

    static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                          int aLen, int ao, int lda, int bLen, int bo, int ldb, int cLen, int co, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size m=" + m + ", n=" + n + ", k=" + k);
        }
        checkMatrix("A", transA ? k : m, transA ? m : k, aLen, ao, lda);
        checkMatrix("B", transB ? n : k, transB ? k : n, bLen, bo, ldb);
        checkMatrix("C", m, n, cLen, co, ldc);
    }

    private static void checkMatrix(String what, int rows, int cols, int len, int off, int ld) {
        if (ld < cols || ld < 1) {
            throw new IllegalArgumentException("gemm: leading dimension of " + what + " is " + ld
                    + " but its rows hold " + cols + " elements");
        }
        if (rows == 0 || cols == 0) return;
        long last = off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || last >= len) {
            throw new IllegalArgumentException("gemm: " + what + " (" + rows + "x" + cols + ", offset " + off
                    + ", leading dimension " + ld + ") does not fit in an array of " + len);
        }
    }
}
