package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The three tie rules of max and min ({@link TieRule}): the lecture's example, a naive reference, GradCheck. */
class TieRuleTest {

    private static double[] gradOf(Tensor x, java.util.function.Function<Tensor, Tensor> f) {
        f.apply(x).backward();
        return x.grad().toDoubleArray();
    }

    // ------------------------------------------------------------ the lecture's example

    @Test
    void forwardModeFollowsTheSameRule() {
        // jvp of max along v at x = [1, 3, 3]: the tied elements' tangents, weighted as backward weights them.
        Tensor x = Tensor.of(1.0, 3.0, 3.0);
        Tensor v = Tensor.of(10.0, 2.0, 5.0);
        assertEquals(2.0, Autograd.jvp(t -> t.max(TieRule.FIRST), x, v).item(), 0);
        assertEquals(3.5, Autograd.jvp(t -> t.max(TieRule.SPLIT), x, v).item(), 0);
        assertEquals(7.0, Autograd.jvp(t -> t.max(TieRule.ALL), x, v).item(), 0);
        assertEquals(3.5, Autograd.jvp(t -> t.max(0, false, TieRule.SPLIT).values(), x, v).item(), 0);
    }

    @Test
    void lectureExampleOneThreeThree() {
        double[][] expected = {{0, 1, 0}, {0, 0.5, 0.5}, {0, 1, 1}};
        TieRule[] rules = {TieRule.FIRST, TieRule.SPLIT, TieRule.ALL};
        for (int r = 0; r < 3; r++) {
            TieRule rule = rules[r];
            String msg = rule.toString();
            Tensor x = Tensor.of(1, 3, 3).requiresGrad(true);
            Tensor y = x.max(rule);
            assertEquals(3, y.item(), msg);
            y.backward();
            assertArrayEquals(expected[r], x.grad().toDoubleArray(), msg);
            // The same through max(dim), with and without keepDim, and through max(x) = −min(−x).
            assertArrayEquals(expected[r], gradOf(Tensor.of(1, 3, 3).requiresGrad(true), t -> t.max(0, false, rule).values()), 0, msg);
            assertArrayEquals(expected[r], gradOf(Tensor.of(1, 3, 3).requiresGrad(true), t -> t.max(0, true, rule).values().sum()), 0, msg);
            assertArrayEquals(expected[r], gradOf(Tensor.of(1, 3, 3).requiresGrad(true), t -> t.neg().min(rule).neg()), 0, msg);
            assertArrayEquals(expected[r], gradOf(Tensor.of(1, 3, 3).requiresGrad(true), t -> t.neg().min(0, false, rule).values().neg()), 0, msg);
        }
    }

    @Test
    void theDefaultsAreUnchangedSplit() {
        assertArrayEquals(new double[] {0, 0.5, 0.5}, gradOf(Tensor.of(1, 3, 3).requiresGrad(true), Tensor::max));
        assertArrayEquals(new double[] {0, 0.5, 0.5}, gradOf(Tensor.of(1, -3, -3).requiresGrad(true), Tensor::min));
        assertArrayEquals(new double[] {0, 0.5, 0.5}, gradOf(Tensor.of(1, 3, 3).requiresGrad(true), t -> t.max(0, false).values()));
        assertArrayEquals(new double[] {0, 0.5, 0.5}, gradOf(Tensor.of(1, -3, -3).requiresGrad(true), t -> t.min(0, false).values()));
    }

    @Test
    void firstGoesToTheIndexArgmaxReportsAndAllOvercounts() {
        Tensor x = Tensor.of(new double[][] {{2, 7, 7}, {7, 0, 7}}).requiresGrad(true);
        x.max(TieRule.FIRST).backward();
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0}, x.grad().toDoubleArray());
        assertEquals(1, x.argmax().item());

        // Non-contiguous: the first in the transpose's row-major order, [[2, 7], [7, 0], [7, 7]].
        Tensor y = Tensor.of(new double[][] {{2, 7, 7}, {7, 0, 7}}).requiresGrad(true);
        y.transpose(0, 1).max(TieRule.FIRST).backward();
        assertArrayEquals(new double[] {0, 0, 0, 1, 0, 0}, y.grad().toDoubleArray());

        // ALL: every one of the k = 4 maxima gets the whole gradient, which then sums to 4, not 1.
        Tensor z = Tensor.of(new double[][] {{2, 7, 7}, {7, 0, 7}}).requiresGrad(true);
        z.max(TieRule.ALL).backward();
        assertArrayEquals(new double[] {0, 1, 1, 1, 0, 1}, z.grad().toDoubleArray());
        assertEquals(4, z.grad().sum().item());
    }

    // ------------------------------------------------------------ against a naive reference

    /** The gradient of Σ w·max(x, dim) under a rule, by loops over a [a, b, c] array. */
    private static double[] naiveGrad(double[] x, int[] shape, int dim, double[] w, TieRule rule, boolean max) {
        int[] strides = {shape[1] * shape[2], shape[2], 1};
        double[] grad = new double[x.length];
        int groups = x.length / shape[dim];
        int gi = 0;
        for (int i = 0; i < shape[0]; i++) {
            for (int j = 0; j < shape[1]; j++) {
                for (int k = 0; k < shape[2]; k++) {
                    int[] at = {i, j, k};
                    if (at[dim] != 0) continue;
                    int base = i * strides[0] + j * strides[1] + k * strides[2];
                    double best = x[base];
                    for (int e = 1; e < shape[dim]; e++) {
                        double v = x[base + e * strides[dim]];
                        if (max ? v > best : v < best) best = v;
                    }
                    int ties = 0;
                    for (int e = 0; e < shape[dim]; e++) if (x[base + e * strides[dim]] == best) ties++;
                    boolean seen = false;
                    for (int e = 0; e < shape[dim]; e++) {
                        int p = base + e * strides[dim];
                        if (x[p] != best) continue;
                        grad[p] = switch (rule) {
                            case FIRST -> seen ? 0 : w[gi];
                            case SPLIT -> w[gi] / ties;
                            case ALL -> w[gi];
                        };
                        seen = true;
                    }
                    gi++;
                }
            }
        }
        assertEquals(groups, gi);
        return grad;
    }

    @Test
    void everyRuleMatchesNaiveLoopsOverDimsWithManyTies() {
        Random random = new Random(5);
        int[] shape = {3, 4, 5};
        double[] values = new double[60];
        for (int i = 0; i < 60; i++) values[i] = random.nextInt(3); // three values: ties in most groups
        for (TieRule rule : TieRule.values()) {
            for (boolean max : new boolean[] {true, false}) {
                for (int dim = 0; dim < 3; dim++) {
                    for (boolean keepDim : new boolean[] {false, true}) {
                        int groups = 60 / shape[dim];
                        double[] w = new double[groups];
                        for (int g = 0; g < groups; g++) w[g] = 1 + g; // a distinct upstream gradient per group
                        Tensor x = Tensor.of(values, shape).to(DType.FLOAT64).requiresGrad(true);
                        Tensor.ValuesAndIndices r = max ? x.max(dim, keepDim, rule) : x.min(dim, keepDim, rule);
                        r.values().reshape(groups).mul(Tensor.of(w)).sum().backward();
                        String msg = rule + (max ? " max" : " min") + " dim " + dim + " keepDim " + keepDim;
                        assertArrayEquals(naiveGrad(values, shape, dim, w, rule, max), x.grad().toDoubleArray(), 1e-12, msg);
                        if (rule == TieRule.FIRST) {
                            // The gradient sits exactly at the returned indices.
                            Tensor at = Tensor.zeros(DType.FLOAT64, shape).scatterAdd(dim,
                                    keepDim ? r.indices() : r.indices().unsqueeze(dim),
                                    Tensor.of(w).reshape(keepDim ? r.indices().shape() : r.indices().unsqueeze(dim).shape()));
                            assertArrayEquals(at.toDoubleArray(), x.grad().toDoubleArray(), msg);
                        }
                    }
                }
            }
        }
    }

    @Test
    void float32InputsTooAndTheRuleDoesNotChangeTheValues() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, -2}, 2, 2).requiresGrad(true);
        for (TieRule rule : TieRule.values()) {
            assertEquals(3, x.max(rule).item());
            assertEquals(-2, x.min(rule).item());
            assertArrayEquals(new double[] {3, 3}, x.max(1, false, rule).values().toDoubleArray());
            assertArrayEquals(new long[] {1, 0}, x.max(1, false, rule).indices().toLongArray());
        }
        x.max(TieRule.FIRST).backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new double[] {0, 1, 0, 0}, x.grad().toDoubleArray());
    }

    @Test
    void aNullRuleIsRefusedNamingTheOp() {
        Tensor x = Tensor.of(1, 2);
        String m = assertThrows(IllegalArgumentException.class, () -> x.max((TieRule) null)).getMessage();
        assertTrue(m.startsWith("max:") && m.contains("FIRST, SPLIT or ALL"), m);
        m = assertThrows(IllegalArgumentException.class, () -> x.min(0, true, null)).getMessage();
        assertTrue(m.startsWith("min:"), m);
    }

    // ------------------------------------------------------------ GradCheck away from ties

    @Test
    void gradCheckFirstAndSecondOrderForEveryRule() {
        Generator gen = new Generator(77);
        for (TieRule rule : TieRule.values()) {
            for (boolean contiguous : new boolean[] {true, false}) {
                Tensor x = ReductionsTest.leaf(gen, contiguous, 3, 4);
                GradCheck.check(in -> in.get(0).max(rule), x);
                GradCheck.check(in -> in.get(0).min(rule), x);
                GradCheck.checkSecondOrder(in -> in.get(0).max(rule).pow(2), x);
                for (int dim : new int[] {0, -1}) {
                    for (boolean keepDim : new boolean[] {false, true}) {
                        GradCheck.check(in -> in.get(0).max(dim, keepDim, rule).values(), x);
                        GradCheck.check(in -> in.get(0).min(dim, keepDim, rule).values(), x);
                        GradCheck.checkSecondOrder(in -> in.get(0).max(dim, keepDim, rule).values().pow(2).sum(), x);
                        GradCheck.checkSecondOrder(in -> in.get(0).min(dim, keepDim, rule).values().exp().sum(), x);
                    }
                }
            }
            // A broadcast input: b [1, 4] added to every row of a [3, 4].
            Tensor a = ReductionsTest.leaf(gen, true, 3, 4), b = ReductionsTest.leaf(gen, true, 1, 4);
            GradCheck.check(in -> in.get(0).add(in.get(1)).max(0, false, rule).values(), a, b);
            GradCheck.checkSecondOrder(in -> in.get(0).add(in.get(1)).max(1, true, rule).values().pow(2).sum(), a, b);
        }
    }
}
