package org.jgrad.nn;

import org.jgrad.Tensor;

/**
 * Activation functions as static functions (PyTorch's {@code torch.nn.functional}); each has a
 * module of the same name ({@link ReLU}, {@link SELU}, ...) for use in {@link Sequential}. The
 * elementwise ones are differentiable compositions of {@link Tensor} ops, so their gradients are
 * the tensor ops' (and can be differentiated again).
 */
public final class Activations {
    private Activations() {}

    /** λ of SELU (Klambauer et al., 2017): with α, it keeps activations at mean 0 and variance 1. */
    public static final double SELU_SCALE = 1.0507009873554805;
    /** α of SELU. */
    public static final double SELU_ALPHA = 1.6732632423543772;
    /** The default slope a of {@link #lecunTanh(Tensor, double)}. */
    public static final double LECUN_TANH_DEFAULT_SLOPE = 0.01;

    /** 1/(1+e⁻ˣ). */
    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** max(x, 0). */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** x for x > 0, αx otherwise. */
    public static Tensor leakyRelu(Tensor x, double alpha) {
        return x.leakyRelu(alpha);
    }

    /** x for x > 0, α(eˣ − 1) otherwise. */
    public static Tensor elu(Tensor x, double alpha) {
        return x.elu(alpha);
    }

    /** λ·elu(x, α) with λ = {@link #SELU_SCALE}, α = {@link #SELU_ALPHA}. */
    public static Tensor selu(Tensor x) {
        return x.elu(SELU_ALPHA).mul(SELU_SCALE);
    }

    /** x·Φ(x) with the exact normal CDF Φ (PyTorch's default, not the tanh approximation). */
    public static Tensor gelu(Tensor x) {
        return x.gelu();
    }

    /** x·σ(x), also called swish. */
    public static Tensor silu(Tensor x) {
        return x.mul(x.sigmoid());
    }

    /** log(1 + eˣ). */
    public static Tensor softplus(Tensor x) {
        return x.softplus();
    }

    /** x/(1 + |x|). */
    public static Tensor softsign(Tensor x) {
        return x.softsign();
    }

    public static Tensor atan(Tensor x) {
        return x.atan();
    }

    /**
     * tanh(x) + a·x: LeCun et al., "Efficient BackProp" (1998, §4.4), suggest adding a small linear
     * term to a sigmoid so that its derivative never vanishes (no flat spots far from 0). That paper's
     * recommended sigmoid is 1.7159·tanh(2x/3); this is the plain-tanh form with the linear term, and
     * {@code a} is the slope left for large |x|.
     */
    public static Tensor lecunTanh(Tensor x, double a) {
        return x.tanh().add(x.mul(a));
    }

    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }
}
