package org.jgrad.nn.classic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * Rosenblatt's single threshold unit y = sign(wᵀx + b), trained online (one example at a time, in the
 * order given) by a {@link LearningRule}. The bias is the last weight of w̃ = (w, b), seen through the
 * extended input x̃ = (x, 1). Weights start at zero, or at the weights given, and are kept in float64.
 *
 * <p>Targets may use either {@link BinaryLabels label convention}, {0, 1} or {−1, +1}, and are
 * converted to the rule's own before each update ({@link LearningRule#labels()}): 0 and −1 both mean
 * the negative class, 1 the positive one. One target vector must not mix 0 and −1; any other value is
 * refused. {@link #predict} answers in {−1, +1}.
 *
 * <pre>{@code
 * Perceptron p = new Perceptron(2, LearningRule.ROSENBLATT, 1.0);
 * p.fit(x, t, 100);          // x [n, 2], t [n] of 0/1 (or of ±1)
 * p.predict(x);              // [n] of ±1
 * }</pre>
 */
public final class Perceptron {
    private final int inFeatures;
    private final LearningRule rule;
    private final double lr;
    private Tensor w; // [in + 1], bias last
    private int updates;
    private final List<Integer> epochErrors = new ArrayList<>();
    private boolean lastEpochChanged;

    /** A unit with all weights and the bias zero. */
    public Perceptron(int inFeatures, LearningRule rule, double lr) {
        this(inFeatures, rule, lr, new double[inFeatures + 1]);
    }

    /**
     * A unit starting from the extended weights {@code initial} = (w₁, …, wₙ, b), of length
     * {@code inFeatures + 1} (copied). The lecture's {@link LearningRule#HEBB} needs a start other than
     * zero: from w̃ = 0 every t·a is 0, never &lt; 0.
     */
    public Perceptron(int inFeatures, LearningRule rule, double lr, double[] initial) {
        if (inFeatures <= 0) {
            throw new IllegalArgumentException("Perceptron: expected a positive number of inputs, got " + inFeatures);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("Perceptron: expected a finite learning rate > 0, got " + lr);
        }
        this.inFeatures = inFeatures;
        this.rule = Objects.requireNonNull(rule, "Perceptron: rule");
        this.lr = lr;
        if (initial.length != inFeatures + 1) {
            throw new IllegalArgumentException("Perceptron: expected " + (inFeatures + 1) + " initial weights (" + inFeatures
                    + " inputs and the bias, last), got " + initial.length);
        }
        for (double v : initial) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("Perceptron: expected finite initial weights, got " + Arrays.toString(initial));
            }
        }
        this.w = Tensor.of(initial.clone(), inFeatures + 1);
    }

    /** The threshold: +1 for a ≥ 0, −1 below. */
    static double sign(double a) {
        return a >= 0 ? 1 : -1;
    }

    public LearningRule rule() {
        return rule;
    }

    /** w, [in] (a copy). */
    public Tensor weight() {
        return w.slice(0, 0, inFeatures).copy();
    }

    public double bias() {
        return w.get(inFeatures);
    }

    /** The extended weight vector (w, b), [in + 1] (a copy). */
    public Tensor extendedWeight() {
        return w.copy();
    }

    /** Number of examples that changed the weights so far (for Rosenblatt: the mistakes). */
    public int updates() {
        return updates;
    }

    /** Errors counted during each epoch run by {@link #epoch} or {@link #fit}, before each example's update. */
    public List<Integer> epochErrors() {
        return List.copyOf(epochErrors);
    }

    /** The activations wᵀx + b, [n]. */
    public Tensor decisionFunction(Tensor x) {
        checkInput("decisionFunction", x);
        return extend(x).matmul(w);
    }

    /** The answers sign(wᵀx + b) ∈ {−1, +1}, float64 [n]. */
    public Tensor predict(Tensor x) {
        Tensor a = decisionFunction(x);
        return a.ge(0.0).mul(2).sub(1);
    }

    /** How many of the examples the unit answers wrongly (targets in either convention). */
    public int errors(Tensor x, Tensor t) {
        double[] y = predict(x).toDoubleArray();
        double[] target = targets("errors", x, t);
        int wrong = 0;
        for (int i = 0; i < y.length; i++) if ((y[i] == 1) != (target[i] == 1)) wrong++;
        return wrong;
    }

    /**
     * One learning step on the single example x ([in]) with target t (1 for the positive class, 0 or
     * −1 for the negative one); returns true if w changed.
     */
    public boolean update(Tensor x, double t) {
        if (x.dim() != 1 || x.size(0) != inFeatures) {
            throw new IllegalArgumentException("Perceptron.update: expected an example of shape [" + inFeatures + "], got "
                    + Arrays.toString(x.shape()));
        }
        checkTarget("update", t);
        return learn(extend(x.unsqueeze(0)).select(0, 0), t);
    }

    /** t in either convention; converted to the rule's own here. */
    private boolean learn(Tensor xt, double t) {
        double a = w.mul(xt).sum().item();
        double e = rule.error(rule.labels().convert(t), a);
        if (e == 0) return false;
        w = w.add(xt.mul(lr * e));
        updates++;
        return true;
    }

    /** One pass over the examples in order; returns the number of mistakes made on the way. */
    public int epoch(Tensor x, Tensor t) {
        checkInput("epoch", x);
        double[] target = targets("epoch", x, t);
        Tensor xt = extend(x);
        int mistakes = 0;
        int before = updates;
        for (int i = 0; i < target.length; i++) {
            Tensor xi = xt.select(0, i);
            if ((sign(w.mul(xi).sum().item()) == 1) != (target[i] == 1)) mistakes++;
            learn(xi, target[i]);
        }
        epochErrors.add(mistakes);
        lastEpochChanged = updates != before;
        return mistakes;
    }

    /**
     * Up to {@code maxEpochs} passes, stopping after the first pass that left the weights unchanged:
     * the next pass would see the same weights and change nothing either. For both Rosenblatt rules
     * that is the first pass without a mistake; the lecture's Hebb rule also stops there, or earlier
     * if the only mistakes lie on the boundary t·a = 0, where it does not update. Plain Hebb and delta
     * keep updating on examples that are already right, so they run every pass. Returns the number of
     * passes run.
     */
    public int fit(Tensor x, Tensor t, int maxEpochs) {
        if (maxEpochs < 1) throw new IllegalArgumentException("Perceptron.fit: expected maxEpochs >= 1, got " + maxEpochs);
        for (int e = 1; e <= maxEpochs; e++) {
            epoch(x, t);
            if (!lastEpochChanged) return e;
        }
        return maxEpochs;
    }

    private Tensor extend(Tensor x) {
        Tensor x64 = x.to(DType.FLOAT64);
        return Tensor.cat(List.of(x64, Tensor.ones(DType.FLOAT64, x.size(0), 1)), 1);
    }

    private void checkInput(String op, Tensor x) {
        if (x.dim() != 2 || x.size(1) != inFeatures) {
            throw new IllegalArgumentException("Perceptron." + op + ": expected inputs of shape [n, " + inFeatures + "], got "
                    + Arrays.toString(x.shape()));
        }
    }

    private static double[] targets(String op, Tensor x, Tensor t) {
        if (t.dim() != 1 || t.size(0) != x.size(0)) {
            throw new IllegalArgumentException("Perceptron." + op + ": expected targets of shape [" + x.size(0) + "], got "
                    + Arrays.toString(t.shape()));
        }
        double[] v = t.toDoubleArray();
        boolean zero = false, minusOne = false;
        for (double d : v) {
            checkTarget(op, d);
            zero |= d == 0;
            minusOne |= d == -1;
        }
        if (zero && minusOne) {
            throw new IllegalArgumentException("Perceptron." + op + ": targets must use one convention, {0, 1} or {-1, +1};"
                    + " got both 0 and -1");
        }
        return v;
    }

    private static void checkTarget(String op, double t) {
        if (t != 1 && t != 0 && t != -1) {
            throw new IllegalArgumentException("Perceptron." + op + ": targets must be 0 or 1 (Rosenblatt's convention) or"
                    + " -1 or +1, got " + t);
        }
    }
}
