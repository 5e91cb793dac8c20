package org.jgrad.nn.classic;

/**
 * Which normal form of a Boolean function a {@link ThresholdNetwork} is built from.
 */
public enum NormalForm {
    /**
     * Disjunctive normal form: the OR of one minterm per true row of the truth table. The hidden layer
     * has one unit per true row, firing on that row only; the output unit is an OR.
     */
    DNF,
    /**
     * Conjunctive normal form: the AND of one maxterm (clause) per false row of the truth table. The
     * hidden layer has one unit per false row, firing everywhere but on that row; the output unit is an
     * AND.
     */
    CNF
}
