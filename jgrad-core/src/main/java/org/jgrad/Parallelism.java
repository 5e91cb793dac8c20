package org.jgrad;

import org.jgrad.kernels.Threads;

/**
 * How many threads jgrad's kernels may use (PyTorch's {@code torch.set_num_threads} and
 * {@code torch.get_num_threads}). Large matrix products, convolutions, poolings and long elementwise
 * runs split their work among up to that many threads; the rest runs on the calling thread.
 *
 * <p>The default is, in order: {@link #setNumThreads(int)} if called, the system property
 * {@code jgrad.threads}, the environment variable {@code JGRAD_THREADS}, else
 * {@link Runtime#availableProcessors()}. Results depend only on the inputs, not on the thread count:
 * each output element is computed by one thread, in the same order whatever the partition.
 */
public final class Parallelism {
    private Parallelism() {}

    /** The number of threads the kernels may use, at least 1. */
    public static int getNumThreads() {
        return Threads.get();
    }

    /** Sets the number of threads the kernels may use; 1 runs every kernel on the calling thread. */
    public static void setNumThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Parallelism.setNumThreads: the number of threads must be >= 1, got "
                    + threads);
        }
        Threads.set(threads);
    }
}
