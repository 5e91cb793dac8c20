package org.jgrad.data;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jgrad.Generator;

/**
 * Iterates over a {@link Dataset} in mini-batches, as PyTorch's {@code DataLoader}:
 *
 * <pre>{@code
 * try (DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(42).numWorkers(2).build()) {
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         for (Batch b : loader) { ... }       // each for-loop is one epoch, in a new order
 *     }
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Epoch e (counted from 0 by each call to {@link #iterator()}, or set with
 * {@link #setEpoch}) visits every example exactly once, in a Fisher–Yates permutation drawn from a
 * seed derived from (seed, e), or in index order without shuffling. A batch's random transform draws
 * from a seed derived from (seed, e, batch number). So a seed gives the same batches on every JVM and
 * for any number of workers.
 *
 * <p><b>Workers.</b> With {@code numWorkers > 0}, daemon threads named {@code jgrad-loader-N} build the
 * next {@code prefetch} batches while the caller trains on the current one; batches still arrive in
 * order. The threads end when the epoch is exhausted, when its iterator or this loader is closed, when
 * the next epoch starts, when a worker fails (the failure is rethrown to the caller with its cause),
 * and, as a last resort, when an abandoned iterator is garbage-collected. With {@code numWorkers == 0}
 * batches are built on the caller's thread, and a failure propagates unchanged.
 */
public final class DataLoader implements Iterable<Batch>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger(DataLoader.class.getName());
    /** How long close() waits for a worker to finish the batch it is building. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int numWorkers;
    private final int prefetch;
    private final Transform transform;

    private int nextEpoch;
    private WeakReference<BatchIterator> current = new WeakReference<>(null);

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.numWorkers = b.numWorkers;
        this.prefetch = b.prefetch > 0 ? b.prefetch : 2 * Math.max(1, b.numWorkers);
        this.transform = b.transform;
    }

    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** The number of batches in one epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The epoch the next {@link #iterator()} will run. */
    public synchronized int epoch() {
        return nextEpoch;
    }

    /** Sets the epoch the next {@link #iterator()} runs (e.g. when resuming training at epoch e). */
    public synchronized void setEpoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("setEpoch: epoch must be >= 0, got " + epoch);
        nextEpoch = epoch;
    }

    /**
     * Starts the next epoch. The previous epoch's iterator, if still running, is closed first: its
     * workers stop, and it returns no more batches.
     */
    @Override
    public synchronized Iterator<Batch> iterator() {
        closeCurrent();
        int epoch = nextEpoch++;
        int[] order = shuffle ? Shuffle.permutation(dataset.size(), new Generator(Shuffle.derive(seed, epoch)))
                : identity(dataset.size());
        BatchIterator it = new BatchIterator(new Plan(dataset, order, batchSize, numBatches(), transform, seed, epoch),
                numWorkers, prefetch);
        current = new WeakReference<>(it);
        return it;
    }

    /** Stops the current epoch's workers, if any. The loader can still start new epochs afterwards. */
    @Override
    public synchronized void close() {
        closeCurrent();
    }

    private void closeCurrent() {
        BatchIterator it = current.get();
        if (it != null) it.close();
        current = new WeakReference<>(null);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    /** Everything needed to build batch k of one epoch; holds no reference to the iterator. */
    private record Plan(Dataset dataset, int[] order, int batchSize, int numBatches, Transform transform, long seed, int epoch) {
        Batch build(int k) {
            int from = k * batchSize;
            int[] indices = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
            Batch b = dataset.getBatch(indices);
            if (transform == null) return b;
            Generator gen = new Generator(Shuffle.derive(seed, epoch, k));
            return new Batch(transform.apply(b.features(), gen), b.labels());
        }
    }

    /**
     * One epoch. The workers live in a pool owned by this iterator; the pool's shutdown is registered
     * with a Cleaner, which only captures the pool and its threads, so an abandoned iterator can be
     * collected and its threads stopped.
     */
    private static final class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private final Plan plan;
        private final Workers workers;                 // null when numWorkers == 0
        private final Cleaner.Cleanable cleanable;     // null when numWorkers == 0
        private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
        private final int prefetch;
        private int nextToSubmit;
        private int nextToReturn;
        private boolean closed;

        BatchIterator(Plan plan, int numWorkers, int prefetch) {
            this.plan = plan;
            this.prefetch = prefetch;
            if (numWorkers > 0 && plan.numBatches() > 0) {
                workers = new Workers(numWorkers);
                cleanable = CLEANER.register(this, workers);
                fill();
            } else {
                workers = null;
                cleanable = null;
            }
        }

        private void fill() {
            while (nextToSubmit < plan.numBatches() && inFlight.size() < prefetch) {
                int k = nextToSubmit++;
                Plan p = plan;
                inFlight.add(workers.pool.submit(() -> p.build(k)));
            }
        }

        @Override
        public synchronized boolean hasNext() {
            return !closed && nextToReturn < plan.numBatches();
        }

        @Override
        public synchronized Batch next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: epoch " + plan.epoch() + " has no more batches");
            int k = nextToReturn++;
            Batch b;
            if (workers == null) {
                b = plan.build(k);
            } else {
                Future<Batch> f = inFlight.poll();
                try {
                    b = f.get();
                } catch (InterruptedException e) {
                    close();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + k, e);
                } catch (ExecutionException | CancellationException e) {
                    close();
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    throw new IllegalStateException("DataLoader: a worker failed building batch " + k + " of epoch "
                            + plan.epoch() + ": " + cause, cause);
                }
                fill();
            }
            if (nextToReturn == plan.numBatches()) close();
            return b;
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            inFlight.clear();
            if (cleanable != null) {
                cleanable.clean();
                workers.awaitExit();
            }
        }
    }

    /** The worker pool; as a Cleaner action it stops the pool. Must not reference a BatchIterator. */
    private static final class Workers implements Runnable {
        final ExecutorService pool;
        private final List<Thread> threads = new ArrayList<>();

        Workers(int n) {
            ThreadFactory factory = r -> {
                synchronized (threads) {
                    Thread t = new Thread(r, "jgrad-loader-" + threads.size());
                    t.setDaemon(true);
                    threads.add(t);
                    return t;
                }
            };
            pool = new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
        }

        @Override
        public void run() {
            pool.shutdownNow();
        }

        /** Waits until every worker thread has ended, so that none outlives close(). */
        void awaitExit() {
            List<Thread> snapshot;
            synchronized (threads) {
                snapshot = List.copyOf(threads);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
            boolean interrupted = false;
            for (Thread t : snapshot) {
                while (t.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        LOG.log(System.Logger.Level.WARNING, "DataLoader: worker " + t.getName()
                                + " is still building a batch after " + CLOSE_WAIT_SECONDS + " s; leaving it to finish");
                        break;
                    }
                    try {
                        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Options; defaults: batch size 1, no shuffling, seed 0, keep the last partial batch, no workers. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private int numWorkers;
        private int prefetch;
        private Transform transform;

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "DataLoader: dataset");
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batchSize must be >= 1, got " + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to skip the last batch when it would be smaller than batchSize. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Background threads building batches; 0 builds them on the caller's thread. */
        public Builder numWorkers(int numWorkers) {
            if (numWorkers < 0) throw new IllegalArgumentException("DataLoader: numWorkers must be >= 0, got " + numWorkers);
            this.numWorkers = numWorkers;
            return this;
        }

        /** How many batches the workers may build ahead of the caller (default 2 × numWorkers). */
        public Builder prefetch(int prefetch) {
            if (prefetch < 1) throw new IllegalArgumentException("DataLoader: prefetch must be >= 1, got " + prefetch);
            this.prefetch = prefetch;
            return this;
        }

        /** A random or fixed transform of each batch's features, e.g. augmentation (see {@link Transforms}). */
        public Builder transform(Transform transform) {
            this.transform = transform;
            return this;
        }

        public DataLoader build() {
            if (dataset.size() == 0) throw new IllegalArgumentException("DataLoader: the dataset is empty");
            return new DataLoader(this);
        }
    }
}
