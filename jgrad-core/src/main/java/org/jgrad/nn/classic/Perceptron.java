package org.jgrad.nn.classic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * Rosenblatt's single threshold unit y = sign(wᵀx + b) for targets t ∈ {−1, +1}, trained online
 * (one example at a time, in the order given) by a {@link LearningRule}. The bias is the last weight
 * of w̃ = (w, b), seen through the extended input x̃ = (x, 1). Weights start at zero and are kept in
 * float64.
 *
 * <pre>{@code
 * Perceptron p = new Perceptron(2, LearningRule.ROSENBLATT, 1.0);
 * p.fit(x, t, 100);          // x [n, 2], t [n] of ±1
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

    public Perceptron(int inFeatures, LearningRule rule, double lr) {
        if (inFeatures <= 0) {
            throw new IllegalArgumentException("Perceptron: expected a positive number of inputs, got " + inFeatures);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("Perceptron: expected a finite learning rate > 0, got " + lr);
        }
        this.inFeatures = inFeatures;
        this.rule = Objects.requireNonNull(rule, "Perceptron: rule");
        this.lr = lr;
        this.w = Tensor.zeros(DType.FLOAT64, inFeatures + 1);
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

    /** How many of the examples the unit answers wrongly. */
    public int errors(Tensor x, Tensor t) {
        double[] y = predict(x).toDoubleArray();
        double[] target = targets("errors", x, t);
        int wrong = 0;
        for (int i = 0; i < y.length; i++) if (y[i] != target[i]) wrong++;
        return wrong;
    }

    /** One learning step on the single example x ([in]) with target t; returns true if w changed. */
    public boolean update(Tensor x, double t) {
        if (x.dim() != 1 || x.size(0) != inFeatures) {
            throw new IllegalArgumentException("Perceptron.update: expected an example of shape [" + inFeatures + "], got "
                    + Arrays.toString(x.shape()));
        }
        checkTarget("update", t);
        return learn(extend(x.unsqueeze(0)).select(0, 0), t);
    }

    private boolean learn(Tensor xt, double t) {
        double a = w.mul(xt).sum().item();
        double e = rule.error(t, a);
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
        for (int i = 0; i < target.length; i++) {
            Tensor xi = xt.select(0, i);
            if (sign(w.mul(xi).sum().item()) != target[i]) mistakes++;
            learn(xi, target[i]);
        }
        epochErrors.add(mistakes);
        return mistakes;
    }

    /**
     * Up to {@code maxEpochs} passes. Rosenblatt's rule stops after the first pass without a mistake
     * (its weights would not change any more); Hebb and delta run every pass, since they keep
     * updating on correctly classified examples. Returns the number of passes run.
     */
    public int fit(Tensor x, Tensor t, int maxEpochs) {
        if (maxEpochs < 1) throw new IllegalArgumentException("Perceptron.fit: expected maxEpochs >= 1, got " + maxEpochs);
        for (int e = 1; e <= maxEpochs; e++) {
            int mistakes = epoch(x, t);
            if (rule == LearningRule.ROSENBLATT && mistakes == 0) return e;
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
        for (double d : v) checkTarget(op, d);
        return v;
    }

    private static void checkTarget(String op, double t) {
        if (t != 1 && t != -1) {
            throw new IllegalArgumentException("Perceptron." + op + ": targets must be -1 or +1, got " + t);
        }
    }
}
