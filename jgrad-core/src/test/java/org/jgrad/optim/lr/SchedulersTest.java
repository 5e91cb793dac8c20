package org.jgrad.optim.lr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.Tensor;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.SGD;
import org.junit.jupiter.api.Test;

class SchedulersTest {

    static SGD sgd(double lr) {
        return new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), lr);
    }

    /** lastLr()[0] at epochs 0..n−1 (epoch 0 is right after construction). */
    static List<Double> run(LRScheduler s, int n) {
        List<Double> out = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            if (e > 0) s.step();
            out.add(s.lastLr().get(0));
        }
        return out;
    }

    static void assertSequence(double[] expected, List<Double> actual) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual.get(i), 1e-15, "epoch " + i);
    }

    @Test
    void stepLR() {
        var opt = sgd(0.1);
        var s = new StepLR(opt, 3, 0.5);
        assertSequence(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025}, run(s, 8));
        assertEquals(0.025, opt.paramGroups().get(0).lr(), 1e-15, "the optimizer's lr is set");
        assertEquals(7, s.lastEpoch());
    }

    @Test
    void multiStepLR() {
        var s = new MultiStepLR(sgd(1), new int[] {2, 5}, 0.1);
        assertSequence(new double[] {1, 1, 0.1, 0.1, 0.1, 0.01, 0.01}, run(s, 7));
        assertThrows(IllegalArgumentException.class, () -> new MultiStepLR(sgd(1), new int[] {5, 2}, 0.1));
    }

    @Test
    void exponentialLR() {
        var s = new ExponentialLR(sgd(2), 0.5);
        assertSequence(new double[] {2, 1, 0.5, 0.25, 0.125}, run(s, 5));
    }

    @Test
    void cosineAnnealingLR() {
        var s = new CosineAnnealingLR(sgd(1), 4, 0.2);
        // ηmin + (1 − ηmin)(1 + cos(πe/4))/2 at e = 0..4: cos = 1, √½, 0, −√½, −1
        double h = Math.sqrt(0.5);
        assertSequence(new double[] {1, 0.2 + 0.8 * (1 + h) / 2, 0.6, 0.2 + 0.8 * (1 - h) / 2, 0.2}, run(s, 5));
    }

    @Test
    void linearWarmupAlone() {
        var s = new LinearWarmup(sgd(1), 4, 0.2);
        assertSequence(new double[] {0.2, 0.4, 0.6, 0.8, 1, 1, 1}, run(s, 7));
    }

    @Test
    void linearWarmupThenCosine() {
        var opt = sgd(1);
        var s = new LinearWarmup(opt, 2, 0.5, new CosineAnnealingLR(opt, 2));
        assertSequence(new double[] {0.5, 0.75, 1, 0.5, 0}, run(s, 5));
        var t = new LinearWarmup(sgd(0.8), 1, 0.5, new StepLR(sgd(99), 2, 0.5));
        assertSequence(new double[] {0.4, 0.8, 0.8, 0.4, 0.4}, run(t, 5));
    }

    @Test
    void eachGroupScalesItsOwnBaseLr() {
        SGD opt = sgd(1);
        opt.addParamGroup(List.of(Tensor.zeros(1).requiresGrad(true)), SGD.Options.of(0.1));
        var s = new ExponentialLR(opt, 0.5);
        s.step();
        s.step();
        assertEquals(List.of(0.25, 0.025), s.lastLr());
        assertEquals(List.of(1.0, 0.1), s.baseLrs());
        assertEquals(0.025, opt.paramGroups().get(1).lr(), 1e-17);
    }

    @Test
    void theScheduledLrIsWhatTheOptimizerUses() {
        Tensor w = Tensor.of(new double[] {1, 1}, 2).requiresGrad(true);
        SGD opt = new SGD(List.of(w), 0.1);
        var s = new StepLR(opt, 1, 0.5);
        s.step();
        w.sum().backward();   // gradient 1
        opt.step();
        assertEquals(1 - 0.05, w.get(0), 1e-15);
    }

    @Test
    void badSchedulerArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd(1), 0, 0.5));
        assertTrue(e.getMessage().startsWith("StepLR: stepSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(sgd(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(sgd(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(sgd(1), 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(sgd(1),
                ReduceLROnPlateau.Options.defaults().withFactor(1)));
    }

    // ------------------------------------------------------------------ ReduceLROnPlateau

    static List<Double> plateau(Optimizer<?> opt, ReduceLROnPlateau s, double... metrics) {
        List<Double> out = new ArrayList<>();
        for (double m : metrics) {
            s.step(m);
            out.add(opt.paramGroups().get(0).lr());
        }
        return out;
    }

    @Test
    void reducesAfterMoreThanPatienceBadEpochs() {
        var opt = sgd(1);
        var s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Options.defaults().withPatience(2).withFactor(0.5));
        // best 1.0 at epoch 1; epochs 2, 3 are bad (≤ patience), epoch 4 is the third bad one → halve.
        assertSequence(new double[] {1, 1, 1, 0.5, 0.5, 0.5, 0.25}, plateau(opt, s, 1, 1, 1.5, 1, 1, 1, 1));
        assertEquals(1, s.best());
    }

    @Test
    void anImprovementResetsTheCount() {
        var opt = sgd(1);
        var s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Options.defaults().withPatience(1).withFactor(0.5));
        assertSequence(new double[] {1, 1, 1, 1, 0.5}, plateau(opt, s, 5, 5, 4, 4, 4));
        assertEquals(0, s.badEpochs());
    }

    @Test
    void relativeThresholdDemandsARealImprovement() {
        var opt = sgd(1);
        var s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Options.defaults().withPatience(0));
        // 0.99995 is not below 1·(1 − 1e-4): bad epoch, patience 0 → reduce at once by 0.1.
        assertSequence(new double[] {1, 0.1}, plateau(opt, s, 1, 0.99995));
        var opt2 = sgd(1);
        var abs = new ReduceLROnPlateau(opt2, ReduceLROnPlateau.Options.defaults().withPatience(0)
                .withThreshold(0.5, ReduceLROnPlateau.ThresholdMode.ABS));
        assertSequence(new double[] {1, 1, 0.1}, plateau(opt2, abs, 1, 0.4, 0.0));
    }

    @Test
    void maxModeCooldownAndMinLr() {
        var opt = sgd(1);
        var s = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Options.defaults().withMode(ReduceLROnPlateau.Mode.MAX)
                .withPatience(0).withFactor(0.5).withCooldown(2).withMinLr(0.2));
        // accuracy rises, then stalls: reduce; two cooldown epochs; reduce; 0.25·0.5 is below minLr → 0.2; then
        // stays (a change smaller than eps is skipped).
        assertSequence(new double[] {1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2},
                plateau(opt, s, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6));
    }
}
