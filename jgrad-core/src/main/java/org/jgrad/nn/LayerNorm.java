package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.Tensor;

/**
 * Layer normalization (Ba et al., 2016), as PyTorch's {@code LayerNorm}: each sample is normalized
 * over its last dimensions, those of {@code normalizedShape}, with their mean and biased variance,
 * then y = γ·x̂ + β elementwise (γ = {@code weight}, ones; β = {@code bias}, zeros). Unlike batch
 * normalization it behaves the same in training and evaluation. eps defaults to 1e-5.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final boolean affine;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("LayerNorm: normalizedShape is empty");
        for (int d : normalizedShape) {
            if (d <= 0) throw new IllegalArgumentException("LayerNorm: expected positive sizes, got "
                    + Arrays.toString(normalizedShape));
        }
        if (!(eps >= 0)) throw new IllegalArgumentException("LayerNorm: expected eps >= 0, got " + eps);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.affine = elementwiseAffine;
        if (affine) {
            registerParameter("weight", Tensor.ones(normalizedShape));
            registerParameter("bias", Tensor.zeros(normalizedShape));
        }
    }

    public Tensor weight() {
        return affine ? parameter("weight") : null;
    }

    public Tensor bias() {
        return affine ? parameter("bias") : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        int k = normalizedShape.length;
        if (s.length < k || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm: expected input of shape [*, "
                    + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "") + "], got " + Arrays.toString(s));
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = s.length - k + i;
        Tensor mean = x.mean(dims, true);
        Tensor var = x.var(dims, true, 0);
        Tensor y = x.sub(mean).div(var.add(eps).sqrt());
        if (affine) y = y.mul(weight()).add(bias());
        return y;
    }

    @Override
    protected String extraRepr() {
        return "(" + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "") + (k1() ? ",)" : ")") + ", eps=" + eps
                + ", affine=" + affine;
    }

    private boolean k1() {
        return normalizedShape.length == 1;
    }
}
