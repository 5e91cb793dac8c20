package org.jgrad.nn;

import java.util.Arrays;

/**
 * Batch normalization of [N, C, H, W] inputs per channel, over the batch and both spatial
 * dimensions, as PyTorch's {@code BatchNorm2d}: a convolution's channel is one feature seen at
 * every position, so all N·H·W values of a channel share one mean and variance (and one γ, β).
 * See {@link BatchNorm} for the statistics and defaults.
 */
public final class BatchNorm2d extends BatchNorm {

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    void checkInputShape(int[] s) {
        if (s.length != 4 || s[1] != numFeatures()) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + numFeatures() + ", H, W], got "
                    + Arrays.toString(s));
        }
    }
}
