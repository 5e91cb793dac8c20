package org.jgrad.optim.lr;

import org.jgrad.optim.Optimizer;

/** lr = base·γ^epoch. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer<?> optimizer, double gamma) {
        check(gamma > 0, "ExponentialLR", "gamma must be > 0, got " + gamma);
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return baseLr * Math.pow(gamma, epoch);
    }
}
