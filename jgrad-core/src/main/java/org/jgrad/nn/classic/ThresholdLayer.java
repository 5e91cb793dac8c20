package org.jgrad.nn.classic;

import java.util.Arrays;
import org.jgrad.Tensor;
import org.jgrad.nn.Module;

/**
 * McCulloch–Pitts threshold units with fixed weights: y = H(x·Wᵀ + b) with the step H(a) = 1 for
 * a ≥ 0, else 0, mapping [n, in] to [n, out] of 0/1 in x's type. The weights are buffers, not
 * parameters: the step has no useful gradient, so these units are set by hand (see {@link LogicGates})
 * or by a {@link Perceptron}, never by backpropagation.
 */
public final class ThresholdLayer extends Module {
    private final int inFeatures;

    /** weight [out, in], bias [out] (copied, float64). */
    public ThresholdLayer(double[][] weight, double[] bias) {
        if (weight.length == 0 || weight.length != bias.length) {
            throw new IllegalArgumentException("ThresholdLayer: expected weight rows and bias of one positive length, got "
                    + weight.length + " rows and " + bias.length + " biases");
        }
        this.inFeatures = weight[0].length;
        registerBuffer("weight", Tensor.of(weight));
        registerBuffer("bias", Tensor.of(bias.clone()));
    }

    public Tensor weight() {
        return buffer("weight");
    }

    public Tensor bias() {
        return buffer("bias");
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 2 || x.size(1) != inFeatures) {
            throw new IllegalArgumentException("ThresholdLayer: expected input of shape [n, " + inFeatures + "], got "
                    + Arrays.toString(x.shape()));
        }
        Tensor w = weight().to(x.dtype());
        return x.matmul(w.t()).add(bias().to(x.dtype())).ge(0.0);
    }

    @Override
    protected String extraRepr() {
        return "in=" + inFeatures + ", out=" + weight().size(0);
    }
}
