package org.jgrad.nn;

import org.jgrad.Tensor;

/** x for x > 0, αx otherwise; α defaults to 0.01 as in PyTorch. */
public final class LeakyReLU extends Module {
    private final double alpha;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.leakyRelu(x, alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
