package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused kernels (relu's backward, logSoftmax over the last dimension forward and backward)
 * against independent references: naive loops, and the composed ops they replace.
 */
class FusedOpsTest {

    @Test
    void reluBackwardIsTheGradientWherePositive() {
        Generator gen = new Generator(11);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.randn(gen, 7, 19).to(dtype).requiresGrad(true);
            Tensor w = Tensor.randn(gen, 7, 19).to(dtype);
            // createGraph=false takes the fused pass.
            Tensor g = Autograd.grad(x.relu().mul(w).sum(), List.of(x), false).get(0);
            double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), gv = g.toDoubleArray();
            for (int i = 0; i < xv.length; i++) assertEquals(xv[i] > 0 ? wv[i] : 0, gv[i], 1e-6, "at " + i);
            assertEquals(dtype, g.dtype());
        }
    }

    @Test
    void reluBackwardAtZeroIsZeroAndRecordedBackwardMatchesFused() {
        Tensor x = Tensor.of(new double[] {-1, 0, 2, 3}, 4).requiresGrad(true);
        Tensor w = Tensor.of(new double[] {5, 6, 7, 8}, 4);
        Tensor fused = Autograd.grad(x.relu().mul(w).sum(), List.of(x), false).get(0);
        Tensor composed = Autograd.grad(x.relu().mul(w).sum(), List.of(x), true).get(0);
        assertArrayEquals(new double[] {0, 0, 7, 8}, fused.toDoubleArray());
        assertArrayEquals(fused.toDoubleArray(), composed.toDoubleArray());
        // With createGraph the composed backward stays differentiable: d/dx relu(x)·x = 2x for x > 0.
        Tensor second = Autograd.grad(x.relu().mul(x).sum(), List.of(x), true).get(0);
        assertTrue(second.requiresGrad());
        assertArrayEquals(new double[] {0, 0, 4, 6}, second.toDoubleArray());
    }

    @Test
    void logSoftmaxLastDimMatchesNaiveAndComposedForwardAndBackward() {
        Generator gen = new Generator(12);
        for (int[] shape : new int[][] {{5, 10}, {3, 4, 7}, {1, 1}, {6}}) {
            Tensor x = Tensor.randn(gen, shape).mul(3).to(DType.FLOAT64).requiresGrad(true);
            Tensor w = Tensor.randn(gen, shape).to(DType.FLOAT64);
            int n = shape[shape.length - 1];
            Tensor out = x.logSoftmax(-1);
            assertArrayEquals(SoftmaxTest.naiveLogSoftmax(x.toDoubleArray(), n), out.toDoubleArray(), 1e-12);
            // Backward: fused (createGraph=false) vs composed (createGraph=true) vs the closed form g − softmax·Σg.
            Tensor fused = Autograd.grad(x.logSoftmax(-1).mul(w).sum(), List.of(x), false).get(0);
            Tensor composed = Autograd.grad(x.logSoftmax(-1).mul(w).sum(), List.of(x), true).get(0);
            double[] sm = SoftmaxTest.naiveSoftmax(x.toDoubleArray(), n), wv = w.toDoubleArray();
            double[] expected = new double[wv.length];
            for (int r = 0; r < wv.length / n; r++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += wv[r * n + j];
                for (int j = 0; j < n; j++) expected[r * n + j] = wv[r * n + j] - sm[r * n + j] * s;
            }
            assertArrayEquals(expected, fused.toDoubleArray(), 1e-12);
            assertArrayEquals(expected, composed.toDoubleArray(), 1e-12);
        }
    }

    @Test
    void softmaxLastDimMatchesNaiveAndComposedForwardAndBackward() {
        Generator gen = new Generator(17);
        for (int[] shape : new int[][] {{5, 10}, {3, 4, 7}, {1, 1}, {6}}) {
            int n = shape[shape.length - 1];
            for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                double tol = dt == DType.FLOAT64 ? 1e-12 : 1e-6;
                // A transposed view for rank 2, so the fused path also reads strided input.
                Tensor x = (shape.length == 2 ? Tensor.randn(gen, shape[1], shape[0]).mul(3).t() : Tensor.randn(gen, shape).mul(3))
                        .to(dt).requiresGrad(true);
                Tensor w = Tensor.randn(gen, shape).to(dt);
                Tensor y = x.softmax(-1);
                assertEquals(dt, y.dtype());
                assertArrayEquals(SoftmaxTest.naiveSoftmax(x.toDoubleArray(), n), y.toDoubleArray(), tol);
                Tensor fused = Autograd.grad(x.softmax(-1).mul(w).sum(), List.of(x), false).get(0);
                Tensor composed = Autograd.grad(x.softmax(-1).mul(w).sum(), List.of(x), true).get(0);
                double[] sm = SoftmaxTest.naiveSoftmax(x.toDoubleArray(), n), wv = w.toDoubleArray();
                double[] expected = new double[wv.length];
                for (int r = 0; r < wv.length / n; r++) {
                    double dot = 0;
                    for (int j = 0; j < n; j++) dot += wv[r * n + j] * sm[r * n + j];
                    for (int j = 0; j < n; j++) expected[r * n + j] = sm[r * n + j] * (wv[r * n + j] - dot);
                }
                assertArrayEquals(expected, fused.toDoubleArray(), tol, "fused backward " + dt);
                assertArrayEquals(expected, composed.toDoubleArray(), tol, "recorded backward " + dt);
            }
        }
        Tensor x = Tensor.randn(gen, 3, 5).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> in.get(0).softmax(1).mul(in.get(0)).sum(), x);
        GradCheck.checkSecondOrder(in -> in.get(0).softmax(-1).mul(in.get(0)).sum(), x);
    }

    @Test
    void logSoftmaxFusedFloat32AndStridedInput() {
        Generator gen = new Generator(13);
        Tensor base = Tensor.randn(gen, 9, 6).mul(4);
        Tensor x = base.transpose(0, 1).requiresGrad(true); // [6, 9], columns contiguous
        Tensor out = x.logSoftmax(1);
        double[] ref = SoftmaxTest.naiveLogSoftmax(x.toDoubleArray(), 9);
        assertArrayEquals(ref, out.toDoubleArray(), 1e-5);
        assertEquals(DType.FLOAT32, out.dtype());
        Tensor g = Autograd.grad(out.sum(), List.of(x), false).get(0);
        double[] sm = SoftmaxTest.naiveSoftmax(x.toDoubleArray(), 9);
        double[] gv = g.toDoubleArray();
        for (int i = 0; i < gv.length; i++) assertEquals(1 - 9 * sm[i], gv[i], 1e-5, "at " + i);
    }

    @Test
    void logSoftmaxHandlesInfinities() {
        Tensor x = Tensor.of(new double[] {Double.NEGATIVE_INFINITY, 0, 1, Double.NEGATIVE_INFINITY}, 2, 2);
        double[] out = x.logSoftmax(1).toDoubleArray();
        assertEquals(Double.NEGATIVE_INFINITY, out[0]);
        assertEquals(0, out[1], 1e-15);
        assertEquals(0, out[2], 1e-15);
        assertEquals(Double.NEGATIVE_INFINITY, out[3]);
    }

    @Test
    void gradCheckFusedOps() {
        Generator gen = new Generator(14);
        Tensor x = Tensor.randn(gen, 4, 5).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = Tensor.randn(gen, 4, 5).to(DType.FLOAT64);
        GradCheck.check(in -> in.get(0).logSoftmax(-1).mul(w).sum(), x);
        GradCheck.checkSecondOrder(in -> in.get(0).logSoftmax(-1).mul(w).sum(), x);
        // Away from relu's kink, where central differences are valid.
        Tensor y = Tensor.of(new double[] {-1.5, -0.3, 0.4, 2.0, -0.7, 1.1}, 2, 3).requiresGrad(true);
        GradCheck.check(in -> in.get(0).relu().mul(in.get(0)).sum(), y);
    }
    /** The chain that {@link Fused#crossEntropy} replaces, from separate ops: log-softmax, pick, smooth, reduce. */
    private static Tensor composedCrossEntropy(Tensor x, long[] t, double eps, long ignore, boolean mean) {
        int n = x.size(0), c = x.size(1);
        Tensor logp = x.logSoftmax(1);
        double[] q = new double[n * c];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] == ignore) continue;
            kept++;
            for (int j = 0; j < c; j++) q[i * c + j] = eps / c + (j == t[i] ? 1 - eps : 0);
        }
        Tensor total = logp.mul(Tensor.of(q, n, c).to(x.dtype())).sum().neg();
        return mean ? total.div(kept) : total;
    }

    @Test
    void crossEntropyMatchesTheComposedChainInValueAndGradients() {
        Generator gen = new Generator(13);
        for (int[] nc : new int[][] {{1, 1}, {1, 5}, {7, 3}, {33, 10}, {128, 10}}) {
            int n = nc[0], c = nc[1];
            for (double eps : new double[] {0, 0.1, 1}) {
                for (boolean mean : new boolean[] {true, false}) {
                    long[] t = new long[n];
                    for (int i = 0; i < n; i++) t[i] = gen.nextInt(c);
                    if (n > 3) t[2] = -100; // one ignored target
                    Tensor x = Tensor.randn(gen, n, c).mul(4).to(DType.FLOAT64).requiresGrad(true);
                    Tensor targets = Tensor.of(t, n);
                    String what = n + "x" + c + " eps " + eps + (mean ? " mean" : " sum");
                    Tensor fused = Fused.crossEntropy(x, targets, eps, -100, mean);
                    assertEquals(composedCrossEntropy(x, t, eps, -100, mean).item(), fused.item(), 1e-12, what);
                    double[] gf = Autograd.grad(fused, List.of(x), false).get(0).toDoubleArray();
                    double[] gc = Autograd.grad(composedCrossEntropy(x, t, eps, -100, mean), List.of(x), false).get(0).toDoubleArray();
                    assertArrayEquals(gc, gf, 1e-12, what);
                    if (n > 3) for (int j = 0; j < c; j++) assertEquals(0, gf[2 * c + j], what + ": the ignored row has no gradient");
                    // float32 runs the same kernels in single precision.
                    Tensor x32 = x.detach().to(DType.FLOAT32).requiresGrad(true);
                    Tensor f32 = Fused.crossEntropy(x32, targets, eps, -100, mean);
                    assertEquals(DType.FLOAT32, f32.dtype());
                    assertEquals(fused.item(), f32.item(), 1e-5 * (1 + Math.abs(fused.item())), what);
                    assertArrayEquals(gf, Autograd.grad(f32, List.of(x32), false).get(0).toDoubleArray(), 1e-5, what);
                }
            }
        }
    }

    @Test
    void crossEntropyPassesGradCheckToSecondOrder() {
        Generator gen = new Generator(14);
        for (int[] nc : new int[][] {{1, 2}, {5, 4}, {9, 7}}) {
            int n = nc[0], c = nc[1];
            long[] t = new long[n];
            for (int i = 0; i < n; i++) t[i] = gen.nextInt(c);
            if (n > 1) t[n - 1] = 3_000; // ignored, with a custom ignoreIndex
            Tensor targets = Tensor.of(t, n);
            Tensor x = Tensor.randn(gen, n, c).mul(2).to(DType.FLOAT64).requiresGrad(true);
            for (double eps : new double[] {0, 0.2}) {
                GradCheck.check(in -> Fused.crossEntropy(in.get(0), targets, eps, 3_000, true), x);
                GradCheck.check(in -> Fused.crossEntropy(in.get(0), targets, eps, 3_000, false).mul(0.5), x);
                GradCheck.checkSecondOrder(in -> Fused.crossEntropy(in.get(0), targets, eps, 3_000, true), x);
            }
        }
    }

    @Test
    void crossEntropyRefusesWhatItCannotComputeAndNamesTheShapes() {
        Tensor x = Tensor.zeros(4, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> Fused.crossEntropy(x, Tensor.of(new long[] {0, 1, 2}, 3), 0, -100, true));
        assertEquals("crossEntropy: logits [4, 3] need int64 class index targets of shape [4], got int64 [3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Fused.crossEntropy(x, Tensor.of(new long[] {0, 1, 3, 0}, 4), 0, -100, true));
        assertTrue(e.getMessage().startsWith("crossEntropy: target 3 (at flat index 2 of targets [4]) is out of range for 3 classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Fused.crossEntropy(Tensor.zeros(2, 3, 4), Tensor.of(new long[] {0, 1}, 2), 0, -100, true));
        assertEquals("crossEntropy: the fused form takes floating logits [N, C], got float32 [2, 3, 4]", e.getMessage());
    }
    @Test
    void linearMatchesMatmulAddReluInValueAndGradients() {
        Generator gen = new Generator(15);
        for (int[] sz : new int[][] {{1, 1, 1}, {3, 5, 2}, {17, 33, 9}, {128, 64, 40}}) {
            int n = sz[0], in = sz[1], out = sz[2];
            for (boolean withBias : new boolean[] {true, false}) {
                for (boolean relu : new boolean[] {true, false}) {
                    String what = n + "x" + in + "->" + out + (withBias ? " bias" : "") + (relu ? " relu" : "");
                    // The input is a transposed view: the fused op must read strided inputs too.
                    Tensor x = Tensor.randn(gen, in, n).to(DType.FLOAT64).t().requiresGrad(true);
                    Tensor w = Tensor.randn(gen, out, in).to(DType.FLOAT64).requiresGrad(true);
                    Tensor b = withBias ? Tensor.randn(gen, out).to(DType.FLOAT64).requiresGrad(true) : null;
                    Tensor upstream = Tensor.randn(gen, n, out).to(DType.FLOAT64);
                    Tensor fused = Fused.linear(x, w, b, relu);
                    Tensor ref = x.matmul(w.t());
                    if (b != null) ref = ref.add(b);
                    if (relu) ref = ref.relu();
                    assertArrayEquals(ref.toDoubleArray(), fused.toDoubleArray(), 1e-12, what);
                    List<Tensor> wrt = b == null ? List.of(x, w) : List.of(x, w, b);
                    List<Tensor> gf = Autograd.grad(fused.mul(upstream).sum(), wrt, false);
                    List<Tensor> gc = Autograd.grad(ref.mul(upstream).sum(), wrt, false);
                    for (int j = 0; j < wrt.size(); j++) {
                        assertArrayEquals(gc.get(j).toDoubleArray(), gf.get(j).toDoubleArray(), 1e-12, what + " gradient " + j);
                    }
                    // float32 against float64.
                    Tensor f32 = Fused.linear(x.detach().to(DType.FLOAT32), w.detach().to(DType.FLOAT32),
                            b == null ? null : b.detach().to(DType.FLOAT32), relu);
                    assertEquals(DType.FLOAT32, f32.dtype());
                    assertArrayEquals(fused.toDoubleArray(), f32.toDoubleArray(), 1e-4 * Math.sqrt(in), what);
                }
            }
        }
    }

    @Test
    void linearPassesGradCheckToSecondOrder() {
        Generator gen = new Generator(16);
        Tensor x = Tensor.randn(gen, 4, 5).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = Tensor.randn(gen, 3, 5).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(gen, 3).to(DType.FLOAT64).requiresGrad(true);
        Tensor up = Tensor.randn(gen, 4, 3).to(DType.FLOAT64);
        for (boolean relu : new boolean[] {false, true}) {
            GradCheck.check(in -> Fused.linear(in.get(0), in.get(1), in.get(2), relu).mul(up).sum(), x, w, b);
            GradCheck.check(in -> Fused.linear(in.get(0), in.get(1), null, relu).mul(up).sum(), x, w);
            // Squared so that the second derivative is not zero: it crosses the product twice.
            GradCheck.checkSecondOrder(in -> {
                Tensor y = Fused.linear(in.get(0), in.get(1), in.get(2), relu);
                return y.mul(y).sum();
            }, x, w, b);
        }
        // Only some inputs need a gradient: the others get none and cost nothing.
        Tensor frozen = w.detach();
        List<Tensor> g = Autograd.grad(Fused.linear(x, frozen, b, true).sum(), List.of(x, b), false);
        assertEquals(2, g.size());
        assertArrayEquals(new int[] {4, 5}, g.get(0).shape());
    }

    @Test
    void linearRefusesMismatchedShapesAndDtypes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Fused.linear(Tensor.zeros(128, 784), Tensor.zeros(10, 256), null, true));
        assertEquals("linear+relu: expected input [N, in] and weight [out, in], got input [128, 784] and weight [10, 256]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Fused.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 3), Tensor.zeros(3), false));
        assertEquals("linear: expected bias [4] for weight [4, 3], got [3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Fused.linear(Tensor.zeros(DType.FLOAT64, 2, 3), Tensor.zeros(4, 3), null, false));
        assertEquals("linear: input, weight and bias must have one floating dtype, got float64, float32", e.getMessage());
    }
}
