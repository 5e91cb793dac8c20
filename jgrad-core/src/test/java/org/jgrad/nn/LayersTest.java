package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.GradCheck;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class LayersTest {

    static Tensor randn64(Generator gen, int... shape) {
        return Tensor.randn(gen, shape).to(DType.FLOAT64);
    }

    /** GradCheck of a module (converted to float64) with respect to its parameters and its input. */
    static void gradCheck(Module m, Tensor x) {
        m.to(DType.FLOAT64);
        List<Tensor> inputs = new ArrayList<>(m.parameters());
        Tensor in = x.to(DType.FLOAT64).detach().requiresGrad(true);
        inputs.add(in);
        int last = inputs.size() - 1;
        GradCheck.check(args -> m.call(args.get(last)), inputs.toArray(Tensor[]::new));
    }

    // ------------------------------------------------------------ Linear

    @Test
    void linearMatchesLoops() {
        Linear lin = new Linear(5, 3, new Generator(1));
        lin.to(DType.FLOAT64);
        Tensor x = randn64(new Generator(2), 4, 5);
        double[] y = lin.call(x).toDoubleArray();
        for (int n = 0; n < 4; n++) {
            for (int o = 0; o < 3; o++) {
                double s = lin.bias().get(o);
                for (int i = 0; i < 5; i++) s += x.get(n, i) * lin.weight().get(o, i);
                assertEquals(s, y[n * 3 + o], 1e-12);
            }
        }
        // Leading batch dimensions: [2, 4, 5] → [2, 4, 3], each row as above.
        Tensor x3 = Tensor.stack(List.of(x, x.mul(2)), 0);
        Tensor y3 = lin.call(x3);
        assertArrayEquals(new int[] {2, 4, 3}, y3.shape());
        assertArrayEquals(y, y3.select(0, 0).toDoubleArray(), 1e-12);
        Linear noBias = new Linear(5, 3, false, new Generator(1));
        assertNull(noBias.bias());
        assertEquals(List.of("weight"), new ArrayList<>(noBias.namedParameters().keySet()));
    }

    @Test
    void linearDefaultInitIsUniformWithinOneOverSqrtFanIn() {
        Linear lin = new Linear(400, 300, new Generator(3));
        double bound = 1 / Math.sqrt(400);
        double[] w = lin.weight().toDoubleArray();
        double max = 0, sumSq = 0;
        for (double v : w) {
            max = Math.max(max, Math.abs(v));
            sumSq += v * v;
        }
        assertTrue(max <= bound, max + " > " + bound);
        assertTrue(max > 0.99 * bound, "samples should fill the range");
        // U(−b, b) has variance b²/3.
        assertEquals(bound * bound / 3, sumSq / w.length, 0.02 * bound * bound / 3);
        for (double v : lin.bias().toDoubleArray()) assertTrue(Math.abs(v) <= bound);
        assertEquals(DType.FLOAT32, lin.weight().dtype());
        // Seeded: the same generator seed gives the same weights.
        assertArrayEquals(lin.weight().toFloatArray(), new Linear(400, 300, new Generator(3)).weight().toFloatArray());
    }

    @Test
    void linearRejectsWrongInputWidth() {
        Linear lin = new Linear(5, 3, new Generator(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lin.call(Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("Linear") && e.getMessage().contains("[*, 5]")
                && e.getMessage().contains("[2, 4]"), e.getMessage());
    }

    @Test
    void linearGradCheck() {
        gradCheck(new Linear(4, 3, new Generator(4)), Tensor.randn(new Generator(5), 2, 4));
        gradCheck(new Linear(3, 2, false, new Generator(6)), Tensor.randn(new Generator(7), 2, 2, 3));
    }

    // ------------------------------------------------------------ Dropout

    @Test
    void dropoutZeroesAboutPAndScalesSurvivors() {
        Dropout d = new Dropout(0.3, new Generator(8));
        Tensor x = Tensor.full(DType.FLOAT64, 2.0, 100, 100);
        double[] y = d.call(x).toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) zeros++;
            else assertEquals(2.0 / 0.7, v, 1e-12);
        }
        // Binomial(10000, 0.3): standard deviation ≈ 46.
        assertEquals(3000, zeros, 250);
        d.eval();
        assertSame(x, d.call(x));
        assertSame(x, new Dropout(0, new Generator(1)).call(x));
        assertEquals(0, new Dropout(1, new Generator(1)).call(x).abs().sum().item(), 0);
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Generator(1)));
    }

    @Test
    void dropoutIsSeeded() {
        Tensor x = Tensor.ones(50);
        float[] a = new Dropout(0.5, new Generator(9)).call(x).toFloatArray();
        float[] b = new Dropout(0.5, new Generator(9)).call(x).toFloatArray();
        float[] c = new Dropout(0.5, new Generator(10)).call(x).toFloatArray();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        // One layer draws a fresh mask each call.
        Dropout d = new Dropout(0.5, new Generator(9));
        assertFalse(java.util.Arrays.equals(d.call(x).toFloatArray(), d.call(x).toFloatArray()));
    }

    @Test
    void dropoutGradCheckInTrainWithFixedMask() {
        Tensor x = randn64(new Generator(11), 3, 4).requiresGrad(true);
        // A new layer with the same seed inside the function: every evaluation uses the same mask.
        Tensor masked = new Dropout(0.4, new Generator(12)).call(x.detach());
        int zeros = 0;
        for (double v : masked.toDoubleArray()) if (v == 0) zeros++;
        assertTrue(zeros > 0 && zeros < 12, "the mask should drop some but not all elements");
        GradCheck.check(in -> new Dropout(0.4, new Generator(12)).call(in.get(0)), x);
        // And the gradient is the mask times 1/(1−p).
        new Dropout(0.4, new Generator(12)).call(x).sum().backward();
        double[] m = masked.toDoubleArray(), g = x.grad().toDoubleArray();
        for (int i = 0; i < m.length; i++) assertEquals(m[i] == 0 ? 0 : 1 / 0.6, g[i], 1e-12, "element " + i);
    }

    // ------------------------------------------------------------ BatchNorm1d

    @Test
    void batchNormTrainMatchesHandComputedStatistics() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.to(DType.FLOAT64);
        try (var _ = Autograd.noGrad()) {
            bn.weight().copyInPlace(Tensor.of(1.5, -2.0, 0.5));
            bn.bias().copyInPlace(Tensor.of(0.1, 0.2, 0.3));
        }
        Tensor x = randn64(new Generator(13), 6, 3).mul(3).add(1);
        double[] y = bn.call(x).toDoubleArray();
        double[] g = {1.5, -2.0, 0.5}, b = {0.1, 0.2, 0.3};
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            for (int n = 0; n < 6; n++) mean += x.get(n, c);
            mean /= 6;
            double ss = 0;
            for (int n = 0; n < 6; n++) ss += (x.get(n, c) - mean) * (x.get(n, c) - mean);
            double biased = ss / 6, unbiased = ss / 5;
            for (int n = 0; n < 6; n++) {
                assertEquals((x.get(n, c) - mean) / Math.sqrt(biased + 1e-5) * g[c] + b[c], y[n * 3 + c], 1e-10);
            }
            assertEquals(0.1 * mean, bn.runningMean().get(c), 1e-12);
            assertEquals(0.9 + 0.1 * unbiased, bn.runningVar().get(c), 1e-12);
        }
        assertEquals(1, bn.numBatchesTracked());
        bn.call(x);
        assertEquals(2, bn.numBatchesTracked());
    }

    @Test
    void batchNormThreeDimensionalAndEval() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 0.25, false);
        bn.to(DType.FLOAT64);
        assertNull(bn.weight());
        Tensor x = randn64(new Generator(14), 3, 2, 4);
        double[] y = bn.call(x).toDoubleArray();
        for (int c = 0; c < 2; c++) {
            double mean = 0, ss = 0;
            for (int n = 0; n < 3; n++) for (int l = 0; l < 4; l++) mean += x.get(n, c, l);
            mean /= 12;
            for (int n = 0; n < 3; n++) for (int l = 0; l < 4; l++) ss += Math.pow(x.get(n, c, l) - mean, 2);
            for (int n = 0; n < 3; n++) {
                for (int l = 0; l < 4; l++) {
                    assertEquals((x.get(n, c, l) - mean) / Math.sqrt(ss / 12 + 1e-5), y[n * 8 + c * 4 + l], 1e-10);
                }
            }
            assertEquals(0.25 * mean, bn.runningMean().get(c), 1e-12);
            assertEquals(0.75 + 0.25 * ss / 11, bn.runningVar().get(c), 1e-12);
        }
        bn.eval();
        double[] rm = bn.runningMean().toDoubleArray(), rv = bn.runningVar().toDoubleArray();
        Tensor single = randn64(new Generator(15), 1, 2, 4);
        double[] ye = bn.call(single).toDoubleArray();
        for (int c = 0; c < 2; c++) {
            for (int l = 0; l < 4; l++) {
                assertEquals((single.get(0, c, l) - rm[c]) / Math.sqrt(rv[c] + 1e-5), ye[c * 4 + l], 1e-12);
            }
        }
        assertEquals(1, bn.numBatchesTracked(), "eval does not update the statistics");
        bn.train();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(1, 2)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("BatchNorm1d") && e.getMessage().contains("[4, 3]"), e.getMessage());
    }

    @Test
    void batchNormGradCheckTrainAndEval() {
        BatchNorm1d bn = new BatchNorm1d(3);
        try (var _ = Autograd.noGrad()) {
            bn.weight().copyInPlace(Tensor.of(new float[] {1.2f, 0.7f, -0.4f}, 3));
        }
        gradCheck(bn, Tensor.randn(new Generator(16), 4, 3));
        gradCheck(bn, Tensor.randn(new Generator(17), 2, 3, 3));
        bn.eval();
        gradCheck(bn, Tensor.randn(new Generator(18), 4, 3));
    }

    // ------------------------------------------------------------ LayerNorm

    @Test
    void layerNormMatchesHandComputation() {
        LayerNorm ln = new LayerNorm(2, 3);
        ln.to(DType.FLOAT64);
        Generator gen = new Generator(19);
        try (var _ = Autograd.noGrad()) {
            ln.weight().copyInPlace(randn64(gen, 2, 3));
            ln.bias().copyInPlace(randn64(gen, 2, 3));
        }
        Tensor x = randn64(gen, 4, 2, 3);
        double[] y = ln.call(x).toDoubleArray();
        for (int n = 0; n < 4; n++) {
            double mean = 0, ss = 0;
            for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) mean += x.get(n, i, j);
            mean /= 6;
            for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) ss += Math.pow(x.get(n, i, j) - mean, 2);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    double want = (x.get(n, i, j) - mean) / Math.sqrt(ss / 6 + 1e-5) * ln.weight().get(i, j)
                            + ln.bias().get(i, j);
                    assertEquals(want, y[n * 6 + i * 3 + j], 1e-10);
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ln.call(Tensor.zeros(4, 3, 2)));
        assertTrue(e.getMessage().contains("LayerNorm") && e.getMessage().contains("[4, 3, 2]"), e.getMessage());
    }

    @Test
    void layerNormGradCheck() {
        LayerNorm ln = new LayerNorm(4);
        Generator gen = new Generator(20);
        try (var _ = Autograd.noGrad()) {
            ln.weight().copyInPlace(Tensor.randn(gen, 4));
        }
        gradCheck(ln, Tensor.randn(gen, 3, 4));
    }

    // ------------------------------------------------------------ Embedding

    @Test
    void embeddingSelectsRowsAndAccumulatesRepeatedIndices() {
        Embedding emb = new Embedding(5, 3, new Generator(21));
        Tensor idx = Tensor.of(new long[] {4, 0, 4, 2}, 2, 2);
        Tensor y = emb.call(idx);
        assertArrayEquals(new int[] {2, 2, 3}, y.shape());
        long[] flat = idx.toLongArray();
        for (int k = 0; k < 4; k++) {
            for (int d = 0; d < 3; d++) assertEquals(emb.weight().get((int) flat[k], d), y.get(k / 2, k % 2, d), 0);
        }
        y.sum().backward();
        double[] g = emb.weight().grad().toDoubleArray();
        double[] counts = {1, 0, 1, 0, 2};
        for (int r = 0; r < 5; r++) for (int d = 0; d < 3; d++) assertEquals(counts[r], g[r * 3 + d], 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> emb.call(Tensor.of(new long[] {5}, 1)));
        assertTrue(e.getMessage().contains("Embedding") && e.getMessage().contains("index 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> emb.call(Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("int64"), e.getMessage());
    }

    @Test
    void embeddingDefaultInitIsStandardNormal() {
        double[] w = new Embedding(1000, 100, new Generator(22)).weight().toDoubleArray();
        double mean = 0, sq = 0;
        for (double v : w) {
            mean += v;
            sq += v * v;
        }
        mean /= w.length;
        assertEquals(0, mean, 0.02);
        assertEquals(1, Math.sqrt(sq / w.length - mean * mean), 0.02);
    }

    @Test
    void embeddingGradCheck() {
        Embedding emb = new Embedding(4, 2, new Generator(23));
        emb.to(DType.FLOAT64);
        Tensor idx = Tensor.of(new long[] {1, 3, 1}, 3);
        GradCheck.check(in -> emb.call(idx).pow(2), emb.weight());
    }

    // ------------------------------------------------------------ Flatten, Identity, Maxout

    @Test
    void flattenAndIdentity() {
        Tensor x = Tensor.randn(new Generator(24), 2, 3, 4);
        Tensor f = new Flatten().call(x);
        assertArrayEquals(new int[] {2, 12}, f.shape());
        assertArrayEquals(x.toFloatArray(), f.toFloatArray());
        assertArrayEquals(new int[] {6, 4}, new Flatten(0, 1).call(x).shape());
        assertSame(x, new Identity().call(x));
        gradCheck(new Flatten(), x);
    }

    @Test
    void maxoutIsTheMaximumOfKAffinePieces() {
        Maxout mo = new Maxout(3, 2, 4, new Generator(25));
        mo.to(DType.FLOAT64);
        Tensor x = randn64(new Generator(26), 5, 3);
        double[] y = mo.call(x).toDoubleArray();
        Tensor w = mo.linear().weight(), b = mo.linear().bias();
        for (int n = 0; n < 5; n++) {
            for (int j = 0; j < 2; j++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int p = 0; p < 4; p++) {
                    double z = b.get(j * 4 + p);
                    for (int i = 0; i < 3; i++) z += x.get(n, i) * w.get(j * 4 + p, i);
                    best = Math.max(best, z);
                }
                assertEquals(best, y[n * 2 + j], 1e-12);
            }
        }
        assertEquals(List.of("linear.weight", "linear.bias"), new ArrayList<>(mo.namedParameters().keySet()));
        assertEquals(3 * 8 + 8, mo.parameterCount());
        gradCheck(new Maxout(3, 2, 3, new Generator(27)), Tensor.randn(new Generator(28), 2, 3));
    }

    @Test
    void defaultGeneratorsAreSeededFromTheGlobalStream() {
        org.jgrad.nn.init.Init.manualSeed(99);
        Linear first = new Linear(3, 3);
        float[] a = first.weight().toFloatArray();
        float[] a2 = new Linear(3, 3).weight().toFloatArray();
        org.jgrad.nn.init.Init.manualSeed(99);
        Linear again = new Linear(3, 3);
        assertArrayEquals(a, again.weight().toFloatArray());
        assertArrayEquals(first.bias().toFloatArray(), again.bias().toFloatArray());
        assertArrayEquals(a2, new Linear(3, 3).weight().toFloatArray());
        assertFalse(java.util.Arrays.equals(a, a2), "two layers get different weights");
    }
}
