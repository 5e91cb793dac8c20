package org.jgrad.nn;

import org.jgrad.Tensor;

/** x·σ(x) (swish). */
public final class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.silu(x);
    }
}
