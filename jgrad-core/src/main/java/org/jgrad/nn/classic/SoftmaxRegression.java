package org.jgrad.nn.classic;

import java.util.Arrays;
import org.jgrad.Autograd;
import org.jgrad.Tensor;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Losses;
import org.jgrad.nn.Module;
import org.jgrad.nn.init.Init;

/**
 * Multinomial (softmax) regression, the one-layer network P(y = k | x) = softmax(Wx + b)ₖ, fitted by
 * full-batch gradient descent on J(W, b) = (1/n) Σ −log P(yᵢ | xᵢ) + (λ/2)‖W‖² with class indices
 * yᵢ ∈ {0, …, K−1}. With two classes it is logistic regression with w = w₁ − w₀ (over-parameterized:
 * adding one vector to every row changes nothing, which the penalty λ > 0 pins down). Weights start
 * at zero.
 */
public final class SoftmaxRegression extends Module {
    private final Linear linear;
    private final double l2;

    public SoftmaxRegression(int inFeatures, int numClasses, double l2) {
        if (numClasses < 2) throw new IllegalArgumentException("SoftmaxRegression: expected numClasses >= 2, got " + numClasses);
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("SoftmaxRegression: expected a finite l2 >= 0, got " + l2);
        }
        this.l2 = l2;
        this.linear = registerModule("linear", new Linear(inFeatures, numClasses));
        Init.zeros(linear.weight());
        Init.zeros(linear.bias());
    }

    /** W, [K, in]. */
    public Tensor weight() {
        return linear.weight();
    }

    /** b, [K]. */
    public Tensor bias() {
        return linear.bias();
    }

    /** The logits Wx + b, [n, K]. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 2) {
            throw new IllegalArgumentException("SoftmaxRegression: expected input [n, " + linear.inFeatures() + "], got "
                    + Arrays.toString(x.shape()));
        }
        return linear.call(x);
    }

    /** Class probabilities, [n, K]; each row sums to 1. */
    public Tensor predictProba(Tensor x) {
        return call(x).softmax(1);
    }

    /** The most probable class, int64 [n]. */
    public Tensor predict(Tensor x) {
        try (var _ = Autograd.noGrad()) {
            return call(x).argmax(1, false);
        }
    }

    /** J(W, b) for int64 class indices y of shape [n]. */
    public Tensor loss(Tensor x, Tensor y) {
        Tensor data = Losses.crossEntropy(call(x), y);
        return l2 == 0 ? data : data.add(linear.weight().pow(2).sum().mul(l2 / 2));
    }

    /** {@code epochs} full-batch gradient steps of size {@code lr}; returns J before each step. */
    public double[] fit(Tensor x, Tensor y, double lr, int epochs) {
        return FullBatch.descend(this, () -> loss(x, y), lr, epochs);
    }

    @Override
    protected String extraRepr() {
        return "in=" + linear.inFeatures() + ", classes=" + linear.outFeatures() + ", l2=" + l2;
    }
}
