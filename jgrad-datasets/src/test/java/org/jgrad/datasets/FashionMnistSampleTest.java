package org.jgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.DType;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.Idx;
import org.jgrad.data.ImageData;
import org.jgrad.data.TensorDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded sample as jgrad-core's FashionMnist sees it when this module's jar is on the class path. */
class FashionMnistSampleTest {
    private static long[] classCounts(TensorDataset d) {
        long[] c = new long[10];
        for (long y : d.labels().toLongArray()) c[(int) y]++;
        return c;
    }

    @Test
    void sampleHasSixThousandTrainingAndOneThousandTestImages() throws IOException {
        ImageData s = FashionMnist.sample();
        assertTrue(s.isSample());
        assertArrayEquals(new int[] {6000, 1, 28, 28}, s.train().features().shape());
        assertArrayEquals(new int[] {1000, 1, 28, 28}, s.test().features().shape());
        assertEquals(DType.INT64, s.train().labels().dtype());
        // Every class is present in reasonable numbers (the README lists the exact counts).
        for (long c : classCounts(s.train())) assertTrue(c >= 500 && c <= 700, "training count " + c);
        for (long c : classCounts(s.test())) assertTrue(c >= 80 && c <= 120, "test count " + c);
        assertTrue(s.describe().contains("sample"), s.describe());
    }

    @Test
    void sampleIsThePrefixOfTheFullSet() throws IOException {
        Path full = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isRegularFile(full.resolve("t10k-images-idx3-ubyte.gz")), "dataset-fashion-mnist is not installed");
        ImageData s = FashionMnist.sample();
        Idx.Contents images = Idx.read(full.resolve("t10k-images-idx3-ubyte.gz"));
        Idx.Contents labels = Idx.read(full.resolve("t10k-labels-idx1-ubyte.gz"));
        float[] sample = s.test().features().toFloatArray();
        for (int i = 0; i < sample.length; i++) assertEquals((images.data()[i] & 0xff) / 255f, sample[i], 0f, "pixel " + i);
        long[] sampleLabels = s.test().labels().toLongArray();
        for (int i = 0; i < sampleLabels.length; i++) assertEquals(labels.data()[i] & 0xff, sampleLabels[i]);
    }

    @Test
    void loadOrSampleFallsBackToTheSampleWhenNothingIsInstalled(@TempDir Path empty) throws IOException {
        String[] keys = {"jgrad.data", "user.home", "jgrad.data.system"};
        String[] old = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            old[i] = System.getProperty(keys[i]);
            System.setProperty(keys[i], empty.toString());
        }
        try {
            ImageData d = FashionMnist.loadOrSample(null, false);
            assertTrue(d.isSample());
            assertEquals(6000, d.train().size());
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (old[i] == null) System.clearProperty(keys[i]);
                else System.setProperty(keys[i], old[i]);
            }
        }
    }
}
