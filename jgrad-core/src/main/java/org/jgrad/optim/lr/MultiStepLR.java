package org.jgrad.optim.lr;

import java.util.Arrays;
import org.jgrad.optim.Optimizer;

/** lr = base·γ^k where k is the number of milestones ≤ epoch (milestones in increasing order). */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer<?> optimizer, int[] milestones, double gamma) {
        check(milestones != null, "MultiStepLR", "milestones are null");
        for (int i = 1; i < milestones.length; i++) {
            check(milestones[i] > milestones[i - 1], "MultiStepLR",
                    "milestones must be strictly increasing, got " + Arrays.toString(milestones));
        }
        check(gamma > 0, "MultiStepLR", "gamma must be > 0, got " + gamma);
        this.milestones = milestones.clone();
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        int passed = 0;
        while (passed < milestones.length && milestones[passed] <= epoch) passed++;
        return baseLr * Math.pow(gamma, passed);
    }
}
