package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jgrad.DType;
import org.junit.jupiter.api.Test;

class ToyDatasetsTest {
    interface Maker {
        TensorDataset make(int n, double noise, long seed);
    }

    private static final Maker[] BINARY = {ToyDatasets::circle, ToyDatasets::xor, ToyDatasets::gaussian, ToyDatasets::spiral,
        ToyDatasets::moons};

    private static long[] counts(TensorDataset d, int classes) {
        long[] c = new long[classes];
        for (long y : d.labels().toLongArray()) c[(int) y]++;
        return c;
    }

    @Test
    void shapesTypesAndSeededDeterminism() {
        for (Maker m : BINARY) {
            TensorDataset a = m.make(201, 0.1, 3), b = m.make(201, 0.1, 3), c = m.make(201, 0.1, 4);
            assertArrayEquals(new int[] {201, 2}, a.features().shape());
            assertEquals(DType.FLOAT32, a.features().dtype());
            assertArrayEquals(new int[] {201}, a.labels().shape());
            assertEquals(DType.INT64, a.labels().dtype());
            assertArrayEquals(a.features().toFloatArray(), b.features().toFloatArray());
            assertArrayEquals(a.labels().toLongArray(), b.labels().toLongArray());
            assertFalse(Arrays.equals(a.features().toFloatArray(), c.features().toFloatArray()));
        }
    }

    @Test
    void classesAreBalanced() {
        for (Maker m : new Maker[] {ToyDatasets::gaussian, ToyDatasets::spiral, ToyDatasets::moons}) {
            assertArrayEquals(new long[] {100, 100}, counts(m.make(200, 0.3, 1), 2));
        }
        // Without noise the circle's labels follow its construction exactly; XOR's are balanced in expectation.
        assertArrayEquals(new long[] {100, 100}, counts(ToyDatasets.circle(200, 0, 1), 2));
        long[] xor = counts(ToyDatasets.xor(2000, 0, 1), 2);
        assertTrue(Math.abs(xor[0] - xor[1]) < 200, Arrays.toString(xor));
        assertArrayEquals(new long[] {34, 33, 33}, counts(ToyDatasets.blobs(100, 3, 1, 1), 3));
    }

    @Test
    void noiseZeroPutsPointsExactlyOnTheCurves() {
        float[] moons = ToyDatasets.moons(100, 0, 1).features().toFloatArray();
        long[] moonLabels = ToyDatasets.moons(100, 0, 1).labels().toLongArray();
        for (int i = 0; i < 100; i++) {
            double x = moons[2 * i], y = moons[2 * i + 1];
            double r = moonLabels[i] == 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
            assertEquals(1, r, 1e-6, "moon point " + i);
            assertTrue(moonLabels[i] == 0 ? y >= -1e-6 : y <= 0.5 + 1e-6, "upper / lower half");
        }
        float[] spiral = ToyDatasets.spiral(100, 0, 1).features().toFloatArray();
        long[] spiralLabels = ToyDatasets.spiral(100, 0, 1).labels().toLongArray();
        for (int i = 0; i < 100; i++) {
            int j = i % 50;
            double r = 5.0 * j / 50, t = 1.75 * j / 50 * 2 * Math.PI + (spiralLabels[i] == 1 ? 0 : Math.PI);
            assertEquals(r * Math.sin(t), spiral[2 * i], 1e-5);
            assertEquals(r * Math.cos(t), spiral[2 * i + 1], 1e-5);
        }
        TensorDataset sine = ToyDatasets.sine(50, 0, 1);
        assertArrayEquals(new int[] {50, 1}, sine.features().shape());
        float[] sx = sine.features().toFloatArray(), sy = sine.labels().toFloatArray();
        for (int i = 0; i < 50; i++) {
            assertTrue(Math.abs(sx[i]) <= Math.PI);
            assertEquals(Math.sin(sx[i]), sy[i], 1e-6);
        }
    }

    @Test
    void noiseZeroLabelsFollowTheGeometry() {
        TensorDataset circle = ToyDatasets.circle(300, 0, 2);
        float[] c = circle.features().toFloatArray();
        long[] cy = circle.labels().toLongArray();
        for (int i = 0; i < 300; i++) {
            double r = Math.hypot(c[2 * i], c[2 * i + 1]);
            assertTrue(cy[i] == 1 ? r < 2.5 : r >= 3.5 && r <= 5, "circle point " + i + " at radius " + r);
        }
        TensorDataset xor = ToyDatasets.xor(300, 0, 2);
        float[] x = xor.features().toFloatArray();
        long[] xy = xor.labels().toLongArray();
        for (int i = 0; i < 300; i++) {
            assertTrue(Math.abs(x[2 * i]) >= 0.3 && Math.abs(x[2 * i + 1]) >= 0.3, "padded away from the axes");
            assertEquals(x[2 * i] * x[2 * i + 1] >= 0 ? 1 : 0, xy[i]);
        }
    }

    @Test
    void noiseSpreadsThePoints() {
        // Gaussian: variance 0.5 at noise 0, 4 at noise 0.5 (the Playground's scale).
        for (double[] nv : new double[][] {{0, 0.5}, {0.5, 4}}) {
            float[] g = ToyDatasets.gaussian(20000, nv[0], 9).features().toFloatArray();
            double sum = 0, sq = 0;
            for (int i = 0; i < 10000; i++) {
                sum += g[2 * i];
                sq += g[2 * i] * g[2 * i];
            }
            double mean = sum / 10000, var = sq / 10000 - mean * mean;
            assertEquals(2, mean, 0.1);
            assertEquals(nv[1], var, nv[1] * 0.1);
        }
        float[] sine = ToyDatasets.sine(20000, 0.2, 3).features().toFloatArray();
        float[] target = ToyDatasets.sine(20000, 0.2, 3).labels().toFloatArray();
        double sq = 0;
        for (int i = 0; i < sine.length; i++) sq += Math.pow(target[i] - Math.sin(sine[i]), 2);
        assertEquals(0.04, sq / sine.length, 0.004);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ToyDatasets.moons(0, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> ToyDatasets.circle(10, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> ToyDatasets.blobs(10, 0, 1, 1));
    }
}
