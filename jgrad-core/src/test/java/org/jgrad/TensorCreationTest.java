package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Factories, random tensors (reproducibility and statistics), conversions to arrays, item and get. */
class TensorCreationTest {

    // ------------------------------------------------------------ constant factories

    @Test
    void zerosOnesFull() {
        Tensor z = Tensor.zeros(2, 3);
        assertEquals(DType.FLOAT32, z.dtype());
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertArrayEquals(new int[] {3, 1}, z.strides());
        assertArrayEquals(new double[6], z.toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1, 1}, Tensor.ones(DType.FLOAT64, 2, 2).toDoubleArray());
        assertEquals(DType.FLOAT64, Tensor.ones(DType.FLOAT64, 2, 2).dtype());
        Tensor f = Tensor.full(2.5, 3);
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f}, f.toFloatArray());
        assertArrayEquals(new long[] {2, 2}, Tensor.full(DType.INT64, 2.9, 2).toLongArray());
        assertEquals(DType.INT64, Tensor.zeros(DType.INT64, 4).dtype());
        assertEquals(0, Tensor.zeros().dim());
        assertEquals(1, Tensor.zeros().numel());
        assertEquals(0, Tensor.zeros(3, 0).numel());
        Tensor like = Tensor.onesLike(Tensor.zeros(DType.FLOAT64, 2, 5).t());
        assertArrayEquals(new int[] {5, 2}, like.shape());
        assertEquals(DType.FLOAT64, like.dtype());
        assertTrue(like.isContiguous());
        assertArrayEquals(new int[] {5, 2}, Tensor.zerosLike(like).shape());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
        assertTrue(e.getMessage().contains("[2, -1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.ones(-3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1 << 16, 1 << 16));
    }

    @Test
    void eye() {
        Tensor i = Tensor.eye(3);
        assertEquals(DType.FLOAT32, i.dtype());
        double[] v = i.toDoubleArray();
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) assertEquals(r == c ? 1 : 0, v[r * 3 + c]);
        assertArrayEquals(new int[] {0, 0}, Tensor.eye(DType.FLOAT64, 0).shape());
        assertArrayEquals(new long[] {1}, Tensor.eye(DType.INT64, 1).toLongArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.eye(-1));
    }

    @Test
    void arange() {
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, Tensor.arange(5).toDoubleArray());
        assertEquals(DType.FLOAT32, Tensor.arange(5).dtype());
        assertArrayEquals(new double[] {1, 1.25, 1.5, 1.75}, Tensor.arange(1, 2, 0.25).toDoubleArray());
        assertArrayEquals(new double[] {5, 3.5, 2, 0.5}, Tensor.arange(DType.FLOAT64, 5, 0, -1.5).toDoubleArray());
        // (0.3 − 0) / 0.1 is 2.9999999999999996 in double: three values, not four.
        double[] tenths = Tensor.arange(DType.FLOAT64, 0, 0.3, 0.1).toDoubleArray();
        assertEquals(3, tenths.length);
        assertEquals(0.2, tenths[2], 1e-15);
        assertEquals(10, Tensor.arange(DType.FLOAT64, 0, 1, 0.1).numel());
        assertArrayEquals(new int[] {0}, Tensor.arange(3, 1, 1).shape());
        assertArrayEquals(new int[] {0}, Tensor.arange(1, 3, -1).shape());
        assertArrayEquals(new long[] {-2, 0, 2}, Tensor.arange(DType.INT64, -2, 3, 2).toLongArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0));
        assertTrue(e.getMessage().startsWith("arange"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, Double.NaN));
    }

    @Test
    void linspace() {
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Tensor.linspace(DType.FLOAT64, 0, 1, 5).toDoubleArray());
        assertArrayEquals(new double[] {2, 0, -2}, Tensor.linspace(DType.FLOAT64, 2, -2, 3).toDoubleArray());
        assertArrayEquals(new double[] {7}, Tensor.linspace(7, 9, 1).toDoubleArray());
        assertArrayEquals(new int[] {0}, Tensor.linspace(0, 1, 0).shape());
        double[] v = Tensor.linspace(DType.FLOAT64, -1, 0.3, 14).toDoubleArray();
        assertEquals(0.3, v[13], "the end point is exact");
        for (int i = 0; i < 14; i++) assertEquals(-1 + i * 0.1, v[i], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Tensor.linspace(0, 1, -1));
    }

    @Test
    void scalar() {
        Tensor s = Tensor.scalar(1.5);
        assertEquals(0, s.dim());
        assertEquals(DType.FLOAT32, s.dtype());
        assertEquals(1.5, s.item());
        assertEquals(-3, Tensor.scalar(DType.INT64, -3.7).item());
    }

    // ------------------------------------------------------------ of

    @Test
    void ofArraysAndShapes() {
        double[] src = {1, 2, 3, 4, 5, 6};
        Tensor d = Tensor.of(src, 2, 3);
        src[0] = 99;
        assertEquals(1, d.get(0, 0), "of copies its input");
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(6, d.get(-1, -1));
        assertEquals(DType.FLOAT32, Tensor.of(new float[] {1, 2}, 2).dtype());
        Tensor l = Tensor.of(new long[] {1L << 40, -5}, 2, 1);
        assertEquals(DType.INT64, l.dtype());
        assertArrayEquals(new long[] {1L << 40, -5}, l.toLongArray());
        assertArrayEquals(new int[] {3}, Tensor.of(1.0, 2.0, 3.0).shape());
        assertArrayEquals(new int[] {}, Tensor.of(new double[] {4}).reshape().shape());
        assertEquals(4, Tensor.of(new double[] {4}, new int[0]).item());

        Tensor m = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new int[] {2, 3}, m.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, m.toDoubleArray());
        Tensor mf = Tensor.of(new float[][] {{1.5f}, {2.5f}});
        assertEquals(DType.FLOAT32, mf.dtype());
        assertArrayEquals(new int[] {2, 1}, mf.shape());
        assertArrayEquals(new int[] {0, 0}, Tensor.of(new double[0][]).shape());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[] {1, 2, 3, 4, 5}, 2, 3));
        assertTrue(e.getMessage().startsWith("of") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {1}, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new long[] {1, 2}, -2));
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[][] {{1}, {2, 3}}));
    }

    // ------------------------------------------------------------ conversions, item, get

    @Test
    void conversionsToArrays() {
        Tensor d = Tensor.of(new double[] {1.7, -1.7, 2.5, 1e10}, 2, 2);
        assertArrayEquals(new float[] {1.7f, -1.7f, 2.5f, 1e10f}, d.toFloatArray());
        assertArrayEquals(new long[] {1, -1, 2, 10_000_000_000L}, d.toLongArray(), "truncation toward zero");
        Tensor l = Tensor.of(new long[] {3, -4}, 2);
        assertArrayEquals(new double[] {3, -4}, l.toDoubleArray());
        assertArrayEquals(new float[] {3, -4}, l.toFloatArray());
        // Strided views convert in row-major order of their own shape.
        Tensor t = d.t();
        assertArrayEquals(new double[] {1.7, 2.5, -1.7, 1e10}, t.toDoubleArray());
        assertArrayEquals(new long[] {1, 2, -1, 10_000_000_000L}, t.toLongArray());
        Tensor s = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 8).slice(0, 1, 8, 3);
        assertArrayEquals(new float[] {1, 4, 7}, s.toFloatArray());
        // The arrays are copies: writing to them changes nothing.
        double[] copy = d.toDoubleArray();
        copy[0] = 42;
        assertEquals(1.7, d.get(0, 0));
        Tensor c = Tensor.of(1, 2, 3);
        assertNotSame(c.storage.d, c.toDoubleArray());
    }

    @Test
    void item() {
        assertEquals(5, Tensor.of(new double[] {5}, 1, 1).item());
        assertEquals(2, Tensor.of(1, 2, 3).select(0, 1).item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(1, 2).item());
        assertTrue(e.getMessage().startsWith("item") && e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).item());
    }

    @Test
    void getChecksIndices() {
        Tensor t = Tensor.arange(12).reshape(3, 4);
        assertEquals(6, t.get(1, 2));
        assertEquals(11, t.get(-1, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(3, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, -5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.get(1));
        assertTrue(e.getMessage().contains("rank 2"), e.getMessage());
    }

    // ------------------------------------------------------------ random

    @Test
    void sameSeedSameValuesDifferentSeedsDiffer() {
        double[] a = Tensor.randn(new Generator(42), 1000).toDoubleArray();
        double[] b = Tensor.randn(new Generator(42), 1000).toDoubleArray();
        double[] c = Tensor.randn(new Generator(43), 1000).toDoubleArray();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        int equal = 0;
        for (int i = 0; i < a.length; i++) if (a[i] == c[i]) equal++;
        assertEquals(0, equal, "different seeds share no values");
        assertArrayEquals(Tensor.rand(new Generator(7), 3, 5).toDoubleArray(), Tensor.rand(new Generator(7), 3, 5).toDoubleArray());
        assertArrayEquals(Tensor.uniform(new Generator(7), DType.FLOAT64, -1, 1, 9).toDoubleArray(),
                Tensor.uniform(new Generator(7), DType.FLOAT64, -1, 1, 9).toDoubleArray());
        assertArrayEquals(Tensor.normal(new Generator(7), DType.FLOAT64, 3, 2, 9).toDoubleArray(),
                Tensor.normal(new Generator(7), DType.FLOAT64, 3, 2, 9).toDoubleArray());
        // One generator keeps advancing: two draws from it differ.
        Generator g = new Generator(1);
        assertFalse(Arrays.equals(Tensor.rand(g, 10).toDoubleArray(), Tensor.rand(g, 10).toDoubleArray()));
    }

    @Test
    void generatorIsFixedByItsSeed() {
        // SplittableRandom's algorithm is specified, so these are the same on every JVM.
        Generator g = new Generator(123);
        java.util.SplittableRandom r = new java.util.SplittableRandom(123);
        for (int i = 0; i < 5; i++) assertEquals(r.nextDouble(), g.nextDouble());
        Generator h = new Generator(5);
        for (int i = 0; i < 1000; i++) {
            int k = h.nextInt(7);
            assertTrue(k >= 0 && k < 7);
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static double variance(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return s / (v.length - 1);
    }

    @Test
    void uniformStatistics() {
        int n = 100_000;
        double lo = -2, hi = 3;
        double[] v = Tensor.uniform(new Generator(2024), DType.FLOAT64, lo, hi, n).toDoubleArray();
        for (double x : v) assertTrue(x >= lo && x < hi, "sample " + x + " outside [lo, hi)");
        double var = (hi - lo) * (hi - lo) / 12;
        // Bounds of five standard errors: the mean's is √(σ²/n); the sample variance's is √((μ₄ − σ⁴)/n).
        assertEquals(0.5, mean(v), 5 * Math.sqrt(var / n));
        double mu4 = Math.pow(hi - lo, 4) / 80;
        assertEquals(var, variance(v), 5 * Math.sqrt((mu4 - var * var) / n));
        // Each tenth of the interval gets a tenth of the samples.
        int[] bins = new int[10];
        for (double x : v) bins[(int) ((x - lo) / (hi - lo) * 10)]++;
        for (int b : bins) assertEquals(n / 10.0, b, 5 * Math.sqrt(n * 0.1 * 0.9));

        double[] r = Tensor.rand(new Generator(9), n).toDoubleArray();
        assertEquals(0.5, mean(r), 5 * Math.sqrt(1.0 / 12 / n));
        for (double x : r) assertTrue(x >= 0 && x < 1);
        assertEquals(DType.FLOAT32, Tensor.rand(new Generator(9), 2).dtype());
    }

    @Test
    void normalStatistics() {
        int n = 100_000;
        double mu = 1.5, sigma = 2;
        double[] v = Tensor.normal(new Generator(77), DType.FLOAT64, mu, sigma, n).toDoubleArray();
        assertEquals(mu, mean(v), 5 * sigma / Math.sqrt(n));
        assertEquals(sigma * sigma, variance(v), 5 * sigma * sigma * Math.sqrt(2.0 / n));
        // The shape of the distribution, not only its moments: P(|x − μ| < σ) = 0.6827, P(< 2σ) = 0.9545.
        int within1 = 0, within2 = 0;
        double skew = 0;
        for (double x : v) {
            double z = (x - mu) / sigma;
            if (Math.abs(z) < 1) within1++;
            if (Math.abs(z) < 2) within2++;
            skew += z * z * z;
        }
        assertEquals(0.682689492, within1 / (double) n, 5 * Math.sqrt(0.6827 * 0.3173 / n));
        assertEquals(0.954499736, within2 / (double) n, 5 * Math.sqrt(0.9545 * 0.0455 / n));
        assertEquals(0, skew / n, 5 * Math.sqrt(15.0 / n));

        double[] s = Tensor.randn(new Generator(78), 400, 250).toDoubleArray();
        assertEquals(0, mean(s), 5 / Math.sqrt(n));
        assertEquals(1, variance(s), 5 * Math.sqrt(2.0 / n));
        assertEquals(DType.FLOAT32, Tensor.randn(new Generator(78), 2).dtype());
        // Odd counts use the spare sample of Box-Muller correctly: consecutive tensors continue the stream.
        Generator g1 = new Generator(3), g2 = new Generator(3);
        double[] whole = Tensor.randn(g1, 7).toDoubleArray();
        double[] first = Tensor.randn(g2, 3).toDoubleArray(), rest = Tensor.randn(g2, 4).toDoubleArray();
        double[] joined = new double[7];
        System.arraycopy(first, 0, joined, 0, 3);
        System.arraycopy(rest, 0, joined, 3, 4);
        assertArrayEquals(whole, joined);
    }

    @Test
    void randomFactoriesRejectBadArguments() {
        Generator g = new Generator(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.uniform(g, 1, 0, 3));
        assertTrue(e.getMessage().startsWith("uniform"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.normal(g, 0, -1, 3));
        assertTrue(e.getMessage().startsWith("normal"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.uniform(g, DType.INT64, 0, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.normal(g, DType.INT64, 0, 1, 3));
        assertThrows(NullPointerException.class, () -> Tensor.randn(null, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.rand(g, -1));
        assertArrayEquals(new double[] {4, 4}, Tensor.normal(g, DType.FLOAT64, 4, 0, 2).toDoubleArray());
    }
}
