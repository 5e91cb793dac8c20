package org.jgrad.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fork-join for kernels with a hand-off of microseconds, not the 100–400 µs a ForkJoinPool took on
 * the development machine (as long as a whole 128³ product). Idle workers spin with
 * {@link Thread#onSpinWait()}, then yield, then park; a pure spin would collapse when another process
 * holds a core. Workers are daemon threads, created on first use and grown as {@link Threads} asks.
 *
 * <p>Tasks are claimed, not assigned: the caller and each worker take the next unclaimed task until
 * none is left. A worker that the OS has descheduled (the machine is shared) then delays at most the
 * task it already holds, and the caller runs the rest itself; with a few tasks per thread the work
 * balances itself. Which thread runs a task never changes what the task computes.
 *
 * <p>One job at a time: a caller that finds the pool busy (another thread's product, or a kernel
 * called from inside a task) runs all its tasks itself, so nothing ever waits on a nested job.
 */
final class WorkerPool {
    private WorkerPool() {}

    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    // Not a ReentrantLock: a task that calls run() again must not re-enter and replace the job it is part of.
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final List<Worker> WORKERS = new ArrayList<>();
    private static final Job IDLE = new Job(0, 0, t -> {});
    private static volatile Job current = IDLE;

    /**
     * Runs body(0) … body(tasks-1), on up to {@link Threads#get()} threads when workers are free;
     * returns when all are done. More tasks than threads is fine (and balances better).
     */
    static void run(int tasks, IntConsumer body) {
        if (tasks <= 1 || !BUSY.compareAndSet(false, true)) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        try {
            int helpers = Math.min(tasks, Threads.get()) - 1;
            while (WORKERS.size() < helpers) {
                Worker w = new Worker(WORKERS.size() + 1);
                WORKERS.add(w);
                w.start();
            }
            Job job = new Job(tasks, helpers, body);
            current = job;
            // Volatile write above, volatile read of parked below; the worker does the reverse, so one
            // of the two always sees the other and no wake-up is lost.
            for (int i = 0; i < helpers; i++) {
                Worker w = WORKERS.get(i);
                if (w.parked) LockSupport.unpark(w);
            }
            job.work();
            awaitDone(job);
            current = IDLE; // so that the pool does not keep the last job's arrays reachable
            if (job.failure != null) {
                if (job.failure instanceof RuntimeException e) throw e;
                if (job.failure instanceof Error e) throw e;
                throw new IllegalStateException("kernel task failed", job.failure);
            }
        } finally {
            BUSY.set(false);
        }
    }

    private static void awaitDone(Job job) {
        long start = System.nanoTime();
        int spins = 0;
        while (job.remaining.get() > 0) {
            if (++spins < 1024 || System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private static final class Job {
        final IntConsumer body;
        final AtomicInteger remaining;
        final AtomicInteger next = new AtomicInteger();
        final int tasks;
        /** Workers 1..helpers take part; more may exist if the thread count was lowered since. */
        final int helpers;
        volatile Throwable failure;

        Job(int tasks, int helpers, IntConsumer body) {
            this.tasks = tasks;
            this.helpers = helpers;
            this.body = body;
            this.remaining = new AtomicInteger(tasks);
        }

        /** Runs unclaimed tasks until none is left. */
        void work() {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) runTask(t);
        }

        void runTask(int t) {
            try {
                body.accept(t);
            } catch (Throwable e) {
                failure = e;
            } finally {
                remaining.decrementAndGet();
            }
        }
    }

    private static final class Worker extends Thread {
        final int index;
        volatile boolean parked;

        Worker(int index) {
            super("jgrad-kernel-" + index);
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null;
            while (true) {
                Job job = await(seen);
                seen = job;
                if (index <= job.helpers) job.work();
            }
        }

        private Job await(Job seen) {
            long start = System.nanoTime();
            long waited = 0;
            int spins = 0;
            while (true) {
                Job job = current;
                if (job != seen) return job;
                if ((++spins & 63) == 0) waited = System.nanoTime() - start;
                if (waited < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (waited < YIELD_NANOS) {
                    Thread.yield();
                } else {
                    parked = true;
                    if (current == seen) LockSupport.park(this);
                    parked = false;
                    start = System.nanoTime();
                    waited = 0;
                }
            }
        }
    }
}
