package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoftmaxTest {

    /** Softmax of each run along the last dimension of a row-major [rows, n] array, by the textbook formula. */
    static double[] naiveSoftmax(double[] v, int n) {
        double[] out = new double[v.length];
        for (int r = 0; r < v.length / n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) max = Math.max(max, v[r * n + j]);
            double s = 0;
            for (int j = 0; j < n; j++) s += Math.exp(v[r * n + j] - max);
            for (int j = 0; j < n; j++) out[r * n + j] = Math.exp(v[r * n + j] - max) / s;
        }
        return out;
    }

    static double[] naiveLogSoftmax(double[] v, int n) {
        double[] out = new double[v.length];
        for (int r = 0; r < v.length / n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) max = Math.max(max, v[r * n + j]);
            double s = 0;
            for (int j = 0; j < n; j++) s += Math.exp(v[r * n + j] - max);
            for (int j = 0; j < n; j++) out[r * n + j] = v[r * n + j] - max - Math.log(s);
        }
        return out;
    }

    static Tensor leaf(Generator gen, boolean contiguous, int... shape) {
        return ReductionsTest.leaf(gen, contiguous, shape);
    }

    @Test
    void forwardMatchesNaiveLoopAlongEveryDim() {
        Generator gen = new Generator(1);
        Tensor x = leaf(gen, false, 2, 3, 4).mul(3).detach();
        int[] shape = x.shape();
        for (int dim = -3; dim < 3; dim++) {
            int d = dim < 0 ? dim + 3 : dim;
            // Move dim last, then the reference works on rows.
            Tensor moved = x.transpose(d, 2);
            int n = shape[d];
            double[] expSm = naiveSoftmax(moved.toDoubleArray(), n);
            double[] expLsm = naiveLogSoftmax(moved.toDoubleArray(), n);
            Tensor sm = x.softmax(dim), lsm = x.logSoftmax(dim);
            assertArrayEquals(shape, sm.shape());
            assertArrayEquals(shape, lsm.shape());
            assertArrayEquals(expSm, sm.transpose(d, 2).toDoubleArray(), 1e-14, "softmax dim " + dim);
            assertArrayEquals(expLsm, lsm.transpose(d, 2).toDoubleArray(), 1e-13, "logSoftmax dim " + dim);
        }
    }

    @Test
    void softmaxJacobianIsTheClosedForm() {
        // ∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ), one row of the Jacobian per backward pass.
        Generator gen = new Generator(2);
        Tensor x = leaf(gen, true, 5);
        Tensor y = x.softmax(0);
        double[] yv = y.toDoubleArray();
        for (int i = 0; i < 5; i++) {
            double[] row = Autograd.grad(y.select(0, i), List.of(x), null, true, false).get(0).toDoubleArray();
            for (int j = 0; j < 5; j++) {
                double expected = yv[i] * ((i == j ? 1 : 0) - yv[j]);
                assertEquals(expected, row[j], 1e-15, "d y" + i + " / d x" + j);
            }
        }
    }

    @Test
    void logSoftmaxJacobianIsTheClosedForm() {
        // ∂ log yᵢ/∂xⱼ = δᵢⱼ − yⱼ
        Generator gen = new Generator(3);
        Tensor x = leaf(gen, true, 4);
        Tensor z = x.logSoftmax(-1);
        double[] yv = naiveSoftmax(x.toDoubleArray(), 4);
        for (int i = 0; i < 4; i++) {
            double[] row = Autograd.grad(z.select(0, i), List.of(x), null, true, false).get(0).toDoubleArray();
            for (int j = 0; j < 4; j++) assertEquals((i == j ? 1 : 0) - yv[j], row[j], 1e-15);
        }
    }

    @Test
    void gradientOfLogsumexpIsSoftmax() {
        Generator gen = new Generator(4);
        Tensor x = leaf(gen, false, 3, 5);
        Tensor dx = Autograd.grad(x.logsumexp(1, false).sum(), List.of(x), false).get(0);
        assertArrayEquals(naiveSoftmax(x.toDoubleArray(), 5), dx.toDoubleArray(), 1e-15);
        Tensor dAll = Autograd.grad(x.logsumexp(), List.of(x), false).get(0);
        assertArrayEquals(naiveSoftmax(x.toDoubleArray(), 15), dAll.toDoubleArray(), 1e-15);
    }

    @Test
    void softmaxIsStableForLargeInputs() {
        Tensor y = Tensor.of(1000, 1001, 1002).softmax(0);
        double e1 = Math.exp(-1), e2 = Math.exp(-2), s = 1 + e1 + e2;
        assertArrayEquals(new double[] {e2 / s, e1 / s, 1 / s}, y.toDoubleArray(), 1e-15);
        Tensor yf = Tensor.of(new float[] {1000, 1001, 1002}, 3).softmax(0);
        assertEquals(DType.FLOAT32, yf.dtype());
        assertArrayEquals(new double[] {e2 / s, e1 / s, 1 / s}, yf.toDoubleArray(), 1e-6);
        Tensor neg = Tensor.of(-1000, -1001, -1002).softmax(0);
        assertArrayEquals(new double[] {1 / s, e1 / s, e2 / s}, neg.toDoubleArray(), 1e-15);
    }

    @Test
    void logSoftmaxIsStableForLargeInputs() {
        double[] lsm = Tensor.of(1000, 0, -1000).logSoftmax(0).toDoubleArray();
        // log(1 + e⁻¹⁰⁰⁰ + e⁻²⁰⁰⁰) underflows to 0 in doubles: the exact values are 0, −1000, −2000.
        assertArrayEquals(new double[] {0, -1000, -2000}, lsm, 1e-12);
        float[] f = Tensor.of(new float[] {500, 500}, 2).logSoftmax(0).toFloatArray();
        assertEquals(-Math.log(2), f[0], 1e-6);
        assertEquals(-Math.log(2), f[1], 1e-6);
        Tensor x = Tensor.of(1000, 0, -1000).requiresGrad(true);
        x.logSoftmax(0).select(0, 1).backward();
        assertArrayEquals(new double[] {-1, 1, 0}, x.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void maskedEntriesGetZeroProbabilityAndFiniteGradients() {
        double inf = Double.NEGATIVE_INFINITY;
        Tensor x = Tensor.of(new double[][] {{0, inf, 0}, {inf, 2, inf}}).requiresGrad(true);
        Tensor y = x.softmax(1);
        assertArrayEquals(new double[] {0.5, 0, 0.5, 0, 1, 0}, y.toDoubleArray(), 1e-15);
        y.mul(Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}})).sum().backward();
        for (double g : x.grad().toDoubleArray()) assertTrue(Double.isFinite(g));
        assertArrayEquals(new double[] {-0.5, 0, 0.5, 0, 0, 0}, x.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void gradCheckAlongEachDim() {
        Generator gen = new Generator(5);
        for (boolean contiguous : new boolean[] {true, false}) {
            Tensor x = leaf(gen, contiguous, 2, 3, 4);
            Tensor w = leaf(gen, true, 2, 3, 4).detach(); // weights make every output element matter
            for (int dim : new int[] {0, 1, 2, -1, -3}) {
                GradCheck.check(in -> in.get(0).softmax(dim), x);
                GradCheck.check(in -> in.get(0).logSoftmax(dim), x);
                GradCheck.check(in -> in.get(0).softmax(dim).mul(w).sum(), x);
            }
        }
        Tensor v = leaf(new Generator(6), false, 7);
        GradCheck.check(in -> in.get(0).softmax(0), v);
        GradCheck.check(in -> in.get(0).logSoftmax(-1), v);
    }

    @Test
    void secondOrder() {
        Generator gen = new Generator(7);
        Tensor x = leaf(gen, false, 3, 4);
        Tensor w = leaf(gen, true, 3, 4).detach();
        GradCheck.checkSecondOrder(in -> in.get(0).softmax(1).mul(w).sum(), x);
        GradCheck.checkSecondOrder(in -> in.get(0).softmax(0).mul(w), x);
        GradCheck.checkSecondOrder(in -> in.get(0).logSoftmax(-1).mul(w).sum(), x);
        // Cross-entropy-like: −Σ target · logSoftmax.
        Tensor target = Tensor.of(new double[][] {{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        GradCheck.checkSecondOrder(in -> in.get(0).logSoftmax(1).mul(target).sum().neg(), x);
    }

    @Test
    void scalarSoftmaxIsOne() {
        Tensor s = Tensor.scalar(DType.FLOAT64, 3.5);
        assertEquals(1, s.softmax(0).item());
        assertEquals(0, s.logSoftmax(-1).item());
    }

    @Test
    void outOfRangeDimNamesTheOp() {
        Tensor x = Tensor.zeros(2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> x.softmax(2));
        assertTrue(e.getMessage().startsWith("softmax:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.logSoftmax(-3));
        assertTrue(e.getMessage().startsWith("logSoftmax:"), e.getMessage());
    }
}
