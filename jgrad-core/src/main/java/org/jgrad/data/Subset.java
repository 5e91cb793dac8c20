package org.jgrad.data;

import java.util.Arrays;
import java.util.Objects;

/** The examples of another dataset at a list of indices, in that order. Holds no data of its own. */
public final class Subset implements Dataset {
    private final Dataset source;
    private final int[] indices;

    public Subset(Dataset source, int[] indices) {
        this.source = Objects.requireNonNull(source, "Subset: source");
        this.indices = indices.clone();
        for (int i : this.indices) {
            if (i < 0 || i >= source.size()) {
                throw new IndexOutOfBoundsException("Subset: index " + i + " out of range for a dataset of " + source.size() + " examples");
            }
        }
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int index) {
        Objects.checkIndex(index, indices.length);
        return source.get(indices[index]);
    }

    /** Maps the indices and lets the source collate, so a tensor-backed source still copies rows. */
    @Override
    public Batch getBatch(int[] batchIndices) {
        int[] mapped = new int[batchIndices.length];
        for (int i = 0; i < mapped.length; i++) mapped[i] = indices[Objects.checkIndex(batchIndices[i], indices.length)];
        return source.getBatch(mapped);
    }

    /** The indices into the source dataset (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public String toString() {
        return "Subset(" + indices.length + " of " + source.size() + (indices.length <= 10 ? ": " + Arrays.toString(indices) : "") + ")";
    }
}
