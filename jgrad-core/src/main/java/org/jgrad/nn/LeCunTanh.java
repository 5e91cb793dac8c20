package org.jgrad.nn;

import org.jgrad.Tensor;

/** tanh(x) + a·x, see {@link Activations#lecunTanh(Tensor, double)}; a defaults to {@link Activations#LECUN_TANH_DEFAULT_SLOPE} (0.01). */
public final class LeCunTanh extends Module {
    private final double a;

    public LeCunTanh() {
        this(Activations.LECUN_TANH_DEFAULT_SLOPE);
    }

    public LeCunTanh(double a) {
        this.a = a;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.lecunTanh(x, a);
    }

    @Override
    protected String extraRepr() {
        return "a=" + a;
    }
}
