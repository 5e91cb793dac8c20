package org.jgrad.nn;

import java.util.Arrays;
import java.util.Objects;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.init.Init;

/**
 * Channel dropout for [N, C, H, W] (or [C, H, W]), as PyTorch's {@code Dropout2d}: in training each
 * whole channel of each sample is zeroed with probability p and the kept channels are scaled by
 * 1/(1−p) (inverted dropout, so evaluation needs no rescaling); the identity in evaluation mode.
 * Neighbouring pixels of a feature map are strongly correlated, so dropping single pixels (as
 * {@link Dropout} does) hardly regularizes a convolution; dropping whole maps does (Tompson et al.,
 * 2015). Masks come from the layer's own generator, so a seeded run repeats exactly.
 */
public final class Dropout2d extends Module {
    private final double p;
    private final Generator gen;

    /** p = 0.5 with a default generator ({@link Init#newDefaultGenerator()}). */
    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        this(p, Init.newDefaultGenerator());
    }

    public Dropout2d(double p, Generator gen) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout2d: expected 0 <= p <= 1, got " + p);
        this.p = p;
        this.gen = Objects.requireNonNull(gen, "Dropout2d: generator");
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length != 4 && s.length != 3) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, C, H, W] or [C, H, W], got "
                    + Arrays.toString(s));
        }
        if (!isTraining() || p == 0) return x;
        // One draw per (sample, channel), broadcast over the map: [N, C, 1, 1] or [C, 1, 1].
        int[] maskShape = s.clone();
        maskShape[s.length - 1] = 1;
        maskShape[s.length - 2] = 1;
        if (p == 1) return x.mul(Tensor.zeros(x.dtype(), maskShape));
        Tensor scale = Tensor.uniform(gen, DType.FLOAT64, 0, 1, maskShape).ge(p).mul(1 / (1 - p)).to(x.dtype());
        return x.mul(scale);
    }

    @Override
    protected String extraRepr() {
        return "p=" + Repr.number(p) + ", inplace=False";
    }
}
