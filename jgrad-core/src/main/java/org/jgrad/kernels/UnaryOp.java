package org.jgrad.kernels;

/**
 * Elementwise functions of one argument that kernels compute. Parameters (the scale of ELU,
 * the bounds of clamp, the exponent of pow) are passed beside the op as {@code p} and {@code q}.
 */
public enum UnaryOp {
    NEG, EXP, LOG, LOG1P, SQRT, SIGN, SIN, COS, TANH, SIGMOID, RELU,
    /** x if x &gt; 0 else p·(eˣ − 1). */
    ELU,
    SOFTPLUS, ATAN,
    /** min(max(x, p), q). */
    CLAMP,
    /** xᵖ. */
    POW,
    /**
     * p·x + q: scaling and shifting by scalars, rounded as a multiplication then an addition. With
     * q = −0 it is exactly p·x (adding −0 changes no value, adding +0 turns −0 into +0).
     */
    AFFINE,
    /** x / p: division by a scalar, rounded once, as PyTorch divides (x·(1/p) rounds twice). */
    DIV_SCALAR,
    /** The normal CDF Φ(x), used by gelu's derivative. */
    NORMAL_CDF
}
