package org.jgrad.nn;

/**
 * How a loss turns its per-element values into what it returns, as PyTorch's {@code reduction}
 * argument.
 */
public enum Reduction {
    /** The average over the elements (a weighted average where the loss takes class weights). */
    MEAN,
    /** The sum over the elements. */
    SUM,
    /** No reduction: one loss value per element (per sample for class losses). */
    NONE
}
