package org.jgrad.nn;

import org.jgrad.Tensor;

/** x/(1 + |x|). */
public final class Softsign extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.softsign(x);
    }
}
