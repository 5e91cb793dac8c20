package org.jgrad.nn;

import org.jgrad.Tensor;

/** x for x > 0, α(eˣ − 1) otherwise; α defaults to 1. */
public final class ELU extends Module {
    private final double alpha;

    public ELU() {
        this(1.0);
    }

    public ELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.elu(x, alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
