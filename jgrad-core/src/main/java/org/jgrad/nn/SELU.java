package org.jgrad.nn;

import org.jgrad.Tensor;

/** Scaled ELU, λ·elu(x, α) with λ = 1.0507009873554805 and α = 1.6732632423543772 (self-normalizing networks). */
public final class SELU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.selu(x);
    }
}
