package org.jgrad.nn;

import org.jgrad.Tensor;

/**
 * x for x &gt; 0, αx otherwise.
 *
 * <p>The slope α defaults to {@value #DEFAULT_ALPHA}, PyTorch's default ({@code negative_slope} of
 * {@code torch.nn.LeakyReLU}), so that models ported from PyTorch behave the same. The lecture uses
 * α = 0.1: write {@code new LeakyReLU(0.1)} to follow its examples.
 */
public final class LeakyReLU extends Module {
    /** PyTorch's default slope; the lecture's 0.1 is not the default. */
    public static final double DEFAULT_ALPHA = 0.01;

    private final double alpha;

    /** α = {@value #DEFAULT_ALPHA}, as in PyTorch (the lecture's examples use 0.1). */
    public LeakyReLU() {
        this(DEFAULT_ALPHA);
    }

    public LeakyReLU(double alpha) {
        this.alpha = alpha;
    }

    /** The slope for x ≤ 0. */
    public double alpha() {
        return alpha;
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
