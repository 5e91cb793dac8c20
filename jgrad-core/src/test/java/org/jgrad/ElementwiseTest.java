package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every elementwise op: forward against java.lang.Math (float32 and float64, contiguous and
 * strided), first- and second-order gradient checks in float64, broadcasting, the documented
 * gradient conventions at kinks and ties, and the in-place ops.
 */
class ElementwiseTest {

    // ------------------------------------------------------------ inputs

    /** Where an op's inputs are drawn: away from kinks and outside the domain's edges. */
    enum Domain {
        ANY, POSITIVE, AWAY_FROM_ZERO, ABOVE_MINUS_ONE, AWAY_FROM_CLAMP_BOUNDS;

        double sample(Generator g) {
            return switch (this) {
                case ANY -> 1.5 * g.nextGaussian();
                case POSITIVE -> 0.2 + 2.8 * g.nextDouble();
                case AWAY_FROM_ZERO -> (0.15 + 1.85 * g.nextDouble()) * (g.nextDouble() < 0.5 ? -1 : 1);
                case ABOVE_MINUS_ONE -> -0.8 + 3.8 * g.nextDouble();
                case AWAY_FROM_CLAMP_BOUNDS -> {
                    double x;
                    do x = 1.5 * g.nextGaussian(); while (Math.abs(x - CLAMP_LO) < 0.05 || Math.abs(x - CLAMP_HI) < 0.05);
                    yield x;
                }
            };
        }

        double[] sample(Generator g, int n) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = sample(g);
            return v;
        }
    }

    static final double CLAMP_LO = -0.7, CLAMP_HI = 0.9;

    static int[] randomShape(Generator g) {
        int rank = 1 + g.nextInt(3);
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) shape[i] = 1 + g.nextInt(3);
        return shape;
    }

    /** A float64 leaf holding v in row-major order. */
    static Tensor leaf(double[] v, int... shape) {
        return Tensor.of(v, shape).requiresGrad(true);
    }

    /** A [rows, cols] leaf whose storage is column-major (strides [1, rows]): v read as the transpose. */
    static Tensor transposedLeaf(double[] v, int rows, int cols) {
        return Tensor.of(v, cols, rows).transpose(0, 1).detach().requiresGrad(true);
    }

    /** The row-major values of transposedLeaf(v, rows, cols), by index arithmetic. */
    static double[] transposedValues(double[] v, int rows, int cols) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) out[i * cols + j] = v[j * rows + i];
        return out;
    }

    /** A [rows, cols] leaf taking every other column (from column 1) of a [rows, 2·cols] storage. */
    static Tensor steppedLeaf(double[] v, int rows, int cols) {
        return Tensor.of(v, rows, 2 * cols).slice(1, 1, 2 * cols, 2).detach().requiresGrad(true);
    }

    static double[] steppedValues(double[] v, int rows, int cols) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) out[i * cols + j] = v[i * 2 * cols + 1 + 2 * j];
        return out;
    }

    static void assertClose(double[] expected, double[] actual, double rtol, double atol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (e == a) continue; // infinities
            assertTrue(Math.abs(e - a) <= atol + rtol * Math.abs(e),
                    what + ": element " + i + " expected " + e + " but was " + a);
        }
    }

    static double[] map(double[] v, DoubleUnaryOperator f) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = f.applyAsDouble(v[i]);
        return out;
    }

    // ------------------------------------------------------------ independent references

    /** erf by its Maclaurin series in 50-digit decimal arithmetic: no cancellation trouble for |x| ≤ 6. */
    static double referenceErf(double x) {
        MathContext mc = new MathContext(50);
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, mc);
        BigDecimal power = bx; // x^(2n+1) / n! · (−1)^n
        BigDecimal sum = BigDecimal.ZERO;
        for (int n = 0; n < 400; n++) {
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term, mc);
            if (term.abs().compareTo(new BigDecimal("1e-40")) < 0 && n > 5) break;
            power = power.multiply(x2, mc).divide(BigDecimal.valueOf(n + 1), mc).negate();
        }
        BigDecimal twoOverSqrtPi = new BigDecimal("1.1283791670955125738961589031215451716881012586580");
        return sum.multiply(twoOverSqrtPi, mc).doubleValue();
    }

    static double referencePhi(double x) {
        return 0.5 * (1 + referenceErf(x / Math.sqrt(2)));
    }

    @Test
    void referenceErfMatchesKnownValues() {
        assertEquals(0.8427007929497149, referenceErf(1), 1e-16);
        assertEquals(-0.9953222650189527, referenceErf(-2), 1e-16);
        assertEquals(0.8413447460685429, referencePhi(1), 1e-16);
        assertEquals(0.9772498680518208, referencePhi(2), 1e-16);
        assertEquals(0.8413447460685429, org.jgrad.kernels.SpecialFunctions.normalCdf(1), 1e-15);
        for (double x = -6; x <= 6; x += 0.37) {
            assertEquals(referenceErf(x), org.jgrad.kernels.SpecialFunctions.erf(x), 2e-15, "erf(" + x + ")");
        }
    }

    // ------------------------------------------------------------ unary ops

    record Unary(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, Domain domain, boolean smooth) {}

    static List<Unary> unaryOps() {
        double a = 0.1, e = 1.3;
        return List.of(
                new Unary("neg", Tensor::neg, x -> -x, Domain.ANY, true),
                new Unary("add(2.5)", x -> x.add(2.5), x -> x + 2.5, Domain.ANY, true),
                new Unary("sub(0.75)", x -> x.sub(0.75), x -> x - 0.75, Domain.ANY, true),
                new Unary("mul(-3)", x -> x.mul(-3), x -> -3 * x, Domain.ANY, true),
                new Unary("div(4)", x -> x.div(4), x -> x / 4, Domain.ANY, true),
                new Unary("pow(3)", x -> x.pow(3), x -> x * x * x, Domain.ANY, true),
                new Unary("pow(2)", x -> x.pow(2), x -> x * x, Domain.ANY, true),
                new Unary("pow(1)", x -> x.pow(1), x -> x, Domain.ANY, true),
                new Unary("pow(0)", x -> x.pow(0), x -> 1, Domain.ANY, true),
                new Unary("pow(0.5)", x -> x.pow(0.5), Math::sqrt, Domain.POSITIVE, true),
                new Unary("pow(-1)", x -> x.pow(-1), x -> 1 / x, Domain.POSITIVE, true),
                new Unary("pow(2.5)", x -> x.pow(2.5), x -> Math.exp(2.5 * Math.log(x)), Domain.POSITIVE, true),
                new Unary("pow(-1.5)", x -> x.pow(-1.5), x -> Math.exp(-1.5 * Math.log(x)), Domain.POSITIVE, true),
                new Unary("exp", Tensor::exp, Math::exp, Domain.ANY, true),
                new Unary("log", Tensor::log, Math::log, Domain.POSITIVE, true),
                new Unary("log1p", Tensor::log1p, Math::log1p, Domain.ABOVE_MINUS_ONE, true),
                new Unary("sqrt", Tensor::sqrt, Math::sqrt, Domain.POSITIVE, true),
                new Unary("abs", Tensor::abs, Math::abs, Domain.AWAY_FROM_ZERO, true),
                new Unary("sign", Tensor::sign, Math::signum, Domain.AWAY_FROM_ZERO, true),
                new Unary("sin", Tensor::sin, Math::sin, Domain.ANY, true),
                new Unary("cos", Tensor::cos, Math::cos, Domain.ANY, true),
                new Unary("tanh", Tensor::tanh, Math::tanh, Domain.ANY, true),
                new Unary("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), Domain.ANY, true),
                new Unary("relu", Tensor::relu, x -> Math.max(x, 0), Domain.AWAY_FROM_ZERO, true),
                new Unary("leakyRelu(0.1)", x -> x.leakyRelu(a), x -> x > 0 ? x : a * x, Domain.AWAY_FROM_ZERO, true),
                new Unary("elu(1.3)", x -> x.elu(e), x -> x > 0 ? x : e * (Math.exp(x) - 1), Domain.AWAY_FROM_ZERO, true),
                new Unary("softplus", Tensor::softplus, x -> Math.log(1 + Math.exp(x)), Domain.ANY, true),
                new Unary("atan", Tensor::atan, Math::atan, Domain.ANY, true),
                new Unary("softsign", Tensor::softsign, x -> x / (1 + Math.abs(x)), Domain.AWAY_FROM_ZERO, true),
                new Unary("gelu", Tensor::gelu, x -> x * referencePhi(x), Domain.ANY, true),
                new Unary("clamp", x -> x.clamp(CLAMP_LO, CLAMP_HI), x -> Math.min(Math.max(x, CLAMP_LO), CLAMP_HI),
                        Domain.AWAY_FROM_CLAMP_BOUNDS, true));
    }

    @TestFactory
    Stream<DynamicTest> unaryForwardFloat64() {
        return unaryOps().stream().map(u -> DynamicTest.dynamicTest(u.name(), () -> {
            Generator g = new Generator(11);
            double[] v = u.domain().sample(g, 60);
            Tensor y = u.op().apply(Tensor.of(v, 3, 4, 5));
            assertEquals(DType.FLOAT64, y.dtype());
            assertArrayEquals(new int[] {3, 4, 5}, y.shape());
            assertClose(map(v, u.ref()), y.toDoubleArray(), 1e-13, 1e-15, u.name());
        }));
    }

    @TestFactory
    Stream<DynamicTest> unaryForwardFloat32() {
        return unaryOps().stream().map(u -> DynamicTest.dynamicTest(u.name(), () -> {
            Generator g = new Generator(12);
            double[] v = u.domain().sample(g, 37);
            float[] f = new float[v.length];
            double[] asFloat = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
                asFloat[i] = f[i];
            }
            Tensor y = u.op().apply(Tensor.of(f, 37));
            assertEquals(DType.FLOAT32, y.dtype());
            assertClose(map(asFloat, u.ref()), y.toDoubleArray(), 1e-6, 1e-7, u.name());
        }));
    }

    @TestFactory
    Stream<DynamicTest> unaryForwardOnStridedViews() {
        return unaryOps().stream().map(u -> DynamicTest.dynamicTest(u.name(), () -> {
            Generator g = new Generator(13);
            double[] v = u.domain().sample(g, 24);
            try (var scope = Autograd.noGrad()) {
                Tensor t = Tensor.of(v, 6, 4).transpose(0, 1); // [4, 6]
                assertClose(map(transposedValues(v, 4, 6), u.ref()), u.op().apply(t).toDoubleArray(), 1e-13, 1e-15,
                        u.name() + " transposed");
                Tensor s = Tensor.of(v, 3, 8).slice(1, 1, 8, 2); // [3, 4]
                assertClose(map(steppedValues(v, 3, 4), u.ref()), u.op().apply(s).toDoubleArray(), 1e-13, 1e-15,
                        u.name() + " stepped");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> unaryGradCheck() {
        return unaryOps().stream().map(u -> DynamicTest.dynamicTest(u.name(), () -> {
            Generator g = new Generator(u.name().hashCode());
            for (int trial = 0; trial < 3; trial++) {
                int[] shape = randomShape(g);
                Tensor x = leaf(u.domain().sample(g, Shapes.numel(shape)), shape);
                GradCheck.check(in -> u.op().apply(in.get(0)), x);
                if (u.smooth()) GradCheck.checkSecondOrder(in -> u.op().apply(in.get(0)), x);
            }
            Tensor t = transposedLeaf(u.domain().sample(g, 6), 2, 3);
            GradCheck.check(in -> u.op().apply(in.get(0)), t);
            Tensor s = steppedLeaf(u.domain().sample(g, 12), 2, 3);
            GradCheck.check(in -> u.op().apply(in.get(0)), s);
            if (u.smooth()) GradCheck.checkSecondOrder(in -> u.op().apply(in.get(0)), s);
            Tensor r0 = Tensor.scalar(DType.FLOAT64, u.domain().sample(g)).requiresGrad(true);
            GradCheck.check(in -> u.op().apply(in.get(0)), r0);
        }));
    }

    @Test
    void unaryOnInt64ComputesInFloat64() {
        Tensor i = Tensor.of(new long[] {1, 4, 9}, 3);
        Tensor r = i.sqrt();
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[] {1, 2, 3}, r.toDoubleArray());
        assertEquals(DType.FLOAT64, i.add(0.5).dtype());
        assertArrayEquals(new double[] {1.5, 4.5, 9.5}, i.add(0.5).toDoubleArray());
    }

    @Test
    void unaryKeepsFloat32AndRank0() {
        Tensor s = Tensor.scalar(0.25f);
        Tensor y = s.exp();
        assertEquals(DType.FLOAT32, y.dtype());
        assertEquals(0, y.dim());
        assertEquals(Math.exp(0.25), y.item(), 1e-6);
        assertEquals(DType.FLOAT32, Tensor.ones(3).mul(2.5).dtype());
    }

    @Test
    void clampRejectsInvertedBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2).clamp(1, -1));
        assertTrue(e.getMessage().contains("clamp"), e.getMessage());
    }

    // ------------------------------------------------------------ binary ops

    record Binary(String name, BinaryOperator<Tensor> op, DoubleBinaryOperator ref, Domain left, Domain right,
                  boolean smooth) {}

    static List<Binary> binaryOps() {
        return List.of(
                new Binary("add", Tensor::add, Double::sum, Domain.ANY, Domain.ANY, true),
                new Binary("sub", Tensor::sub, (x, y) -> x - y, Domain.ANY, Domain.ANY, true),
                new Binary("mul", Tensor::mul, (x, y) -> x * y, Domain.ANY, Domain.ANY, true),
                new Binary("div", Tensor::div, (x, y) -> x / y, Domain.ANY, Domain.AWAY_FROM_ZERO, true),
                new Binary("pow", Tensor::pow, Math::pow, Domain.POSITIVE, Domain.ANY, true),
                new Binary("maximum", Tensor::maximum, Math::max, Domain.ANY, Domain.ANY, true),
                new Binary("minimum", Tensor::minimum, Math::min, Domain.ANY, Domain.ANY, true),
                new Binary("where(a>b)", (x, y) -> Tensor.where(x.gt(y), x.mul(y), y.sin()),
                        (x, y) -> x > y ? x * y : Math.sin(y), Domain.ANY, Domain.ANY, true));
    }

    /** Pairs of shapes that broadcast, with the shape they broadcast to (worked out by hand). */
    static final int[][][] BROADCAST_CASES = {
            {{3, 1, 4}, {5, 1}, {3, 5, 4}},
            {{5, 1}, {3, 1, 4}, {3, 5, 4}},
            {{2, 3}, {}, {2, 3}},
            {{}, {2, 3}, {2, 3}},
            {{2, 3}, {1}, {2, 3}},
            {{4}, {3, 1}, {3, 4}},
            {{2, 3}, {2, 3}, {2, 3}},
            {{}, {}, {}},
            {{1, 3, 1}, {2, 1, 2}, {2, 3, 2}},
    };

    /** out[idx] = f(a[idx broadcast], b[idx broadcast]) by index arithmetic on row-major arrays. */
    static double[] naiveBroadcast(double[] a, int[] sa, double[] b, int[] sb, int[] out, DoubleBinaryOperator f) {
        int n = 1;
        for (int s : out) n *= s;
        double[] r = new double[n];
        int[] idx = new int[out.length];
        for (int k = 0; k < n; k++) {
            int rem = k;
            for (int d = out.length - 1; d >= 0; d--) {
                idx[d] = rem % out[d];
                rem /= out[d];
            }
            r[k] = f.applyAsDouble(a[flat(idx, sa)], b[flat(idx, sb)]);
        }
        return r;
    }

    static int flat(int[] outIdx, int[] shape) {
        int lead = outIdx.length - shape.length, f = 0;
        for (int d = 0; d < shape.length; d++) f = f * shape[d] + (shape[d] == 1 ? 0 : outIdx[lead + d]);
        return f;
    }

    @TestFactory
    Stream<DynamicTest> binaryForwardBroadcasting() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Binary b : binaryOps()) {
            for (int[][] c : BROADCAST_CASES) {
                tests.add(DynamicTest.dynamicTest(b.name() + " " + Shapes.str(c[0]) + " with " + Shapes.str(c[1]), () -> {
                    Generator g = new Generator(21);
                    double[] x = b.left().sample(g, Shapes.numel(c[0]));
                    double[] y = b.right().sample(g, Shapes.numel(c[1]));
                    double[] expected = naiveBroadcast(x, c[0], y, c[1], c[2], b.ref());
                    Tensor out = b.op().apply(Tensor.of(x, c[0]), Tensor.of(y, c[1]));
                    assertArrayEquals(c[2], out.shape());
                    assertEquals(DType.FLOAT64, out.dtype());
                    assertClose(expected, out.toDoubleArray(), 1e-14, 1e-15, b.name());

                    float[] xf = new float[x.length], yf = new float[y.length];
                    double[] xd = new double[x.length], yd = new double[y.length];
                    for (int i = 0; i < x.length; i++) xd[i] = xf[i] = (float) x[i];
                    for (int i = 0; i < y.length; i++) yd[i] = yf[i] = (float) y[i];
                    Tensor out32 = b.op().apply(Tensor.of(xf, c[0]), Tensor.of(yf, c[1]));
                    assertEquals(DType.FLOAT32, out32.dtype());
                    assertClose(naiveBroadcast(xd, c[0], yd, c[1], c[2], b.ref()), out32.toDoubleArray(), 1e-6, 1e-6,
                            b.name() + " float32");
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> binaryForwardOnStridedViews() {
        return binaryOps().stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> {
            Generator g = new Generator(22);
            double[] x = b.left().sample(g, 12), y = b.right().sample(g, 24), z = b.right().sample(g, 4);
            try (var scope = Autograd.noGrad()) {
                Tensor xt = Tensor.of(x, 4, 3).transpose(0, 1);       // [3, 4], column-major
                Tensor ys = Tensor.of(y, 3, 8).slice(1, 1, 8, 2);     // [3, 4], every other column
                double[] expected = naiveBroadcast(transposedValues(x, 3, 4), new int[] {3, 4},
                        steppedValues(y, 3, 4), new int[] {3, 4}, new int[] {3, 4}, b.ref());
                assertClose(expected, b.op().apply(xt, ys).toDoubleArray(), 1e-14, 1e-15, b.name() + " t×s");
                // A strided left operand with a broadcast right one, and the other way round.
                Tensor zs = Tensor.of(z, 4);
                double[] e2 = naiveBroadcast(transposedValues(x, 3, 4), new int[] {3, 4}, z, new int[] {4},
                        new int[] {3, 4}, b.ref());
                assertClose(e2, b.op().apply(xt, zs).toDoubleArray(), 1e-14, 1e-15, b.name() + " t×[4]");
                // A [3, 1] column cut from a wider storage, broadcast along the rows.
                Tensor zc3 = Tensor.of(new double[] {z[0], 0, z[2], 0, z[1], 0}, 3, 2).slice(1, 0, 1);
                double[] e3 = naiveBroadcast(new double[] {z[0], z[2], z[1]}, new int[] {3, 1}, steppedValues(y, 3, 4),
                        new int[] {3, 4}, new int[] {3, 4}, b.ref());
                assertClose(e3, b.op().apply(zc3, ys).toDoubleArray(), 1e-14, 1e-15, b.name() + " [3,1]×s");
                // An operand that is already an expanded view (stride 0) of the output's shape.
                Tensor ze = zs.expand(3, 4);
                double[] e4 = naiveBroadcast(transposedValues(x, 3, 4), new int[] {3, 4}, z, new int[] {4},
                        new int[] {3, 4}, b.ref());
                assertClose(e4, b.op().apply(xt, ze).toDoubleArray(), 1e-14, 1e-15, b.name() + " t×expanded");
            }
        }));
    }

    @Test
    void coalescedWalksKeepLongRuns() {
        // A contiguous [2, 3, 4, 5] plus a [3, 1, 1] bias: H and W merge into one run of 20.
        int[] shape = {2, 3, 4, 5};
        int[][] w = Strided.coalesce(shape, new int[] {60, 20, 5, 1}, new int[] {0, 1, 0, 0});
        assertArrayEquals(new int[] {2, 3, 20}, w[0]);
        assertArrayEquals(new int[] {60, 20, 1}, w[1]);
        assertArrayEquals(new int[] {0, 1, 0}, w[2]);
        // A column [4096, 1]: the trailing 1 goes, leaving one run instead of 4096.
        int[][] col = Strided.coalesce(new int[] {4096, 1}, new int[] {1, 1}, new int[] {0, 0});
        assertArrayEquals(new int[] {4096}, col[0]);
        // All size 1: rank 0, a single run of one element.
        assertArrayEquals(new int[] {}, Strided.coalesce(new int[] {1, 1}, new int[] {7, 3})[0]);
        // A transposed layout does not merge.
        assertArrayEquals(new int[] {3, 4}, Strided.coalesce(new int[] {3, 4}, new int[] {1, 3})[0]);
    }

    @Test
    void binaryOpsOverSize1AndStridedTrailingDims() {
        Generator g = new Generator(23);
        double[] x = Domain.ANY.sample(g, 12), y = Domain.ANY.sample(g, 5);
        // [6, 1] read from every other element of a [6, 2]: after dropping the 1, its run has stride 2.
        Tensor a = Tensor.of(x, 6, 2).slice(1, 0, 1);
        Tensor b = Tensor.of(new double[] {y[0], y[1], y[2], y[3], y[4], y[0]}, 6, 1);
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) expected[i] = x[2 * i] * b.get(i, 0);
        assertArrayEquals(expected, a.mul(b).toDoubleArray(), 1e-15);
        // [2, 3, 1, 4] with a [3, 1, 1] that broadcasts over the last dim.
        double[] u = Domain.ANY.sample(g, 24), v = {y[0], y[1], y[2]};
        double[] e2 = naiveBroadcast(u, new int[] {2, 3, 1, 4}, v, new int[] {3, 1, 1}, new int[] {2, 3, 1, 4}, Double::sum);
        assertArrayEquals(e2, Tensor.of(u, 2, 3, 1, 4).add(Tensor.of(v, 3, 1, 1)).toDoubleArray(), 1e-15);
        GradCheck.check(in -> in.get(0).mul(in.get(1)), Tensor.of(x, 6, 2).slice(1, 0, 1).detach().requiresGrad(true),
                leaf(b.toDoubleArray(), 6, 1));
    }

    @TestFactory
    Stream<DynamicTest> binaryGradCheck() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Binary b : binaryOps()) {
            for (int[][] c : BROADCAST_CASES) {
                tests.add(DynamicTest.dynamicTest(b.name() + " " + Shapes.str(c[0]) + " with " + Shapes.str(c[1]), () -> {
                    Generator g = new Generator(31 + b.name().hashCode());
                    Tensor x = leaf(b.left().sample(g, Shapes.numel(c[0])), c[0]);
                    Tensor y = leaf(b.right().sample(g, Shapes.numel(c[1])), c[1]);
                    GradCheck.check(in -> b.op().apply(in.get(0), in.get(1)), x, y);
                    if (b.smooth()) GradCheck.checkSecondOrder(in -> b.op().apply(in.get(0), in.get(1)), x, y);
                    // Only one side requiring grad.
                    Tensor yConst = Tensor.of(y.toDoubleArray(), c[1]);
                    GradCheck.check(in -> b.op().apply(in.get(0), in.get(1)), x, yConst);
                }));
            }
            tests.add(DynamicTest.dynamicTest(b.name() + " strided leaves", () -> {
                Generator g = new Generator(41 + b.name().hashCode());
                Tensor xt = transposedLeaf(b.left().sample(g, 12), 3, 4);
                Tensor ys = steppedLeaf(b.right().sample(g, 24), 3, 4);
                Tensor zs = steppedLeaf(b.right().sample(g, 8), 1, 4);
                GradCheck.check(in -> b.op().apply(in.get(0), in.get(1)), xt, ys);
                GradCheck.check(in -> b.op().apply(in.get(0), in.get(1)), xt, zs);
                if (b.smooth()) GradCheck.checkSecondOrder(in -> b.op().apply(in.get(0), in.get(1)), xt, ys);
            }));
        }
        return tests.stream();
    }

    @Test
    void broadcastingErrorNamesOpAndShapes() {
        for (BinaryOperator<Tensor> op : List.<BinaryOperator<Tensor>>of(Tensor::add, Tensor::mul, Tensor::maximum)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> op.apply(Tensor.zeros(2, 3), Tensor.zeros(4)));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(e.getMessage().startsWith("add"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).sub(Tensor.zeros(4)));
        assertTrue(e.getMessage().startsWith("sub"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.where(Tensor.zeros(2, 3), Tensor.zeros(3), Tensor.zeros(2)));
        assertTrue(e.getMessage().startsWith("where"), e.getMessage());
    }

    @Test
    void mixedDtypesPromote() {
        Tensor f = Tensor.of(new float[] {1.5f, 2.5f}, 2);
        Tensor d = Tensor.of(0.25, 0.5);
        Tensor l = Tensor.of(new long[] {3, 4}, 2);
        assertEquals(DType.FLOAT64, f.add(d).dtype());
        assertEquals(DType.FLOAT64, d.mul(f).dtype());
        assertArrayEquals(new double[] {1.75, 3.0}, f.add(d).toDoubleArray());
        assertEquals(DType.FLOAT32, f.add(l).dtype());
        assertEquals(DType.FLOAT64, l.add(d).dtype());
        assertEquals(DType.FLOAT64, l.div(l).dtype());
        assertArrayEquals(new double[] {0.75, 1.0}, Tensor.of(new long[] {3, 4}, 2).div(Tensor.of(new long[] {4, 4}, 2))
                .toDoubleArray());
        // The float32 input receives a float32 gradient even though the op ran in float64.
        Tensor fx = Tensor.of(new float[] {1.5f, 2.5f}, 2).requiresGrad(true);
        fx.mul(d).sum().backward();
        assertEquals(DType.FLOAT32, fx.grad().dtype());
        assertArrayEquals(new double[] {0.25, 0.5}, fx.grad().toDoubleArray());
    }

    @Test
    void mixedDtypeGradCheckThroughFloat32Constant() {
        // float32 constants mixed into a float64 computation must not lose precision in the gradient.
        Generator g = new Generator(5);
        Tensor x = leaf(Domain.ANY.sample(g, 6), 2, 3);
        Tensor c = Tensor.of(new float[] {0.5f, -1.25f, 2f}, 3);
        GradCheck.check(in -> in.get(0).mul(c).add(c).div(c.abs()), x);
    }

    // ------------------------------------------------------------ comparisons and where

    @Test
    void comparisons() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(3, 2, 6);
        double[] av = a.toDoubleArray(), bv = b.toDoubleArray();
        record Cmp(String name, BinaryOperator<Tensor> op, DoubleBinaryOperator ref) {}
        List<Cmp> cmps = List.of(
                new Cmp("gt", Tensor::gt, (x, y) -> x > y ? 1 : 0),
                new Cmp("ge", Tensor::ge, (x, y) -> x >= y ? 1 : 0),
                new Cmp("lt", Tensor::lt, (x, y) -> x < y ? 1 : 0),
                new Cmp("le", Tensor::le, (x, y) -> x <= y ? 1 : 0),
                new Cmp("eq", Tensor::eq, (x, y) -> x == y ? 1 : 0),
                new Cmp("ne", Tensor::ne, (x, y) -> x != y ? 1 : 0));
        for (Cmp c : cmps) {
            double[] expected = naiveBroadcast(av, new int[] {2, 3}, bv, new int[] {3}, new int[] {2, 3}, c.ref());
            Tensor r = c.op().apply(a, b);
            assertArrayEquals(expected, r.toDoubleArray(), c.name());
            assertEquals(DType.FLOAT64, r.dtype());
            // int64 operands give a float32 mask.
            Tensor li = c.op().apply(Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3), Tensor.of(new long[] {3, 2, 6}, 3));
            assertEquals(DType.FLOAT32, li.dtype());
            assertArrayEquals(expected, li.toDoubleArray(), c.name() + " int64");
            // Not differentiable: a comparison cuts the graph.
            Tensor x = leaf(av.clone(), 2, 3);
            assertFalse(c.op().apply(x, b).requiresGrad(), c.name());
        }
        assertArrayEquals(new double[] {0, 0, 1, 1, 1, 1}, a.gt(2.5).toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0}, a.eq(2).toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 0}, Tensor.of(new long[] {1, 2, 3}, 3).lt(2.5).toDoubleArray());
        assertArrayEquals(new double[] {1, 0}, Tensor.of(Double.NaN, 1).ne(Tensor.of(Double.NaN, 1)).toDoubleArray());
    }

    @Test
    void whereSelectsAndRoutesGradients() {
        Tensor cond = Tensor.of(new double[] {1, 0, -2}, 3);
        Tensor a = leaf(new double[] {10, 20, 30, 40, 50, 60}, 2, 3);
        Tensor b = Tensor.scalar(DType.FLOAT64, -1).requiresGrad(true);
        Tensor w = Tensor.where(cond, a, b);
        assertArrayEquals(new int[] {2, 3}, w.shape());
        assertArrayEquals(new double[] {10, -1, 30, 40, -1, 60}, w.toDoubleArray());
        w.sum().backward();
        assertArrayEquals(new double[] {1, 0, 1, 1, 0, 1}, a.grad().toDoubleArray());
        assertEquals(2, b.grad().item());
        // NaN on the unselected side does not leak into the value.
        Tensor x = leaf(new double[] {-1, 4}, 2);
        Tensor safe = Tensor.where(x.gt(0), x.sqrt(), x.mul(0));
        assertArrayEquals(new double[] {-0.0, 2}, safe.toDoubleArray()); // −1·0 is −0
        assertEquals(DType.FLOAT32, Tensor.where(Tensor.ones(2), Tensor.ones(2), Tensor.zeros(2)).dtype());
    }

    // ------------------------------------------------------------ documented conventions

    static double[] gradOf(UnaryOperator<Tensor> f, double... x) {
        Tensor t = Tensor.of(x).requiresGrad(true);
        f.apply(t).sum().backward();
        return t.grad().toDoubleArray();
    }

    @Test
    void gradientConventionsAtKinks() {
        assertArrayEquals(new double[] {0, 0, 1}, gradOf(Tensor::relu, -1, 0, 2), "relu'(0) = 0");
        assertArrayEquals(new double[] {-1, 0, 1}, gradOf(Tensor::abs, -1, 0, 2), "abs'(0) = 0");
        assertArrayEquals(new double[] {0, 0, 0}, gradOf(Tensor::sign, -1, 0, 2), "sign' = 0");
        assertArrayEquals(new double[] {0.1, 0.1, 1}, gradOf(x -> x.leakyRelu(0.1), -1, 0, 2), "leakyRelu'(0) = α");
        assertArrayEquals(new double[] {0, 1, 1, 1, 0}, gradOf(x -> x.clamp(-1, 1), -2, -1, 0, 1, 2),
                "clamp passes the gradient at its bounds");
        assertEquals(2.0, gradOf(x -> x.elu(2.0), 0)[0], 1e-15, "elu'(0) from the left: α·e⁰");
    }

    @Test
    void maximumAndMinimumSplitTies() {
        Tensor a = leaf(new double[] {1, 2, 3}, 3), b = leaf(new double[] {1, 5, 0}, 3);
        a.maximum(b).sum().backward();
        assertArrayEquals(new double[] {0.5, 0, 1}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {0.5, 1, 0}, b.grad().toDoubleArray());
        Tensor c = leaf(new double[] {1, 2, 3}, 3), d = leaf(new double[] {1, 5, 0}, 3);
        c.minimum(d).sum().backward();
        assertArrayEquals(new double[] {0.5, 1, 0}, c.grad().toDoubleArray());
        assertArrayEquals(new double[] {0.5, 0, 1}, d.grad().toDoubleArray());
        // A broadcast scalar tied with two elements collects both halves.
        Tensor s = Tensor.scalar(DType.FLOAT64, 2).requiresGrad(true);
        Tensor v = leaf(new double[] {2, 2, 7}, 3);
        v.maximum(s).sum().backward();
        assertEquals(1.0, s.grad().item());
        assertArrayEquals(new double[] {0.5, 0.5, 1}, v.grad().toDoubleArray());
    }

    @Test
    void powWithTensorExponentAtZeroBase() {
        Tensor a = leaf(new double[] {0, 2}, 2);
        Tensor b = leaf(new double[] {2, 3}, 2);
        Tensor y = a.pow(b);
        assertArrayEquals(new double[] {0, 8}, y.toDoubleArray());
        y.sum().backward();
        assertArrayEquals(new double[] {0, 12}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {0, 8 * Math.log(2)}, b.grad().toDoubleArray(), 1e-14);
    }

    // ------------------------------------------------------------ in place

    @Test
    void inPlaceOnContiguousTargets() {
        Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        int v0 = t.storage.version();
        assertSame(t, t.addInPlace(Tensor.of(10, 20, 30)));
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, t.toDoubleArray());
        t.subInPlace(Tensor.scalar(DType.FLOAT64, 1));
        assertArrayEquals(new double[] {10, 21, 32, 13, 24, 35}, t.toDoubleArray());
        t.mulInPlace(Tensor.of(new double[] {2, 3}, 2, 1));
        assertArrayEquals(new double[] {20, 42, 64, 39, 72, 105}, t.toDoubleArray());
        t.mulInPlace(0.5);
        assertArrayEquals(new double[] {10, 21, 32, 19.5, 36, 52.5}, t.toDoubleArray());
        t.copyInPlace(Tensor.of(7, 8, 9));
        assertArrayEquals(new double[] {7, 8, 9, 7, 8, 9}, t.toDoubleArray());
        t.fillInPlace(-2);
        assertArrayEquals(new double[] {-2, -2, -2, -2, -2, -2}, t.toDoubleArray());
        assertEquals(v0 + 6, t.storage.version(), "each in-place op bumps the version once");
        // A float32 target stays float32 when the operand is float64.
        Tensor f = Tensor.ones(2);
        f.addInPlace(Tensor.of(0.5, 0.25));
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new double[] {1.5, 1.25}, f.toDoubleArray());
    }

    @Test
    void inPlaceSameShapeUpdatesMatchTheOutOfPlaceOps() {
        // The optimizer's case (contiguous, same shape and dtype) runs straight into the storage.
        Generator gen = new Generator(31);
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {1, 7, 33, 1000}) {
                Tensor a = Tensor.randn(gen, n).to(dt), b = Tensor.randn(gen, n).to(dt);
                double[] sum = a.add(b).toDoubleArray(), diff = a.sub(b).toDoubleArray(), prod = a.mul(b).toDoubleArray();
                double[] bv = b.toDoubleArray();
                Tensor t = a.copy();
                t.addInPlace(b);
                assertArrayEquals(sum, t.toDoubleArray(), 0, dt + " add");
                t = a.copy();
                t.subInPlace(b);
                assertArrayEquals(diff, t.toDoubleArray(), 0, dt + " sub");
                t = a.copy();
                t.mulInPlace(b);
                assertArrayEquals(prod, t.toDoubleArray(), 0, dt + " mul");
                t = a.copy();
                t.addInPlace(t); // an exact alias: each element read before it is written
                assertArrayEquals(a.mul(2).toDoubleArray(), t.toDoubleArray(), 0, dt + " alias");
                assertArrayEquals(bv, b.toDoubleArray(), 0, "the operand is unchanged");
            }
        }
    }

    @Test
    void addScaledInPlaceEqualsAddOfAScaledCopy() {
        Generator gen = new Generator(32);
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {1, 5, 64, 1001, (1 << 18) + 3}) {
                Tensor a = Tensor.randn(gen, n).to(dt), b = Tensor.randn(gen, n).to(dt);
                double[] want = a.add(b.mul(-0.37)).toDoubleArray();
                Tensor t = a.copy();
                assertSame(t, t.addInPlace(b, -0.37));
                assertArrayEquals(want, t.toDoubleArray(), 0, dt + " n=" + n + ": the same bits as add(mul)");
            }
        }
        // Broadcast and strided operands take the general path.
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        m.addInPlace(Tensor.of(new double[] {10, 20, 30}, 3), 0.5);
        assertArrayEquals(new double[] {6, 12, 18, 9, 15, 21}, m.toDoubleArray());
        Tensor tr = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        tr.t().addInPlace(Tensor.of(new double[] {1, 1, 0, 0}, 2, 2), 2);
        assertArrayEquals(new double[] {3, 2, 5, 4}, tr.toDoubleArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).addInPlace(Tensor.zeros(3, 2), 1));
        assertTrue(e.getMessage().contains("addInPlace"), e.getMessage());
    }

    @Test
    void inPlaceOnStridedTargetsWritesThroughToTheBase() {
        Tensor base = Tensor.zeros(DType.FLOAT64, 3, 6);
        Tensor even = base.slice(1, 0, 6, 2); // [3, 3], columns 0, 2, 4
        even.addInPlace(Tensor.of(1, 2, 3));
        double[] expected = new double[18];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) expected[i * 6 + 2 * j] = j + 1;
        assertArrayEquals(expected, base.toDoubleArray());

        Tensor tr = base.transpose(0, 1); // [6, 3]
        tr.mulInPlace(Tensor.of(new double[] {1, 10, 100}, 3));
        for (int i = 0; i < 3; i++) for (int j = 0; j < 6; j++) expected[i * 6 + j] *= Math.pow(10, i);
        assertArrayEquals(expected, base.toDoubleArray());

        Tensor odd = base.slice(1, 1, 6, 2);
        odd.copyInPlace(Tensor.of(new double[] {-1, -2, -3}, 3, 1));
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) expected[i * 6 + 2 * j + 1] = -(i + 1);
        assertArrayEquals(expected, base.toDoubleArray());

        base.select(0, -1).subInPlace(Tensor.scalar(DType.FLOAT64, 1));
        for (int j = 0; j < 6; j++) expected[12 + j] -= 1;
        assertArrayEquals(expected, base.toDoubleArray());

        base.slice(0, 0, 3, 2).fillInPlace(9); // rows 0 and 2
        for (int j = 0; j < 6; j++) expected[j] = expected[12 + j] = 9;
        assertArrayEquals(expected, base.toDoubleArray());
    }

    @Test
    void copyInPlaceFromAnOverlappingViewOfItself() {
        Tensor t = Tensor.of(1, 2, 3, 4, 5);
        t.slice(0, 1, 5).copyInPlace(t.slice(0, 0, 4)); // shift right by one
        assertArrayEquals(new double[] {1, 1, 2, 3, 4}, t.toDoubleArray());
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        m.copyInPlace(m.t());
        assertArrayEquals(new double[] {1, 3, 2, 4}, m.toDoubleArray());
        Tensor s = Tensor.of(1, 2, 3, 4);
        s.slice(0, 1, 4).addInPlace(s.slice(0, 0, 3));
        assertArrayEquals(new double[] {1, 3, 5, 7}, s.toDoubleArray());
    }

    @Test
    void inPlaceRejectsShapesThatDoNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3).addInPlace(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("addInPlace") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).copyInPlace(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("copyInPlace"), e.getMessage());
    }

    @Test
    void inPlaceRefusesTensorsRequiringGradOutsideNoGrad() {
        Tensor w = Tensor.ones(DType.FLOAT64, 3).requiresGrad(true);
        List<Runnable> ops = List.of(
                () -> w.addInPlace(Tensor.ones(3)), () -> w.subInPlace(Tensor.ones(3)),
                () -> w.mulInPlace(Tensor.ones(3)), () -> w.mulInPlace(2), () -> w.copyInPlace(Tensor.ones(3)),
                () -> w.fillInPlace(0));
        for (Runnable op : ops) {
            assertThrows(IllegalStateException.class, op::run);
        }
        assertArrayEquals(new double[] {1, 1, 1}, w.toDoubleArray(), "refused ops leave the values alone");
        // A view computed from w is part of the graph too.
        assertThrows(IllegalStateException.class, () -> w.slice(0, 0, 2).fillInPlace(0));
        try (var scope = Autograd.noGrad()) {
            w.addInPlace(Tensor.ones(3)).mulInPlace(3);
        }
        assertArrayEquals(new double[] {6, 6, 6}, w.toDoubleArray());
        assertTrue(w.requiresGrad());
    }

    @Test
    void inPlaceChangeOfASavedTensorIsDetectedByBackward() {
        Tensor w = Tensor.ones(DType.FLOAT64, 3).requiresGrad(true);
        Tensor x = Tensor.of(1, 2, 3);
        Tensor y = w.mul(x).sum();
        x.mulInPlace(2);
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void int64InPlaceTruncatesLikeACast() {
        Tensor l = Tensor.of(new long[] {3, 4, 5}, 3);
        l.mulInPlace(0.5);
        assertArrayEquals(new long[] {1, 2, 2}, l.toLongArray());
        l.addInPlace(Tensor.of(0.75, 1, 2));
        assertArrayEquals(new long[] {1, 3, 4}, l.toLongArray());
    }
}
