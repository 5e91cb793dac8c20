package org.jgrad.data;

import java.util.Arrays;
import java.util.Objects;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * A dataset held in two tensors whose first dimension indexes the examples: features [N, ...] and
 * labels [N, ...] (int64 [N] for classes). Batches are collated by copying rows
 * ({@link Tensor#indexSelect}), never through per-example tensors. The tensors are detached: a
 * dataset is data, not part of a graph.
 */
public final class TensorDataset implements Dataset {
    private final Tensor features;
    private final Tensor labels;

    public TensorDataset(Tensor features, Tensor labels) {
        Objects.requireNonNull(features, "TensorDataset: features");
        Objects.requireNonNull(labels, "TensorDataset: labels");
        if (features.dim() == 0 || labels.dim() == 0 || features.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("TensorDataset: features " + Arrays.toString(features.shape()) + " and labels "
                    + Arrays.toString(labels.shape()) + " must have the same first dimension (the number of examples)");
        }
        this.features = features.detach();
        this.labels = labels.detach();
    }

    @Override
    public int size() {
        return features.size(0);
    }

    @Override
    public Example get(int index) {
        Objects.checkIndex(index, size());
        return new Example(features.select(0, index).contiguous(), labels.select(0, index).contiguous());
    }

    @Override
    public Batch getBatch(int[] indices) {
        if (indices.length == 0) throw new IllegalArgumentException("getBatch: expected at least one index, got none");
        long[] idx = new long[indices.length];
        for (int i = 0; i < idx.length; i++) idx[i] = Objects.checkIndex(indices[i], size());
        Tensor index = Tensor.of(idx, idx.length);
        return new Batch(features.indexSelect(0, index), labels.indexSelect(0, index));
    }

    /** All features, [N, ...]. */
    public Tensor features() {
        return features;
    }

    /** All labels, [N, ...]. */
    public Tensor labels() {
        return labels;
    }

    /** The number of classes (max label + 1) for int64 labels. */
    public int numClasses() {
        if (labels.dtype() != DType.INT64) {
            throw new IllegalStateException("numClasses: labels are " + labels.dtype() + ", not int64 class indices");
        }
        return size() == 0 ? 0 : (int) labels.max().item() + 1;
    }

    @Override
    public String toString() {
        return "TensorDataset(features " + Arrays.toString(features.shape()) + " " + features.dtype() + ", labels "
                + Arrays.toString(labels.shape()) + " " + labels.dtype() + ")";
    }
}
