package org.jgrad.data;

import java.util.Objects;
import org.jgrad.Generator;
import org.jgrad.Tensor;

/**
 * A function of a sample's or a batch's features, possibly random. Image transforms take one image
 * [C, H, W] or a batch [B, C, H, W] and, for a batch, draw each image's randomness in turn from
 * {@code gen}: the same generator state gives the same result. Ready-made ones are in
 * {@link Transforms}; a {@link DataLoader} applies one to every batch with a seeded generator.
 */
@FunctionalInterface
public interface Transform {
    Tensor apply(Tensor features, Generator gen);

    /** This transform, then {@code next}, sharing one generator. */
    default Transform andThen(Transform next) {
        Objects.requireNonNull(next, "andThen: next");
        return (x, gen) -> next.apply(apply(x, gen), gen);
    }
}
