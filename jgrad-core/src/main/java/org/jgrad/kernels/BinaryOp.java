package org.jgrad.kernels;

/** Elementwise functions of two arguments. Comparisons give 1 where true and 0 where false. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, GT, GE, LT, LE, EQ, NE
}
