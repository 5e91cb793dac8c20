package org.jgrad.nn;

import org.jgrad.Tensor;

/** arctan elementwise. */
public final class Atan extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.atan(x);
    }
}
