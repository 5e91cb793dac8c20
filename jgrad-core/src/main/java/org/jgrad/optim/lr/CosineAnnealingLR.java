package org.jgrad.optim.lr;

import org.jgrad.optim.Optimizer;

/**
 * lr = ηmin + (base − ηmin)·(1 + cos(π·epoch/T))/2: half a cosine from the base lr down to ηmin over
 * T epochs (the closed form of PyTorch's {@code CosineAnnealingLR}). Past T it rises again, as PyTorch's
 * closed form does; use it for T epochs or restart it.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax, double etaMin) {
        check(tMax >= 1, "CosineAnnealingLR", "tMax must be >= 1, got " + tMax);
        check(etaMin >= 0, "CosineAnnealingLR", "etaMin must be >= 0, got " + etaMin);
        this.tMax = tMax;
        this.etaMin = etaMin;
        super(optimizer);
    }

    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
