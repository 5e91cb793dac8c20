package org.jgrad.nn;

import org.jgrad.Tensor;

/** tanh elementwise. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.tanh(x);
    }
}
