package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** Example i has features [i, -i] and label i, so a batch says which examples it holds. */
    static TensorDataset numbered(int n) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    static List<Thread> loaderThreads() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("jgrad-loader") && t.isAlive()) out.add(t);
        }
        return out;
    }

    @AfterEach
    void noThreadOutlivesATest() {
        assertEquals(List.of(), loaderThreads());
    }

    private static List<long[]> epoch(Iterable<Batch> loader) {
        List<long[]> batches = new ArrayList<>();
        for (Batch b : loader) {
            long[] labels = b.labels().toLongArray();
            float[] f = b.features().toFloatArray();
            for (int i = 0; i < labels.length; i++) {
                assertEquals(labels[i], f[2 * i], 0f, "features and labels stay paired");
                assertEquals(-labels[i], f[2 * i + 1], 0f);
            }
            batches.add(labels);
        }
        return batches;
    }

    private static long[] flat(List<long[]> batches) {
        return batches.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static DataLoader loader(Dataset d, int batch, boolean shuffle, long seed, boolean dropLast, int workers) {
        return DataLoader.builder(d).batchSize(batch).shuffle(shuffle).seed(seed).dropLast(dropLast).numWorkers(workers).build();
    }

    @Test
    void everyExampleOncePerEpochWithPartialLastBatch() {
        for (int workers : new int[] {0, 1, 2}) {
            try (DataLoader l = loader(numbered(10), 4, true, 7, false, workers)) {
                assertEquals(3, l.numBatches());
                List<long[]> batches = epoch(l);
                assertEquals(List.of(4, 4, 2), batches.stream().map(b -> b.length).toList());
                long[] all = flat(batches);
                Arrays.sort(all);
                assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all);
            }
        }
    }

    @Test
    void dropLastSkipsThePartialBatch() {
        for (int workers : new int[] {0, 2}) {
            try (DataLoader l = loader(numbered(10), 4, true, 7, true, workers)) {
                assertEquals(2, l.numBatches());
                List<long[]> batches = epoch(l);
                assertEquals(2, batches.size());
                long[] all = flat(batches);
                assertEquals(8, Arrays.stream(all).distinct().count(), "no example twice");
            }
            try (DataLoader l = loader(numbered(3), 4, false, 0, true, workers)) {
                assertEquals(0, l.numBatches());
                assertFalse(l.iterator().hasNext());
            }
        }
    }

    @Test
    void withoutShuffleTheOrderIsTheIndexOrder() {
        try (DataLoader l = loader(numbered(7), 3, false, 99, false, 2)) {
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6}, flat(epoch(l)));
        }
    }

    @Test
    void sameSeedSameOrderWhateverTheWorkers() {
        List<List<long[]>> runs = new ArrayList<>();
        for (int workers : new int[] {0, 1, 2}) {
            try (DataLoader l = loader(numbered(103), 8, true, 42, false, workers)) {
                List<long[]> both = new ArrayList<>(epoch(l));
                both.addAll(epoch(l));   // epoch 1 too
                runs.add(both);
            }
        }
        for (int r = 1; r < runs.size(); r++) {
            assertEquals(runs.get(0).size(), runs.get(r).size());
            for (int k = 0; k < runs.get(0).size(); k++) assertArrayEquals(runs.get(0).get(k), runs.get(r).get(k), "batch " + k);
        }
    }

    @Test
    void anotherSeedOrEpochGivesAnotherOrder() {
        long[] e0, e1, other;
        try (DataLoader l = loader(numbered(50), 50, true, 1, false, 0)) {
            e0 = flat(epoch(l));
            e1 = flat(epoch(l));
            l.setEpoch(0);
            assertArrayEquals(e0, flat(epoch(l)), "setEpoch(0) repeats epoch 0");
        }
        try (DataLoader l = loader(numbered(50), 50, true, 2, false, 0)) {
            other = flat(epoch(l));
        }
        assertFalse(Arrays.equals(e0, e1));
        assertFalse(Arrays.equals(e0, other));
        long[] identity = new long[50];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(e0, identity), "shuffled");
    }

    @Test
    void workerThreadsAreNamedDaemonsAndEndWithTheEpoch() {
        try (DataLoader l = loader(numbered(40), 4, true, 3, false, 2)) {
            Iterator<Batch> it = l.iterator();
            it.next();
            List<Thread> running = loaderThreads();
            assertFalse(running.isEmpty());
            for (Thread t : running) {
                assertTrue(t.isDaemon());
                assertTrue(t.getName().matches("jgrad-loader-\\d+"), t.getName());
            }
            while (it.hasNext()) it.next();
            assertEquals(List.of(), loaderThreads(), "exhausting the epoch stops the workers");
        }
    }

    @Test
    void breakingOutThenClosingStopsWorkers() {
        DataLoader l = loader(numbered(100), 2, true, 3, false, 2);
        for (Batch b : l) {
            if (b.size() > 0) break;
        }
        assertFalse(loaderThreads().isEmpty());
        l.close();
        assertEquals(List.of(), loaderThreads());
    }

    @Test
    void startingTheNextEpochStopsTheAbandonedOne() {
        try (DataLoader l = loader(numbered(100), 2, true, 3, false, 2)) {
            Iterator<Batch> first = l.iterator();
            first.next();
            Iterator<Batch> second = l.iterator();
            assertFalse(first.hasNext(), "the abandoned epoch is closed");
            second.next();
            assertEquals(2, loaderThreads().size(), "only the new epoch's workers run");
        }
    }

    @Test
    void garbageCollectedIteratorStopsItsWorkers() throws InterruptedException {
        DataLoader l = loader(numbered(100), 2, true, 3, false, 2);
        Iterator<Batch> it = l.iterator();
        it.next();
        assertFalse(loaderThreads().isEmpty());
        it = null;   // abandoned without close(); only the Cleaner can stop the workers now
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!loaderThreads().isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(List.of(), loaderThreads());
        assertTrue(l.numBatches() > 0);   // keeps the loader itself reachable throughout
    }

    @Test
    void workerExceptionReachesTheCallerWithItsCause() {
        RuntimeException boom = new IllegalArgumentException("bad example 13");
        Dataset failing = new Dataset() {
            final TensorDataset inner = numbered(40);

            public int size() {
                return inner.size();
            }

            public Example get(int index) {
                if (index == 13) throw boom;
                return inner.get(index);
            }
        };
        try (DataLoader l = loader(failing, 4, false, 0, false, 2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> epoch(l));
            assertSame(boom, e.getCause());
            assertTrue(e.getMessage().contains("batch 3"), e.getMessage());
            assertEquals(List.of(), loaderThreads(), "a failure stops the workers");
        }
        try (DataLoader l = loader(failing, 4, false, 0, false, 0)) {
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> epoch(l)), "no workers: unchanged");
        }
    }

    @Test
    void prefetchIsBounded() throws InterruptedException {
        AtomicInteger built = new AtomicInteger();
        TensorDataset inner = numbered(100);
        Dataset counting = new Dataset() {
            public int size() {
                return inner.size();
            }

            public Example get(int index) {
                return inner.get(index);
            }

            public Batch getBatch(int[] indices) {
                built.incrementAndGet();
                return inner.getBatch(indices);
            }
        };
        try (DataLoader l = DataLoader.builder(counting).batchSize(1).numWorkers(2).prefetch(3).build()) {
            Iterator<Batch> it = l.iterator();
            it.next();
            Thread.sleep(200);
            assertTrue(built.get() <= 4, "at most the returned batch plus 3 ahead, built " + built.get());
        }
    }

    @Test
    void transformIsSeededPerBatchWhateverTheWorkers() {
        Transform noise = Transforms.gaussianNoise(1);
        List<float[]> reference = null;
        for (int workers : new int[] {0, 2}) {
            List<float[]> got = new ArrayList<>();
            try (DataLoader l = DataLoader.builder(numbered(20)).batchSize(6).shuffle(true).seed(5).numWorkers(workers)
                    .transform(noise).build()) {
                for (Batch b : l) {
                    assertEquals(DType.FLOAT32, b.features().dtype());
                    got.add(b.features().toFloatArray());
                }
            }
            if (reference == null) {
                reference = got;
            } else {
                for (int k = 0; k < got.size(); k++) assertArrayEquals(reference.get(k), got.get(k));
            }
        }
        assertNotEquals(0f, reference.get(0)[0] - Math.round(reference.get(0)[0]), "noise was added");
    }

    @Test
    void rejectsBadOptions() {
        DataLoader.Builder b = DataLoader.builder(numbered(3));
        assertThrows(IllegalArgumentException.class, () -> b.batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> b.numWorkers(-1));
        assertThrows(IllegalArgumentException.class, () -> b.prefetch(0));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(new TensorDataset(Tensor.zeros(0, 2), Tensor.zeros(0))).build());
    }
}
