package org.jgrad.nn;

import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.init.Init;

/**
 * Maxout (Goodfellow et al., 2013): k affine maps per output unit and the maximum of them,
 * y_j = max_{i<k} (x·W_{jk+i}ᵀ + b_{jk+i}). A learned piecewise-linear convex activation; ReLU and
 * leaky ReLU are special cases with k = 2. The maps are one {@link Linear} of out·k units (registered
 * as {@code linear}), unit j using rows jk … jk+k−1.
 */
public final class Maxout extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final int k;
    private final Linear linear;

    public Maxout(int inFeatures, int outFeatures, int k) {
        this(inFeatures, outFeatures, k, Init.newDefaultGenerator());
    }

    public Maxout(int inFeatures, int outFeatures, int k, Generator gen) {
        if (k <= 0) throw new IllegalArgumentException("Maxout: expected k > 0 pieces, got " + k);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.k = k;
        this.linear = registerModule("linear", new Linear(inFeatures, outFeatures * k, true, gen));
    }

    public Linear linear() {
        return linear;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor z = linear.call(x);
        int[] s = z.shape();
        int[] pieces = java.util.Arrays.copyOf(s, s.length + 1);
        pieces[s.length - 1] = outFeatures;
        pieces[s.length] = k;
        return z.reshape(pieces).max(-1, false).values();
    }

    @Override
    protected String extraRepr() {
        return "in=" + inFeatures + ", out=" + outFeatures + ", k=" + k;
    }
}
