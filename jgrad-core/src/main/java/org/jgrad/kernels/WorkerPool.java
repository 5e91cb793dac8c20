package org.jgrad.kernels;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fork-join for kernels with a hand-off of microseconds, not the hundreds a ForkJoinPool takes
 * (as long as a whole 128³ product). Workers are daemon threads, started on first use.
 *
 * <p>Every caller runs its own job: it posts the job, then claims and runs its tasks like any
 * worker, and idle workers claim tasks of any posted job (oldest first) until none is left. So two
 * application threads (two models trained at once) both get the workers, a kernel called from inside
 * a task simply posts a nested job, and nothing ever waits for a task that no thread has claimed: a
 * caller waits only for tasks other threads are already running. Which thread runs a task never
 * changes what the task computes.
 *
 * <p>Claiming rather than assigning also means that a worker the OS has descheduled (the machine may
 * be shared) delays at most the task it holds; the caller runs the rest itself.
 *
 * <p>After a job, a worker spins only briefly with {@link Thread#onSpinWait()}, then yields for a
 * while, then parks. Yielding keeps the next product of a training step (often a few hundred
 * microseconds later, after some elementwise ops) from paying for a wake-up, while any other
 * runnable thread of the application, a data loader for instance, gets the core as soon as it
 * wants it; a pure spin would hold the core against it. A worker parked for
 * {@link #keepAliveNanos} without work ends; the next job starts a new one.
 */
final class WorkerPool {
    private WorkerPool() {}

    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    private static final long YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(250);

    /** How long an idle worker stays parked before it ends; a field so that tests can shorten it. */
    static volatile long keepAliveNanos = TimeUnit.SECONDS.toNanos(10);

    private static final Object LOCK = new Object();
    private static final Job[] NONE = {};
    /** The jobs whose callers are in {@link #run}, oldest first; replaced under LOCK, never changed in place. */
    private static volatile Job[] pending = NONE;
    /** Slot i holds worker i, or null when it has not started or has ended idle. Guarded by LOCK. */
    private static Worker[] workers = new Worker[0];

    /**
     * Runs body(0) … body(tasks-1) on the calling thread and up to {@link Threads#get()} − 1 workers;
     * returns when all are done, throwing the first failure of a task. More tasks than threads is
     * fine (and balances better).
     */
    static void run(int tasks, IntConsumer body) {
        int threads = Threads.get();
        if (tasks <= 1 || threads <= 1) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        Job job = new Job(tasks, body);
        try {
            post(job, Math.min(tasks, threads) - 1, threads);
            job.work();
            job.awaitDone();
        } finally {
            withdraw(job);
        }
        // Every task has been claimed and finished, so no thread reads body again; a stale reference
        // to the job (a worker's stack, an old pending array) must not keep the caller's arrays alive.
        job.body = null;
        Throwable failure = job.failure;
        if (failure != null) {
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            throw new IllegalStateException("kernel task failed", failure);
        }
    }

    /**
     * Posts the job and wakes (or starts) up to helpers workers among the first threads − 1. Workers
     * that are not parked are running or about to look for work; they are not counted, since they may
     * be busy with another caller's job.
     */
    private static void post(Job job, int helpers, int threads) {
        synchronized (LOCK) {
            Job[] p = pending;
            Job[] q = Arrays.copyOf(p, p.length + 1);
            q[p.length] = job;
            pending = q;
            if (workers.length < threads - 1) workers = Arrays.copyOf(workers, threads - 1);
            // The volatile write of pending above, the volatile read of parked below; a worker does the
            // reverse before it parks, so one of the two always sees the other and no wake-up is lost.
            for (int i = 0, woken = 0; i < threads - 1 && woken < helpers; i++) {
                Worker w = workers[i];
                if (w == null) {
                    w = new Worker(i);
                    w.start();
                    workers[i] = w;
                    woken++;
                } else if (w.parked) {
                    LockSupport.unpark(w);
                    woken++;
                }
            }
        }
    }

    private static void withdraw(Job job) {
        synchronized (LOCK) {
            Job[] p = pending;
            int i = 0;
            while (i < p.length && p[i] != job) i++;
            if (i == p.length) return; // post() failed before adding it
            Job[] q = p.length == 1 ? NONE : new Job[p.length - 1];
            System.arraycopy(p, 0, q, 0, i);
            System.arraycopy(p, i + 1, q, i, p.length - i - 1);
            pending = q;
        }
    }

    /** True if a posted job has a task no thread has claimed yet. */
    private static boolean claimable() {
        for (Job job : pending) {
            if (job.claimable()) return true;
        }
        return false;
    }

    /** The number of worker threads alive, for tests. */
    static int liveWorkers() {
        synchronized (LOCK) {
            int n = 0;
            for (Worker w : workers) {
                if (w != null) n++;
            }
            return n;
        }
    }

    private static final class Job {
        /** Cleared by the caller once every task is done. */
        IntConsumer body;
        final int tasks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger remaining;
        final Thread owner = Thread.currentThread();
        volatile boolean ownerParked;
        volatile Throwable failure;

        Job(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
            this.remaining = new AtomicInteger(tasks);
        }

        boolean claimable() {
            return next.get() < tasks;
        }

        /** Runs unclaimed tasks until none is left; true if it ran any. */
        boolean work() {
            boolean ran = false;
            // Reading next first keeps idle workers scanning a drained job from incrementing it forever.
            while (claimable()) {
                int t = next.getAndIncrement();
                if (t >= tasks) break;
                runTask(t);
                ran = true;
            }
            return ran;
        }

        private void runTask(int t) {
            try {
                body.accept(t);
            } catch (Throwable e) {
                fail(e);
            } finally {
                if (remaining.decrementAndGet() == 0 && ownerParked) LockSupport.unpark(owner);
            }
        }

        private synchronized void fail(Throwable e) {
            if (failure == null) failure = e;
            else if (failure != e) failure.addSuppressed(e);
        }

        /** Called by the owner once it finds nothing left to claim: waits for the tasks other threads hold. */
        void awaitDone() {
            long start = System.nanoTime();
            boolean interrupted = false;
            while (remaining.get() > 0) {
                long waited = System.nanoTime() - start;
                if (waited < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (waited < YIELD_NANOS) {
                    Thread.yield();
                } else {
                    ownerParked = true;
                    if (remaining.get() > 0) LockSupport.park(this);
                    ownerParked = false;
                    // park returns at once while the interrupt flag is set; keep it for the caller.
                    if (Thread.interrupted()) interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static final class Worker extends Thread {
        final int slot;
        volatile boolean parked;

        Worker(int slot) {
            // No inherited thread-locals: the worker outlives the call that happened to start it.
            super(null, null, "jgrad-kernel-" + (slot + 1), 0, false);
            this.slot = slot;
            setDaemon(true);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime(), lastWork = idleSince;
            while (true) {
                if (helps() && helpOnce()) {
                    idleSince = lastWork = System.nanoTime();
                    continue;
                }
                long now = System.nanoTime();
                if (now - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (now - idleSince < YIELD_NANOS) {
                    Thread.yield();
                } else {
                    parked = true;
                    if (!(helps() && claimable())) LockSupport.parkNanos(this, keepAliveNanos);
                    parked = false;
                    Thread.interrupted(); // nobody should interrupt a worker; if someone did, parking must still work
                    now = System.nanoTime();
                    if (now - lastWork >= keepAliveNanos && retire()) return;
                    idleSince = now;
                }
            }
        }

        /** False for workers beyond a thread count that has been lowered since they started. */
        private boolean helps() {
            return slot < Threads.get() - 1;
        }

        /** Runs tasks of the oldest posted job that has some left; true if it ran any. */
        private static boolean helpOnce() {
            for (Job job : pending) {
                if (job.work()) return true;
            }
            return false;
        }

        /** Ends this worker unless work arrived; under LOCK so that post() either sees the slot empty or wakes us. */
        private boolean retire() {
            synchronized (LOCK) {
                if (helps() && claimable()) return false;
                workers[slot] = null;
                return true;
            }
        }
    }
}
