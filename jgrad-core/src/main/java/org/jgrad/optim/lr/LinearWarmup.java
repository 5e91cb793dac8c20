package org.jgrad.optim.lr;

import org.jgrad.optim.Optimizer;

/**
 * Linear warm-up: lr = base·(s + (1 − s)·epoch/W) for epoch &lt; W, rising from s·base to base; after
 * that either base, or another schedule started from its epoch 0 (epoch − W), like PyTorch's
 * {@code SequentialLR([LinearLR, then], [W])}:
 *
 * <pre>{@code
 * var sched = new LinearWarmup(opt, 5, 0.1, new CosineAnnealingLR(opt, 95));
 * }</pre>
 *
 * The schedule passed as {@code then} is driven by this one: do not step it yourself.
 */
public final class LinearWarmup extends LRScheduler {
    private final int warmupEpochs;
    private final double startFactor;
    private final LRScheduler then;

    public LinearWarmup(Optimizer<?> optimizer, int warmupEpochs, double startFactor) {
        this(optimizer, warmupEpochs, startFactor, null);
    }

    public LinearWarmup(Optimizer<?> optimizer, int warmupEpochs, double startFactor, LRScheduler then) {
        check(warmupEpochs >= 1, "LinearWarmup", "warmupEpochs must be >= 1, got " + warmupEpochs);
        check(startFactor > 0 && startFactor <= 1, "LinearWarmup", "startFactor must be in (0, 1], got " + startFactor);
        this.warmupEpochs = warmupEpochs;
        this.startFactor = startFactor;
        this.then = then;
        super(optimizer);
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        if (epoch < warmupEpochs) return baseLr * (startFactor + (1 - startFactor) * epoch / warmupEpochs);
        return then == null ? baseLr : then.lrAt(baseLr, epoch - warmupEpochs);
    }
}
