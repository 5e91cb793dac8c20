package org.jgrad.data;

import java.util.Objects;
import org.jgrad.Tensor;

/**
 * A mini-batch: samples stacked along a new first dimension. {@code features} is [B, ...] and
 * {@code labels} is [B] (int64 class indices) or [B, ...] (regression targets).
 */
public record Batch(Tensor features, Tensor labels) {
    public Batch {
        Objects.requireNonNull(features, "Batch: features");
        Objects.requireNonNull(labels, "Batch: labels");
        if (features.dim() == 0 || labels.dim() == 0 || features.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("Batch: features " + java.util.Arrays.toString(features.shape())
                    + " and labels " + java.util.Arrays.toString(labels.shape())
                    + " must both have the batch size as their first dimension");
        }
    }

    /** The number of samples. */
    public int size() {
        return features.size(0);
    }
}
