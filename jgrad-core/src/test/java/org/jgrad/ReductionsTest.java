package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ReductionsTest {

    /** A reduction to test: a shape and the dimensions reduced (negative ones included). */
    record Case(int[] shape, int[] dims) {
        @Override
        public String toString() {
            return Arrays.toString(shape) + " over " + Arrays.toString(dims);
        }
    }

    static final List<Case> CASES = List.of(
            new Case(new int[] {7}, new int[] {0}),
            new Case(new int[] {6}, new int[] {-1}),
            new Case(new int[] {3, 4}, new int[] {1}),
            new Case(new int[] {3, 4}, new int[] {0}),
            new Case(new int[] {3, 4}, new int[] {0, -1}),
            new Case(new int[] {2, 3, 4}, new int[] {0, 2}),
            new Case(new int[] {2, 3, 4}, new int[] {-2}),
            new Case(new int[] {2, 1, 3}, new int[] {1, 2}),
            new Case(new int[] {3, 4, 5, 6}, new int[] {0, 2, 3})); // a convolution's bias gradient

    // ------------------------------------------------------------ helpers

    /** A float64 leaf of random normal values; non-contiguous (every other element of a wider tensor) if asked. */
    static Tensor leaf(Generator gen, boolean contiguous, int... shape) {
        if (contiguous) return Tensor.randn(gen, shape).to(DType.FLOAT64).requiresGrad(true);
        int[] wide = shape.clone();
        wide[wide.length - 1] *= 2;
        Tensor t = Tensor.randn(gen, wide).to(DType.FLOAT64).slice(-1, 0, wide[wide.length - 1], 2).detach();
        assertFalse(t.isContiguous());
        return t.requiresGrad(true);
    }

    static boolean[] reducedMask(int rank, int[] dims) {
        boolean[] m = new boolean[rank];
        for (int d : dims) m[d < 0 ? d + rank : d] = true;
        return m;
    }

    static int[] expectedShape(int[] shape, int[] dims, boolean keepDim) {
        boolean[] m = reducedMask(shape.length, dims);
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (!m[d]) out.add(shape[d]);
            else if (keepDim) out.add(1);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The values of each reduction group, groups in row-major order of the output, values in row-major order. */
    static double[][] groups(Tensor x, int[] dims) {
        int[] shape = x.shape();
        boolean[] m = reducedMask(shape.length, dims);
        double[] v = x.toDoubleArray();
        int outN = 1;
        for (int d = 0; d < shape.length; d++) if (!m[d]) outN *= shape[d];
        List<List<Double>> gs = new ArrayList<>();
        for (int i = 0; i < outN; i++) gs.add(new ArrayList<>());
        for (int flat = 0; flat < v.length; flat++) {
            int rest = flat;
            int[] idx = new int[shape.length];
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = rest % shape[d];
                rest /= shape[d];
            }
            int o = 0;
            for (int d = 0; d < shape.length; d++) if (!m[d]) o = o * shape[d] + idx[d];
            gs.get(o).add(v[flat]);
        }
        double[][] out = new double[outN][];
        for (int i = 0; i < outN; i++) out[i] = gs.get(i).stream().mapToDouble(Double::doubleValue).toArray();
        return out;
    }

    static double[] reference(Tensor x, int[] dims, ToDoubleFunction<double[]> f) {
        double[][] gs = groups(x, dims);
        double[] out = new double[gs.length];
        for (int i = 0; i < gs.length; i++) out[i] = f.applyAsDouble(gs[i]);
        return out;
    }

    static void assertValues(double[] expected, Tensor actual, double tol) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    static double naiveVar(double[] g, int correction) {
        double mean = 0;
        for (double v : g) mean += v;
        mean /= g.length;
        double ss = 0;
        for (double v : g) ss += (v - mean) * (v - mean);
        return ss / (g.length - correction);
    }

    static double naiveProd(double[] g) {
        double p = 1;
        for (double v : g) p *= v;
        return p;
    }

    static double naiveMax(double[] g) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : g) if (v > m) m = v;
        return m;
    }

    static double naiveMin(double[] g) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : g) if (v < m) m = v;
        return m;
    }

    static double naivePNorm(double[] g, double p) {
        double s = 0;
        for (double v : g) s += Math.pow(Math.abs(v), p);
        return Math.pow(s, 1 / p);
    }

    // ------------------------------------------------------------ var and std

    @Test
    void varAndStdMatchNaiveLoops() {
        Generator gen = new Generator(11);
        for (Case c : CASES) {
            for (boolean keepDim : new boolean[] {false, true}) {
                for (int correction : new int[] {0, 1}) {
                    Tensor x = leaf(gen, true, c.shape());
                    if (Arrays.stream(groups(x, c.dims())[0]).count() <= correction) continue;
                    Tensor v = x.var(c.dims(), keepDim, correction);
                    assertArrayEquals(expectedShape(c.shape(), c.dims(), keepDim), v.shape(), c.toString());
                    assertValues(reference(x, c.dims(), g -> naiveVar(g, correction)), v, 1e-12);
                    Tensor s = x.std(c.dims(), keepDim, correction);
                    assertValues(reference(x, c.dims(), g -> Math.sqrt(naiveVar(g, correction))), s, 1e-12);
                }
            }
        }
    }

    @Test
    void varDefaultsToUnbiased() {
        Tensor x = Tensor.of(1, 2, 3, 4);
        // mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5
        assertEquals(5.0 / 3, x.var().item(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), x.std().item(), 1e-12);
        assertEquals(5.0 / 4, x.var(new int[] {0}, false, 0).item(), 1e-12);
        Tensor m = Tensor.of(new double[][] {{1, 2, 3}, {2, 4, 9}});
        assertValues(new double[] {1, 13}, m.var(1, false), 1e-12);
        assertValues(new double[] {0.5, 2, 18}, m.var(0, false), 1e-12);
    }

    @Test
    void varOfOneElementUnbiasedIsNaN() {
        assertTrue(Double.isNaN(Tensor.of(3.0).var().item()));
        assertEquals(0, Tensor.of(3.0).var(new int[] {0}, false, 0).item());
    }

    @Test
    void varAndStdGradCheck() {
        Generator gen = new Generator(12);
        for (Case c : CASES) {
            for (boolean keepDim : new boolean[] {false, true}) {
                for (int correction : new int[] {0, 1}) {
                    Tensor x = leaf(gen, keepDim, c.shape());
                    if (groups(x, c.dims())[0].length <= correction) continue;
                    GradCheck.check(in -> in.get(0).var(c.dims(), keepDim, correction), x);
                    GradCheck.check(in -> in.get(0).std(c.dims(), keepDim, correction), x);
                }
            }
        }
    }

    @Test
    void varSecondOrder() {
        Generator gen = new Generator(13);
        Tensor x = leaf(gen, false, 3, 4);
        GradCheck.checkSecondOrder(in -> in.get(0).var(new int[] {-1}, false, 1).mul(in.get(0).sum(1, false)), x);
        GradCheck.checkSecondOrder(in -> in.get(0).std(new int[] {0, 1}, true, 0), x);
    }

    @Test
    void stdOfConstantHasZeroGradient() {
        Tensor x = Tensor.full(DType.FLOAT64, 2.5, 4).requiresGrad(true);
        x.std().backward();
        for (double g : x.grad().toDoubleArray()) assertEquals(0, g);
    }

    @Test
    void varOfFloat32AndInt64() {
        Tensor f = Tensor.of(new float[] {1, 2, 3, 4}, 4);
        assertEquals(DType.FLOAT32, f.var().dtype());
        assertEquals(5.0 / 3, f.var().item(), 1e-6);
        Tensor l = Tensor.of(new long[] {1, 2, 3, 4}, 4);
        assertEquals(5.0 / 3, l.var().item(), 1e-12);
    }

    // ------------------------------------------------------------ prod

    @Test
    void prodMatchesNaiveLoop() {
        Generator gen = new Generator(21);
        for (Case c : CASES) {
            for (boolean keepDim : new boolean[] {false, true}) {
                Tensor x = leaf(gen, !keepDim, c.shape());
                Tensor p = c.dims().length == 1 ? x.prod(c.dims()[0], keepDim) : Reductions.prod(x, c.dims(), keepDim);
                assertArrayEquals(expectedShape(c.shape(), c.dims(), keepDim), p.shape(), c.toString());
                assertValues(reference(x, c.dims(), ReductionsTest::naiveProd), p, 1e-12);
            }
        }
        assertEquals(720, Tensor.arange(DType.FLOAT64, 1, 7, 1).prod().item(), 1e-9);
        assertEquals(1, Tensor.zeros(DType.FLOAT64, 0).prod().item());
    }

    @Test
    void prodGradCheck() {
        Generator gen = new Generator(22);
        for (Case c : CASES) {
            for (boolean keepDim : new boolean[] {false, true}) {
                Tensor x = leaf(gen, keepDim, c.shape());
                GradCheck.check(in -> Reductions.prod(in.get(0), c.dims(), keepDim), x);
            }
        }
        GradCheck.checkSecondOrder(in -> in.get(0).prod(1, false), leaf(gen, false, 2, 5));
    }

    @Test
    void prodGradientWithZeros() {
        // One zero: d/dx₁ of x₀·x₁·x₂ at x₁ = 0 is x₀·x₂ = 6; the others get 0 (out/x would give 0/0 at x₁).
        Tensor x = Tensor.of(2, 0, 3).requiresGrad(true);
        x.prod().backward();
        assertArrayEquals(new double[] {0, 6, 0}, x.grad().toDoubleArray());
        // Two zeros: every product of the others contains a zero.
        Tensor y = Tensor.of(0, 5, 0, 7, 2).requiresGrad(true);
        y.prod().backward();
        assertArrayEquals(new double[] {0, 0, 0, 0, 0}, y.grad().toDoubleArray());
        // Rows with zeros in various places, and a gradient/Hessian check there.
        Tensor z = Tensor.of(new double[][] {{0, 1.5, -2}, {0.5, 0, 0}, {1, 2, 3}}).requiresGrad(true);
        z.prod(1, false).sum().backward();
        assertArrayEquals(new double[] {-3, 0, 0, 0, 0, 0, 6, 3, 2}, z.grad().toDoubleArray());
        Tensor w = Tensor.of(new double[][] {{0, 1.5, -2}, {0.5, 0, 0}, {1, 2, 3}}).requiresGrad(true);
        GradCheck.check(in -> in.get(0).prod(1, true), w);
        GradCheck.checkSecondOrder(in -> in.get(0).prod(), w);
    }

    // ------------------------------------------------------------ max, min, argmax

    @Test
    void maxGradientSplitsEvenlyAtTies() {
        Tensor x = Tensor.of(1, 3, 3).requiresGrad(true);
        Tensor m = x.max();
        assertEquals(3, m.item());
        m.backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5}, x.grad().toDoubleArray());

        Tensor y = Tensor.of(-2, 5, -2, -2).requiresGrad(true);
        y.min().backward();
        assertArrayEquals(new double[] {1.0 / 3, 0, 1.0 / 3, 1.0 / 3}, y.grad().toDoubleArray(), 1e-15);

        // max(dim): each row splits its own gradient; the indices still name the first maximum.
        Tensor z = Tensor.of(new double[][] {{4, 1, 4}, {0, 2, 1}, {7, 7, 7}}).requiresGrad(true);
        Tensor.ValuesAndIndices r = z.max(1, false);
        assertArrayEquals(new long[] {0, 1, 0}, r.indices().toLongArray());
        r.values().mul(Tensor.of(1, 10, 100)).sum().backward();
        assertArrayEquals(new double[] {0.5, 0, 0.5, 0, 10, 0, 100.0 / 3, 100.0 / 3, 100.0 / 3},
                z.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void maxGradientIsPermutationInvariant() {
        Tensor a = Tensor.of(3, 1, 3, 2).requiresGrad(true);
        Tensor b = Tensor.of(2, 3, 3, 1).requiresGrad(true); // the same values in another order
        a.max().backward();
        b.max().backward();
        double[] ga = a.grad().toDoubleArray(), gb = b.grad().toDoubleArray();
        int[] aOfB = {3, 0, 2, 1}; // b[i] = a[aOfB[i]]
        for (int i = 0; i < 4; i++) assertEquals(ga[aOfB[i]], gb[i]);
    }

    @Test
    void maxAndMinMatchNaiveLoops() {
        Generator gen = new Generator(31);
        Tensor x = leaf(gen, false, 3, 5);
        assertEquals(naiveMax(x.toDoubleArray()), x.max().item());
        assertEquals(naiveMin(x.toDoubleArray()), x.min().item());
        for (int dim : new int[] {0, 1, -1, -2}) {
            for (boolean keepDim : new boolean[] {false, true}) {
                Tensor.ValuesAndIndices mx = x.max(dim, keepDim), mn = x.min(dim, keepDim);
                int[] shape = expectedShape(x.shape(), new int[] {dim}, keepDim);
                assertArrayEquals(shape, mx.values().shape());
                assertArrayEquals(shape, mx.indices().shape());
                assertEquals(DType.INT64, mx.indices().dtype());
                assertEquals(DType.FLOAT64, mx.values().dtype());
                assertValues(reference(x, new int[] {dim}, ReductionsTest::naiveMax), mx.values(), 0);
                assertValues(reference(x, new int[] {dim}, ReductionsTest::naiveMin), mn.values(), 0);
                // Each index points at its value along dim.
                double[][] gs = groups(x, new int[] {dim});
                long[] ix = mx.indices().toLongArray(), in = mn.indices().toLongArray();
                for (int g = 0; g < gs.length; g++) {
                    assertEquals(naiveMax(gs[g]), gs[g][(int) ix[g]]);
                    assertEquals(naiveMin(gs[g]), gs[g][(int) in[g]]);
                }
                assertArrayEquals(ix, x.argmax(dim, keepDim).toLongArray());
                assertArrayEquals(in, x.argmin(dim, keepDim).toLongArray());
            }
        }
    }

    @Test
    void indicesTakeTheFirstAtTies() {
        Tensor x = Tensor.of(new double[][] {{1, 5, 5, 0}, {2, 2, 2, 2}, {-1, -3, 0, -3}});
        assertArrayEquals(new long[] {1, 0, 2}, x.max(1, false).indices().toLongArray());
        assertArrayEquals(new long[] {3, 0, 1}, x.min(-1, false).indices().toLongArray());
        assertArrayEquals(new long[] {1, 0, 0, 1}, x.max(0, false).indices().toLongArray());
        assertArrayEquals(new long[] {2, 2, 2, 2}, x.min(0, false).indices().toLongArray());
        Tensor am = x.argmax();
        assertEquals(DType.INT64, am.dtype());
        assertEquals(0, am.dim());
        assertEquals(1, am.item());
        assertEquals(9, x.argmin().item());
        // Non-contiguous: argmax of the transpose counts in the transpose's row-major order.
        assertEquals(3, x.transpose(0, 1).argmax().item());
    }

    @Test
    void maxOfInt64StaysExact() {
        long big = (1L << 60) + 1;
        Tensor x = Tensor.of(new long[] {big - 1, big, 3}, 3);
        assertEquals(DType.INT64, x.max().dtype());
        assertArrayEquals(new long[] {big}, x.max(0, true).values().toLongArray());
        assertEquals(1, x.argmax().item());
    }

    @Test
    void maxPropagatesNaN() {
        Tensor x = Tensor.of(1, Double.NaN, 3, Double.NaN);
        assertTrue(Double.isNaN(x.max().item()));
        assertTrue(Double.isNaN(x.min().item()));
        assertEquals(1, x.argmax().item());
        assertEquals(1, x.max(0, false).indices().item());
    }

    @Test
    void maxGradCheck() {
        Generator gen = new Generator(32);
        for (boolean contiguous : new boolean[] {true, false}) {
            Tensor x = leaf(gen, contiguous, 3, 4);
            GradCheck.check(in -> in.get(0).max(), x);
            GradCheck.check(in -> in.get(0).min(), x);
            for (int dim : new int[] {0, -1}) {
                for (boolean keepDim : new boolean[] {false, true}) {
                    GradCheck.check(in -> in.get(0).max(dim, keepDim).values(), x);
                    GradCheck.check(in -> in.get(0).min(dim, keepDim).values(), x);
                }
            }
        }
        Tensor y = leaf(gen, false, 2, 3, 2);
        GradCheck.check(in -> in.get(0).max(1, true).values().mul(in.get(0)).sum(), y);
    }

    @Test
    void maxOfEmptyThrows() {
        Tensor e = Tensor.zeros(0);
        assertTrue(assertThrows(IllegalArgumentException.class, e::max).getMessage().startsWith("max:"));
        assertTrue(assertThrows(IllegalArgumentException.class, e::argmin).getMessage().startsWith("argmin:"));
        Tensor e2 = Tensor.zeros(3, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> e2.max(1, false)).getMessage().startsWith("max:"));
        assertArrayEquals(new int[] {0}, e2.max(0, false).values().shape());
    }

    // ------------------------------------------------------------ logsumexp

    @Test
    void logsumexpMatchesNaiveLoop() {
        Generator gen = new Generator(41);
        for (Case c : CASES) {
            for (boolean keepDim : new boolean[] {false, true}) {
                Tensor x = leaf(gen, keepDim, c.shape());
                Tensor l = Reductions.logsumexp(x, c.dims(), keepDim);
                assertArrayEquals(expectedShape(c.shape(), c.dims(), keepDim), l.shape());
                assertValues(reference(x, c.dims(), g -> Math.log(Arrays.stream(g).map(Math::exp).sum())), l, 1e-12);
            }
        }
    }

    @Test
    void logsumexpIsStable() {
        assertEquals(1000 + Math.log(2), Tensor.of(1000, 1000).logsumexp().item(), 1e-12);
        assertEquals(-1000 + Math.log(3), Tensor.of(-1000, -1000, -1000).logsumexp().item(), 1e-12);
        assertEquals(1000, Tensor.of(1000, Double.NEGATIVE_INFINITY).logsumexp().item());
        assertEquals(Double.NEGATIVE_INFINITY, Tensor.of(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY).logsumexp().item());
        assertEquals(Double.POSITIVE_INFINITY, Tensor.of(1, Double.POSITIVE_INFINITY).logsumexp().item());
        Tensor f = Tensor.of(new float[] {100, 101, 102}, 3);
        assertEquals(DType.FLOAT32, f.logsumexp().dtype());
        assertEquals(102 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), f.logsumexp().item(), 1e-4);

        Tensor x = Tensor.of(1000, Double.NEGATIVE_INFINITY, 1000).requiresGrad(true);
        x.logsumexp().backward();
        // lse = 1000 + ln 2 is rounded to the spacing of doubles near 1000 (1e-13): hence the tolerance.
        assertArrayEquals(new double[] {0.5, 0, 0.5}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void logsumexpGradCheckAndSecondOrder() {
        Generator gen = new Generator(42);
        for (Case c : CASES) {
            for (boolean keepDim : new boolean[] {false, true}) {
                Tensor x = leaf(gen, !keepDim, c.shape());
                GradCheck.check(in -> Reductions.logsumexp(in.get(0), c.dims(), keepDim), x);
            }
        }
        Tensor x = leaf(gen, false, 3, 4);
        GradCheck.checkSecondOrder(in -> in.get(0).logsumexp(-1, false), x);
        GradCheck.checkSecondOrder(in -> in.get(0).mul(3).logsumexp(), x);
    }

    // ------------------------------------------------------------ norm

    @Test
    void normsMatchNaiveLoops() {
        Generator gen = new Generator(51);
        for (Case c : CASES) {
            for (boolean keepDim : new boolean[] {false, true}) {
                Tensor x = leaf(gen, keepDim, c.shape());
                for (double p : new double[] {2, 1, 3, 0.5, 1.7}) {
                    Tensor n = x.norm(p, c.dims(), keepDim);
                    assertArrayEquals(expectedShape(c.shape(), c.dims(), keepDim), n.shape());
                    assertValues(reference(x, c.dims(), g -> naivePNorm(g, p)), n, 1e-12);
                }
                assertValues(reference(x, c.dims(), g -> naiveMax(Arrays.stream(g).map(Math::abs).toArray())),
                        x.norm(Double.POSITIVE_INFINITY, c.dims(), keepDim), 0);
                assertValues(reference(x, c.dims(), g -> naiveMin(Arrays.stream(g).map(Math::abs).toArray())),
                        x.norm(Double.NEGATIVE_INFINITY, c.dims(), keepDim), 0);
            }
        }
        Tensor v = Tensor.of(3, -4, 0, 0);
        assertEquals(5, v.norm().item(), 1e-15);
        assertEquals(7, v.norm(1).item(), 1e-15);
        assertEquals(4, v.norm(Double.POSITIVE_INFINITY).item());
        assertEquals(2, v.norm(0).item());
    }

    @Test
    void normDoesNotOverflowOrUnderflow() {
        assertEquals(5e200, Tensor.of(3e200, -4e200).norm().item(), 1e188);
        assertEquals(5e-200, Tensor.of(3e-200, 4e-200).norm().item(), 1e-212);
        assertEquals(Math.cbrt(2) * 1e200, Tensor.of(1e200, 1e200).norm(3).item(), 1e188);
        Tensor f = Tensor.of(new float[] {3e20f, 4e20f}, 2);
        assertEquals(5e20, f.norm().item(), 1e15);
        assertEquals(Double.POSITIVE_INFINITY, Tensor.of(1, Double.POSITIVE_INFINITY).norm().item());
    }

    @Test
    void normGradientAtZeroIsZero() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3).requiresGrad(true);
        x.norm().backward();
        for (double g : x.grad().toDoubleArray()) assertEquals(0, g);
        Tensor y = Tensor.of(new double[][] {{0, 0}, {3, 4}}).requiresGrad(true);
        y.norm(2, new int[] {1}, false).sum().backward();
        assertArrayEquals(new double[] {0, 0, 0.6, 0.8}, y.grad().toDoubleArray(), 1e-15);
        Tensor z = Tensor.of(0, 0, 2).requiresGrad(true);
        z.norm(0.5).backward();
        for (double g : z.grad().toDoubleArray()) assertTrue(Double.isFinite(g));
    }

    @Test
    void normGradCheck() {
        Generator gen = new Generator(52);
        for (Case c : CASES) {
            for (boolean keepDim : new boolean[] {false, true}) {
                Tensor x = leaf(gen, keepDim, c.shape());
                for (double p : new double[] {2, 1, 3, 1.5, Double.POSITIVE_INFINITY}) {
                    GradCheck.check(in -> in.get(0).norm(p, c.dims(), keepDim), x);
                }
            }
        }
        Tensor x = leaf(gen, false, 3, 4);
        GradCheck.checkSecondOrder(in -> in.get(0).norm(), x);
        GradCheck.checkSecondOrder(in -> in.get(0).norm(3, new int[] {-1}, false), x);
    }

    @Test
    void normRejectsNegativeP() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(1, 2).norm(-1));
        assertTrue(e.getMessage().startsWith("norm:"), e.getMessage());
    }

    // ------------------------------------------------------------ sum and mean (existing)

    @Test
    void sumAndMeanMatchNaiveLoops() {
        Generator gen = new Generator(61);
        for (Case c : CASES) {
            for (boolean keepDim : new boolean[] {false, true}) {
                Tensor x = leaf(gen, keepDim, c.shape());
                assertValues(reference(x, c.dims(), g -> Arrays.stream(g).sum()), x.sum(c.dims(), keepDim), 1e-12);
                assertValues(reference(x, c.dims(), g -> Arrays.stream(g).average().orElseThrow()), x.mean(c.dims(), keepDim), 1e-12);
                GradCheck.check(in -> in.get(0).mean(c.dims(), keepDim), x);
            }
        }
    }

    @Test
    void scalarAcceptsDimZero() {
        Tensor s = Tensor.scalar(DType.FLOAT64, 2.5);
        assertEquals(2.5, s.sum(0, false).item());
        assertEquals(2.5, s.max(-1, true).values().item());
        assertEquals(0, s.max(0, false).indices().item());
        assertEquals(2.5, s.logsumexp(0, false).item(), 1e-15);
        assertEquals(2.5, s.prod(0, false).item());
    }

    // ------------------------------------------------------------ bad input

    @Test
    void outOfRangeDimNamesTheOp() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3);
        assertOpError("var", () -> x.var(2, false));
        assertOpError("var", () -> x.var(new int[] {-3}, false, 0));
        assertOpError("std", () -> x.std(5, true));
        assertOpError("prod", () -> x.prod(2, false));
        assertOpError("max", () -> x.max(2, false));
        assertOpError("min", () -> x.min(-3, false));
        assertOpError("max", () -> x.argmax(7, false));
        assertOpError("logsumexp", () -> x.logsumexp(2, false));
        assertOpError("norm", () -> x.norm(2, new int[] {0, 2}, false));
        assertOpError("sum", () -> x.sum(3, false));
        assertOpError("mean", () -> x.mean(-4, false));
        assertOpError("var", () -> x.var(new int[] {0, 0}, false, 1));
        assertOpError("var", () -> x.var(new int[] {1}, false, -1));
    }

    static void assertOpError(String op, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(op + ":"), ex.getMessage());
    }
}
