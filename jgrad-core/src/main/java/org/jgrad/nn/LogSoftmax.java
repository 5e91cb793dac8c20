package org.jgrad.nn;

import org.jgrad.Tensor;

/** log(softmax(x)) along {@code dim}, computed stably. */
public final class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.logSoftmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
