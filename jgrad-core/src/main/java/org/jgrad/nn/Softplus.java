package org.jgrad.nn;

import org.jgrad.Tensor;

/** log(1 + eˣ), a smooth ReLU. */
public final class Softplus extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.softplus(x);
    }
}
