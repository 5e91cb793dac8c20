package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class DatasetTest {
    @Test
    void tensorDatasetGetAndBatchCopyTheRightRows() {
        TensorDataset d = DataLoaderTest.numbered(6);
        Example e = d.get(4);
        assertArrayEquals(new float[] {4, -4}, e.features().toFloatArray());
        assertEquals(0, e.label().dim());
        assertEquals(4, e.label().item());
        Batch b = d.getBatch(new int[] {5, 0, 5});
        assertArrayEquals(new float[] {5, -5, 0, 0, 5, -5}, b.features().toFloatArray());
        assertArrayEquals(new long[] {5, 0, 5}, b.labels().toLongArray());
        assertThrows(IndexOutOfBoundsException.class, () -> d.getBatch(new int[] {6}));
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertEquals(6, d.numClasses());
    }

    @Test
    void defaultCollationStacksExamples() {
        TensorDataset inner = DataLoaderTest.numbered(5);
        Dataset plain = new Dataset() {
            public int size() {
                return inner.size();
            }

            public Example get(int i) {
                return inner.get(i);
            }
        };
        Batch b = plain.getBatch(new int[] {3, 1});
        assertArrayEquals(new int[] {2, 2}, b.features().shape());
        assertArrayEquals(new float[] {3, -3, 1, -1}, b.features().toFloatArray());
        assertEquals(DType.INT64, b.labels().dtype());
        assertArrayEquals(new long[] {3, 1}, b.labels().toLongArray());
    }

    @Test
    void datasetTensorsAreDetached() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 3, 2).requiresGrad(true);
        TensorDataset d = new TensorDataset(x, Tensor.of(new long[] {0, 1, 2}, 3));
        assertFalse(d.getBatch(new int[] {0, 1}).features().requiresGrad());
    }

    @Test
    void randomSplitPartitionsAndIsSeeded() {
        TensorDataset d = DataLoaderTest.numbered(10);
        List<Dataset> parts = Dataset.randomSplit(d, 5, 7, 3);
        assertEquals(7, parts.get(0).size());
        assertEquals(3, parts.get(1).size());
        long[] all = new long[10];
        int k = 0;
        for (Dataset p : parts) for (int i = 0; i < p.size(); i++) all[k++] = (long) p.get(i).label().item();
        long[] sorted = all.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertArrayEquals(((Subset) parts.get(0)).indices(), ((Subset) Dataset.randomSplit(d, 5, 7, 3).get(0)).indices());
        assertFalse(Arrays.equals(((Subset) parts.get(0)).indices(), ((Subset) Dataset.randomSplit(d, 6, 7, 3).get(0)).indices()));
        // The subset's batches map through to the source's rows.
        Subset s = (Subset) parts.get(1);
        assertArrayEquals(Arrays.stream(s.indices()).asLongStream().toArray(), s.getBatch(new int[] {0, 1, 2}).labels().toLongArray());

        List<Dataset> fractions = Dataset.randomSplit(DataLoaderTest.numbered(11), 1, 0.5, 0.3, 0.2);
        // 5.5, 3.3, 2.2 floor to 5, 3, 2 = 10; the one left over goes to the first part
        assertEquals(List.of(6, 3, 2), fractions.stream().map(Dataset::size).toList());
        assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(d, 1, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(d, 1, 0.5, 0.4));
    }
}
