package org.jgrad.nn;

import org.jgrad.Tensor;

/** x·Φ(x) with the exact normal CDF. */
public final class GELU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.gelu(x);
    }
}
