package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.GradCheck;
import org.jgrad.Tensor;
import org.jgrad.nn.Losses.BceOptions;
import org.jgrad.nn.Losses.CrossEntropyOptions;
import org.jgrad.nn.Losses.KlDivOptions;
import org.jgrad.nn.Losses.KlDivReduction;
import org.jgrad.nn.Losses.NllOptions;
import org.junit.jupiter.api.Test;

class LossesTest {

    // ---------------------------------------------------------------- helpers

    static Tensor leaf(Generator gen, int... shape) {
        return Tensor.randn(gen, shape).to(DType.FLOAT64).requiresGrad(true);
    }

    static Tensor leafUniform(Generator gen, double low, double high, int... shape) {
        return Tensor.uniform(gen, DType.FLOAT64, low, high, shape).requiresGrad(true);
    }

    static Tensor leafOf(double[] values, int... shape) {
        return Tensor.of(values, shape).requiresGrad(true);
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    static double[] map2(double[] a, double[] b, DoubleBinaryOperator f) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = f.applyAsDouble(a[i], b[i]);
        return out;
    }

    /** Checks NONE elementwise, SUM and MEAN against a per-element reference. */
    static void assertReductions(double[] expectedPerElement, int[] shape, java.util.function.Function<Reduction, Tensor> loss,
            double tol, String what) {
        Tensor none = loss.apply(Reduction.NONE);
        assertArrayEquals(shape, none.shape(), what + " none shape");
        assertArrayEquals(expectedPerElement, none.toDoubleArray(), tol, what + " none");
        Tensor s = loss.apply(Reduction.SUM), m = loss.apply(Reduction.MEAN);
        assertEquals(0, s.dim(), what + " sum is a scalar");
        assertEquals(0, m.dim(), what + " mean is a scalar");
        assertEquals(sum(expectedPerElement), s.item(), tol * expectedPerElement.length, what + " sum");
        assertEquals(sum(expectedPerElement) / expectedPerElement.length, m.item(), tol, what + " mean");
    }

    static void assertAllFinite(Tensor t, String what) {
        for (double v : t.toDoubleArray()) assertTrue(Double.isFinite(v), what + ": " + t);
    }

    static IllegalArgumentException assertBad(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run);
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    // ---------------------------------------------------------------- regression

    @Test
    void regressionLossesMatchNaiveFormulas() {
        Generator gen = new Generator(11);
        int[] shape = {3, 5};
        Tensor x = Tensor.randn(gen, shape).to(DType.FLOAT64).mul(2);
        Tensor y = Tensor.randn(gen, shape).to(DType.FLOAT64);
        double[] xv = x.toDoubleArray(), yv = y.toDoubleArray();

        assertReductions(map2(xv, yv, (a, b) -> (a - b) * (a - b)), shape, r -> Losses.mse(x, y, r), 1e-14, "mse");
        assertReductions(map2(xv, yv, (a, b) -> Math.abs(a - b)), shape, r -> Losses.l1(x, y, r), 1e-14, "l1");
        for (double delta : new double[] {0.3, 1.0, 2.5}) {
            double[] exp = map2(xv, yv, (a, b) -> {
                double d = Math.abs(a - b);
                return d < delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
            });
            assertReductions(exp, shape, r -> Losses.huber(x, y, delta, r), 1e-14, "huber δ=" + delta);
        }
        for (double beta : new double[] {0.0, 0.4, 1.0, 3.0}) {
            double[] exp = map2(xv, yv, (a, b) -> {
                double d = Math.abs(a - b);
                return d < beta ? 0.5 * d * d / beta : d - 0.5 * beta;
            });
            assertReductions(exp, shape, r -> Losses.smoothL1(x, y, beta, r), 1e-14, "smoothL1 β=" + beta);
        }
        assertReductions(map2(xv, yv, (a, b) -> Math.abs(a - b) / (Math.abs(a) + Math.abs(b))), shape,
                r -> Losses.smape(x, y, r), 1e-14, "smape");

        // Defaults: mean, δ = β = 1.
        assertEquals(Losses.mse(x, y, Reduction.MEAN).item(), Losses.mse(x, y).item(), 0);
        assertEquals(Losses.l1(x, y, Reduction.MEAN).item(), Losses.l1(x, y).item(), 0);
        assertEquals(Losses.huber(x, y, 1, Reduction.MEAN).item(), Losses.huber(x, y).item(), 0);
        assertEquals(Losses.smoothL1(x, y, 1, Reduction.MEAN).item(), Losses.smoothL1(x, y).item(), 0);
        assertEquals(Losses.smape(x, y, Reduction.MEAN).item(), Losses.smape(x, y).item(), 0);
        // Huber(δ) = δ·SmoothL1(β = δ).
        assertEquals(Losses.huber(x, y, 2.5, Reduction.SUM).item(), 2.5 * Losses.smoothL1(x, y, 2.5, Reduction.SUM).item(),
                1e-12);
    }

    @Test
    void regressionLossesKeepFloat32() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3), y = Tensor.of(new float[] {1, 0, 5}, 3);
        Tensor l = Losses.mse(x, y);
        assertEquals(DType.FLOAT32, l.dtype());
        assertEquals(8.0 / 3, l.item(), 1e-6);
    }

    @Test
    void regressionGradientsWrtInputAndTarget() {
        Generator gen = new Generator(12);
        for (Reduction r : Reduction.values()) {
            Tensor x = leaf(gen, 2, 3), y = leaf(gen, 2, 3);
            GradCheck.check(in -> Losses.mse(in.get(0), in.get(1), r), x, y);
            GradCheck.check(in -> Losses.l1(in.get(0), in.get(1), r), x, y);
            GradCheck.check(in -> Losses.huber(in.get(0), in.get(1), 0.8, r), x, y);
            GradCheck.check(in -> Losses.smoothL1(in.get(0), in.get(1), 0.8, r), x, y);
            GradCheck.check(in -> Losses.smoothL1(in.get(0), in.get(1), 0.0, r), x, y);
            GradCheck.check(in -> Losses.smape(in.get(0), in.get(1), r), x, y);
        }
    }

    @Test
    void huberGradientIsClippedToDelta() {
        Tensor x = leafOf(new double[] {0.5, 10, -10}, 3);
        Tensor y = Tensor.zeros(DType.FLOAT64, 3);
        Losses.huber(x, y, 2, Reduction.SUM).backward();
        assertArrayEquals(new double[] {0.5, 2, -2}, x.grad().toDoubleArray(), 1e-15);
        Tensor x2 = leafOf(new double[] {0.5, 10, -10}, 3);
        Losses.smoothL1(x2, y, 2, Reduction.SUM).backward();
        assertArrayEquals(new double[] {0.25, 1, -1}, x2.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void smapeDefinesZeroOverZeroAsZeroWithZeroGradient() {
        Tensor x = leafOf(new double[] {0, 0, 2, -1}, 4);
        Tensor y = leafOf(new double[] {0, 3, 2, 1}, 4);
        Tensor l = Losses.smape(x, y, Reduction.NONE);
        // 0/0 := 0; |0 − 3|/3 = 1; exact match 0; opposite signs 2/2 = 1.
        assertArrayEquals(new double[] {0, 1, 0, 1}, l.toDoubleArray(), 1e-15);
        l.sum().backward();
        assertAllFinite(x.grad(), "smape d/dinput");
        assertAllFinite(y.grad(), "smape d/dtarget");
        assertEquals(0, x.grad().get(0));
        assertEquals(0, y.grad().get(0), 0.0); // −0: the target's gradient is negated, and −(+0) is −0
    }

    // ---------------------------------------------------------------- binary

    @Test
    void bceMatchesNaiveFormulaWithClampedLogs() {
        double[] p = {0, 1, 0.3, 0.9, 1e-50, 0.5};
        double[] y = {1, 0, 0, 1, 1, 0.25};
        double[] w = {1, 2, 0.5, 1, 1, 3};
        double[] exp = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double logP = Math.max(Math.log(p[i]), -100), log1mP = Math.max(Math.log(1 - p[i]), -100);
            exp[i] = -w[i] * (y[i] * logP + (1 - y[i]) * log1mP);
        }
        Tensor pt = Tensor.of(p, 6), yt = Tensor.of(y, 6), wt = Tensor.of(w, 6);
        assertReductions(exp, new int[] {6}, r -> Losses.bce(pt, yt, BceOptions.defaults().weight(wt).reduction(r)),
                1e-12, "bce");
        assertEquals(100, exp[0], 0);
        assertEquals(200, exp[1], 0);
        // A weight broadcast along the leading dimension.
        Tensor p2 = Tensor.of(new double[] {0.2, 0.7, 0.4, 0.6}, 2, 2), y2 = Tensor.of(new double[] {1, 0, 0, 1}, 2, 2);
        Tensor l = Losses.bce(p2, y2, BceOptions.defaults().weight(Tensor.of(new double[] {2, 3}, 2)).reduction(Reduction.NONE));
        assertArrayEquals(new double[] {-2 * Math.log(0.2), -3 * Math.log(0.3), -2 * Math.log(0.6), -3 * Math.log(0.6)},
                l.toDoubleArray(), 1e-12);
    }

    @Test
    void bceGradientIsPyTorchsBoundedFormula() {
        // Values from torch 1.13: F.binary_cross_entropy(p, y, reduction="sum") for p = [0, 1, 0.3, 0.9],
        // y = [1, 0, 0, 1] is 200.46203545959656 with p.grad = [-1.0000000039958e12, 1.0000000039958e12,
        // 1/0.7, -1/0.9] (PyTorch's ε is the float 1e-12, hence the last digits; we use the double).
        Tensor p = leafOf(new double[] {0, 1, 0.3, 0.9}, 4);
        Tensor y = Tensor.of(new double[] {1, 0, 0, 1}, 4);
        Tensor l = Losses.bce(p, y, BceOptions.defaults().reduction(Reduction.SUM));
        assertEquals(200.46203545959656, l.item(), 1e-12);
        l.backward();
        assertArrayEquals(new double[] {-1e12, 1e12, 1 / 0.7, -1 / 0.9}, p.grad().toDoubleArray(), 1e12 * 1e-8);
        assertEquals(1 / 0.7, p.grad().get(2), 1e-12);
    }

    @Test
    void bceGradients() {
        Generator gen = new Generator(13);
        for (Reduction r : Reduction.values()) {
            Tensor p = leafUniform(gen, 0.05, 0.95, 3, 4), y = leafUniform(gen, 0, 1, 3, 4);
            Tensor w = leafUniform(gen, 0.5, 2, 4);
            GradCheck.check(in -> Losses.bce(in.get(0), in.get(1), BceOptions.defaults().weight(in.get(2)).reduction(r)),
                    p, y, w);
        }
        Tensor p = leafUniform(gen, 0.05, 0.95, 2, 3), y = leafUniform(gen, 0, 1, 2, 3);
        GradCheck.checkSecondOrder(in -> Losses.bce(in.get(0), in.get(1)), p, y);
    }

    @Test
    void bceWithLogitsMatchesTheProbabilityFormula() {
        Generator gen = new Generator(14);
        int n = 4, c = 3;
        Tensor z = Tensor.randn(gen, n, c).to(DType.FLOAT64).mul(2);
        Tensor y = Tensor.uniform(gen, DType.FLOAT64, 0, 1, n, c);
        Tensor w = Tensor.uniform(gen, DType.FLOAT64, 0.5, 2, n, 1);
        Tensor pw = Tensor.of(new double[] {0.5, 1, 4}, c);
        double[] zv = z.toDoubleArray(), yv = y.toDoubleArray(), wv = w.toDoubleArray(), pwv = pw.toDoubleArray();
        double[] plain = new double[n * c], full = new double[n * c];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                int k = i * c + j;
                double s = sigmoid(zv[k]);
                // The textbook form, through σ: fine for these moderate logits.
                plain[k] = -(yv[k] * Math.log(s) + (1 - yv[k]) * Math.log(1 - s));
                full[k] = -wv[i] * (pwv[j] * yv[k] * Math.log(s) + (1 - yv[k]) * Math.log(1 - s));
            }
        }
        assertReductions(plain, new int[] {n, c}, r -> Losses.bceWithLogits(z, y, BceOptions.defaults().reduction(r)),
                1e-12, "bceWithLogits");
        assertReductions(full, new int[] {n, c},
                r -> Losses.bceWithLogits(z, y, BceOptions.defaults().weight(w).posWeight(pw).reduction(r)), 1e-12,
                "bceWithLogits weight posWeight");
        assertEquals(Losses.bceWithLogits(z, y, BceOptions.defaults()).item(), Losses.bceWithLogits(z, y).item(), 0);
        // Equal to bce of the sigmoid.
        assertEquals(Losses.bce(z.sigmoid(), y).item(), Losses.bceWithLogits(z, y).item(), 1e-12);
    }

    @Test
    void bceWithLogitsGradients() {
        Generator gen = new Generator(15);
        for (Reduction r : Reduction.values()) {
            Tensor z = leaf(gen, 3, 4), y = leafUniform(gen, 0, 1, 3, 4);
            Tensor w = leafUniform(gen, 0.5, 2, 3, 1), pw = leafUniform(gen, 0.5, 3, 4);
            GradCheck.check(in -> Losses.bceWithLogits(in.get(0), in.get(1),
                    BceOptions.defaults().weight(in.get(2)).posWeight(in.get(3)).reduction(r)), z, y, w, pw);
        }
        Tensor z = leaf(gen, 2, 3), y = leafUniform(gen, 0, 1, 2, 3);
        GradCheck.checkSecondOrder(in -> Losses.bceWithLogits(in.get(0), in.get(1)), z, y);
    }

    @Test
    void bceWithLogitsIsStableAtPlusMinus1000() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor z = Tensor.of(new double[] {1000, -1000, 1000, -1000}, 4).to(dt).requiresGrad(true);
            Tensor y = Tensor.of(new double[] {0, 1, 1, 0}, 4).to(dt);
            Tensor l = Losses.bceWithLogits(z, y, BceOptions.defaults().reduction(Reduction.NONE));
            assertArrayEquals(new double[] {1000, 1000, 0, 0}, l.toDoubleArray(), 1e-3, dt.toString());
            l.sum().backward();
            // d/dz = σ(z) − y.
            assertArrayEquals(new double[] {1, -1, 0, 0}, z.grad().toDoubleArray(), 1e-6, dt.toString());
        }
        // With posWeight 3 (torch 1.13 gives sum 4000.2727 and grad [1, −3, −0.14228, 0.11920] for
        // z = [1000, −1000, 3, −2], y = [0, 1, 1, 0]).
        Tensor z = leafOf(new double[] {1000, -1000, 3, -2}, 4);
        Tensor y = Tensor.of(new double[] {0, 1, 1, 0}, 4);
        Tensor l = Losses.bceWithLogits(z, y,
                BceOptions.defaults().posWeight(Tensor.scalar(DType.FLOAT64, 3)).reduction(Reduction.SUM));
        assertEquals(1000 + 3 * 1000 + 3 * Math.log1p(Math.exp(-3)) + Math.log1p(Math.exp(-2)), l.item(), 1e-9);
        assertEquals(4000.272705078125, l.item(), 1e-4);
        l.backward();
        assertArrayEquals(new double[] {1, -3, 3 * (sigmoid(3) - 1), sigmoid(-2)}, z.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void logisticAndHingeMatchNaiveFormulas() {
        Generator gen = new Generator(16);
        Tensor z = Tensor.randn(gen, 2, 5).to(DType.FLOAT64).mul(2);
        double[] labels = {1, -1, -1, 1, 1, -1, 1, 1, -1, -1};
        Tensor y = Tensor.of(labels, 2, 5);
        double[] zv = z.toDoubleArray();
        assertReductions(map2(zv, labels, (a, b) -> Math.log(1 + Math.exp(-a * b))), new int[] {2, 5},
                r -> Losses.logistic(z, y, r), 1e-12, "logistic");
        assertReductions(map2(zv, labels, (a, b) -> Math.max(0, 1 - a * b)), new int[] {2, 5},
                r -> Losses.hinge(z, y, r), 1e-14, "hinge");
        // int64 labels are accepted and do not change the dtype.
        Tensor z32 = Tensor.of(new float[] {0.5f, -2f}, 2);
        Tensor l = Losses.hinge(z32, Tensor.of(new long[] {1, 1}, 2));
        assertEquals(DType.FLOAT32, l.dtype());
        assertEquals((0.5 + 3) / 2, l.item(), 1e-6);
        // logistic equals bceWithLogits with 0/1 labels (y01 = (y + 1)/2).
        assertEquals(Losses.bceWithLogits(z, y.add(1).div(2)).item(), Losses.logistic(z, y).item(), 1e-12);
    }

    @Test
    void logisticAndHingeGradientsAndStability() {
        Generator gen = new Generator(17);
        Tensor y = Tensor.of(new double[] {1, -1, -1, 1, 1, -1}, 2, 3);
        for (Reduction r : Reduction.values()) {
            Tensor z = leaf(gen, 2, 3);
            GradCheck.check(in -> Losses.logistic(in.get(0), y, r), z);
            GradCheck.check(in -> Losses.hinge(in.get(0), y, r), z);
        }
        Tensor z = Tensor.of(new float[] {1000, -1000, 1000, -1000}, 4).requiresGrad(true);
        Tensor yy = Tensor.of(new float[] {1, -1, -1, 1}, 4);
        Tensor l = Losses.logistic(z, yy, Reduction.NONE);
        assertArrayEquals(new double[] {0, 0, 1000, 1000}, l.toDoubleArray(), 1e-3);
        l.sum().backward();
        assertArrayEquals(new double[] {0, 0, 1, -1}, z.grad().toDoubleArray(), 1e-6);
    }

    @Test
    void softF1MatchesSoftConfusionMatrix() {
        Generator gen = new Generator(18);
        Tensor p = Tensor.uniform(gen, DType.FLOAT64, 0, 1, 4, 3);
        double[] onehot = {1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0};
        Tensor y = Tensor.of(onehot, 4, 3);
        double[] pv = p.toDoubleArray();
        double tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < pv.length; i++) {
            tp += pv[i] * onehot[i];
            fp += pv[i] * (1 - onehot[i]);
            fn += (1 - pv[i]) * onehot[i];
        }
        assertEquals(1 - 2 * tp / (2 * tp + fp + fn + 1e-8), Losses.softF1(p, y).item(), 1e-14);
        double macro = 0;
        for (int c = 0; c < 3; c++) {
            double t = 0, f = 0, n = 0;
            for (int i = 0; i < 4; i++) {
                double pi = pv[i * 3 + c], yi = onehot[i * 3 + c];
                t += pi * yi;
                f += pi * (1 - yi);
                n += (1 - pi) * yi;
            }
            macro += 2 * t / (2 * t + f + n + 1e-8);
        }
        assertEquals(1 - macro / 3, Losses.softF1Macro(p, y).item(), 1e-14);
        // Hard, perfect predictions give F1 ≈ 1; nothing predicted and nothing true gives loss 1 (ε).
        assertEquals(0, Losses.softF1(y, y).item(), 1e-7);
        Tensor zeros = Tensor.zeros(DType.FLOAT64, 5);
        assertEquals(1, Losses.softF1(zeros, zeros).item(), 0);
    }

    @Test
    void softF1Gradients() {
        Generator gen = new Generator(19);
        Tensor p = leafUniform(gen, 0.05, 0.95, 4, 3), y = leafUniform(gen, 0, 1, 4, 3);
        GradCheck.check(in -> Losses.softF1(in.get(0), in.get(1)), p, y);
        GradCheck.check(in -> Losses.softF1Macro(in.get(0), in.get(1)), p, y);
        Tensor z = leaf(gen, 5, 3);
        Tensor onehot = Tensor.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0}, 5, 3);
        GradCheck.check(in -> Losses.softF1Macro(in.get(0).softmax(1), onehot), z);
    }

    // ---------------------------------------------------------------- cross-entropy and nll

    /** Per-element parts of PyTorch's class-index cross-entropy, written out from its formulas. */
    record ClassRef(double[] nll, double[] smooth, double[] targetWeight) {
        double reduce(Reduction r, double eps, int classes) {
            double[] none = none(eps, classes);
            return switch (r) {
                case SUM -> sum(none);
                // PyTorch: (1 − ε)·nll_loss(mean) + (ε/C)·Σ smooth / Σ w[t], both over non-ignored targets.
                case MEAN -> (1 - eps) * sum(nll) / sum(targetWeight) + eps / classes * sum(smooth) / sum(targetWeight);
                case NONE -> throw new AssertionError();
            };
        }

        double[] none(double eps, int classes) {
            double[] out = new double[nll.length];
            for (int i = 0; i < out.length; i++) out[i] = (1 - eps) * nll[i] + eps / classes * smooth[i];
            return out;
        }
    }

    /** x laid out [n, c, s] (s: product of the dimensions after the classes); t laid out [n, s]. */
    static ClassRef classRef(double[] x, boolean logits, int n, int c, int s, long[] t, double[] w, long ignore) {
        double[] nll = new double[n * s], smooth = new double[n * s], tw = new double[n * s];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < s; k++) {
                double[] logp = new double[c];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) max = Math.max(max, x[(i * c + j) * s + k]);
                double z = 0;
                for (int j = 0; j < c; j++) z += Math.exp(x[(i * c + j) * s + k] - max);
                for (int j = 0; j < c; j++) {
                    double v = x[(i * c + j) * s + k];
                    logp[j] = logits ? v - max - Math.log(z) : v;
                }
                long target = t[i * s + k];
                if (target == ignore) continue;
                double wt = w == null ? 1 : w[(int) target];
                nll[i * s + k] = -wt * logp[(int) target];
                tw[i * s + k] = wt;
                for (int j = 0; j < c; j++) smooth[i * s + k] -= (w == null ? 1 : w[j]) * logp[j];
            }
        }
        return new ClassRef(nll, smooth, tw);
    }

    @Test
    void crossEntropyHardCodedTorchValues() {
        // Computed independently with torch 1.13 (F.cross_entropy on these float64 tensors).
        Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {0.5, -1, 2}, {0, 0.3, -0.2}, {2, 1, -1}});
        Tensor t = Tensor.of(new long[] {2, 0, -100, 1}, 4);
        Tensor w = Tensor.of(new double[] {0.2, 0.6, 1.5}, 3);
        CrossEntropyOptions o = CrossEntropyOptions.defaults();
        assertEquals(1.1659764926232414, Losses.crossEntropy(x, t).item(), 1e-14);
        assertEquals(0.76916458089518, Losses.crossEntropy(x, t, o.weight(w)).item(), 1e-14);
        assertEquals(0.8443530184447978, Losses.crossEntropy(x, t, o.weight(w).labelSmoothing(0.1)).item(), 1e-14);
        assertEquals(1.9420119424230347,
                Losses.crossEntropy(x, t, o.weight(w).labelSmoothing(0.1).reduction(Reduction.SUM)).item(), 1e-14);
        Tensor q = Tensor.of(new double[][] {{0.1, 0.2, 0.7}, {1, 0, 0}, {0.3, 0.3, 0.4}, {0, 0.5, 0.5}});
        assertEquals(1.2100373261599757, Losses.crossEntropy(x, q, o.weight(w).labelSmoothing(0.2)).item(), 1e-14);
    }

    @Test
    void crossEntropyClassIndicesMatchPyTorchFormulas() {
        Generator gen = new Generator(21);
        // [N, C] and [N, C, d1, d2] (classes in dimension 1).
        int[][] shapes = {{6, 4}, {3, 4, 2, 3}};
        double[] w = {0.3, 1.0, 2.0, 0.7};
        for (int[] shape : shapes) {
            int n = shape[0], c = shape[1], s = 1;
            for (int k = 2; k < shape.length; k++) s *= shape[k];
            int[] tShape = new int[shape.length - 1];
            tShape[0] = n;
            System.arraycopy(shape, 2, tShape, 1, shape.length - 2);
            Tensor x = Tensor.randn(gen, shape).to(DType.FLOAT64).mul(2);
            long[] t = new long[n * s];
            for (int i = 0; i < t.length; i++) t[i] = gen.nextInt(c);
            t[1] = 2; // the ignore index below, used as a real class elsewhere
            t[t.length - 1] = 2;
            t[0] = 1;
            Tensor tt = Tensor.of(t, tShape);
            for (long ignore : new long[] {-100, 2}) {
                for (double[] weight : new double[][] {null, w}) {
                    for (double eps : new double[] {0, 0.15}) {
                        ClassRef ref = classRef(x.toDoubleArray(), true, n, c, s, t, weight, ignore);
                        CrossEntropyOptions o = CrossEntropyOptions.defaults().ignoreIndex(ignore).labelSmoothing(eps)
                                .weight(weight == null ? null : Tensor.of(weight, c));
                        String what = "shape " + java.util.Arrays.toString(shape) + " ignore " + ignore + " weight "
                                + (weight != null) + " ε " + eps;
                        Tensor none = Losses.crossEntropy(x, tt, o.reduction(Reduction.NONE));
                        assertArrayEquals(tShape, none.shape(), what);
                        assertArrayEquals(ref.none(eps, c), none.toDoubleArray(), 1e-13, what);
                        assertEquals(ref.reduce(Reduction.SUM, eps, c),
                                Losses.crossEntropy(x, tt, o.reduction(Reduction.SUM)).item(), 1e-12, what);
                        assertEquals(ref.reduce(Reduction.MEAN, eps, c), Losses.crossEntropy(x, tt, o).item(), 1e-13, what);
                        if (eps == 0) {
                            // nll of log-probabilities is the same loss.
                            NllOptions no = NllOptions.defaults().ignoreIndex(ignore)
                                    .weight(weight == null ? null : Tensor.of(weight, c));
                            Tensor logp = x.logSoftmax(1);
                            assertEquals(ref.reduce(Reduction.MEAN, 0, c), Losses.nll(logp, tt, no).item(), 1e-13, what);
                            assertArrayEquals(ref.none(0, c),
                                    Losses.nll(logp, tt, no.reduction(Reduction.NONE)).toDoubleArray(), 1e-13, what);
                            ClassRef nllRef = classRef(logp.toDoubleArray(), false, n, c, s, t, weight, ignore);
                            assertEquals(nllRef.reduce(Reduction.SUM, 0, c),
                                    Losses.nll(logp, tt, no.reduction(Reduction.SUM)).item(), 1e-12, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void crossEntropyProbabilityTargetsMatchFormula() {
        Generator gen = new Generator(22);
        int n = 5, c = 4;
        Tensor x = Tensor.randn(gen, n, c).to(DType.FLOAT64);
        Tensor q = Tensor.randn(gen, n, c).to(DType.FLOAT64).softmax(1);
        double[] w = {0.5, 1, 2, 1.5};
        double[] xv = x.toDoubleArray(), qv = q.toDoubleArray();
        for (double eps : new double[] {0, 0.2}) {
            for (double[] weight : new double[][] {null, w}) {
                double[] exp = new double[n];
                for (int i = 0; i < n; i++) {
                    double z = 0;
                    for (int j = 0; j < c; j++) z += Math.exp(xv[i * c + j]);
                    for (int j = 0; j < c; j++) {
                        double qs = (1 - eps) * qv[i * c + j] + eps / c;
                        exp[i] -= (weight == null ? 1 : weight[j]) * qs * (xv[i * c + j] - Math.log(z));
                    }
                }
                CrossEntropyOptions o = CrossEntropyOptions.defaults().labelSmoothing(eps)
                        .weight(weight == null ? null : Tensor.of(weight, c));
                // Mean divides by the number of samples, not by the weights.
                assertReductions(exp, new int[] {n}, r -> Losses.crossEntropy(x, q, o.reduction(r)), 1e-13,
                        "probability targets ε " + eps);
            }
        }
        // Spatial probability targets [N, C, d].
        Tensor x3 = Tensor.randn(gen, 2, 3, 4).to(DType.FLOAT64);
        Tensor q3 = Tensor.randn(gen, 2, 3, 4).to(DType.FLOAT64).softmax(1);
        Tensor l3 = Losses.crossEntropy(x3, q3, CrossEntropyOptions.defaults().reduction(Reduction.NONE));
        assertArrayEquals(new int[] {2, 4}, l3.shape());
        assertArrayEquals(x3.logSoftmax(1).mul(q3).sum(1, false).neg().toDoubleArray(), l3.toDoubleArray(), 1e-14);
        // One-hot probabilities give the same loss as the indices.
        Tensor idx = Tensor.of(new long[] {2, 0, 3, 1, 1}, 5);
        double[] onehot = new double[n * c];
        long[] iv = idx.toLongArray();
        for (int i = 0; i < n; i++) onehot[i * c + (int) iv[i]] = 1;
        assertEquals(Losses.crossEntropy(x, idx).item(), Losses.crossEntropy(x, Tensor.of(onehot, n, c)).item(), 1e-14);
    }

    @Test
    void crossEntropyOneSample() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3);
        double expected = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 2;
        for (Reduction r : Reduction.values()) {
            Tensor l = Losses.crossEntropy(x, Tensor.of(new long[] {1}, new int[0]),
                    CrossEntropyOptions.defaults().reduction(r));
            assertEquals(0, l.dim(), r.toString());
            assertEquals(expected, l.item(), 1e-14, r.toString());
        }
        assertEquals(expected, Losses.nll(x.logSoftmax(0), Tensor.of(new long[] {1}, new int[0])).item(), 1e-14);
        assertEquals(expected, Losses.crossEntropy(x, Tensor.of(new double[] {0, 1, 0}, 3)).item(), 1e-14);
    }

    @Test
    void crossEntropyMeanOfOnlyIgnoredTargetsIsNaNAsPyTorch() {
        Tensor x = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        Tensor t = Tensor.of(new long[] {-100, -100}, 2);
        assertTrue(Double.isNaN(Losses.crossEntropy(x, t).item()));
        assertEquals(0, Losses.crossEntropy(x, t, CrossEntropyOptions.defaults().reduction(Reduction.SUM)).item());
    }

    @Test
    void crossEntropyAndNllGradients() {
        Generator gen = new Generator(23);
        Tensor t2 = Tensor.of(new long[] {0, 3, -100, 1, 3}, 5);
        Tensor t4 = Tensor.of(new long[] {0, 2, 1, 1, 0, 2, 2, 0, -100, 1, 1, 0}, 2, 2, 3);
        for (Reduction r : Reduction.values()) {
            for (double eps : new double[] {0, 0.1}) {
                Tensor x = leaf(gen, 5, 4), w = leafUniform(gen, 0.5, 2, 4);
                CrossEntropyOptions o = CrossEntropyOptions.defaults().labelSmoothing(eps).reduction(r);
                GradCheck.check(in -> Losses.crossEntropy(in.get(0), t2, o), x);
                GradCheck.check(in -> Losses.crossEntropy(in.get(0), t2, o.weight(in.get(1))), x, w);
                Tensor x4 = leaf(gen, 2, 3, 2, 3), w3 = leafUniform(gen, 0.5, 2, 3);
                GradCheck.check(in -> Losses.crossEntropy(in.get(0), t4, o.weight(in.get(1))), x4, w3);
                // Probability targets: differentiable in the targets too.
                Tensor q = leafUniform(gen, 0, 1, 5, 4);
                GradCheck.check(in -> Losses.crossEntropy(in.get(0), in.get(1), o.weight(in.get(2))), x, q, w);
            }
            Tensor lp = leaf(gen, 5, 4), w = leafUniform(gen, 0.5, 2, 4);
            GradCheck.check(in -> Losses.nll(in.get(0), t2, NllOptions.defaults().weight(in.get(1)).reduction(r)), lp, w);
        }
        Tensor x = leaf(gen, 3, 4);
        Tensor t = Tensor.of(new long[] {1, 0, 3}, 3);
        GradCheck.checkSecondOrder(in -> Losses.crossEntropy(in.get(0), t,
                CrossEntropyOptions.defaults().labelSmoothing(0.1)), x);
    }

    @Test
    void crossEntropyIsStableAtPlusMinus1000() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.of(new double[][] {{1000, -1000, 0}, {-1000, 1000, 1000}}).to(dt).requiresGrad(true);
            Tensor t = Tensor.of(new long[] {1, 0}, 2);
            Tensor l = Losses.crossEntropy(x, t,
                    CrossEntropyOptions.defaults().reduction(Reduction.NONE).labelSmoothing(0.1)
                            .weight(Tensor.of(new double[] {1, 2, 1}, 3).to(dt)));
            // Row 0: logsumexp = 1000, log p[1] = −2000 (weight 2); row 1: logsumexp = 1000 + log 2,
            // log p = [−2000 − log 2, −log 2, −log 2]; smoothing adds (ε/3)·Σ_c −w[c]·log p[c].
            double lse1 = 1000 + Math.log(2);
            double row0 = 0.9 * 2 * 2000 + 0.1 / 3 * (0 + 2 * 2000 + 1000);
            double row1 = 0.9 * (1000 + lse1) + 0.1 / 3 * ((1000 + lse1) + 2 * (lse1 - 1000) + (lse1 - 1000));
            assertArrayEquals(new double[] {row0, row1}, l.toDoubleArray(), 1e-2, dt.toString());
            l.sum().backward();
            assertAllFinite(x.grad(), "crossEntropy gradient " + dt);
            Tensor plain = Tensor.of(new double[][] {{1000, -1000, 0}, {-1000, 1000, 1000}}).to(dt).requiresGrad(true);
            Tensor lp = Losses.crossEntropy(plain, t);
            assertEquals((2000 + 1000 + lse1) / 2, lp.item(), 1e-2);
            lp.backward();
            // softmax − onehot, halved by the mean.
            assertArrayEquals(new double[] {0.5, -0.5, 0, -0.5, 0.25, 0.25}, plain.grad().toDoubleArray(), 1e-6);
        }
    }

    // ---------------------------------------------------------------- KL divergence

    @Test
    void klDivMatchesFormulaAndTorch() {
        Tensor input = Tensor.of(new double[][] {{-1.2, -0.5, -2.0}, {-0.1, -3.0, -2.5}});
        Tensor target = Tensor.of(new double[][] {{0.2, 0.8, 0.0}, {0.5, 0.25, 0.25}});
        double[] iv = input.toDoubleArray(), tv = target.toDoubleArray();
        double[] exp = map2(tv, iv, (q, x) -> q == 0 ? 0 : q * (Math.log(q) - x));
        assertReductions(exp, new int[] {2, 3},
                r -> Losses.klDiv(input, target, KlDivOptions.defaults().reduction(KlDivReduction.valueOf(r.name()))),
                1e-14, "klDiv");
        assertEquals(sum(exp) / 2,
                Losses.klDiv(input, target, KlDivOptions.defaults().reduction(KlDivReduction.BATCH_MEAN)).item(), 1e-14);
        // torch 1.13: F.kl_div(input, target, reduction="batchmean") and (reduction="mean").
        assertEquals(0.2624384028109471,
                Losses.klDiv(input, target, KlDivOptions.defaults().reduction(KlDivReduction.BATCH_MEAN)).item(), 1e-14);
        assertEquals(0.08747946760364904, Losses.klDiv(input, target).item(), 1e-14);
        // logTarget: torch 1.13 F.kl_div(input, target.clamp_min(1e-3).log(), reduction="sum", log_target=True).
        Tensor logTarget = target.clamp(1e-3, 1).log();
        assertEquals(0.5199690503429121,
                Losses.klDiv(input, logTarget, KlDivOptions.defaults().logTarget(true).reduction(KlDivReduction.SUM)).item(),
                1e-14);
        double[] lt = logTarget.toDoubleArray();
        Tensor none = Losses.klDiv(input, logTarget, KlDivOptions.defaults().logTarget(true).reduction(KlDivReduction.NONE));
        assertArrayEquals(map2(lt, iv, (t, x) -> Math.exp(t) * (t - x)), none.toDoubleArray(), 1e-15);
    }

    @Test
    void klDivGradientsWrtInputAndTarget() {
        Generator gen = new Generator(24);
        for (KlDivReduction r : KlDivReduction.values()) {
            Tensor input = leaf(gen, 3, 4);
            Tensor q = leafUniform(gen, 0.05, 1, 3, 4);
            GradCheck.check(in -> Losses.klDiv(in.get(0).logSoftmax(1), in.get(1),
                    KlDivOptions.defaults().reduction(r)), input, q);
            Tensor logQ = leaf(gen, 3, 4);
            GradCheck.check(in -> Losses.klDiv(in.get(0), in.get(1), KlDivOptions.defaults().logTarget(true).reduction(r)),
                    input, logQ);
        }
        // A zero target probability contributes nothing and a finite gradient.
        Tensor input = leafOf(new double[] {-1, -2}, 2);
        Tensor q = leafOf(new double[] {0, 1}, 2);
        Losses.klDiv(input, q, KlDivOptions.defaults().reduction(KlDivReduction.SUM)).backward();
        assertArrayEquals(new double[] {0, -1}, input.grad().toDoubleArray(), 0);
        assertAllFinite(q.grad(), "klDiv d/dtarget");
        assertEquals(0 + 1 - (-2), q.grad().get(1), 1e-15); // log q + 1 − input
    }

    // ---------------------------------------------------------------- errors

    @Test
    void shapeErrorsNameTheLossAndBothShapes() {
        Tensor logits = Tensor.zeros(32, 10);
        IllegalArgumentException e = assertBad(() -> Losses.crossEntropy(logits, Tensor.zeros(DType.INT64, 31)));
        assertEquals("crossEntropy: logits [32, 10] and targets [31] disagree on the batch size", e.getMessage());
        e = assertBad(() -> Losses.nll(logits, Tensor.zeros(DType.INT64, 31)));
        assertEquals("nll: input [32, 10] and targets [31] disagree on the batch size", e.getMessage());
        e = assertBad(() -> Losses.crossEntropy(Tensor.zeros(4, 5, 6), Tensor.zeros(DType.INT64, 4, 7)));
        assertTrue(e.getMessage().contains("[4, 5, 6]") && e.getMessage().contains("[4, 7]")
                && e.getMessage().contains("[4, 6]"), e.getMessage());
        e = assertBad(() -> Losses.crossEntropy(logits, Tensor.zeros(DType.INT64, 32, 10)));
        assertTrue(e.getMessage().startsWith("crossEntropy:") && e.getMessage().contains("[32]"), e.getMessage());

        e = assertBad(() -> Losses.mse(Tensor.zeros(32, 1), Tensor.zeros(32)));
        assertTrue(e.getMessage().startsWith("mse: input [32, 1] and target [32]"), e.getMessage());
        for (BiFunction<Tensor, Tensor, Tensor> loss : List.<BiFunction<Tensor, Tensor, Tensor>>of(Losses::l1,
                Losses::huber, Losses::smoothL1, Losses::smape, Losses::bce, Losses::bceWithLogits, Losses::klDiv,
                Losses::softF1, Losses::hinge, Losses::logistic)) {
            e = assertBad(() -> loss.apply(Tensor.zeros(3, 2), Tensor.zeros(2, 3)));
            assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        }
        e = assertBad(() -> Losses.softF1Macro(Tensor.zeros(6), Tensor.zeros(6)));
        assertTrue(e.getMessage().startsWith("softF1Macro:") && e.getMessage().contains("[N, C]"), e.getMessage());
    }

    @Test
    void classIndexErrors() {
        Tensor logits = Tensor.zeros(3, 10);
        IllegalArgumentException e = assertBad(() -> Losses.crossEntropy(logits, Tensor.of(new long[] {1, 12, 0}, 3)));
        assertTrue(e.getMessage().startsWith("crossEntropy: target 12 ") && e.getMessage().contains("10 classes"),
                e.getMessage());
        e = assertBad(() -> Losses.nll(logits, Tensor.of(new long[] {1, -1, 0}, 3)));
        assertTrue(e.getMessage().startsWith("nll: target -1 ") && e.getMessage().contains("10 classes"), e.getMessage());
        // Float targets that are not probabilities of the logits' shape.
        e = assertBad(() -> Losses.crossEntropy(logits, Tensor.of(new double[] {1, 2, 0}, 3)));
        assertTrue(e.getMessage().startsWith("crossEntropy:") && e.getMessage().contains("int64")
                && e.getMessage().contains("float64"), e.getMessage());
        e = assertBad(() -> Losses.nll(logits, Tensor.of(new double[] {1, 2, 0}, 3)));
        assertTrue(e.getMessage().startsWith("nll: targets must be int64"), e.getMessage());
        e = assertBad(() -> Losses.crossEntropy(logits, Tensor.of(new long[] {1, 2, 0}, 3),
                CrossEntropyOptions.defaults().weight(Tensor.ones(9))));
        assertTrue(e.getMessage().startsWith("crossEntropy: weight") && e.getMessage().contains("logits [3, 10]")
                && e.getMessage().contains("[9]"), e.getMessage());
        e = assertBad(() -> Losses.crossEntropy(Tensor.zeros(DType.INT64, 3, 10), Tensor.of(new long[] {1, 2, 0}, 3)));
        assertTrue(e.getMessage().contains("floating"), e.getMessage());
        assertBad(() -> CrossEntropyOptions.defaults().labelSmoothing(1.5));
    }

    @Test
    void argumentErrors() {
        Tensor a = Tensor.zeros(3), b = Tensor.zeros(3);
        assertTrue(assertBad(() -> Losses.huber(a, b, 0, Reduction.MEAN)).getMessage().startsWith("huber: delta"));
        assertTrue(assertBad(() -> Losses.smoothL1(a, b, -1, Reduction.MEAN)).getMessage().startsWith("smoothL1: beta"));
        IllegalArgumentException e = assertBad(() -> Losses.bce(Tensor.of(new double[] {0.5, 1.3}, 2), Tensor.zeros(2)));
        assertTrue(e.getMessage().startsWith("bce:") && e.getMessage().contains("1.3")
                && e.getMessage().contains("bceWithLogits"), e.getMessage());
        e = assertBad(() -> Losses.bce(a, b, BceOptions.defaults().posWeight(Tensor.ones(3))));
        assertTrue(e.getMessage().contains("posWeight"), e.getMessage());
        e = assertBad(() -> Losses.bceWithLogits(Tensor.zeros(2, 3), Tensor.zeros(2, 3),
                BceOptions.defaults().posWeight(Tensor.ones(2))));
        assertTrue(e.getMessage().startsWith("bceWithLogits: posWeight [2]") && e.getMessage().contains("[2, 3]"),
                e.getMessage());
        e = assertBad(() -> Losses.hinge(Tensor.zeros(3), Tensor.of(new double[] {1, 0, -1}, 3)));
        assertTrue(e.getMessage().startsWith("hinge: labels must be -1 or +1, found 0.0"), e.getMessage());
        e = assertBad(() -> Losses.mse(Tensor.zeros(3), Tensor.zeros(DType.INT64, 3)));
        assertTrue(e.getMessage().startsWith("mse: target must be floating point"), e.getMessage());
    }

    @Test
    void gradientsReachLeavesThroughBackward() {
        // The losses are ordinary graph nodes: backward() on the scalar fills .grad of the leaves.
        Tensor x = leafOf(new double[] {1, 2}, 2), y = leafOf(new double[] {0, 4}, 2);
        Losses.mse(x, y).backward();
        assertArrayEquals(new double[] {1, -2}, x.grad().toDoubleArray(), 1e-15); // 2(x − y)/n
        assertArrayEquals(new double[] {-1, 2}, y.grad().toDoubleArray(), 1e-15);
        try (var scope = Autograd.noGrad()) {
            assertFalse(Losses.mse(x, y).requiresGrad());
        }
    }
}
