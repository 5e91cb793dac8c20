package org.jgrad.nn.init;

/**
 * The activation that follows a layer, for {@link Init#calculateGain(Nonlinearity, double)}: the
 * factor by which initialization scales the weights so activations keep their variance through it.
 */
public enum Nonlinearity {
    LINEAR,
    CONV,
    SIGMOID,
    TANH,
    RELU,
    LEAKY_RELU,
    SELU
}
