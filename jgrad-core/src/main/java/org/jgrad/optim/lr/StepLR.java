package org.jgrad.optim.lr;

import org.jgrad.optim.Optimizer;

/** lr = base·γ^⌊epoch / stepSize⌋: multiplied by γ every {@code stepSize} epochs. */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer<?> optimizer, int stepSize, double gamma) {
        check(stepSize >= 1, "StepLR", "stepSize must be >= 1, got " + stepSize);
        check(gamma > 0, "StepLR", "gamma must be > 0, got " + gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return baseLr * Math.pow(gamma, Math.floorDiv(epoch, stepSize));
    }
}
