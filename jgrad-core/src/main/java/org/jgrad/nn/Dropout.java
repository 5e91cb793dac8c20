package org.jgrad.nn;

import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.init.Init;

/**
 * Inverted dropout: in training, each element is zeroed with probability p and the survivors are
 * scaled by 1/(1−p), so the expected output equals the input and evaluation needs no rescaling. The
 * identity in evaluation mode. The masks come from the layer's own generator, so a seeded run
 * repeats exactly.
 */
public final class Dropout extends Module {
    private final double p;
    private final Generator gen;

    /** p = 0.5 with a default generator ({@link Init#newDefaultGenerator()}). */
    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, Init.newDefaultGenerator());
    }

    public Dropout(double p, Generator gen) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: expected 0 <= p <= 1, got " + p);
        this.p = p;
        this.gen = java.util.Objects.requireNonNull(gen, "Dropout: generator");
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        if (p == 1) return x.mul(Tensor.zerosLike(x));
        // Keep where u ≥ p (probability 1 − p); mask and scale in one multiplier.
        Tensor scale = Tensor.uniform(gen, DType.FLOAT64, 0, 1, x.shape()).ge(p).mul(1 / (1 - p)).to(x.dtype());
        return x.mul(scale);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
