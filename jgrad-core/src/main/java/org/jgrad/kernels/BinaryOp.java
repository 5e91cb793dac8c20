package org.jgrad.kernels;

/**
 * Elementwise functions of two arguments. Comparisons give 1 where true and 0 where false.
 * {@code RELU_GRAD} is a where b &gt; 0, else 0: relu's backward (a the gradient, b the input) in one
 * pass instead of a mask and a product.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, GT, GE, LT, LE, EQ, NE, RELU_GRAD
}
