package org.jgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Signed zeros, NaN and ∞ through the public API, under whichever kernels the run chose (surefire
 * runs this with the Vector API kernels and again with {@code -Djgrad.kernels=scalar}).
 */
class NonFiniteTensorTest {

    static void assertBits(String what, float want, float got) {
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), () -> what + ": expected " + want + " but got " + got);
    }

    static void assertBits(String what, double want, double got) {
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), () -> what + ": expected " + want + " but got " + got);
    }

    /** float32 and float64 tensors of n copies of x (n long enough for vector bodies and a tail). */
    static Tensor[] filled(double x, int n) {
        float[] f = new float[n];
        double[] d = new double[n];
        java.util.Arrays.fill(f, (float) x);
        java.util.Arrays.fill(d, x);
        return new Tensor[] {Tensor.of(f, n), Tensor.of(d, n)};
    }

    static void expectAll(String what, Tensor t, double expected) {
        if (t.dtype() == DType.FLOAT32) {
            for (float v : t.toFloatArray()) assertBits(what + " float32", (float) expected, v);
        } else {
            for (double v : t.toDoubleArray()) assertBits(what + " float64", expected, v);
        }
    }

    @Test
    void negOfZeroFlipsTheSign() {
        for (Tensor t : filled(0.0, 37)) expectAll("neg(+0)", t.neg(), -0.0);
        for (Tensor t : filled(-0.0, 37)) expectAll("neg(-0)", t.neg(), 0.0);
        for (Tensor t : filled(Double.NEGATIVE_INFINITY, 37)) expectAll("neg(-∞)", t.neg(), Double.POSITIVE_INFINITY);
        for (Tensor t : filled(Double.NaN, 37)) expectAll("neg(NaN)", t.neg(), Double.NaN);
    }

    @Test
    void scalarArithmeticKeepsTheSignOfZero() {
        for (Tensor t : filled(0.0, 37)) {
            expectAll("+0 · -1", t.mul(-1), -0.0);
            expectAll("+0 - 0", t.sub(0), 0.0);
            expectAll("+0 / -3", t.div(-3), -0.0);
        }
        for (Tensor t : filled(-3.0, 37)) expectAll("-3 · 0", t.mul(0), -0.0);
        for (Tensor t : filled(-0.0, 37)) {
            expectAll("-0 · 2", t.mul(2), -0.0);
            expectAll("-0 - 0", t.sub(0), -0.0);
            // x + 0 is +0 for x = -0 in IEEE arithmetic (and in PyTorch).
            expectAll("-0 + 0", t.add(0), 0.0);
        }
        for (Tensor t : filled(Double.POSITIVE_INFINITY, 37)) {
            expectAll("∞ · 0", t.mul(0), Double.NaN);
            expectAll("∞ / ∞", t.div(Double.POSITIVE_INFINITY), Double.NaN);
        }
        for (Tensor t : filled(1.0, 37)) expectAll("1 / -0", t.div(-0.0), Double.NEGATIVE_INFINITY);
    }

    /** x.div(c) is x / c rounded once, not x · (1/c); the inputs include values where the two differ. */
    @Test
    void divisionByAScalarIsATrueDivision() {
        Random r = new Random(5);
        int n = 1001;
        float[] f = new float[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i < 40 ? i * 0.1 : r.nextGaussian() * 100;
            f[i] = (float) d[i];
        }
        for (double c : new double[] {3, -7, 0.1, 1e-3, 49}) {
            float[] gotF = Tensor.of(f, n).div(c).toFloatArray();
            double[] gotD = Tensor.of(d, n).div(c).toDoubleArray();
            int differF = 0, differD = 0;
            for (int i = 0; i < n; i++) {
                float wantF = f[i] / (float) c;
                assertBits(f[i] + " / " + c, wantF, gotF[i]);
                if (wantF != f[i] * (float) (1 / c)) differF++;
                assertBits(d[i] + " / " + c, d[i] / c, gotD[i]);
                if (d[i] / c != d[i] * (1 / c)) differD++;
            }
            // Otherwise the test could not tell a division from a multiplication by the reciprocal.
            if (c != 1e-3) assertTrue(differF > 0 && differD > 0, "no input where / " + c + " and · (1/" + c + ") differ");
        }
    }

    @Test
    void divisionByAScalarHasTheGradientOfADivision() {
        Tensor x = Tensor.of(new double[] {1, -2, 3}, 3).requiresGrad(true);
        x.div(3).sum().backward();
        for (double g : x.grad().toDoubleArray()) assertBits("d(x/3)/dx", 1.0 / 3, g);
    }

    /** A zero matrix times one holding NaN or ∞: 0·NaN and 0·∞ are NaN, so whole columns are NaN. */
    @Test
    void matmulOfZerosByNanOrInfinityIsNan() {
        for (double special : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            for (int size : new int[] {3, 40}) {
                double[] b = new double[size * size];
                for (int i = 0; i < b.length; i++) b[i] = i % 5 - 2;
                b[1] = special; // column 1
                double[] a = new double[size * size];
                for (int i = 0; i < a.length; i++) a[i] = i % 2 == 0 ? 0.0 : -0.0;
                for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    Tensor c = Tensor.of(a, size, size).to(dtype).matmul(Tensor.of(b, size, size).to(dtype));
                    double[] out = c.toDoubleArray();
                    for (int i = 0; i < size; i++) {
                        for (int j = 0; j < size; j++) {
                            double want = j == 1 ? Double.NaN : 0.0;
                            assertBits(dtype + " " + size + "x" + size + " zeros @ B with " + special + " at [" + i + ", " + j + "]",
                                    want, out[i * size + j]);
                        }
                    }
                }
            }
        }
    }
}
