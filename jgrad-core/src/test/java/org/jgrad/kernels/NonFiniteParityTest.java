package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every kernel of every provider on NaN, ±∞, ±0 and subnormals mixed with ordinary values: the
 * scalar, Vector API and (for products, when it loads) OpenBLAS kernels must give the same bits,
 * and where the IEEE or PyTorch answer is simple it is checked too. Floats are compared by
 * {@link Float#floatToIntBits} (doubles likewise): the sign of zero counts, NaN payloads do not.
 *
 * <p>Inputs cycle through {@link #F_SPECIALS} at every rotation and at lengths around the vector
 * widths, so each special value lands in a vector body and in a scalar tail. The vector provider is
 * also run hot (until C2 has compiled it), since the interpreter and the compiled code implement
 * the Vector API separately.
 */
class NonFiniteParityTest {

    private static final Kernels SCALAR = new ScalarKernels();
    private static final Kernels VECTOR = new VectorKernels();
    private static String blasWhyNot = "";
    private static final Optional<Kernels> BLAS = NativeBlasProducts.tryWrap(SCALAR, why -> blasWhyNot = why);

    static final float[] F_SPECIALS = {
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL / 2, -Float.MIN_NORMAL / 2, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.5f, -2.5f, 3f, 0.3f, -0.7f, 20f, -20f,
        88.8f, -90f, -104f, 1e-3f, 1e-30f, -1e-7f
    };

    static final double[] D_SPECIALS = {
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL / 2, -Double.MIN_NORMAL / 2, Double.MIN_NORMAL,
        Double.MAX_VALUE, -Double.MAX_VALUE, Float.MIN_VALUE, 1.0, -1.0, 0.5, -2.5, 3.0, 0.3, -0.7, 20.0, -20.0,
        710.0, -745.5, -800.0, 1e-3, 1e-300, -1e-7
    };

    /** Lengths around 128-, 256- and 512-bit vectors of floats and doubles. */
    private static final int[] LENGTHS = {1, 2, 3, 5, 8, 9, 15, 16, 17, 31, 33, 47};

    /** Vector forms computed by another algorithm than the scalar loop: equal only on special results. */
    private static final Set<UnaryOp> APPROXIMATED = EnumSet.of(UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID);

    // ------------------------------------------------------------ helpers

    static float[] cycle(float[] values, int rotation, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = values[(i + rotation) % values.length];
        return x;
    }

    static double[] cycle(double[] values, int rotation, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = values[(i + rotation) % values.length];
        return x;
    }

    static String show(float v) {
        return v + " (0x" + Integer.toHexString(Float.floatToRawIntBits(v)) + ")";
    }

    static String show(double v) {
        return v + " (0x" + Long.toHexString(Double.doubleToRawLongBits(v)) + ")";
    }

    static void assertBits(String what, float want, float got) {
        if (Float.floatToIntBits(want) != Float.floatToIntBits(got)) {
            fail(what + ": expected " + show(want) + " but got " + show(got));
        }
    }

    static void assertBits(String what, double want, double got) {
        if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
            fail(what + ": expected " + show(want) + " but got " + show(got));
        }
    }

    static void assertBits(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) assertBits(what + " at " + i, want[i], got[i]);
    }

    static void assertBits(String what, double[] want, double[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) assertBits(what + " at " + i, want[i], got[i]);
    }

    /**
     * For the approximated ops: the same bits when either result is NaN, infinite or zero, else within
     * 4 units in the last place of the scalar result (for a subnormal result that unit is
     * Float.MIN_VALUE, so flushing it to zero fails).
     */
    static boolean close(float want, float got) {
        boolean special = Float.isNaN(want) || Float.isInfinite(want) || want == 0
                || Float.isNaN(got) || Float.isInfinite(got) || got == 0;
        if (special) return Float.floatToIntBits(want) == Float.floatToIntBits(got);
        return Math.abs((double) want - got) <= 4 * Math.ulp(want);
    }

    /** The parameter pairs (p, q) each unary op is run with; special values included where they mean something. */
    static List<double[]> params(UnaryOp op) {
        List<double[]> ps = new ArrayList<>();
        switch (op) {
            case ELU -> { ps.add(new double[] {1, 0}); ps.add(new double[] {0.5, 0}); }
            case CLAMP -> {
                ps.add(new double[] {-1.5, 2.5});
                ps.add(new double[] {0, 1});
                ps.add(new double[] {-0.0, 0.0});
                ps.add(new double[] {Double.NaN, 1});
                ps.add(new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY});
            }
            case POW -> { for (double p : new double[] {2, 1, 0.5, -1, 3, 0, -0.5, Double.NaN}) ps.add(new double[] {p, 0}); }
            case AFFINE -> {
                ps.add(new double[] {0.75, -3});
                ps.add(new double[] {-1, -0.0});
                ps.add(new double[] {-1, 0});
                ps.add(new double[] {0, 1});
                ps.add(new double[] {2, -0.0});
                ps.add(new double[] {1, Double.POSITIVE_INFINITY});
                ps.add(new double[] {Double.NaN, 0});
            }
            case DIV_SCALAR -> {
                for (double p : new double[] {3, -7, 0.1, 0, -0.0, Double.POSITIVE_INFINITY, Double.NaN, Float.MIN_VALUE}) {
                    ps.add(new double[] {p, 0});
                }
            }
            default -> ps.add(new double[] {0, 0});
        }
        return ps;
    }

    // ------------------------------------------------------------ unary

    /** Scalar and vector unary kernels on one input, compared. */
    static void unaryFloatParity(UnaryOp op, double p, double q, float[] a, int n) {
        float[] want = new float[n + 2], got = new float[n + 2];
        want[0] = got[0] = 7f;
        want[n + 1] = got[n + 1] = 7f;
        SCALAR.unary(op, a, 0, want, 1, n, p, q);
        VECTOR.unary(op, a, 0, got, 1, n, p, q);
        boolean approximated = APPROXIMATED.contains(op);
        for (int i = 0; i < n + 2; i++) {
            boolean ok = approximated ? close(want[i], got[i]) : Float.floatToIntBits(want[i]) == Float.floatToIntBits(got[i]);
            if (!ok) {
                fail(op + "(" + (i == 0 || i == n + 1 ? "outside" : show(a[i - 1])) + ") p=" + p + " q=" + q + " n=" + n + " at " + i
                        + ": scalar " + show(want[i]) + ", vector " + show(got[i]));
            }
        }
    }

    @Test
    void unaryFloat() {
        for (UnaryOp op : UnaryOp.values()) {
            for (double[] pq : params(op)) {
                for (int n : LENGTHS) {
                    for (int rot = 0; rot < F_SPECIALS.length; rot++) {
                        unaryFloatParity(op, pq[0], pq[1], cycle(F_SPECIALS, rot, n), n);
                    }
                }
            }
        }
    }

    @Test
    void unaryDouble() {
        for (UnaryOp op : UnaryOp.values()) {
            for (double[] pq : params(op)) {
                for (int n : LENGTHS) {
                    for (int rot = 0; rot < D_SPECIALS.length; rot++) {
                        double[] a = cycle(D_SPECIALS, rot, n);
                        double[] want = new double[n], got = new double[n];
                        SCALAR.unary(op, a, 0, want, 0, n, pq[0], pq[1]);
                        VECTOR.unary(op, a, 0, got, 0, n, pq[0], pq[1]);
                        for (int i = 0; i < n; i++) {
                            assertBits(op + "(" + show(a[i]) + ") p=" + pq[0] + " q=" + pq[1] + " n=" + n, want[i], got[i]);
                        }
                    }
                }
            }
        }
    }

    /** op(x) with p, q by every provider, float32 and float64 and in vector bodies and tails, against one expected value. */
    static void expectUnary(UnaryOp op, double p, double q, double x, double expected) {
        for (Kernels k : List.of(SCALAR, VECTOR)) {
            for (int n : new int[] {1, 37}) {
                float[] a = new float[n];
                java.util.Arrays.fill(a, (float) x);
                float[] c = new float[n];
                k.unary(op, a, 0, c, 0, n, p, q);
                for (int i = 0; i < n; i++) assertBits(k.name() + " float " + op + "(" + x + ") p=" + p + " q=" + q, (float) expected, c[i]);
                double[] ad = new double[n];
                java.util.Arrays.fill(ad, x);
                double[] cd = new double[n];
                k.unary(op, ad, 0, cd, 0, n, p, q);
                for (int i = 0; i < n; i++) assertBits(k.name() + " double " + op + "(" + x + ") p=" + p + " q=" + q, expected, cd[i]);
            }
        }
    }

    static void expectUnary(UnaryOp op, double x, double expected) {
        expectUnary(op, 0, 0, x, expected);
    }

    @Test
    void unaryExpectedValues() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        expectUnary(UnaryOp.NEG, 0.0, -0.0);
        expectUnary(UnaryOp.NEG, -0.0, 0.0);
        expectUnary(UnaryOp.NEG, inf, -inf);
        expectUnary(UnaryOp.SQRT, -0.0, -0.0);
        expectUnary(UnaryOp.SQRT, -1, nan);
        // relu: NaN propagates (PyTorch); −0 becomes +0 (max(x, 0) in Java's sense).
        expectUnary(UnaryOp.RELU, nan, nan);
        expectUnary(UnaryOp.RELU, -0.0, 0.0);
        expectUnary(UnaryOp.RELU, -inf, 0.0);
        expectUnary(UnaryOp.RELU, inf, inf);
        expectUnary(UnaryOp.EXP, nan, nan);
        expectUnary(UnaryOp.EXP, inf, inf);
        expectUnary(UnaryOp.EXP, -inf, 0.0);
        expectUnary(UnaryOp.EXP, -0.0, 1.0);
        expectUnary(UnaryOp.EXP, Float.MIN_VALUE, 1.0);
        expectUnary(UnaryOp.LOG, 0.0, -inf);
        expectUnary(UnaryOp.LOG, -0.0, -inf);
        expectUnary(UnaryOp.LOG, -Float.MIN_VALUE, nan);
        expectUnary(UnaryOp.LOG, inf, inf);
        expectUnary(UnaryOp.LOG, -inf, nan);
        expectUnary(UnaryOp.LOG, nan, nan);
        expectUnary(UnaryOp.LOG, 1, 0.0);
        expectUnary(UnaryOp.TANH, inf, 1);
        expectUnary(UnaryOp.TANH, -inf, -1);
        expectUnary(UnaryOp.TANH, -0.0, -0.0);
        expectUnary(UnaryOp.TANH, Float.MIN_VALUE, Float.MIN_VALUE);
        expectUnary(UnaryOp.TANH, -Float.MIN_NORMAL / 2, -Float.MIN_NORMAL / 2);
        expectUnary(UnaryOp.TANH, nan, nan);
        expectUnary(UnaryOp.SIGMOID, inf, 1);
        expectUnary(UnaryOp.SIGMOID, -inf, 0.0);
        expectUnary(UnaryOp.SIGMOID, nan, nan);
        expectUnary(UnaryOp.SIGMOID, -0.0, 0.5);
        expectUnary(UnaryOp.CLAMP, -1, 1, nan, nan);
        expectUnary(UnaryOp.CLAMP, -1, 1, inf, 1);
        expectUnary(UnaryOp.CLAMP, nan, 1, 0.5, nan);
        expectUnary(UnaryOp.POW, 0, 0, nan, 1);
        expectUnary(UnaryOp.POW, -1, 0, -0.0, -inf);
        expectUnary(UnaryOp.POW, 2, 0, -inf, inf);
        // p·x + q rounds like a multiplication then an addition; adding −0 changes nothing.
        expectUnary(UnaryOp.AFFINE, -1, -0.0, 0.0, -0.0);
        expectUnary(UnaryOp.AFFINE, 0, 1, inf, nan);
        expectUnary(UnaryOp.AFFINE, 1, 0, -0.0, 0.0);
        expectUnary(UnaryOp.DIV_SCALAR, 3, 0, -0.0, -0.0);
        expectUnary(UnaryOp.DIV_SCALAR, -0.0, 0, 1, -inf);
        expectUnary(UnaryOp.DIV_SCALAR, 0, 0, 0.0, nan);
        expectUnary(UnaryOp.DIV_SCALAR, inf, 0, inf, nan);
        expectUnary(UnaryOp.DIV_SCALAR, inf, 0, -5, -0.0);
        // Rounded once: 0.3f/3 is 0.1f, while 0.3f·(1f/3) is one ulp above; likewise in float64 for 7.0/3.
        expectUnary(UnaryOp.DIV_SCALAR, 3, 0, 0.3, 0.3 / 3);
        expectUnary(UnaryOp.DIV_SCALAR, 3, 0, 7, 7.0 / 3);
        expectUnary(UnaryOp.SOFTPLUS, inf, inf);
        expectUnary(UnaryOp.SOFTPLUS, -inf, 0.0);
    }

    // ------------------------------------------------------------ binary

    /** Every (a, b) pair of specials, lengths cut to end in different tails, and each operand broadcast. */
    @Test
    void binaryFloat() {
        int l = F_SPECIALS.length;
        for (BinaryOp op : BinaryOp.values()) {
            for (int cut = 0; cut < 20; cut += 3) {
                int n = l * l - cut;
                float[] a = new float[n], b = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = F_SPECIALS[i % l];
                    b[i] = F_SPECIALS[(i / l + cut) % l];
                }
                binaryFloatParity(op, a, 1, b, 1, n);
            }
            for (int s = 0; s < l; s++) {
                for (int n : new int[] {l, 2 * l + 3}) {
                    binaryFloatParity(op, new float[] {F_SPECIALS[s]}, 0, cycle(F_SPECIALS, s, n), 1, n);
                    binaryFloatParity(op, cycle(F_SPECIALS, s, n), 1, new float[] {F_SPECIALS[s]}, 0, n);
                }
            }
        }
    }

    static void binaryFloatParity(BinaryOp op, float[] a, int as, float[] b, int bs, int n) {
        float[] want = new float[n], got = new float[n];
        SCALAR.binary(op, a, 0, as, b, 0, bs, want, 0, n);
        VECTOR.binary(op, a, 0, as, b, 0, bs, got, 0, n);
        for (int i = 0; i < n; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                fail(op + "(" + show(a[i * as]) + ", " + show(b[i * bs]) + ") n=" + n + " at " + i
                        + ": scalar " + show(want[i]) + ", vector " + show(got[i]));
            }
        }
    }

    @Test
    void binaryDouble() {
        int l = D_SPECIALS.length;
        for (BinaryOp op : BinaryOp.values()) {
            for (int cut = 0; cut < 12; cut += 3) {
                int n = l * l - cut;
                double[] a = new double[n], b = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = D_SPECIALS[i % l];
                    b[i] = D_SPECIALS[(i / l + cut) % l];
                }
                binaryDoubleParity(op, a, 1, b, 1, n);
            }
            for (int s = 0; s < l; s++) {
                binaryDoubleParity(op, new double[] {D_SPECIALS[s]}, 0, cycle(D_SPECIALS, s, 2 * l + 1), 1, 2 * l + 1);
                binaryDoubleParity(op, cycle(D_SPECIALS, s, 2 * l + 1), 1, new double[] {D_SPECIALS[s]}, 0, 2 * l + 1);
            }
        }
    }

    static void binaryDoubleParity(BinaryOp op, double[] a, int as, double[] b, int bs, int n) {
        double[] want = new double[n], got = new double[n];
        SCALAR.binary(op, a, 0, as, b, 0, bs, want, 0, n);
        VECTOR.binary(op, a, 0, as, b, 0, bs, got, 0, n);
        for (int i = 0; i < n; i++) {
            assertBits(op + "(" + show(a[i * as]) + ", " + show(b[i * bs]) + ") n=" + n + " at " + i, want[i], got[i]);
        }
    }

    static void expectBinary(BinaryOp op, double x, double y, double expected) {
        for (Kernels k : List.of(SCALAR, VECTOR)) {
            for (int n : new int[] {1, 37}) {
                float[] a = new float[n], b = new float[n], c = new float[n];
                java.util.Arrays.fill(a, (float) x);
                java.util.Arrays.fill(b, (float) y);
                k.binary(op, a, 0, 1, b, 0, 1, c, 0, n);
                for (int i = 0; i < n; i++) assertBits(k.name() + " float " + op + "(" + x + ", " + y + ")", (float) expected, c[i]);
                k.binary(op, a, 0, 0, b, 0, 1, c, 0, n);
                for (int i = 0; i < n; i++) assertBits(k.name() + " float " + op + "(" + x + " broadcast, " + y + ")", (float) expected, c[i]);
                double[] ad = new double[n], bd = new double[n], cd = new double[n];
                java.util.Arrays.fill(ad, x);
                java.util.Arrays.fill(bd, y);
                k.binary(op, ad, 0, 1, bd, 0, 1, cd, 0, n);
                for (int i = 0; i < n; i++) assertBits(k.name() + " double " + op + "(" + x + ", " + y + ")", expected, cd[i]);
            }
        }
    }

    @Test
    void binaryExpectedValues() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        expectBinary(BinaryOp.MUL, 0.0, inf, nan);
        expectBinary(BinaryOp.MUL, -0.0, 3, -0.0);
        expectBinary(BinaryOp.ADD, inf, -inf, nan);
        expectBinary(BinaryOp.ADD, -0.0, -0.0, -0.0);
        expectBinary(BinaryOp.ADD, -0.0, 0.0, 0.0);
        expectBinary(BinaryOp.SUB, inf, inf, nan);
        expectBinary(BinaryOp.SUB, -0.0, 0.0, -0.0);
        expectBinary(BinaryOp.DIV, 0.0, 0.0, nan);
        expectBinary(BinaryOp.DIV, 1, -0.0, -inf);
        expectBinary(BinaryOp.DIV, inf, inf, nan);
        expectBinary(BinaryOp.MAX, nan, 1, nan);
        expectBinary(BinaryOp.MAX, 1, nan, nan);
        expectBinary(BinaryOp.MIN, -inf, nan, nan);
        expectBinary(BinaryOp.MAX, -0.0, 0.0, 0.0);
        expectBinary(BinaryOp.MAX, 0.0, -0.0, 0.0);
        expectBinary(BinaryOp.MIN, 0.0, -0.0, -0.0);
        expectBinary(BinaryOp.MIN, -0.0, 0.0, -0.0);
        expectBinary(BinaryOp.POW, nan, 0.0, 1);
        expectBinary(BinaryOp.POW, 1, nan, nan);
        for (BinaryOp cmp : List.of(BinaryOp.GT, BinaryOp.GE, BinaryOp.LT, BinaryOp.LE, BinaryOp.EQ)) {
            expectBinary(cmp, nan, nan, 0);
            expectBinary(cmp, nan, 1, 0);
            expectBinary(cmp, 1, nan, 0);
        }
        expectBinary(BinaryOp.NE, nan, nan, 1);
        expectBinary(BinaryOp.NE, nan, 1, 1);
        expectBinary(BinaryOp.EQ, -0.0, 0.0, 1);
        expectBinary(BinaryOp.GE, inf, inf, 1);
        // relu's backward: the gradient passes where the input is > 0, NaN gradients included.
        expectBinary(BinaryOp.RELU_GRAD, nan, 1, nan);
        expectBinary(BinaryOp.RELU_GRAD, 5, -0.0, 0.0);
        expectBinary(BinaryOp.RELU_GRAD, -0.0, 2, -0.0);
    }

    // ------------------------------------------------------------ reductions and axpy

    @Test
    void sumFloat() {
        float[][] families = {
            F_SPECIALS,
            {Float.NaN, 1f, 2f, -3f},
            {Float.POSITIVE_INFINITY, 1f, Float.MAX_VALUE, -2f},
            {Float.POSITIVE_INFINITY, 1f, Float.NEGATIVE_INFINITY, 2f},
            {Float.MIN_VALUE, -Float.MIN_NORMAL / 2, 0f, -0f, Float.MIN_NORMAL / 2, 3 * Float.MIN_VALUE},
            {-0f},
            {-0f, 0f},
            {Float.MAX_VALUE, Float.MAX_VALUE, -1f},
        };
        for (float[] f : families) {
            for (int n : LENGTHS) {
                for (int rot = 0; rot < f.length; rot++) {
                    float[] a = cycle(f, rot, n + 1);
                    double want = SCALAR.sum(a, 1, n), got = VECTOR.sum(a, 1, n);
                    if (f != F_SPECIALS || Double.isNaN(want) || Double.isInfinite(want)) {
                        assertBits("sum of " + n + " from " + java.util.Arrays.toString(f) + " rotated " + rot, want, got);
                    }
                }
            }
        }
        float inf = Float.POSITIVE_INFINITY;
        for (Kernels k : List.of(SCALAR, VECTOR)) {
            for (int n : new int[] {4, 40}) {
                float[] a = cycle(new float[] {inf, 1f, -inf, 0f}, 0, n);
                assertBits(k.name() + " ∞ + (−∞)", Double.NaN, k.sum(a, 0, n));
                a = cycle(new float[] {inf, 1f, Float.MAX_VALUE}, 0, n);
                assertBits(k.name() + " ∞ + finite", Double.POSITIVE_INFINITY, k.sum(a, 0, n));
                a = cycle(new float[] {1f, Float.NaN}, 0, n);
                assertBits(k.name() + " NaN", Double.NaN, k.sum(a, 0, n));
                a = cycle(new float[] {Float.MIN_VALUE}, 0, n);
                assertBits(k.name() + " subnormals", n * (double) Float.MIN_VALUE, k.sum(a, 0, n));
                a = cycle(new float[] {Float.MAX_VALUE}, 0, n);
                assertBits(k.name() + " no float overflow", n * (double) Float.MAX_VALUE, k.sum(a, 0, n));
            }
        }
    }

    @Test
    void sumDouble() {
        double[][] families = {
            {Double.NaN, 1, 2, -3},
            {Double.POSITIVE_INFINITY, 1, -2},
            {Double.POSITIVE_INFINITY, 1, Double.NEGATIVE_INFINITY, 2},
            // Below 2⁻¹⁰²² whatever the order (spacing grows above 2⁻¹⁰²¹, and then the order matters).
            {Double.MIN_VALUE, -Double.MIN_NORMAL / 64, 0.0, -0.0, Double.MIN_NORMAL / 64, 3 * Double.MIN_VALUE},
            {-0.0},
            {-0.0, 0.0},
        };
        for (double[] f : families) {
            for (int n : LENGTHS) {
                for (int rot = 0; rot < f.length; rot++) {
                    double[] a = cycle(f, rot, n + 1);
                    assertBits("sum of " + n + " from " + java.util.Arrays.toString(f) + " rotated " + rot,
                            SCALAR.sum(a, 1, n), VECTOR.sum(a, 1, n));
                }
            }
        }
        for (Kernels k : List.of(SCALAR, VECTOR)) {
            double[] a = cycle(new double[] {Double.POSITIVE_INFINITY, 1, Double.NEGATIVE_INFINITY}, 0, 33);
            assertBits(k.name() + " ∞ + (−∞)", Double.NaN, k.sum(a, 0, 33));
        }
    }

    @Test
    void axpy() {
        double[] alphas = {0, -0.0, 1, -1, 2.5, Double.NaN, Double.POSITIVE_INFINITY, Float.MIN_VALUE, 1e-40};
        for (double alpha : alphas) {
            for (int n : LENGTHS) {
                for (int rot = 0; rot < F_SPECIALS.length; rot += 2) {
                    float[] x = cycle(F_SPECIALS, rot, n), y0 = cycle(F_SPECIALS, rot + 7, n);
                    float[] want = y0.clone(), got = y0.clone();
                    SCALAR.axpy(alpha, x, 0, want, 0, n);
                    VECTOR.axpy(alpha, x, 0, got, 0, n);
                    assertBits("float axpy alpha=" + alpha + " n=" + n + " rot=" + rot, want, got);
                    double[] xd = cycle(D_SPECIALS, rot, n), yd = cycle(D_SPECIALS, rot + 7, n);
                    double[] wantD = yd.clone(), gotD = yd.clone();
                    SCALAR.axpy(alpha, xd, 0, wantD, 0, n);
                    VECTOR.axpy(alpha, xd, 0, gotD, 0, n);
                    assertBits("double axpy alpha=" + alpha + " n=" + n + " rot=" + rot, wantD, gotD);
                }
            }
        }
        for (Kernels k : List.of(SCALAR, VECTOR)) {
            float[] x = cycle(new float[] {Float.POSITIVE_INFINITY, Float.NaN}, 0, 20), y = new float[20];
            k.axpy(0, x, 0, y, 0, 20);
            for (float v : y) assertBits(k.name() + " 0·∞ and 0·NaN in axpy", Float.NaN, v);
            float[] z = new float[20];
            java.util.Arrays.fill(z, -0f);
            float[] ones = new float[20];
            java.util.Arrays.fill(ones, 1f);
            k.axpy(-0.0, ones, 0, z, 0, 20);
            for (float v : z) assertBits(k.name() + " −0 + (−0)·1", -0f, v);
        }
    }

    // ------------------------------------------------------------ log-softmax and pooling

    @Test
    void logSoftmaxRows() {
        float inf = Float.POSITIVE_INFINITY, nan = Float.NaN;
        float[][] rows = {
            {1f, nan, 2f}, {-inf, 0f, 1f}, {-inf, -inf, -inf}, {inf, 1f, 2f}, {inf, -inf, 0f},
            {Float.MIN_VALUE, -0f, 0f}, {Float.MAX_VALUE, -Float.MAX_VALUE, 0f}, {-0f, -0f, -0f},
        };
        for (float[] row : rows) {
            for (int cols : new int[] {3, 17, 40}) {
                float[] x = cycle(row, 0, 2 * cols);
                float[] want = new float[x.length], got = new float[x.length];
                SCALAR.logSoftmaxRows(x, 0, want, 0, 2, cols);
                VECTOR.logSoftmaxRows(x, 0, got, 0, 2, cols);
                assertBits("logSoftmax of " + java.util.Arrays.toString(row) + " cols=" + cols, want, got);
                float[] g = cycle(F_SPECIALS, cols, x.length);
                float[] dWant = new float[x.length], dGot = new float[x.length];
                SCALAR.logSoftmaxBackwardRows(g, 0, want, 0, dWant, 0, 2, cols);
                VECTOR.logSoftmaxBackwardRows(g, 0, want, 0, dGot, 0, 2, cols);
                assertBits("logSoftmax backward of " + java.util.Arrays.toString(row) + " cols=" + cols, dWant, dGot);
                double[] xd = new double[x.length];
                for (int i = 0; i < x.length; i++) xd[i] = x[i];
                double[] wantD = new double[x.length], gotD = new double[x.length];
                SCALAR.logSoftmaxRows(xd, 0, wantD, 0, 2, cols);
                VECTOR.logSoftmaxRows(xd, 0, gotD, 0, 2, cols);
                assertBits("double logSoftmax of " + java.util.Arrays.toString(row) + " cols=" + cols, wantD, gotD);
            }
        }
        for (Kernels k : List.of(SCALAR, VECTOR)) {
            float[] out = new float[3];
            k.logSoftmaxRows(new float[] {1f, nan, 2f}, 0, out, 0, 1, 3);
            for (float v : out) assertBits(k.name() + " a row holding NaN", nan, v);
            k.logSoftmaxRows(new float[] {-inf, 0f, 0f}, 0, out, 0, 1, 3);
            assertBits(k.name() + " log-softmax of −∞", -inf, out[0]);
            assertBits(k.name() + " log-softmax beside −∞", (float) -Math.log(2), out[1]);
            k.logSoftmaxRows(new float[] {-inf, -inf, -inf}, 0, out, 0, 1, 3);
            for (float v : out) assertBits(k.name() + " an all −∞ row", nan, v);
        }
    }

    @Test
    void maxPool2x2() {
        for (int h : new int[] {2, 4, 6}) {
            for (int w : new int[] {2, 4, 10, 34, 66}) {
                for (int rot = 0; rot < F_SPECIALS.length; rot++) {
                    int planes = 3, hw = h * w, l = (h / 2) * (w / 2);
                    float[] x = cycle(F_SPECIALS, rot, planes * hw + 1);
                    float[] yWant = new float[planes * l + 1], yGot = new float[planes * l + 1];
                    int[] iWant = new int[planes * l + 1], iGot = new int[planes * l + 1];
                    SCALAR.maxPool2x2(x, 1, yWant, 1, iWant, planes, h, w);
                    VECTOR.maxPool2x2(x, 1, yGot, 1, iGot, planes, h, w);
                    String what = "maxPool2x2 h=" + h + " w=" + w + " rot=" + rot;
                    assertBits(what, yWant, yGot);
                    for (int i = 0; i < iWant.length; i++) assertEquals(iWant[i], iGot[i], what + " index at " + i);
                }
            }
        }
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        // Windows (row-major) and the expected max and in-window position: NaN wins (the last one), ties keep the first.
        float[][] windows = {{1f, nan, 2f, 3f}, {nan, 1f, nan, 5f}, {-0f, 0f, 0f, -0f}, {-inf, -inf, -inf, -inf},
            {Float.MIN_VALUE, -0f, Float.MIN_NORMAL / 2, 0f}, {-inf, -inf, -inf, nan}};
        float[] maxes = {nan, nan, -0f, -inf, Float.MIN_NORMAL / 2, nan};
        int[] where = {1, 2, 0, 0, 2, 3};
        for (Kernels k : List.of(SCALAR, VECTOR)) {
            for (int ow : new int[] {1, 19}) {
                for (int t = 0; t < windows.length; t++) {
                    int w = 2 * ow;
                    float[] x = new float[2 * w];
                    for (int q = 0; q < ow; q++) {
                        x[2 * q] = windows[t][0];
                        x[2 * q + 1] = windows[t][1];
                        x[w + 2 * q] = windows[t][2];
                        x[w + 2 * q + 1] = windows[t][3];
                    }
                    float[] y = new float[ow];
                    int[] idx = new int[ow];
                    k.maxPool2x2(x, 0, y, 0, idx, 1, 2, w);
                    for (int q = 0; q < ow; q++) {
                        assertBits(k.name() + " maxPool of " + java.util.Arrays.toString(windows[t]), maxes[t], y[q]);
                        int pos = where[t];
                        assertEquals((pos / 2) * w + 2 * q + pos % 2, idx[q], k.name() + " argmax of " + java.util.Arrays.toString(windows[t]));
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------ gemm

    /** m, n, k: single elements, edge tiles of every micro-kernel, and a depth past one k block. */
    private static final int[][] GEMM_SHAPES = {{1, 1, 1}, {2, 3, 4}, {5, 17, 3}, {9, 33, 7}, {17, 16, 9}, {3, 5, 300}};

    /**
     * Operand families whose finite products and partial sums are all exact, so that every
     * summation order gives the same bits and a plain double loop is an independent expectation.
     */
    enum Family {
        /** Small integers and signed zeros, with a sprinkle of NaN and ±∞. */
        INTEGERS,
        /** Integers in A, subnormals and signed zeros in B (sums stay below 2⁻¹²⁶, where float spacing is fixed). */
        SUBNORMALS,
        /** Signed zeros in A, NaN and ±∞ among the integers of B: 0·NaN and 0·∞ must give NaN. */
        ZEROS_TIMES_SPECIALS;

        double a(Random r, boolean isDouble) {
            return switch (this) {
                case ZEROS_TIMES_SPECIALS -> r.nextBoolean() ? 0.0 : -0.0;
                default -> integerOrSpecial(r, 0.04);
            };
        }

        double b(Random r, boolean isDouble, int p) {
            return switch (this) {
                case INTEGERS -> integerOrSpecial(r, 0.04);
                case ZEROS_TIMES_SPECIALS -> integerOrSpecial(r, 0.1);
                case SUBNORMALS -> {
                    double tiny = isDouble ? Double.MIN_VALUE : Float.MIN_VALUE;
                    double half = isDouble ? Double.MIN_NORMAL / 2 : Float.MIN_NORMAL / 2;
                    int c = r.nextInt(6);
                    yield c == 0 ? 0.0 : c == 1 ? -0.0 : c == 2 ? tiny : c == 3 ? -2 * tiny
                            : p == 0 ? (c == 4 ? half : -half) : 3 * tiny;
                }
            };
        }

        static double integerOrSpecial(Random r, double specialRate) {
            if (r.nextDouble() < specialRate) {
                return switch (r.nextInt(3)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.POSITIVE_INFINITY;
                    default -> Double.NEGATIVE_INFINITY;
                };
            }
            int v = r.nextInt(8) - 3;
            return v == 4 ? -0.0 : v;
        }
    }

    /** op(X)[i][j] of a row-major stored matrix with leading dimension ld. */
    static double at(double[] x, boolean trans, int ld, int i, int j) {
        return trans ? x[j * ld + i] : x[i * ld + j];
    }

    /** The product by definition: each element summed from +0 in double (exact for the families), added to C when accumulating. */
    static double[] naiveGemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int lda, double[] b, int ldb,
                              double[] c, int ldc, boolean accumulate) {
        double[] out = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += at(a, ta, lda, i, p) * at(b, tb, ldb, p, j);
                out[i * ldc + j] = accumulate ? c[i * ldc + j] + s : s;
            }
        }
        return out;
    }

    static List<Kernels> gemmProviders() {
        List<Kernels> ks = new ArrayList<>(List.of(SCALAR, VECTOR));
        BLAS.ifPresent(ks::add);
        return ks;
    }

    @Test
    void gemmFloat() {
        Random r = new Random(11);
        for (Family family : Family.values()) {
            for (int[] s : GEMM_SHAPES) {
                int m = s[0], n = s[1], k = s[2];
                for (int t = 0; t < 8; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0, acc = (t & 4) != 0;
                    int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 1;
                    double[] a = new double[(ta ? k : m) * lda], b = new double[(tb ? n : k) * ldb], c = new double[m * ldc];
                    for (int i = 0; i < a.length; i++) a[i] = family.a(r, false);
                    for (int i = 0; i < b.length; i++) b[i] = family.b(r, false, tb ? i % ldb : i / ldb);
                    for (int i = 0; i < c.length; i++) c[i] = F_SPECIALS[r.nextInt(5)];
                    double[] want = naiveGemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc);
                    float[] af = toFloat(a), bf = toFloat(b), wantF = toFloat(want);
                    for (Kernels kern : gemmProviders()) {
                        float[] got = toFloat(c);
                        kern.gemm(ta, tb, m, n, k, af, 0, lda, bf, 0, ldb, got, 0, ldc, acc);
                        assertBits(kern.name() + " sgemm " + family + " " + m + "x" + n + "x" + k
                                + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : "") + (acc ? " accumulating" : ""), wantF, got);
                    }
                }
            }
        }
    }

    @Test
    void gemmDouble() {
        Random r = new Random(12);
        for (Family family : Family.values()) {
            for (int[] s : GEMM_SHAPES) {
                int m = s[0], n = s[1], k = s[2];
                for (int t = 0; t < 8; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0, acc = (t & 4) != 0;
                    int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
                    double[] a = new double[(ta ? k : m) * lda], b = new double[(tb ? n : k) * ldb], c = new double[m * ldc];
                    for (int i = 0; i < a.length; i++) a[i] = family.a(r, true);
                    for (int i = 0; i < b.length; i++) b[i] = family.b(r, true, tb ? i % ldb : i / ldb);
                    for (int i = 0; i < c.length; i++) c[i] = D_SPECIALS[r.nextInt(5)];
                    double[] want = naiveGemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc);
                    for (Kernels kern : gemmProviders()) {
                        double[] got = c.clone();
                        kern.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, got, 0, ldc, acc);
                        assertBits(kern.name() + " dgemm " + family + " " + m + "x" + n + "x" + k
                                + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : "") + (acc ? " accumulating" : ""), want, got);
                    }
                }
            }
        }
    }

    /** The defect this class was written for, spelled out: a zero row times a column holding NaN or ∞ is NaN. */
    @Test
    void gemmZerosTimesNanIsNan() {
        for (Kernels kern : gemmProviders()) {
            for (float special : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                // A = 0 (2×3), B (3×2) with one special in column 0: C[:, 0] = NaN, C[:, 1] = 0.
                float[] a = {0f, -0f, 0f, 0f, 0f, -0f};
                float[] b = {1f, 2f, special, 3f, 4f, 5f};
                float[] c = new float[4];
                kern.gemm(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, false);
                assertBits(kern.name() + " 0·" + special, Float.NaN, c[0]);
                assertBits(kern.name() + " 0·" + special, Float.NaN, c[2]);
                assertBits(kern.name() + " 0·finite", 0f, c[1]);
                double[] ad = {0.0, -0.0, 0.0, 0.0, 0.0, -0.0};
                double[] bd = {1, 2, special, 3, 4, 5};
                double[] cd = new double[4];
                kern.gemm(false, false, 2, 2, 3, ad, 0, 3, bd, 0, 2, cd, 0, 2, false);
                assertBits(kern.name() + " double 0·" + special, Double.NaN, cd[0]);
                assertBits(kern.name() + " double 0·" + special, Double.NaN, cd[2]);
            }
        }
    }

    @Test
    void openBlasIsCovered() {
        Assumptions.assumeTrue(BLAS.isPresent(), () -> "OpenBLAS not loadable, its products were not compared: " + blasWhyNot);
        assertTrue(gemmProviders().size() == 3);
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    // ------------------------------------------------------------ hot

    /**
     * The elementwise kernels once C2 has compiled them: the Vector API's compiled intrinsics
     * (max, min, compare, neg) are separate code from its interpreted fallbacks, and C2 also
     * vectorizes the scalar loops by itself.
     */
    @Test
    void elementwiseAgreeOnceCompiled() {
        // Both providers are built here whatever the run chose: the forced-scalar run would only repeat this.
        Assumptions.assumeFalse("scalar".equals(System.getProperty("jgrad.kernels")), "already run in the default execution");
        // Enough rounds that C2 compiles the unary and binary loops part-way and most rounds run compiled code.
        int n = 67;
        float[] a = cycle(F_SPECIALS, 3, n), b = cycle(F_SPECIALS, 11, n);
        for (int round = 0; round < 8000; round++) {
            for (UnaryOp op : UnaryOp.values()) {
                if (op == UnaryOp.ELU || op == UnaryOp.NORMAL_CDF || op == UnaryOp.SOFTPLUS) continue;
                double[] pq = params(op).get(round % params(op).size());
                unaryFloatParity(op, pq[0], pq[1], a, n);
            }
            for (BinaryOp op : BinaryOp.values()) {
                if (op != BinaryOp.POW) binaryFloatParity(op, a, 1, b, 1, n);
            }
            for (double alpha : new double[] {-0.5, 0, Double.NaN}) {
                float[] yWant = b.clone(), yGot = b.clone();
                SCALAR.axpy(alpha, a, 0, yWant, 0, n);
                VECTOR.axpy(alpha, a, 0, yGot, 0, n);
                if (!java.util.Arrays.equals(yWant, yGot)) assertBits("axpy alpha=" + alpha + " round " + round, yWant, yGot);
            }
        }
    }
}
