package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.jgrad.Autograd;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernels' thread pool: several callers at once, nesting, failures, and what it keeps alive.
 * Tests that need a task to run on a worker make the tasks of a job wait for each other (a latch),
 * so the job can only finish if other threads run them at the same time; the latch's timeout only
 * guards against hanging the build when that is broken.
 */
class WorkerPoolTest {
    private static final long GUARD_SECONDS = 60;
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Threads.get();
    }

    @AfterEach
    void restoreThreads() {
        Threads.set(savedThreads);
    }

    /** Waits on the latch after counting down; fails if the other tasks never run alongside. */
    private static void meet(CountDownLatch latch) {
        latch.countDown();
        try {
            if (!latch.await(GUARD_SECONDS, TimeUnit.SECONDS)) {
                fail("the tasks of one job never ran at the same time: " + latch.getCount() + " still missing");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isWorker(String threadName) {
        return threadName.startsWith("jgrad-kernel-");
    }

    @Test
    void everyTaskRunsOnceAndTheCallerTakesPart() {
        Threads.set(2);
        Set<String> names = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray hits = new AtomicIntegerArray(2);
        CountDownLatch both = new CountDownLatch(2);
        String caller = Thread.currentThread().getName();
        WorkerPool.run(2, t -> {
            hits.incrementAndGet(t);
            names.add(Thread.currentThread().getName());
            assertTrue(Thread.currentThread().isDaemon() || Thread.currentThread().getName().equals(caller));
            meet(both);
        });
        assertEquals(1, hits.get(0));
        assertEquals(1, hits.get(1));
        assertTrue(names.contains(caller), names.toString());
        assertTrue(names.stream().anyMatch(WorkerPoolTest::isWorker), names.toString());
    }

    @Test
    void aSecondCallerGetsWorkersWhileTheFirstIsBusy() throws Exception {
        // 3 threads: caller A and one worker are held inside A's job; B's two tasks must meet, which
        // needs the second worker (a single shared job slot would run B's tasks one after the other).
        Threads.set(3);
        CountDownLatch aStarted = new CountDownLatch(2), releaseA = new CountDownLatch(1);
        AtomicReference<Throwable> aFailure = new AtomicReference<>();
        Thread a = new Thread(() -> {
            try {
                WorkerPool.run(2, t -> {
                    aStarted.countDown();
                    try {
                        if (!releaseA.await(GUARD_SECONDS, TimeUnit.SECONDS)) fail("A was never released");
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            } catch (Throwable e) {
                aFailure.set(e);
            }
        }, "caller-A");
        a.start();
        try {
            assertTrue(aStarted.await(GUARD_SECONDS, TimeUnit.SECONDS), "A's tasks never ran at the same time");
            Set<String> bNames = ConcurrentHashMap.newKeySet();
            CountDownLatch bBoth = new CountDownLatch(2);
            WorkerPool.run(2, t -> {
                bNames.add(Thread.currentThread().getName());
                meet(bBoth);
            });
            assertEquals(2, bNames.size(), bNames.toString());
            assertTrue(bNames.contains(Thread.currentThread().getName()), bNames.toString());
            assertTrue(bNames.stream().anyMatch(WorkerPoolTest::isWorker), bNames.toString());
        } finally {
            releaseA.countDown();
            a.join();
        }
        assertNull(aFailure.get());
    }

    @Test
    void aFinishedJobDoesNotKeepItsArraysAlive() throws InterruptedException {
        Threads.set(2);
        WeakReference<float[]> ref = runOnBigArray();
        for (int i = 0; i < 100 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(ref.get() == null, "a worker (or the pool) still holds the last job's body");
        // The pool still works after the worker parked.
        everyTaskRunsOnceAndTheCallerTakesPart();
    }

    private static WeakReference<float[]> runOnBigArray() {
        // The caller's task returns only once the worker has parked, so the worker parks while the job
        // is still running: what it holds then must not include the job's body.
        float[] big = new float[1 << 22];
        Thread caller = Thread.currentThread();
        Set<Thread> others = ConcurrentHashMap.newKeySet();
        CountDownLatch both = new CountDownLatch(2);
        WorkerPool.run(2, t -> {
            big[t] = t + 1;
            if (Thread.currentThread() != caller) others.add(Thread.currentThread());
            meet(both);
            if (Thread.currentThread() == caller) {
                for (Thread w : others) awaitParked(w);
            }
        });
        assertEquals(1, others.size(), "one task must have run on a worker");
        assertTrue(isWorker(others.iterator().next().getName()), others.toString());
        assertEquals(2f, big[1]);
        return new WeakReference<>(big);
    }

    private static void awaitParked(Thread t) {
        for (int i = 0; i < GUARD_SECONDS * 1000; i++) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) return;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        fail(t.getName() + " never parked");
    }

    @Test
    void failuresReachTheCallerAndThePoolStaysUsable() {
        Threads.set(2);
        for (int failing = 0; failing < 2; failing++) {
            int f = failing;
            CountDownLatch both = new CountDownLatch(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> WorkerPool.run(2, t -> {
                meet(both); // so that one of the two tasks, maybe the failing one, runs on a worker
                if (t == f) throw new IllegalStateException("task " + t);
            }));
            assertEquals("task " + f, e.getMessage());
        }
        // Both fail: the first is thrown, the other attached to it.
        CountDownLatch both = new CountDownLatch(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerPool.run(2, t -> {
            meet(both);
            throw new IllegalArgumentException("task " + t);
        }));
        assertEquals(1, e.getSuppressed().length);
        // An Error passes unchanged.
        AssertionError marker = new AssertionError("marker");
        assertSame(marker, assertThrows(AssertionError.class, () -> WorkerPool.run(3, t -> {
            if (t == 1) throw marker;
        })));
        everyTaskRunsOnceAndTheCallerTakesPart();
    }

    @Test
    void nestedCallsRunEveryInnerTaskOnce() {
        for (int threads : new int[] {2, 3}) {
            Threads.set(threads);
            AtomicIntegerArray hits = new AtomicIntegerArray(3 * 4 * 2);
            Threads.parallelFor(3, t -> Threads.parallelFor(4, u -> Threads.parallelFor(2,
                    v -> hits.incrementAndGet((t * 4 + u) * 2 + v))));
            for (int i = 0; i < hits.length(); i++) assertEquals(1, hits.get(i), "threads=" + threads + " at " + i);
        }
    }

    @Test
    void productsInsideTasksMatchTheSameProductsAlone() {
        // A task that calls the kernels (here a product large enough to be split itself) posts a nested job.
        Threads.set(2);
        Kernels k = Kernels.get();
        Random r = new Random(3);
        int m = 160, n = 200, kk = 120, jobs = 4;
        float[][] a = new float[jobs][], b = new float[jobs][], want = new float[jobs][], got = new float[jobs][];
        for (int j = 0; j < jobs; j++) {
            a[j] = randomFloats(r, m * kk);
            b[j] = randomFloats(r, kk * n);
            want[j] = new float[m * n];
            got[j] = new float[m * n];
            k.gemm(false, false, m, n, kk, a[j], 0, kk, b[j], 0, n, want[j], 0, n, false);
        }
        Threads.parallelFor(jobs, j -> k.gemm(false, false, m, n, kk, a[j], 0, kk, b[j], 0, n, got[j], 0, n, false));
        for (int j = 0; j < jobs; j++) assertArrayEquals(want[j], got[j], "job " + j);
    }

    @Test
    void twoCallersAtOnceGiveTheSameBitsAsEachAlone() throws Exception {
        Threads.set(2);
        int steps = 12;
        List<float[]> aloneA = train(1, steps), aloneB = train(2, steps);
        List<List<float[]>> together = new ArrayList<>(List.of(List.of(), List.of()));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(2);
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int seed = c + 1, slot = c;
            callers.add(new Thread(() -> {
                try {
                    start.await(GUARD_SECONDS, TimeUnit.SECONDS);
                    together.set(slot, train(seed, steps));
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "trainer-" + seed));
        }
        for (Thread t : callers) t.start();
        for (Thread t : callers) t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertBitsEqual(aloneA, together.get(0), "model 1");
        assertBitsEqual(aloneB, together.get(1), "model 2");
    }

    private static void assertBitsEqual(List<float[]> want, List<float[]> got, String what) {
        assertEquals(want.size(), got.size(), what);
        for (int i = 0; i < want.size(); i++) assertArrayEquals(want.get(i), got.get(i), what + ", array " + i);
    }

    /**
     * A few SGD steps of an MLP whose products are split among the threads (64·300·256 multiply-adds
     * and up), plus a raw product and a long elementwise run per step; returns every loss and the
     * final parameters, as float arrays.
     */
    private static List<float[]> train(long seed, int steps) {
        Generator gen = new Generator(seed);
        Tensor w1 = Tensor.randn(gen, 300, 256).mul(0.05).requiresGrad(true);
        Tensor w2 = Tensor.randn(gen, 256, 10).mul(0.05).requiresGrad(true);
        Tensor x = Tensor.randn(gen, 64, 300);
        Tensor big = Tensor.randn(gen, 1 << 19);
        float[] onehot = new float[64 * 10];
        for (int b = 0; b < 64; b++) onehot[b * 10 + gen.nextInt(10)] = 1;
        Tensor y = Tensor.of(onehot, 64, 10);
        List<float[]> out = new ArrayList<>();
        Kernels k = Kernels.get();
        for (int s = 0; s < steps; s++) {
            Tensor h = x.matmul(w1).relu().matmul(w2);
            Tensor loss = h.logSoftmax(1).mul(y).sum().mul(-1.0 / 64);
            List<Tensor> g = Autograd.grad(loss, List.of(w1, w2), false);
            w1 = w1.sub(g.get(0).mul(0.1)).detach().requiresGrad(true);
            w2 = w2.sub(g.get(1).mul(0.1)).detach().requiresGrad(true);
            big = big.mul(0.999).relu();
            out.add(loss.toFloatArray());
            float[] w1a = w1.toFloatArray(), c = new float[300 * 300];
            k.gemm(false, true, 300, 300, 256, w1a, 0, 256, w1a, 0, 256, c, 0, 300, false);
            out.add(c);
        }
        out.add(w1.toFloatArray());
        out.add(w2.toFloatArray());
        out.add(big.toFloatArray());
        return out;
    }

    @Test
    void idleWorkersEndAndNewOnesStartOnDemand() throws InterruptedException {
        long saved = WorkerPool.keepAliveNanos;
        try {
            WorkerPool.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(20);
            // Engage every worker there is, so that each parks again with the short keep-alive.
            Threads.set(Math.max(3, WorkerPool.liveWorkers() + 1));
            CountDownLatch all = new CountDownLatch(Threads.get());
            WorkerPool.run(Threads.get(), t -> meet(all));
            for (int i = 0; i < GUARD_SECONDS * 100 && (WorkerPool.liveWorkers() > 0 || workerThreadsAlive()); i++) {
                Thread.sleep(10);
            }
            assertEquals(0, WorkerPool.liveWorkers());
            assertTrue(!workerThreadsAlive(), "a worker thread is still alive");
        } finally {
            WorkerPool.keepAliveNanos = saved;
        }
        everyTaskRunsOnceAndTheCallerTakesPart();
        assertEquals(1, WorkerPool.liveWorkers());
    }

    private static boolean workerThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> isWorker(t.getName()));
    }

    private static float[] randomFloats(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }
}
