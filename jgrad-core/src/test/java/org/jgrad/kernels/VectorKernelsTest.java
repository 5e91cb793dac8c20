package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the plain-Java ones (and the products against a naive triple loop
 * accumulated in double), on odd sizes around every vector width and blocking threshold.
 */
class VectorKernelsTest {

    private final Kernels vec = new VectorKernels();
    private final Kernels ref = new ScalarKernels();

    private static final int[] SIZES = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 95, 97, 255, 257, 1000};

    /** Ops whose vector form must round exactly like the scalar loop (or that fall back to it). */
    private static final Set<UnaryOp> INEXACT = EnumSet.of(UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID);

    private static float[] randomFloats(Random r, int n, UnaryOp op) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double v = r.nextGaussian() * 4;
            if (op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.LOG1P) v = Math.abs(v) * 10;
            if (i % 11 == 5) v = 0;
            x[i] = (float) v;
        }
        return x;
    }

    private static double ulpsOff(double expected, double actual, double ulp, double tiny) {
        if (Double.compare(expected, actual) == 0) return 0;
        if (Double.isNaN(expected) || Double.isNaN(actual) || Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return Double.POSITIVE_INFINITY;
        }
        // Below the smallest normal number the vector exp may flush where the scalar one keeps a denormal.
        return Math.abs(expected - actual) / Math.max(ulp, tiny);
    }

    @Test
    void unaryFloatMatchesScalar() {
        Random r = new Random(1);
        for (UnaryOp op : UnaryOp.values()) {
            double p = op == UnaryOp.CLAMP ? -1.5 : op == UnaryOp.POW ? 2 : op == UnaryOp.AFFINE ? 0.75 : 0.1;
            double q = op == UnaryOp.CLAMP ? 2.5 : -3;
            for (int n : SIZES) {
                int ao = r.nextInt(4), co = r.nextInt(4);
                float[] a = randomFloats(r, n + ao, op);
                float[] want = new float[n + co], got = new float[n + co];
                Arrays.fill(got, 7f);
                Arrays.fill(want, 7f);
                ref.unary(op, a, ao, want, co, n, p, q);
                vec.unary(op, a, ao, got, co, n, p, q);
                for (int i = 0; i < n + co; i++) {
                    if (INEXACT.contains(op)) {
                        double off = ulpsOff(want[i], got[i], Math.ulp(want[i]), Float.MIN_NORMAL);
                        if (off > 4) fail(op + " n=" + n + " at " + i + ": " + want[i] + " vs " + got[i] + " (" + off + " ulps)");
                    } else {
                        assertEquals(want[i], got[i], op + " n=" + n + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void unaryDoubleMatchesScalar() {
        Random r = new Random(2);
        for (UnaryOp op : UnaryOp.values()) {
            for (double p : new double[] {2, 0.5, -1, 1, 3}) {
                if (op != UnaryOp.POW && p != 2) continue;
                double pp = op == UnaryOp.CLAMP ? -1.5 : op == UnaryOp.POW ? p : 0.75;
                for (int n : SIZES) {
                    int ao = r.nextInt(4), co = r.nextInt(4);
                    float[] af = randomFloats(r, n + ao, op);
                    double[] a = new double[af.length];
                    for (int i = 0; i < a.length; i++) a[i] = af[i] * (1 + 1e-3 * r.nextDouble());
                    double[] want = new double[n + co], got = new double[n + co];
                    ref.unary(op, a, ao, want, co, n, pp, 2.5);
                    vec.unary(op, a, ao, got, co, n, pp, 2.5);
                    for (int i = 0; i < n + co; i++) {
                        if (INEXACT.contains(op)) {
                            double off = ulpsOff(want[i], got[i], Math.ulp(want[i]), Double.MIN_NORMAL);
                            if (off > 4) fail(op + " n=" + n + " at " + i + ": " + want[i] + " vs " + got[i]);
                        } else {
                            assertEquals(want[i], got[i], op + " p=" + pp + " n=" + n + " at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void expLogAndTanhAreAccurateOverTheWholeFloatRange() {
        // jgrad's own exp, log and tanh (basic arithmetic, so the same bits interpreted or compiled) against
        // Math.exp, Math.log and Math.tanh: a sweep over [-110, 110] in steps of about 1e-3, the neighbourhood
        // of tanh's switch at 0.625 and of exp's limits, tiny arguments, and the special values.
        int n = 220_001;
        float[] x = new float[n + 14];
        for (int i = 0; i < n; i++) x[i] = -110f + 220f * i / (n - 1);
        float[] extra = {0.625f, Math.nextDown(0.625f), -0.625f, 1e-30f, -1e-7f, 88.72f, 88.7229f, -103.9f, -87.3f,
            Float.MIN_VALUE, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        System.arraycopy(extra, 0, x, n, extra.length);
        float[] e = new float[x.length], t = new float[x.length];
        vec.unary(UnaryOp.EXP, x, 0, e, 0, x.length, 0, 0);
        vec.unary(UnaryOp.TANH, x, 0, t, 0, x.length, 0, 0);
        // log over every binade of positive floats, subnormals included, and its special values.
        float[] lx = new float[277 * 64 + 6];
        for (int b = 0; b < 277; b++) {
            for (int j = 0; j < 64; j++) lx[b * 64 + j] = (float) (Math.scalb(1.0 + j / 64.0 + 0.0031 * j % 0.01, b - 150));
        }
        float[] lspecial = {0f, -0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, 1f};
        System.arraycopy(lspecial, 0, lx, 277 * 64, 6);
        float[] l = new float[lx.length];
        vec.unary(UnaryOp.LOG, lx, 0, l, 0, lx.length, 0, 0);
        for (int i = 0; i < 277 * 64; i++) {
            if (lx[i] == 0 || Float.isInfinite(lx[i])) continue;
            float wl = (float) Math.log(lx[i]);
            double ol = ulpsOff(wl, l[i], Math.ulp(wl), 0);
            if (ol > 2) fail("log(" + lx[i] + ") = " + l[i] + ", expected " + wl + " (" + ol + " ulps)");
        }
        int ls = 277 * 64;
        assertEquals(Float.NEGATIVE_INFINITY, l[ls]);
        assertEquals(Float.NEGATIVE_INFINITY, l[ls + 1]);
        assertTrue(Float.isNaN(l[ls + 2]) && Float.isNaN(l[ls + 3]));
        assertEquals(Float.POSITIVE_INFINITY, l[ls + 4]);
        assertEquals(0f, l[ls + 5]);
        double worstExp = 0, worstTanh = 0;
        for (int i = 0; i < x.length; i++) {
            float we = (float) Math.exp(x[i]), wt = (float) Math.tanh(x[i]);
            double oe = ulpsOff(we, e[i], Math.ulp(we), Float.MIN_NORMAL), ot = ulpsOff(wt, t[i], Math.ulp(wt), Float.MIN_NORMAL);
            if (oe > 2) fail("exp(" + x[i] + ") = " + e[i] + ", expected " + we + " (" + oe + " ulps)");
            if (ot > 2) fail("tanh(" + x[i] + ") = " + t[i] + ", expected " + wt + " (" + ot + " ulps)");
            worstExp = Math.max(worstExp, oe);
            worstTanh = Math.max(worstTanh, ot);
        }
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(t[n + 10]), "tanh(-0) is -0");
        assertEquals(1f, t[n + 12]);
        assertEquals(-1f, t[n + 13]);
        assertTrue(Float.isNaN(t[n + 11]) && Float.isNaN(e[n + 11]));
        assertTrue(worstExp <= 2 && worstTanh <= 2, worstExp + " " + worstTanh);
    }

    @Test
    void specialValues() {
        float[] x = {100f, -100f, 89f, -104f, 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, 1f,
            2f, 3f, 4f, 5f, 6f};
        float[] e = new float[x.length], l = new float[x.length], relu = new float[x.length], sig = new float[x.length];
        vec.unary(UnaryOp.EXP, x, 0, e, 0, x.length, 0, 0);
        vec.unary(UnaryOp.LOG, x, 0, l, 0, x.length, 0, 0);
        vec.unary(UnaryOp.RELU, x, 0, relu, 0, x.length, 0, 0);
        vec.unary(UnaryOp.SIGMOID, x, 0, sig, 0, x.length, 0, 0);
        assertEquals(Float.POSITIVE_INFINITY, e[0]);
        assertEquals(0f, e[1], Float.MIN_NORMAL);
        assertEquals(Float.POSITIVE_INFINITY, e[7]);
        assertEquals(0f, e[8]);
        assertTrue(Float.isNaN(e[6]));
        assertEquals(Float.NEGATIVE_INFINITY, l[4]);
        assertEquals(Float.NEGATIVE_INFINITY, l[5]);
        assertTrue(Float.isNaN(l[9]), "log(-1) is NaN");
        assertTrue(Float.isNaN(l[6]));
        assertEquals(Float.POSITIVE_INFINITY, l[7]);
        assertTrue(Float.isNaN(relu[6]), "relu propagates NaN");
        assertEquals(0f, relu[5], "relu(-0) is +0");
        assertEquals(0f, relu[1]);
        assertEquals(1f, sig[0]);
        assertEquals(0f, sig[1], 1e-40f);
        assertEquals(1f, sig[7]);
        assertEquals(0f, sig[8]);
        assertTrue(Float.isNaN(sig[6]));
        for (Kernels k : new Kernels[] {vec, ref}) {
            float[] m = new float[x.length];
            float[] ones = new float[x.length];
            Arrays.fill(ones, 1f);
            k.binary(BinaryOp.MAX, x, 0, 1, ones, 0, 1, m, 0, x.length);
            assertTrue(Float.isNaN(m[6]), k.name() + " max propagates NaN");
            float[] rs = new float[x.length];
            k.unary(UnaryOp.RELU, x, 0, rs, 0, x.length, 0, 0);
            assertTrue(Float.isNaN(rs[6]), k.name() + " relu propagates NaN");
        }
    }

    @Test
    void binaryMatchesScalarForEveryStrideCombination() {
        Random r = new Random(3);
        for (BinaryOp op : BinaryOp.values()) {
            for (int as = 0; as <= 1; as++) {
                for (int bs = 0; bs <= 1; bs++) {
                    for (int n : SIZES) {
                        int ao = r.nextInt(3), bo = r.nextInt(3), co = r.nextInt(3);
                        float[] a = randomFloats(r, n + ao + 1, null), b = randomFloats(r, n + bo + 1, null);
                        // Equal values, signed zeros and NaN exercise the comparisons and max/min.
                        for (int i = 0; i < Math.min(a.length, b.length); i += 3) b[i] = a[i];
                        if (a.length > 4) a[4] = Float.NaN;
                        if (b.length > 6) { b[5] = -0f; b[6] = Float.NaN; }
                        float[] want = new float[n + co], got = new float[n + co];
                        ref.binary(op, a, ao, as, b, bo, bs, want, co, n);
                        vec.binary(op, a, ao, as, b, bo, bs, got, co, n);
                        assertArrayEquals(want, got, op + " strides " + as + "," + bs + " n=" + n);

                        double[] ad = toDouble(a), bd = toDouble(b);
                        double[] wantD = new double[n + co], gotD = new double[n + co];
                        ref.binary(op, ad, ao, as, bd, bo, bs, wantD, co, n);
                        vec.binary(op, ad, ao, as, bd, bo, bs, gotD, co, n);
                        assertArrayEquals(wantD, gotD, op + " double strides " + as + "," + bs + " n=" + n);
                    }
                }
            }
        }
    }

    @Test
    void longRunsSplitAmongThreadsGiveTheSameElements() {
        // Above VectorKernels.PARALLEL_MIN_ELEMENTS the runs are cut among the kernel threads; odd
        // lengths and offsets put the cuts and the tail at awkward places. In place (c = a) too.
        Random r = new Random(4);
        int saved = Threads.get();
        try {
            for (int n : new int[] {VectorKernels.PARALLEL_MIN_ELEMENTS - 1, VectorKernels.PARALLEL_MIN_ELEMENTS + 13, 1_000_003}) {
                int ao = 3, bo = 1, co = 2;
                float[] a = randomFloats(r, n + ao, null), b = randomFloats(r, n + bo, null);
                float[] want = new float[n + co];
                ref.binary(BinaryOp.MUL, a, ao, 1, b, bo, 1, want, co, n);
                float[] wantBroadcast = new float[n + co];
                ref.binary(BinaryOp.SUB, a, ao, 1, b, bo, 0, wantBroadcast, co, n);
                float[] wantRelu = new float[n + co];
                ref.unary(UnaryOp.RELU, a, ao, wantRelu, co, n, 0, 0);
                for (int threads : new int[] {1, 2, 3}) {
                    Threads.set(threads);
                    float[] got = new float[n + co];
                    vec.binary(BinaryOp.MUL, a, ao, 1, b, bo, 1, got, co, n);
                    assertArrayEquals(want, got, "mul n=" + n + " threads=" + threads);
                    got = new float[n + co];
                    vec.binary(BinaryOp.SUB, a, ao, 1, b, bo, 0, got, co, n);
                    assertArrayEquals(wantBroadcast, got, "sub of a scalar n=" + n + " threads=" + threads);
                    got = new float[n + co];
                    vec.unary(UnaryOp.RELU, a, ao, got, co, n, 0, 0);
                    assertArrayEquals(wantRelu, got, "relu n=" + n + " threads=" + threads);
                    float[] inPlace = Arrays.copyOf(a, a.length);
                    vec.binary(BinaryOp.MUL, inPlace, ao, 1, b, bo, 1, inPlace, ao, n);
                    assertArrayEquals(Arrays.copyOfRange(want, co, co + n), Arrays.copyOfRange(inPlace, ao, ao + n),
                            "in place n=" + n + " threads=" + threads);
                }
            }
        } finally {
            Threads.set(saved);
        }
    }

    @Test
    void maxPool2x2MatchesScalarWithTiesNaNsAndOddSizes() {
        Random r = new Random(5);
        // Widths around every vector length (8, 16 and 32 windows per vector for 256/512-bit floats),
        // odd sizes (the last row and column are dropped), ties and NaNs.
        for (int[] hw : new int[][] {{2, 2}, {3, 5}, {28, 28}, {14, 14}, {4, 64}, {6, 66}, {5, 97}, {2, 130}}) {
            int h = hw[0], w = hw[1], planes = 3, xo = 5, yo = 2, l = (h / 2) * (w / 2);
            float[] x = new float[xo + planes * h * w];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(4) == 0 ? 1f : (float) r.nextGaussian(); // many equal values: ties
                if (r.nextInt(50) == 0) x[i] = Float.NaN;
                if (r.nextInt(50) == 0) x[i] = Float.NEGATIVE_INFINITY;
            }
            float[] want = new float[yo + planes * l], got = new float[yo + planes * l];
            int[] wantIdx = new int[yo + planes * l], gotIdx = new int[yo + planes * l];
            ref.maxPool2x2(x, xo, want, yo, wantIdx, planes, h, w);
            vec.maxPool2x2(x, xo, got, yo, gotIdx, planes, h, w);
            assertArrayEquals(want, got, h + "x" + w);
            assertArrayEquals(wantIdx, gotIdx, h + "x" + w + " indices");
            // An independent check of the rule: the first largest of each window, a NaN replacing the choice.
            for (int pl = 0; pl < planes; pl++) {
                for (int i = 0; i < l; i++) {
                    int row = i / (w / 2), col = i % (w / 2), best = -1;
                    for (int tap : new int[] {2 * row * w + 2 * col, 2 * row * w + 2 * col + 1, (2 * row + 1) * w + 2 * col, (2 * row + 1) * w + 2 * col + 1}) {
                        float v = x[xo + pl * h * w + tap];
                        if (best < 0 || v > x[xo + pl * h * w + best] || Float.isNaN(v)) best = tap;
                    }
                    assertEquals(best, gotIdx[yo + pl * l + i], h + "x" + w + " plane " + pl + " window " + i);
                }
            }
        }
    }

    @Test
    void binaryRejectsOtherStrides() {
        float[] a = new float[10];
        assertThrows(IllegalArgumentException.class, () -> vec.binary(BinaryOp.ADD, a, 0, 2, a, 0, 1, a, 0, 4));
    }

    @Test
    void sumMatchesWithinRounding() {
        Random r = new Random(4);
        for (int n : new int[] {0, 1, 7, 16, 17, 31, 63, 64, 65, 1000, 100_003}) {
            int off = r.nextInt(5);
            float[] a = randomFloats(r, n + off, null);
            double[] d = toDouble(a);
            double abs = 0, exact = 0;
            for (int i = off; i < n + off; i++) { abs += Math.abs(a[i]); exact += a[i]; }
            double tol = (n + 1) * 0x1p-52 * abs;
            assertEquals(exact, vec.sum(a, off, n), tol, "float sum n=" + n);
            assertEquals(exact, vec.sum(d, off, n), tol, "double sum n=" + n);
            assertEquals(ref.sum(a, off, n), vec.sum(a, off, n), tol, "float sum vs scalar n=" + n);
        }
    }

    // ---------------------------------------------------------------- gemm

    /** m, n, k around MR=4/8, NR=16/8 (32/16 with 512-bit vectors), MC=96, KC=256 and NC=4080. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {3, 5, 7}, {4, 16, 16}, {8, 32, 9}, {9, 33, 31}, {15, 16, 17}, {17, 15, 3}, {16, 17, 1}, {95, 97, 255}, {97, 95, 257},
        {4, 300, 33}, {300, 4, 520}, {257, 17, 2}, {1, 300, 300}, {100, 4097, 3}, {33, 8, 600}
    };

    @Test
    void gemmFloatMatchesNaiveProduct() {
        Random r = new Random(5);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                for (boolean acc : new boolean[] {false, true}) {
                    checkGemmFloat(r, vec, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, acc);
                    if ((long) s[0] * s[1] * s[2] < 200_000) checkGemmFloat(r, ref, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, acc);
                }
            }
        }
    }

    @Test
    void gemmDoubleMatchesNaiveProduct() {
        Random r = new Random(6);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                for (boolean acc : new boolean[] {false, true}) {
                    checkGemmDouble(r, vec, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, acc);
                }
            }
        }
    }

    @Test
    void gemmIsIdenticalForOneAndTwoThreadsAndMatchesScalar() {
        int saved = Threads.get();
        try {
            Random r = new Random(7);
            for (int[] s : new int[][] {{300, 301, 129}, {64, 700, 100}, {257, 96, 300}, {70, 2100, 520}}) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = randomFloats(r, m * k, null), b = randomFloats(r, k * n, null);
                    float[] c1 = new float[m * n], c2 = new float[m * n], cs = new float[m * n];
                    Threads.set(1);
                    vec.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c1, 0, n, false);
                    Threads.set(2);
                    vec.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c2, 0, n, false);
                    assertArrayEquals(c1, c2, "1 vs 2 threads must be bit-identical");
                    ref.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, cs, 0, n, false);
                    double[] bound = absProduct(a, b, m, n, k, ta, tb);
                    for (int i = 0; i < m * n; i++) {
                        assertEquals(cs[i], c2[i], 2 * (k + 2) * 0x1p-23 * bound[i], "vs scalar at " + i);
                    }
                }
            }
        } finally {
            Threads.set(saved);
        }
    }

    @Test
    void gemmRejectsBadArguments() {
        float[] a = new float[12], b = new float[12], c = new float[16];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vec.gemm(false, false, 3, 4, 4, a, 0, 3, b, 0, 4, c, 0, 4, false));
        assertTrue(e.getMessage().contains("gemm"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> vec.gemm(false, false, 4, 4, 3, a, 1, 3, b, 0, 4, c, 0, 4, false));
        assertThrows(IllegalArgumentException.class, () -> vec.gemm(false, false, -1, 4, 3, a, 0, 3, b, 0, 4, c, 0, 4, false));
    }

    @Test
    void gemmWithEmptyDepthClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4};
        vec.gemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, true);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c);
        vec.gemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[4], c);
    }

    @Test
    void threadsSettingIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> Threads.set(0));
        assertTrue(Threads.get() >= 1);
    }

    @Test
    void workerPoolRunsEveryTaskOnceAndPropagatesFailures() {
        int[] hits = new int[5];
        WorkerPool.run(5, t -> hits[t]++);
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, hits);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> WorkerPool.run(3, t -> { if (t == 2) throw new IllegalStateException("task " + t); }));
        assertEquals("task 2", e.getMessage());
        // Nested use runs inline instead of waiting on itself.
        int[] inner = new int[4];
        WorkerPool.run(2, t -> WorkerPool.run(2, u -> { synchronized (inner) { inner[2 * t + u]++; } }));
        assertArrayEquals(new int[] {1, 1, 1, 1}, inner);
    }

    /** Σ_p |op(A)(i,p)|·|op(B)(p,j)| for contiguous A, B: the scale of the rounding error. */
    private static double[] absProduct(float[] a, float[] b, int m, int n, int k, boolean ta, boolean tb) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += Math.abs((double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]));
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    private static void checkGemmFloat(Random r, Kernels kern, int m, int n, int k, boolean ta, boolean tb, boolean acc) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + r.nextInt(3), ldb = bCols + r.nextInt(3), ldc = n + r.nextInt(3);
        int ao = r.nextInt(5), bo = r.nextInt(5), co = r.nextInt(5);
        float[] a = randomFloats(r, ao + aRows * lda, null);
        float[] b = randomFloats(r, bo + bRows * ldb, null);
        float[] c = randomFloats(r, co + m * ldc + 3, null);
        float[] c0 = c.clone();
        if (!acc) {
            // C is write-only without accumulate: NaN there must not leak into the result.
            for (int i = 0; i < m; i++) Arrays.fill(c, co + i * ldc, co + i * ldc + n, Float.NaN);
        }
        kern.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, acc);
        String where = kern.name() + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " acc=" + acc;
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - co, i = Math.floorDiv(rel, ldc), j = Math.floorMod(rel, ldc);
            if (rel < 0 || i >= m || j >= n) {
                assertEquals(c0[idx], c[idx], where + ": wrote outside C at " + idx);
                continue;
            }
            double exact = acc ? c0[idx] : 0, abs = acc ? Math.abs(c0[idx]) : 0;
            for (int p = 0; p < k; p++) {
                double x = ta ? a[ao + p * lda + i] : a[ao + i * lda + p];
                double y = tb ? b[bo + j * ldb + p] : b[bo + p * ldb + j];
                exact += x * y;
                abs += Math.abs(x * y);
            }
            // Each of the k+1 additions rounds once with unit roundoff 2^-24: |error| <= (k+1)·2^-24·Σ|terms|.
            double tol = (k + 2) * 0x1p-23 * abs;
            if (!(Math.abs(c[idx] - exact) <= tol)) fail(where + " at (" + i + "," + j + "): " + c[idx] + " vs " + exact);
        }
    }

    private static void checkGemmDouble(Random r, Kernels kern, int m, int n, int k, boolean ta, boolean tb, boolean acc) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + r.nextInt(3), ldb = bCols + r.nextInt(3), ldc = n + r.nextInt(3);
        int ao = r.nextInt(5), bo = r.nextInt(5), co = r.nextInt(5);
        double[] a = toDouble(randomFloats(r, ao + aRows * lda, null));
        double[] b = toDouble(randomFloats(r, bo + bRows * ldb, null));
        for (int i = 0; i < a.length; i++) a[i] *= 1 + 1e-3 * r.nextDouble();
        double[] c = toDouble(randomFloats(r, co + m * ldc + 3, null));
        double[] c0 = c.clone();
        if (!acc) for (int i = 0; i < m; i++) Arrays.fill(c, co + i * ldc, co + i * ldc + n, Double.NaN);
        kern.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, acc);
        String where = kern.name() + " double m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " acc=" + acc;
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - co, i = Math.floorDiv(rel, ldc), j = Math.floorMod(rel, ldc);
            if (rel < 0 || i >= m || j >= n) {
                assertEquals(c0[idx], c[idx], where + ": wrote outside C at " + idx);
                continue;
            }
            double exact = acc ? c0[idx] : 0, abs = acc ? Math.abs(c0[idx]) : 0;
            for (int p = 0; p < k; p++) {
                double x = ta ? a[ao + p * lda + i] : a[ao + i * lda + p];
                double y = tb ? b[bo + j * ldb + p] : b[bo + p * ldb + j];
                exact = Math.fma(x, y, exact);
                abs += Math.abs(x * y);
            }
            // The reference rounds too (each fma once): allow both error budgets.
            double tol = 2 * (k + 2) * 0x1p-52 * abs;
            if (!(Math.abs(c[idx] - exact) <= tol)) fail(where + " at (" + i + "," + j + "): " + c[idx] + " vs " + exact);
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
