package org.jgrad.nn.classic;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class PerceptronTest {

    /** Points uniform in [-1, 1]² labelled by a random unit w* on x̃ = (x, 1), keeping only those ≥ margin away. */
    record Separable(Tensor x, Tensor t, double[] wStar, double gamma, double radius) {}

    static Separable separable(long seed, int n, double margin) {
        Generator g = new Generator(seed);
        double[] w = {g.nextGaussian(), g.nextGaussian(), 0.3 * g.nextGaussian()};
        double norm = Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
        for (int k = 0; k < 3; k++) w[k] /= norm;
        double[] x = new double[2 * n];
        double[] t = new double[n];
        double gamma = Double.POSITIVE_INFINITY, radius = 0;
        for (int i = 0; i < n; ) {
            double a = 2 * g.nextDouble() - 1, b = 2 * g.nextDouble() - 1;
            double s = w[0] * a + w[1] * b + w[2];
            if (Math.abs(s) < margin) continue;
            x[2 * i] = a;
            x[2 * i + 1] = b;
            t[i] = s > 0 ? 1 : -1;
            gamma = Math.min(gamma, Math.abs(s));
            radius = Math.max(radius, Math.sqrt(a * a + b * b + 1));
            i++;
        }
        return new Separable(Tensor.of(x, n, 2), Tensor.of(t, n), w, gamma, radius);
    }

    @Test
    void rosenblattClassifiesSeparableDataWithinNovikoffBound() {
        for (long seed = 1; seed <= 5; seed++) {
            Separable d = separable(seed, 100, 0.05);
            Perceptron p = new Perceptron(2, LearningRule.ROSENBLATT, 0.5);
            int epochs = p.fit(d.x(), d.t(), 10_000);
            assertEquals(0, p.errors(d.x(), d.t()), "seed " + seed);
            assertEquals(0, (int) p.epochErrors().getLast(), "the last pass made no mistake");
            assertTrue(epochs < 10_000);
            double bound = Math.pow(d.radius() / d.gamma(), 2);
            assertTrue(p.updates() <= bound, "seed " + seed + ": " + p.updates() + " updates > (R/γ)² = " + bound);
            assertTrue(p.updates() > 0);
        }
    }

    @Test
    void rosenblattPlusMinusOneUpdatesOnlyOnMistakesByTwoEtaTX() {
        Perceptron p = new Perceptron(2, LearningRule.ROSENBLATT_PLUS_MINUS_ONE, 0.25);
        // w = 0 answers +1 (sign(0) = +1): a +1 example is right, nothing moves.
        assertFalse(p.update(Tensor.of(1.0, 2.0), 1));
        assertEquals(0, p.updates());
        assertTrue(p.update(Tensor.of(1.0, 2.0), -1));
        // Δw = η (t − y) x̃ = 0.25 · (−2) · (1, 2, 1)
        assertArrayEquals(new double[] {-0.5, -1.0, -0.5}, p.extendedWeight().toDoubleArray(), 0);
        assertEquals(-0.5, p.bias(), 0);
        assertArrayEquals(new double[] {-0.5, -1.0}, p.weight().toDoubleArray(), 0);
        assertArrayEquals(new double[] {-1, 1}, p.predict(Tensor.of(new double[][] {{1, 2}, {-3, 0}})).toDoubleArray(), 0);
    }

    @Test
    void plainHebbOneEpochIsTheSumOfTargetTimesInput() {
        Generator g = new Generator(3);
        int n = 40;
        double[] x = new double[2 * n], t = new double[n];
        // two tight clusters around ±(2, 2), balanced: Hebb's w points from one class mean to the other
        for (int i = 0; i < n; i++) {
            t[i] = i % 2 == 0 ? 1 : -1;
            x[2 * i] = 2 * t[i] + 0.3 * g.nextGaussian();
            x[2 * i + 1] = 2 * t[i] + 0.3 * g.nextGaussian();
        }
        Tensor xs = Tensor.of(x, n, 2), ts = Tensor.of(t, n);
        double eta = 0.1;
        Perceptron p = new Perceptron(2, LearningRule.HEBB_EVERY_EXAMPLE, eta);
        p.epoch(xs, ts);
        double[] expected = new double[3];
        for (int i = 0; i < n; i++) {
            expected[0] += eta * t[i] * x[2 * i];
            expected[1] += eta * t[i] * x[2 * i + 1];
            expected[2] += eta * t[i];
        }
        assertArrayEquals(expected, p.extendedWeight().toDoubleArray(), 1e-12);
        assertEquals(n, p.updates(), "Hebb updates on every example");
        assertEquals(0, p.errors(xs, ts));
        assertEquals(5, p.fit(xs, ts, 5), "plain Hebb runs every pass");
    }

    @Test
    void deltaRuleReachesTheLeastSquaresSolution() {
        Separable d = separable(7, 60, 0.1);
        Perceptron p = new Perceptron(2, LearningRule.DELTA, 0.002);
        p.fit(d.x(), d.t(), 1500);
        // normal equations: w = (X̃ᵀX̃)⁻¹ X̃ᵀ t
        Tensor xt = Tensor.cat(List.of(d.x(), Tensor.ones(DType.FLOAT64, 60, 1)), 1);
        Tensor ls = xt.t().matmul(xt).inverse().matmul(xt.t().matmul(d.t().unsqueeze(1))).squeeze(1);
        double[] w = p.extendedWeight().toDoubleArray(), expected = ls.toDoubleArray();
        for (int k = 0; k < 3; k++) {
            assertEquals(expected[k], w[k], 0.01 * Math.max(1, Math.abs(expected[k])), "component " + k);
        }
        // the residual is orthogonal to the inputs at the LS point, and nearly so at the learned one
        double[] grad = xt.t().matmul(xt.matmul(p.extendedWeight()).sub(d.t())).toDoubleArray();
        for (double gk : grad) assertEquals(0, gk / 60, 0.01);
    }

    @Test
    void deltaRuleSeparatesWideMarginData() {
        Separable d = separable(11, 80, 0.4);
        Perceptron p = new Perceptron(2, LearningRule.DELTA, 0.01);
        p.fit(d.x(), d.t(), 200);
        assertEquals(0, p.errors(d.x(), d.t()));
    }

    @Test
    void xorDefeatsOneUnit() {
        Tensor x = Tensor.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor t = Tensor.of(-1.0, 1.0, 1.0, -1.0);
        Perceptron p = new Perceptron(2, LearningRule.ROSENBLATT, 1);
        assertEquals(2000, p.fit(x, t, 2000), "never a pass without mistakes");
        for (int e : p.epochErrors()) assertTrue(e >= 1);
        assertTrue(p.errors(x, t) >= 1);
        // Whatever the weights, one line gets at most 3 of the 4 right; brute force over a grid of lines.
        for (double a = -3; a <= 3; a += 0.25) {
            for (double b = -3; b <= 3; b += 0.25) {
                for (double c = -3; c <= 3; c += 0.25) {
                    int right = 0;
                    double[][] pts = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
                    double[] tt = {-1, 1, 1, -1};
                    for (int i = 0; i < 4; i++) {
                        if (Perceptron.sign(a * pts[i][0] + b * pts[i][1] + c) == tt[i]) right++;
                    }
                    assertTrue(right <= 3);
                }
            }
        }
    }

    @Test
    void badInputsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Perceptron(0, LearningRule.HEBB, 1));
        assertTrue(e.getMessage().contains("Perceptron"));
        assertThrows(IllegalArgumentException.class, () -> new Perceptron(2, LearningRule.HEBB, 0));
        assertThrows(NullPointerException.class, () -> new Perceptron(2, null, 1));
        Perceptron p = new Perceptron(2, LearningRule.ROSENBLATT, 1);
        e = assertThrows(IllegalArgumentException.class, () -> p.fit(Tensor.zeros(4, 3), Tensor.ones(4), 1));
        assertTrue(e.getMessage().contains("[n, 2]") && e.getMessage().contains("[4, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.fit(Tensor.zeros(4, 2), Tensor.ones(3), 1));
        assertTrue(e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.fit(Tensor.zeros(2, 2), Tensor.of(1.0, 0.5), 1));
        assertTrue(e.getMessage().contains("Perceptron.epoch: targets must be 0 or 1") && e.getMessage().contains("-1 or +1")
                && e.getMessage().contains("got 0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.fit(Tensor.zeros(3, 2), Tensor.of(1.0, 0.0, -1.0), 1));
        assertTrue(e.getMessage().contains("one convention") && e.getMessage().contains("both 0 and -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.update(Tensor.zeros(2), 2));
        assertTrue(e.getMessage().contains("Perceptron.update") && e.getMessage().contains("got 2.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Perceptron(2, LearningRule.HEBB, 1, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("expected 3 initial weights") && e.getMessage().contains("got 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Perceptron(1, LearningRule.HEBB, 1, new double[] {1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> p.update(Tensor.zeros(3), 1));
        assertThrows(IllegalArgumentException.class, () -> p.fit(Tensor.zeros(2, 2), Tensor.ones(2), 0));
    }

    @Test
    void learningRuleErrorsFollowTheFormulas() {
        // the lecture's Hebb: t only when t·a < 0
        assertEquals(-1, LearningRule.HEBB.error(-1, 5), 0);
        assertEquals(1, LearningRule.HEBB.error(1, -0.5), 0);
        assertEquals(0, LearningRule.HEBB.error(1, 5), 0);
        assertEquals(0, LearningRule.HEBB.error(-1, 0.0), 0, "t·a = 0 is not < 0");
        assertEquals(-1, LearningRule.HEBB_EVERY_EXAMPLE.error(-1, -5), 0);
        // the lecture's Rosenblatt: t − [a ≥ 0] with t ∈ {0, 1}
        assertEquals(0, LearningRule.ROSENBLATT.error(1, 0.0), 0);
        assertEquals(-1, LearningRule.ROSENBLATT.error(0, 0.0), 0);
        assertEquals(1, LearningRule.ROSENBLATT.error(1, -0.1), 0);
        assertEquals(0, LearningRule.ROSENBLATT.error(0, -0.1), 0);
        assertEquals(0, LearningRule.ROSENBLATT_PLUS_MINUS_ONE.error(1, 0.0), 0);
        assertEquals(-2, LearningRule.ROSENBLATT_PLUS_MINUS_ONE.error(-1, 0.0), 0);
        assertEquals(2, LearningRule.ROSENBLATT_PLUS_MINUS_ONE.error(1, -0.1), 0);
        assertEquals(0.75, LearningRule.DELTA.error(1, 0.25), 0);
        assertEquals(List.of(LearningRule.HEBB, LearningRule.HEBB_EVERY_EXAMPLE, LearningRule.ROSENBLATT,
                LearningRule.ROSENBLATT_PLUS_MINUS_ONE, LearningRule.DELTA), List.of(LearningRule.values()));
        assertEquals(BinaryLabels.ZERO_ONE, LearningRule.ROSENBLATT.labels());
        for (LearningRule r : List.of(LearningRule.HEBB, LearningRule.HEBB_EVERY_EXAMPLE, LearningRule.ROSENBLATT_PLUS_MINUS_ONE,
                LearningRule.DELTA)) {
            assertEquals(BinaryLabels.PLUS_MINUS_ONE, r.labels(), r.name());
        }
    }

    @Test
    void aRuleRefusesTargetsOutsideItsConvention() {
        var e = assertThrows(IllegalArgumentException.class, () -> LearningRule.ROSENBLATT.error(-1, 0));
        assertTrue(e.getMessage().contains("LearningRule.ROSENBLATT") && e.getMessage().contains("{0, 1}")
                && e.getMessage().contains("got -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRule.HEBB.error(0, 1));
        assertTrue(e.getMessage().contains("LearningRule.HEBB") && e.getMessage().contains("{-1, +1}"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearningRule.DELTA.error(0.5, 1));
    }

    @Test
    void binaryLabelsConvertKeepingTheClass() {
        assertEquals(0, BinaryLabels.ZERO_ONE.convert(-1), 0);
        assertEquals(0, BinaryLabels.ZERO_ONE.convert(0), 0);
        assertEquals(1, BinaryLabels.ZERO_ONE.convert(1), 0);
        assertEquals(-1, BinaryLabels.PLUS_MINUS_ONE.convert(0), 0);
        assertEquals(-1, BinaryLabels.PLUS_MINUS_ONE.convert(-1), 0);
        assertEquals(1, BinaryLabels.PLUS_MINUS_ONE.convert(1), 0);
        assertTrue(BinaryLabels.ZERO_ONE.contains(0) && !BinaryLabels.ZERO_ONE.contains(-1));
        assertTrue(BinaryLabels.PLUS_MINUS_ONE.contains(-1) && !BinaryLabels.PLUS_MINUS_ONE.contains(0));
        var e = assertThrows(IllegalArgumentException.class, () -> BinaryLabels.PLUS_MINUS_ONE.convert(2));
        assertTrue(e.getMessage().contains("BinaryLabels.convert") && e.getMessage().contains("got 2.0"), e.getMessage());
    }

    @Test
    void hebbAsTaughtUpdatesOnlyOnMisclassifiedExamples() {
        // w̃ = (1, −1, 0), η = 0.5, worked by hand.
        Perceptron p = new Perceptron(2, LearningRule.HEBB, 0.5, new double[] {1, -1, 0});
        // x = (2, 1), t = +1: a = 2 − 1 = 1, t·a = 1 > 0, right: no change.
        assertFalse(p.update(Tensor.of(2.0, 1.0), 1));
        assertArrayEquals(new double[] {1, -1, 0}, p.extendedWeight().toDoubleArray(), 0);
        // x = (1, 3), t = +1: a = 1 − 3 = −2 < 0: w̃ += 0.5 · (1, 3, 1) = (1.5, 0.5, 0.5).
        assertTrue(p.update(Tensor.of(1.0, 3.0), 1));
        assertArrayEquals(new double[] {1.5, 0.5, 0.5}, p.extendedWeight().toDoubleArray(), 0);
        // x = (1, 1), t = −1: a = 1.5 + 0.5 + 0.5 = 2.5, t·a < 0: w̃ −= 0.5 · (1, 1, 1) = (1, 0, 0).
        assertTrue(p.update(Tensor.of(1.0, 1.0), -1));
        assertArrayEquals(new double[] {1, 0, 0}, p.extendedWeight().toDoubleArray(), 0);
        // The same example with the target written 0 ({0, 1} convention) means the same class.
        Perceptron q = new Perceptron(2, LearningRule.HEBB, 0.5, new double[] {1.5, 0.5, 0.5});
        assertTrue(q.update(Tensor.of(1.0, 1.0), 0));
        assertArrayEquals(new double[] {1, 0, 0}, q.extendedWeight().toDoubleArray(), 0);
        assertEquals(2, p.updates());
    }

    @Test
    void hebbAsTaughtNeverMovesFromZeroWeights() {
        // t·a = 0 is not < 0: the strict condition of the lecture leaves w̃ = 0 where it is.
        Tensor x = Tensor.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor t = Tensor.of(-1.0, -1.0, -1.0, 1.0);
        Perceptron p = new Perceptron(2, LearningRule.HEBB, 1);
        assertEquals(1, p.fit(x, t, 100), "a pass that changed nothing ends fit");
        assertEquals(0, p.updates());
        assertEquals(List.of(3), p.epochErrors(), "sign(0) = +1 answers the three negatives wrongly");
        assertArrayEquals(new double[] {0, 0, 0}, p.extendedWeight().toDoubleArray(), 0);
    }

    @Test
    void hebbAsTaughtClassifiesSeparableDataFromRandomWeights() {
        for (long seed = 1; seed <= 5; seed++) {
            Separable d = separable(seed, 100, 0.05);
            Generator g = new Generator(100 + seed);
            double[] start = {g.nextGaussian(), g.nextGaussian(), g.nextGaussian()};
            Perceptron p = new Perceptron(2, LearningRule.HEBB, 0.5, start);
            int epochs = p.fit(d.x(), d.t(), 10_000);
            assertTrue(epochs < 10_000, "seed " + seed);
            assertEquals(0, p.errors(d.x(), d.t()), "seed " + seed);
            assertTrue(p.updates() > 0, "seed " + seed);
            assertEquals(0, (int) p.epochErrors().getLast());
        }
    }

    @Test
    void rosenblattAsTaughtWithZeroOneLabelsByHand() {
        // w̃ = 0, η = 0.25, o = [a ≥ 0].
        Perceptron p = new Perceptron(2, LearningRule.ROSENBLATT, 0.25);
        // x = (1, 2), t = 1: a = 0, o = 1 = t: no change.
        assertFalse(p.update(Tensor.of(1.0, 2.0), 1));
        // x = (1, 2), t = 0: o = 1, t − o = −1: w̃ = −0.25 · (1, 2, 1).
        assertTrue(p.update(Tensor.of(1.0, 2.0), 0));
        assertArrayEquals(new double[] {-0.25, -0.5, -0.25}, p.extendedWeight().toDoubleArray(), 0);
        // x = (−3, 0), t = 1: a = 0.75 − 0.25 = 0.5, o = 1: no change.
        assertFalse(p.update(Tensor.of(-3.0, 0.0), 1));
        // x = (1, 0), t = 1: a = −0.25 − 0.25 = −0.5, o = 0, t − o = 1: w̃ += 0.25 · (1, 0, 1) = (0, −0.5, 0).
        assertTrue(p.update(Tensor.of(1.0, 0.0), 1));
        assertArrayEquals(new double[] {0, -0.5, 0}, p.extendedWeight().toDoubleArray(), 0);
        assertEquals(2, p.updates());
        // Targets written ±1 are converted (−1 → 0) and give the same steps.
        Perceptron q = new Perceptron(2, LearningRule.ROSENBLATT, 0.25);
        q.update(Tensor.of(1.0, 2.0), 1);
        q.update(Tensor.of(1.0, 2.0), -1);
        q.update(Tensor.of(-3.0, 0.0), 1);
        q.update(Tensor.of(1.0, 0.0), 1);
        assertArrayEquals(p.extendedWeight().toDoubleArray(), q.extendedWeight().toDoubleArray(), 0);
    }

    @Test
    void rosenblattAsTaughtConvergesInEitherLabelConventionAsThePlusMinusOneFormWithHalfTheStep() {
        for (long seed = 1; seed <= 3; seed++) {
            Separable d = separable(seed, 100, 0.05);
            Tensor t01 = d.t().add(1).div(2);
            Perceptron zeroOne = new Perceptron(2, LearningRule.ROSENBLATT, 0.5);
            Perceptron plusMinus = new Perceptron(2, LearningRule.ROSENBLATT, 0.5);
            Perceptron signForm = new Perceptron(2, LearningRule.ROSENBLATT_PLUS_MINUS_ONE, 0.25);
            int epochs = zeroOne.fit(d.x(), t01, 10_000);
            assertTrue(epochs < 10_000);
            assertEquals(epochs, plusMinus.fit(d.x(), d.t(), 10_000));
            assertEquals(epochs, signForm.fit(d.x(), d.t(), 10_000));
            assertEquals(0, zeroOne.errors(d.x(), t01));
            assertEquals(0, zeroOne.errors(d.x(), d.t()), "errors accepts either convention");
            assertArrayEquals(zeroOne.extendedWeight().toDoubleArray(), plusMinus.extendedWeight().toDoubleArray(), 0);
            assertArrayEquals(zeroOne.extendedWeight().toDoubleArray(), signForm.extendedWeight().toDoubleArray(), 1e-12);
            assertEquals(zeroOne.epochErrors(), signForm.epochErrors());
            assertTrue(zeroOne.updates() <= Math.pow(d.radius() / d.gamma(), 2), "Novikoff");
        }
    }
}
