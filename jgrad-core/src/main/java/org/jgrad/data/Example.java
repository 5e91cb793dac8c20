package org.jgrad.data;

import java.util.Objects;
import org.jgrad.Tensor;

/**
 * One supervised sample: its features (e.g. an image [1, 28, 28] or a point [2]) and its label (a
 * rank-0 int64 class index for classification, a float tensor for regression).
 */
public record Example(Tensor features, Tensor label) {
    public Example {
        Objects.requireNonNull(features, "Example: features");
        Objects.requireNonNull(label, "Example: label");
    }
}
