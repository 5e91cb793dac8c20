package org.jgrad.nn;

import org.jgrad.Tensor;

/** 1/(1+e⁻ˣ) elementwise. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.sigmoid(x);
    }
}
