package org.jgrad.nn.classic;

import java.util.Arrays;
import org.jgrad.Autograd;
import org.jgrad.Tensor;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Losses;
import org.jgrad.nn.Module;
import org.jgrad.nn.init.Init;

/**
 * Binary logistic regression, the one-layer network P(y = 1 | x) = σ(wᵀx + b), fitted by full-batch
 * gradient descent on
 * J(w, b) = (1/n) Σ bce(σ(wᵀxᵢ + b), yᵢ) + (λ/2)‖w‖² with labels yᵢ ∈ {0, 1}.
 * With λ > 0 J is strictly convex, so the optimum is unique. The bias is not penalized. The same loss
 * for labels ±1 is {@link Losses#logistic}. Weights start at zero; call {@code to(DType.FLOAT64)}
 * for precise fits.
 */
public final class LogisticRegression extends Module {
    private final Linear linear;
    private final double l2;

    public LogisticRegression(int inFeatures, double l2) {
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("LogisticRegression: expected a finite l2 >= 0, got " + l2);
        }
        this.l2 = l2;
        this.linear = registerModule("linear", new Linear(inFeatures, 1));
        Init.zeros(linear.weight());
        Init.zeros(linear.bias());
    }

    /** w, [in]. */
    public Tensor weight() {
        return linear.weight().select(0, 0);
    }

    public Tensor bias() {
        return linear.bias();
    }

    /** The scores (logits) wᵀx + b, [n]. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 2) {
            throw new IllegalArgumentException("LogisticRegression: expected input [n, " + linear.inFeatures() + "], got "
                    + Arrays.toString(x.shape()));
        }
        return linear.call(x).squeeze(1);
    }

    /** P(y = 1 | x), [n]. */
    public Tensor predictProba(Tensor x) {
        return call(x).sigmoid();
    }

    /** Labels 0/1 as int64 [n] (1 where P ≥ ½). */
    public Tensor predict(Tensor x) {
        try (var _ = Autograd.noGrad()) {
            return Tensor.of(toLongs(call(x).ge(0.0).toDoubleArray()), x.size(0));
        }
    }

    /** J(w, b) for labels y ∈ {0, 1} of shape [n] (any numeric type). */
    public Tensor loss(Tensor x, Tensor y) {
        Tensor z = call(x);
        if (y.dim() != 1 || y.size(0) != x.size(0)) {
            throw new IllegalArgumentException("LogisticRegression.loss: expected labels of shape [" + x.size(0) + "], got "
                    + Arrays.toString(y.shape()));
        }
        for (double v : y.toDoubleArray()) {
            if (v != 0 && v != 1) throw new IllegalArgumentException("LogisticRegression.loss: labels must be 0 or 1, got " + v);
        }
        Tensor data = Losses.bceWithLogits(z, y.to(z.dtype()));
        return l2 == 0 ? data : data.add(linear.weight().pow(2).sum().mul(l2 / 2));
    }

    /** {@code epochs} full-batch gradient steps of size {@code lr}; returns J before each step. */
    public double[] fit(Tensor x, Tensor y, double lr, int epochs) {
        return FullBatch.descend(this, () -> loss(x, y), lr, epochs);
    }

    static long[] toLongs(double[] v) {
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) r[i] = (long) v[i];
        return r;
    }

    @Override
    protected String extraRepr() {
        return "in=" + linear.inFeatures() + ", l2=" + l2;
    }
}
