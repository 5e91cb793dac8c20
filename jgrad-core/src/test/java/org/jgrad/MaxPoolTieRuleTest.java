package org.jgrad;

import static org.jgrad.ConvolutionTest.dot;
import static org.jgrad.ConvolutionTest.randn;
import static org.jgrad.PoolingTest.MAX_SETTINGS;
import static org.jgrad.PoolingTest.distinct;
import static org.jgrad.PoolingTest.naiveMaxPool;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.function.Function;
import org.jgrad.nn.MaxPool2d;
import org.junit.jupiter.api.Test;

/** Conv.maxPool2d and nn.MaxPool2d with each {@link TieRule}: where the gradient goes at a tie. */
class MaxPoolTieRuleTest {

    private static final TieRule[] RULES = TieRule.values();

    private static Tensor pool(Tensor x, int[][] st, TieRule rule) {
        return Conv.maxPool2d(x, st[0], st[1], st[2], st[3], rule);
    }

    /** The input gradient of maxPool2d(x).backward(gy) under {@code rule}. */
    private static double[] grad(Tensor x, int[][] st, TieRule rule, Tensor gy) {
        Tensor xs = x.detach().requiresGrad(true);
        pool(xs, st, rule).backward(gy);
        return xs.grad().toDoubleArray();
    }

    /**
     * Independent reference: per window, the inputs equal to its max (padding excluded) get g/k
     * (SPLIT), g (ALL) or, for the first of them only, g (FIRST).
     */
    private static double[] naiveGrad(Tensor x, int[] k, int[] s, int[] p, int[] d, TieRule rule, double[] g) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int oh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) / s[0] + 1, ow = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) / s[1] + 1;
        double[] xv = x.toDoubleArray(), max = naiveMaxPool(x, k, s, p, d)[0], out = new double[xv.length];
        for (int pl = 0; pl < n * c; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int t = (pl * oh + i) * ow + j;
                    List<Integer> tied = new java.util.ArrayList<>();
                    for (int a = 0; a < k[0]; a++) {
                        for (int b = 0; b < k[1]; b++) {
                            int y = i * s[0] - p[0] + a * d[0], z = j * s[1] - p[1] + b * d[1];
                            if (y < 0 || y >= h || z < 0 || z >= w) continue;
                            int at = (pl * h + y) * w + z;
                            if (xv[at] == max[t]) tied.add(at);
                        }
                    }
                    if (rule == TieRule.FIRST) out[tied.get(0)] += g[t];
                    else for (int at : tied) out[at] += rule == TieRule.SPLIT ? g[t] / tied.size() : g[t];
                }
            }
        }
        return out;
    }

    /** Small integers: ties in most windows. */
    private static Tensor tiedInput(Generator gen, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = gen.nextInt(3) - 1;
        return Tensor.of(v, shape);
    }

    @Test
    void lectureExampleInAPoolingWindow() {
        // One 2×2 window [1, 3; 3, 0], upstream gradient 1.
        double[][] expected = {{0, 1, 0, 0}, {0, 0.5, 0.5, 0}, {0, 1, 1, 0}};
        for (int r = 0; r < RULES.length; r++) {
            Tensor x = Tensor.of(new double[] {1, 3, 3, 0}, 1, 1, 2, 2).requiresGrad(true);
            Tensor y = Conv.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, RULES[r]);
            assertEquals(3, y.item(), RULES[r].toString());
            y.backward();
            assertArrayEquals(expected[r], x.grad().toDoubleArray(), 0, RULES[r].toString());
        }
    }

    @Test
    void theSameLectureExampleInFloat32AndThroughTheModule() {
        double[][] expected = {{0, 1, 0, 0}, {0, 0.5, 0.5, 0}, {0, 1, 1, 0}};
        for (int r = 0; r < RULES.length; r++) {
            Tensor x = Tensor.of(new double[] {1, 3, 3, 0}, 1, 1, 2, 2).to(DType.FLOAT32).requiresGrad(true);
            Tensor y = new MaxPool2d(2, RULES[r]).call(x);
            assertEquals(DType.FLOAT32, y.dtype());
            y.backward();
            assertArrayEquals(expected[r], x.grad().toDoubleArray(), 0, RULES[r].toString());
        }
    }

    @Test
    void anElementThatIsTheMaxOfTwoOverlappingWindowsCollectsBoth() {
        // [1, 5, 2] with 1×2 windows at stride 1: 5 is the max of both windows, under every rule.
        int[][] st = {{1, 2}, {1, 1}, {0, 0}, {1, 1}};
        Tensor x = Tensor.of(new double[] {1, 5, 2}, 1, 1, 1, 3);
        for (TieRule rule : RULES) {
            assertArrayEquals(new double[] {0, 2, 0}, grad(x, st, rule, Tensor.ones(1, 1, 1, 2)), 0, rule.toString());
        }
        // [3, 3, 3]: every element ties in both windows [3, 3] and [3, 3].
        Tensor flat = Tensor.of(new double[] {3, 3, 3}, 1, 1, 1, 3);
        Tensor gy = Tensor.of(new double[] {1, 10}, 1, 1, 1, 2);
        assertArrayEquals(new double[] {1, 10, 0}, grad(flat, st, TieRule.FIRST, gy), 0);
        assertArrayEquals(new double[] {0.5, 5.5, 5}, grad(flat, st, TieRule.SPLIT, gy), 0);
        assertArrayEquals(new double[] {1, 11, 10}, grad(flat, st, TieRule.ALL, gy), 0);
    }

    @Test
    void paddingIsNeverAMaximum() {
        // [-1, -1] with 1×3 windows, stride 1, padding 1: each window holds a pad, -1 and -1; the pad's
        // 0 would be larger but never counts, so both -1 tie in both windows.
        int[][] st = {{1, 3}, {1, 1}, {0, 1}, {1, 1}};
        Tensor x = Tensor.of(new double[] {-1, -1}, 1, 1, 1, 2);
        assertArrayEquals(new double[] {-1, -1}, pool(x, st, TieRule.SPLIT).toDoubleArray(), 0);
        Tensor gy = Tensor.ones(1, 1, 1, 2);
        assertArrayEquals(new double[] {2, 0}, grad(x, st, TieRule.FIRST, gy), 0);
        assertArrayEquals(new double[] {1, 1}, grad(x, st, TieRule.SPLIT, gy), 0);
        assertArrayEquals(new double[] {2, 2}, grad(x, st, TieRule.ALL, gy), 0);
    }

    @Test
    void dilatedWindowsTieOnlyAtTheirTaps() {
        // 1×3 row [2, 9, 2] with a 1×2 kernel of dilation 2: the one window reads 2 and 2 (not the 9).
        int[][] st = {{1, 2}, {1, 1}, {0, 0}, {1, 2}};
        Tensor x = Tensor.of(new double[] {2, 9, 2}, 1, 1, 1, 3);
        assertEquals(2, pool(x, st, TieRule.ALL).item());
        Tensor gy = Tensor.ones(1, 1, 1, 1);
        assertArrayEquals(new double[] {1, 0, 0}, grad(x, st, TieRule.FIRST, gy), 0);
        assertArrayEquals(new double[] {0.5, 0, 0.5}, grad(x, st, TieRule.SPLIT, gy), 0);
        assertArrayEquals(new double[] {1, 0, 1}, grad(x, st, TieRule.ALL, gy), 0);
    }

    @Test
    void everyRuleMatchesTheNaiveReferenceWithManyTies() {
        // Overlapping windows, padding and dilation (PoolingTest's settings), float64 and float32.
        Generator gen = new Generator(61);
        for (int[][] st : MAX_SETTINGS) {
            Tensor x = tiedInput(gen, 2, 2, 6, 5);
            double[] ref = naiveMaxPool(x, st[0], st[1], st[2], st[3])[0];
            for (TieRule rule : RULES) {
                String msg = rule + " " + java.util.Arrays.deepToString(st);
                Tensor y = pool(x, st, rule);
                assertArrayEquals(ref, y.toDoubleArray(), 0, msg + ": the output is the max under every rule");
                Tensor gy = randn(gen, y.shape());
                double[] expected = naiveGrad(x, st[0], st[1], st[2], st[3], rule, gy.toDoubleArray());
                assertArrayEquals(expected, grad(x, st, rule, gy), 1e-12, msg);
                double[] g32 = grad(x.to(DType.FLOAT32), st, rule, gy.to(DType.FLOAT32));
                assertArrayEquals(expected, g32, 1e-5, msg + " (float32)");
            }
        }
    }

    @Test
    void firstIsTheDefaultBitForBit() {
        Generator gen = new Generator(62);
        for (int[][] st : MAX_SETTINGS) {
            for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                Tensor x = tiedInput(gen, 2, 3, 6, 5).to(dt);
                Tensor a = x.detach().requiresGrad(true), b = x.detach().requiresGrad(true);
                Tensor ya = Conv.maxPool2d(a, st[0], st[1], st[2], st[3]);
                Tensor yb = pool(b, st, TieRule.FIRST);
                assertArrayEquals(ya.toDoubleArray(), yb.toDoubleArray(), 0);
                Tensor gy = randn(gen, ya.shape()).to(dt);
                ya.backward(gy);
                yb.backward(gy);
                assertArrayEquals(a.grad().toDoubleArray(), b.grad().toDoubleArray(), 0);
            }
        }
        // The 2×2 stride-2 fast path, and the no-rule overloads.
        Tensor x = tiedInput(gen, 2, 2, 6, 8).to(DType.FLOAT32);
        assertArrayEquals(Conv.maxPool2d(x, 2).toDoubleArray(),
                Conv.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, TieRule.FIRST).toDoubleArray(), 0);
    }

    @Test
    void awayFromTiesTheRulesAgreeAndGradCheckToSecondOrder() {
        Generator gen = new Generator(63);
        for (int[][] st : MAX_SETTINGS) {
            Tensor x = distinct(gen, 2, 2, 5, 6).requiresGrad(true);
            Tensor gy = randn(gen, pool(x, st, TieRule.FIRST).shape());
            double[] first = grad(x, st, TieRule.FIRST, gy);
            for (TieRule rule : new TieRule[] {TieRule.SPLIT, TieRule.ALL}) {
                assertArrayEquals(first, grad(x, st, rule, gy), 0, rule.toString());
                GradCheck.check(in -> pool(in.get(0), st, rule), x);
                // With the positions fixed the pool is linear: tanh afterwards gives a non-zero Hessian.
                GradCheck.checkSecondOrder(in -> pool(in.get(0), st, rule).tanh(), x);
            }
        }
    }

    @Test
    void secondDerivativeAtATieKeepsTheWeights() {
        // f(x) = Σ pool(x)²: ∇f = 2·Aᵀ(A x), and ∇(v·∇f) = 2·Aᵀ A v with A the tie weights.
        Tensor x0 = Tensor.of(new double[] {1, 3, 3, 0}, 1, 1, 2, 2);
        Tensor v = Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        double[][] expected = {{0, 4, 0, 0}, {0, 2.5, 2.5, 0}, {0, 10, 10, 0}};
        for (int r = 0; r < RULES.length; r++) {
            TieRule rule = RULES[r];
            Tensor x = x0.detach().requiresGrad(true);
            Tensor y = Conv.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, rule);
            Tensor g = Autograd.grad(y.mul(y).sum(), List.of(x), null, true, true).get(0);
            Tensor hv = Autograd.grad(g.mul(v).sum(), List.of(x), null, false, false).get(0);
            assertArrayEquals(expected[r], hv.toDoubleArray(), 1e-12, rule.toString());
        }
    }

    @Test
    void jvpIsJacobianTimesVForEveryRule() {
        // At a tied point, forward mode must weight the tangents as backward weights the gradient.
        Generator gen = new Generator(64);
        int[][][] settings = {MAX_SETTINGS[1], MAX_SETTINGS[2], MAX_SETTINGS[3]};
        for (int[][] st : settings) {
            Tensor x = tiedInput(gen, 1, 2, 5, 4);
            Tensor v = randn(gen, x.shape());
            for (TieRule rule : RULES) {
                Function<Tensor, Tensor> f = t -> pool(t, st, rule);
                double[] jd = Autograd.jacobian(f, x).toDoubleArray(), vd = v.toDoubleArray();
                int nx = vd.length, ny = jd.length / nx;
                double[] jv = new double[ny];
                for (int i = 0; i < ny; i++) for (int j = 0; j < nx; j++) jv[i] += jd[i * nx + j] * vd[j];
                Tensor forward = Autograd.jvp(f, x, v);
                assertArrayEquals(pool(x, st, rule).shape(), forward.shape());
                assertArrayEquals(jv, forward.toDoubleArray(), 1e-12, rule + " " + java.util.Arrays.deepToString(st));
                // ⟨J v, u⟩ = ⟨v, Jᵀ u⟩: forward and reverse mode are adjoint.
                Tensor u = randn(gen, forward.shape());
                Tensor xs = x.detach().requiresGrad(true);
                Tensor jtu = Autograd.grad(pool(xs, st, rule), List.of(xs), u, false, false).get(0);
                assertEquals(dot(forward, u), dot(v, jtu), 1e-10, rule.toString());
            }
        }
        // The lecture's window along v = [10, 2, 5, 7]: FIRST 2, SPLIT 3.5, ALL 7.
        Tensor w = Tensor.of(new double[] {1, 3, 3, 0}, 1, 1, 2, 2), dir = Tensor.of(new double[] {10, 2, 5, 7}, 1, 1, 2, 2);
        double[] along = {2, 3.5, 7};
        for (int r = 0; r < RULES.length; r++) {
            TieRule rule = RULES[r];
            assertEquals(along[r], Autograd.jvp(t -> Conv.maxPool2d(t, new int[] {2}, null, new int[] {0}, new int[] {1}, rule),
                    w, dir).item(), 0, rule.toString());
        }
    }

    @Test
    void nanWinsAndItsCopiesShareTheGradient() {
        Tensor x = Tensor.of(new double[] {Double.NaN, 5, Double.NaN, 2}, 1, 1, 2, 2);
        int[][] st = {{2, 2}, {2, 2}, {0, 0}, {1, 1}};
        for (TieRule rule : RULES) assertTrue(Double.isNaN(pool(x, st, rule).item()), rule.toString());
        Tensor gy = Tensor.ones(1, 1, 1, 1);
        // FIRST's NaN test (v != v) lets each later NaN take over, as PyTorch's CPU kernel does: one
        // NaN gets all of it.
        double[] first = grad(x, st, TieRule.FIRST, gy);
        assertEquals(1, first[0] + first[2], 0);
        assertEquals(0, first[1] + first[3], 0);
        assertEquals(0, first[0] * first[2], 0);
        assertArrayEquals(new double[] {0.5, 0, 0.5, 0}, grad(x, st, TieRule.SPLIT, gy), 0);
        assertArrayEquals(new double[] {1, 0, 1, 0}, grad(x, st, TieRule.ALL, gy), 0);
    }

    @Test
    void moduleCarriesTheRuleAndShowsANonDefaultOne() {
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                new MaxPool2d(2, TieRule.FIRST).toString());
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False, ties=SPLIT)",
                new MaxPool2d(2, TieRule.SPLIT).toString());
        assertEquals("MaxPool2d(kernel_size=3, stride=1, padding=1, dilation=(1, 2), ceil_mode=False, ties=ALL)",
                new MaxPool2d(new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1, 2}, TieRule.ALL).toString());
        Generator gen = new Generator(65);
        Tensor x = tiedInput(gen, 2, 3, 6, 6);
        int[][] st = {{3, 3}, {1, 1}, {1, 1}, {1, 2}};
        for (TieRule rule : RULES) {
            MaxPool2d m = new MaxPool2d(st[0], st[1], st[2], st[3], rule);
            Tensor a = x.detach().requiresGrad(true);
            Tensor y = m.call(a);
            Tensor gy = randn(gen, y.shape());
            y.backward(gy);
            assertArrayEquals(grad(x, st, rule, gy), a.grad().toDoubleArray(), 0, rule.toString());
            // [C, H, W] input: the module adds and removes the batch dimension.
            assertArrayEquals(pool(x, st, rule).select(0, 0).toDoubleArray(), m.call(x.select(0, 0)).toDoubleArray(), 0);
        }
    }

    @Test
    void aNullRuleIsRejected() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 1, 1, 2, 2);
        String m = assertThrows(IllegalArgumentException.class,
                () -> Conv.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, null)).getMessage();
        assertEquals("maxPool2d: the tie rule is null; expected FIRST, SPLIT or ALL", m);
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, null));
    }
}
