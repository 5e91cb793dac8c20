package org.jgrad.nn;

import org.jgrad.Tensor;

/** Merges dimensions startDim..endDim into one (by default all but the batch dimension). */
public final class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "startDim=" + startDim + ", endDim=" + endDim;
    }
}
