package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The two soft maxima the lecture compares: the softmax-weighted mean ⟨x, softmax x⟩
 * ({@link Tensor#softmaxWeightedMean}) and log-sum-exp, each with the properties the lecture lists.
 */
class SoftMaximaTest {

    private static double naiveWeightedMean(double[] g) {
        double m = Arrays.stream(g).max().orElseThrow(), num = 0, den = 0;
        for (double v : g) {
            double e = Math.exp(v - m);
            num += v * e;
            den += e;
        }
        return num / den;
    }

    private static double naiveLse(double[] g) {
        double m = Arrays.stream(g).max().orElseThrow(), s = 0;
        for (double v : g) s += Math.exp(v - m);
        return m + Math.log(s);
    }

    // ------------------------------------------------------------ the softmax-weighted mean itself

    @Test
    void softmaxWeightedMeanMatchesANaiveLoop() {
        Generator gen = new Generator(91);
        int[] shape = {3, 4, 5};
        for (int dim : new int[] {0, 1, 2, -1}) {
            for (boolean keepDim : new boolean[] {false, true}) {
                Tensor x = ReductionsTest.leaf(gen, keepDim, shape).mul(3).detach();
                Tensor y = x.softmaxWeightedMean(dim, keepDim);
                assertArrayEquals(ReductionsTest.expectedShape(shape, new int[] {dim}, keepDim), y.shape());
                ReductionsTest.assertValues(ReductionsTest.reference(x, new int[] {dim}, SoftMaximaTest::naiveWeightedMean), y, 1e-12);
                Tensor f = x.to(DType.FLOAT32);
                assertEquals(DType.FLOAT32, f.softmaxWeightedMean(dim, keepDim).dtype());
                ReductionsTest.assertValues(ReductionsTest.reference(x, new int[] {dim}, SoftMaximaTest::naiveWeightedMean),
                        f.softmaxWeightedMean(dim, keepDim).to(DType.FLOAT64), 1e-5);
            }
        }
        // The closed form for two elements: a + d·σ(d), d = b − a.
        double d = 2.5;
        assertEquals(1 + d / (1 + Math.exp(-d)), Tensor.of(1, 1 + d).softmaxWeightedMean(0, false).item(), 1e-15);
        // Large values do not overflow: softmax is computed with its stable shift.
        assertEquals(1000, Tensor.of(1000, 1000).softmaxWeightedMean(0, false).item(), 1e-12);
        String m = assertThrows(IllegalArgumentException.class, () -> Tensor.of(1, 2).softmaxWeightedMean(1, false)).getMessage();
        assertTrue(m.startsWith("softmax:"), m);
    }

    @Test
    void softmaxWeightedMeanGradientIsTheClosedFormAndGradChecks() {
        Generator gen = new Generator(92);
        // d/dx ⟨x, s⟩ = s·(1 + x − ⟨x, s⟩), s = softmax(x).
        Tensor x = ReductionsTest.leaf(gen, true, 6);
        x.softmaxWeightedMean(0, false).backward();
        double[] xs = x.toDoubleArray(), s = x.detach().softmax(0).toDoubleArray();
        double y = naiveWeightedMean(xs);
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) expected[i] = s[i] * (1 + xs[i] - y);
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-12);

        for (boolean contiguous : new boolean[] {true, false}) {
            Tensor z = ReductionsTest.leaf(gen, contiguous, 3, 4);
            for (int dim : new int[] {0, -1}) {
                for (boolean keepDim : new boolean[] {false, true}) {
                    GradCheck.check(in -> in.get(0).softmaxWeightedMean(dim, keepDim), z);
                    GradCheck.checkSecondOrder(in -> in.get(0).softmaxWeightedMean(dim, keepDim), z);
                }
            }
        }
        Tensor a = ReductionsTest.leaf(gen, true, 3, 4), b = ReductionsTest.leaf(gen, true, 4);
        GradCheck.check(in -> in.get(0).add(in.get(1)).softmaxWeightedMean(1, false), a, b);
        GradCheck.checkSecondOrder(in -> in.get(0).add(in.get(1)).softmaxWeightedMean(0, true), a, b);
    }

    // ------------------------------------------------------------ the lecture's comparison

    @Test
    void onEqualElementsOneGivesTheValueTheOtherAddsLogN() {
        for (double a : new double[] {-7.5, 0, 2, 1e3}) {
            for (int n : new int[] {1, 2, 5, 100}) {
                Tensor x = Tensor.full(DType.FLOAT64, a, n);
                assertEquals(a, x.softmaxWeightedMean(0, false).item(), 1e-12 * Math.max(1, Math.abs(a)), "a = " + a + ", n = " + n);
                assertEquals(a + Math.log(n), x.logsumexp().item(), 1e-12 * Math.max(1, Math.abs(a)), "a = " + a + ", n = " + n);
            }
        }
    }

    @Test
    void bothMoveByTheShift() {
        Generator gen = new Generator(93);
        Tensor x = ReductionsTest.leaf(gen, false, 4, 6).detach();
        for (double c : new double[] {-3, 0.25, 40}) {
            Tensor shifted = x.add(c);
            assertArrayEquals(x.softmaxWeightedMean(1, false).add(c).toDoubleArray(),
                    shifted.softmaxWeightedMean(1, false).toDoubleArray(), 1e-12, "c = " + c);
            assertArrayEquals(x.logsumexp(1, false).add(c).toDoubleArray(),
                    shifted.logsumexp(1, false).toDoubleArray(), 1e-12, "c = " + c);
        }
    }

    @Test
    void boundsAgainstTheMaxAndTheMean() {
        Generator gen = new Generator(94);
        for (double scale : new double[] {0.1, 1, 10}) {
            Tensor x = Tensor.randn(gen, 50, 7).to(DType.FLOAT64).mul(scale);
            double[] max = x.max(1, false).values().toDoubleArray(), mean = x.mean(1, false).toDoubleArray();
            double[] lse = x.logsumexp(1, false).toDoubleArray(), swm = x.softmaxWeightedMean(1, false).toDoubleArray();
            double logN = Math.log(7);
            for (int r = 0; r < 50; r++) {
                String at = "row " + r + ", scale " + scale;
                assertTrue(max[r] <= lse[r] && lse[r] <= max[r] + logN, at + ": max ≤ lse ≤ max + ln n");
                assertTrue(mean[r] <= swm[r] && swm[r] <= max[r], at + ": mean ≤ ⟨x, softmax x⟩ ≤ max");
                assertTrue(swm[r] < lse[r], at + ": ⟨x, softmax x⟩ < lse (they differ by the entropy of softmax x)");
            }
        }
        // As the scale grows both tend to the max; at scale 0 the weighted mean is the mean.
        Tensor v = Tensor.of(1, 2, 4);
        assertEquals(4, v.mul(100).softmaxWeightedMean(0, false).item() / 100, 1e-12);
        assertEquals(4, v.mul(100).logsumexp().item() / 100, 1e-12);
        assertEquals(7.0 / 3, v.mul(1e-9).softmaxWeightedMean(0, false).item() / 1e-9, 1e-6);
    }

    @Test
    void theEntropyIsTheGap() {
        // lse(x) − ⟨x, s⟩ = H(s) = −Σ s·ln s: an identity tying the two together.
        Tensor x = Tensor.of(0.3, -1.2, 2.0, 0.9);
        double[] s = x.softmax(0).toDoubleArray();
        double h = 0;
        for (double p : s) h -= p * Math.log(p);
        assertEquals(h, x.logsumexp().item() - x.softmaxWeightedMean(0, false).item(), 1e-12);
    }

    @Test
    void logsumexpIsConvexTheWeightedMeanIsNot() {
        // Along x = (0, d): lse = ln(1 + eᵈ), convex; ⟨x, softmax x⟩ = d·σ(d), which bends down for large d.
        Tensor p = Tensor.of(0, 3), q = Tensor.of(0, 9), mid = Tensor.of(0, 6);
        double lseAvg = (p.logsumexp().item() + q.logsumexp().item()) / 2;
        assertTrue(mid.logsumexp().item() <= lseAvg);
        double swmAvg = (p.softmaxWeightedMean(0, false).item() + q.softmaxWeightedMean(0, false).item()) / 2;
        assertTrue(mid.softmaxWeightedMean(0, false).item() > swmAvg, "a midpoint above the chord: not convex");
    }

    @Test
    void theGradientOfLogsumexpIsSoftargmax() {
        Generator gen = new Generator(95);
        Tensor x = ReductionsTest.leaf(gen, true, 9);
        x.logsumexp().backward();
        assertArrayEquals(x.detach().softmax(0).toDoubleArray(), x.grad().toDoubleArray(), 1e-14);

        Tensor y = ReductionsTest.leaf(gen, false, 3, 5);
        y.logsumexp(1, false).sum().backward();
        assertArrayEquals(y.detach().softmax(1).toDoubleArray(), y.grad().toDoubleArray(), 1e-14);
        // Not so for the weighted mean: its gradient is softmax(x)·(1 + x − ⟨x, softmax x⟩).
        Tensor z = ReductionsTest.leaf(gen, true, 9);
        z.softmaxWeightedMean(0, false).backward();
        double[] gz = z.grad().toDoubleArray(), sz = z.detach().softmax(0).toDoubleArray();
        assertTrue(Arrays.stream(gz).anyMatch(v -> v < 0), "a gradient of a softmax would be positive everywhere");
        assertFalse(Arrays.equals(gz, sz));
    }
}
