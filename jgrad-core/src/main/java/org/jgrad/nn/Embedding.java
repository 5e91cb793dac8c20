package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.init.Init;

/**
 * A lookup table: int64 indices of any shape [*] select rows of {@code weight} [num, dim], giving
 * [*, dim]. The gradient adds into the selected rows (an index used twice receives both
 * gradients). Initialized from N(0, 1) as in PyTorch.
 */
public final class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, Init.newDefaultGenerator());
    }

    public Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: expected positive sizes, got num=" + numEmbeddings + ", dim="
                    + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        Init.normal(registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim)), 0, 1, gen);
    }

    /** [num, dim]. */
    public Tensor weight() {
        return parameter("weight");
    }

    @Override
    public Tensor forward(Tensor indices) {
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("Embedding: expected int64 indices, got " + indices.dtype() + " of shape "
                    + Arrays.toString(indices.shape()));
        }
        long[] idx = indices.toLongArray();
        for (long i : idx) {
            if (i < 0 || i >= numEmbeddings) {
                throw new IllegalArgumentException("Embedding: index " + i + " out of range for " + numEmbeddings
                        + " embeddings (input shape " + Arrays.toString(indices.shape()) + ")");
            }
        }
        int[] s = indices.shape();
        int[] outShape = Arrays.copyOf(s, s.length + 1);
        outShape[s.length] = embeddingDim;
        return weight().indexSelect(0, indices.reshape(idx.length)).reshape(outShape);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim;
    }
}
