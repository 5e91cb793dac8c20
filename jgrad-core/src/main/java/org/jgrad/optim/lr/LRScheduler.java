package org.jgrad.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.ParamGroup;

/**
 * Sets each parameter group's learning rate from a closed form of the epoch: lr = f(base lr, epoch),
 * where the base lr is the group's lr when the scheduler was made. Call {@link #step()} once per epoch,
 * after the epoch's optimizer steps; the constructor already applies epoch 0.
 */
public abstract class LRScheduler {
    private final Optimizer<?> optimizer;
    private final double[] baseLrs;
    private final double[] lastLrs;
    private int epoch;

    /**
     * Subclasses must set their fields before calling this constructor (Java 25 allows statements before
     * {@code super(...)}), since it already calls {@link #lrAt} for epoch 0.
     */
    @SuppressWarnings("this-escape")
    protected LRScheduler(Optimizer<?> optimizer) {
        if (optimizer == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer is null");
        this.optimizer = optimizer;
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) baseLrs[i] = groups.get(i).lr();
        lastLrs = baseLrs.clone();
        apply();
    }

    /** The learning rate at {@code epoch} for a group whose base learning rate is {@code baseLr}. */
    protected abstract double lrAt(double baseLr, int epoch);

    /** Advances one epoch and sets the new learning rates. */
    public void step() {
        epoch++;
        apply();
    }

    /** The epoch count: 0 after construction, +1 per {@link #step()}. */
    public int lastEpoch() {
        return epoch;
    }

    /** The learning rates this scheduler last set, one per group. */
    public List<Double> lastLr() {
        List<Double> out = new ArrayList<>();
        for (double v : lastLrs) out.add(v);
        return Collections.unmodifiableList(out);
    }

    public List<Double> baseLrs() {
        List<Double> out = new ArrayList<>();
        for (double v : baseLrs) out.add(v);
        return Collections.unmodifiableList(out);
    }

    private void apply() {
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        if (groups.size() != baseLrs.length) {
            throw new IllegalStateException(getClass().getSimpleName() + ": the optimizer has " + groups.size()
                    + " parameter groups but had " + baseLrs.length + " when the scheduler was made");
        }
        for (int i = 0; i < baseLrs.length; i++) {
            lastLrs[i] = lrAt(baseLrs[i], epoch);
            groups.get(i).setLr(lastLrs[i]);
        }
    }

    static void check(boolean ok, String scheduler, String what) {
        if (!ok) throw new IllegalArgumentException(scheduler + ": " + what);
    }
}
