package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.internal.FusedOps;
import org.jgrad.nn.init.FanMode;
import org.jgrad.nn.init.Init;
import org.jgrad.nn.init.Nonlinearity;

/**
 * y = x·Wᵀ + b over the last dimension of x ([*, in] → [*, out]), with W of shape [out, in] as in
 * PyTorch, so state dicts are interchangeable.
 *
 * <p>Default initialization is PyTorch's: kaiming_uniform with a = √5 for W, which is U(±1/√in), and
 * U(±1/√in) for b.
 *
 * <p>The constructors without a {@link Generator} take {@link Init#newDefaultGenerator()}, a generator
 * seeded from Init's global stream: the weights are the same on every run of a program that builds
 * its layers in the same order, and {@link Init#manualSeed(long)} (as {@code torch.manual_seed})
 * restarts that stream. Pass a generator where the weights must not depend on what was built before.
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final boolean hasBias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Init.newDefaultGenerator());
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Init.newDefaultGenerator());
    }

    public Linear(int inFeatures, int outFeatures, Generator gen) {
        this(inFeatures, outFeatures, true, gen);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: expected positive sizes, got in=" + inFeatures + ", out="
                    + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.hasBias = bias;
        Tensor w = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        Init.kaimingUniform(w, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
        if (bias) {
            double bound = 1 / Math.sqrt(inFeatures);
            Init.uniform(registerParameter("bias", Tensor.zeros(outFeatures)), -bound, bound, gen);
        }
    }

    /** [out, in]. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** [out], or null for a layer without bias. */
    public Tensor bias() {
        return hasBias ? parameter("bias") : null;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length == 0 || s[s.length - 1] != inFeatures) {
            throw new IllegalArgumentException("Linear: expected input of shape [*, " + inFeatures + "], got "
                    + Arrays.toString(s));
        }
        return forward(x, false);
    }

    /**
     * The layer, followed by ReLU when {@code relu}. A batch [N, in] of the weight's dtype takes
     * the fused op ({@code org.jgrad.Fused.linear}): one op for product, bias and activation; other
     * inputs the composed ops.
     */
    Tensor forward(Tensor x, boolean relu) {
        Tensor b = bias();
        if (x.dim() == 2 && x.dtype() == weight().dtype()) return FusedOps.linear(x, weight(), b, relu);
        Tensor y = x.matmul(weight().t());
        if (b != null) y = y.add(b);
        return relu ? Activations.relu(y) : y;
    }

    @Override
    protected String extraRepr() {
        return "in=" + inFeatures + ", out=" + outFeatures + ", bias=" + hasBias;
    }
}
