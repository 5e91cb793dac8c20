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
}
