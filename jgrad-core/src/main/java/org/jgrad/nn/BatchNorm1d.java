package org.jgrad.nn;

import java.util.Arrays;

/**
 * Batch normalization over the batch (and length) dimensions of [N, C] or [N, C, L] inputs, as
 * PyTorch's {@code BatchNorm1d}; see {@link BatchNorm} for the statistics and defaults.
 */
public final class BatchNorm1d extends BatchNorm {

    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    void checkInputShape(int[] s) {
        if ((s.length != 2 && s.length != 3) || s[1] != numFeatures()) {
            throw new IllegalArgumentException("BatchNorm1d: expected input of shape [N, " + numFeatures() + "] or [N, "
                    + numFeatures() + ", L], got " + Arrays.toString(s));
        }
    }
}
