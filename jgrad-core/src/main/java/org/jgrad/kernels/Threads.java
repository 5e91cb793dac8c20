package org.jgrad.kernels;

/**
 * The number of threads the kernels may use (matrix products above a size threshold, long elementwise
 * runs, convolution and pooling): the calling thread and up to {@code get() − 1} shared worker threads.
 *
 * <p>The default is, in order: {@link #set(int)} if called, the system property {@code jgrad.threads},
 * the environment variable {@code JGRAD_THREADS}, else {@link Runtime#availableProcessors()}. Results
 * depend only on the inputs, not on the thread count: each output element is computed by one thread,
 * in the same order whatever the partition.
 */
public final class Threads {
    private Threads() {}

    private static volatile int count = initial();

    /** The number of threads kernels may use, at least 1. */
    public static int get() {
        return count;
    }

    /** Sets the number of threads kernels may use; 1 makes every kernel run on the calling thread. */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Threads.set: the number of threads must be >= 1, got " + threads);
        }
        count = threads;
    }

    /**
     * Runs body(0) … body(tasks − 1) on the kernels' worker threads and returns when all are done;
     * for ops outside this package that split their own work (convolution over image chunks,
     * pooling over planes). Use at most {@link #get()} tasks. The calling thread runs tasks too,
     * and idle workers take the others, so several application threads may call this (or the
     * kernels) at once and each gets the workers that are free, and a task may call the kernels
     * itself. If tasks throw, the first exception is rethrown here once all tasks have ended.
     */
    public static void parallelFor(int tasks, java.util.function.IntConsumer body) {
        WorkerPool.run(tasks, body);
    }

    private static int initial() {
        String v = KernelProvider.setting("jgrad.threads", "JGRAD_THREADS");
        if (v != null) {
            try {
                int n = Integer.parseInt(v);
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the warning below
            }
            System.getLogger("org.jgrad.kernels").log(System.Logger.Level.WARNING,
                    "ignoring jgrad.threads / JGRAD_THREADS = {0}: expected an integer >= 1", v);
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
