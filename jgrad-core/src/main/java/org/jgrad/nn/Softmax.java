package org.jgrad.nn;

import org.jgrad.Tensor;

/** Softmax along {@code dim} (no default: name the class dimension). */
public final class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.softmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
