package org.jgrad.nn;

import org.jgrad.Tensor;

/** max(x, 0) elementwise. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.relu(x);
    }
}
