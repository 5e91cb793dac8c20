package org.jgrad.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.ParamGroup;

/**
 * Multiplies the learning rates by {@code factor} when a metric (say, the validation loss) has stopped
 * improving for more than {@code patience} epochs, as PyTorch's {@code ReduceLROnPlateau}. "Improving"
 * means beating the best value so far by more than the threshold (relative: best·(1 ∓ threshold);
 * absolute: best ∓ threshold). After a reduction, {@code cooldown} epochs pass before bad epochs count
 * again. Learning rates never go below {@code minLr}, and changes smaller than {@code eps} are skipped.
 */
public final class ReduceLROnPlateau {

    public enum Mode { MIN, MAX }

    public enum ThresholdMode { REL, ABS }

    public record Options(Mode mode, double factor, int patience, double threshold, ThresholdMode thresholdMode,
            int cooldown, double minLr, double eps) {
        /** PyTorch's defaults: min, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown, minLr 0, eps 1e-8. */
        public static Options defaults() {
            return new Options(Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
        }

        public Options withMode(Mode mode) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withFactor(double factor) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withPatience(int patience) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withThreshold(double threshold, ThresholdMode thresholdMode) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withCooldown(int cooldown) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withMinLr(double minLr) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withEps(double eps) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }
    }

    private final Optimizer<?> optimizer;
    private final Options o;
    private double best;
    private int badEpochs;
    private int cooldownCounter;
    private int epoch;

    public ReduceLROnPlateau(Optimizer<?> optimizer, Options options) {
        String n = "ReduceLROnPlateau";
        LRScheduler.check(optimizer != null, n, "optimizer is null");
        LRScheduler.check(options != null && options.mode() != null && options.thresholdMode() != null, n,
                "options, mode and thresholdMode must not be null");
        LRScheduler.check(options.factor() >= 0 && options.factor() < 1, n,
                "factor must be in [0, 1) (a reduction), got " + options.factor());
        LRScheduler.check(options.patience() >= 0, n, "patience must be >= 0, got " + options.patience());
        LRScheduler.check(options.threshold() >= 0, n, "threshold must be >= 0, got " + options.threshold());
        LRScheduler.check(options.cooldown() >= 0, n, "cooldown must be >= 0, got " + options.cooldown());
        LRScheduler.check(options.minLr() >= 0, n, "minLr must be >= 0, got " + options.minLr());
        this.optimizer = optimizer;
        this.o = options;
        this.best = options.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    public ReduceLROnPlateau(Optimizer<?> optimizer) {
        this(optimizer, Options.defaults());
    }

    /** Records one epoch's metric and reduces the learning rates if it has plateaued. */
    public void step(double metric) {
        epoch++;
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs > o.patience()) {
            for (ParamGroup<?> g : optimizer.paramGroups()) {
                double old = g.lr();
                double next = Math.max(old * o.factor(), o.minLr());
                if (old - next > o.eps()) g.setLr(next);
            }
            cooldownCounter = o.cooldown();
            badEpochs = 0;
        }
    }

    private boolean isBetter(double a) {
        boolean rel = o.thresholdMode() == ThresholdMode.REL;
        if (o.mode() == Mode.MIN) return a < (rel ? best * (1 - o.threshold()) : best - o.threshold());
        return a > (rel ? best * (1 + o.threshold()) : best + o.threshold());
    }

    public double best() {
        return best;
    }

    public int badEpochs() {
        return badEpochs;
    }

    public int lastEpoch() {
        return epoch;
    }

    public List<Double> lastLr() {
        List<Double> out = new ArrayList<>();
        for (ParamGroup<?> g : optimizer.paramGroups()) out.add(g.lr());
        return Collections.unmodifiableList(out);
    }
}
