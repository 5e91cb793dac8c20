package org.jgrad.nn.classic;

/**
 * The two ways the lectures write the labels of a two-class problem: {0, 1} (Rosenblatt's rule, a
 * threshold unit's output) and {−1, +1} (Hebb's rule, the delta rule, sign(a)). The positive class is
 * 1 in both; the negative class is 0 or −1. Converting keeps the class: 0 ↔ −1, 1 ↔ 1.
 */
public enum BinaryLabels {
    /** Negative class 0, positive class 1. */
    ZERO_ONE(0),
    /** Negative class −1, positive class +1. */
    PLUS_MINUS_ONE(-1);

    private final double negative;

    BinaryLabels(double negative) {
        this.negative = negative;
    }

    /** The label of the negative class: 0 or −1. */
    public double negative() {
        return negative;
    }

    /** The label of the positive class: 1 in both conventions. */
    public double positive() {
        return 1;
    }

    /** Whether t is one of this convention's two labels. */
    public boolean contains(double t) {
        return t == 1 || t == negative;
    }

    /**
     * The label of the same class in this convention: t must be 1 (positive), 0 or −1 (negative);
     * anything else is an {@link IllegalArgumentException}.
     */
    public double convert(double t) {
        if (t == 1) return 1;
        if (t == 0 || t == -1) return negative;
        throw new IllegalArgumentException("BinaryLabels.convert: expected a label 0 or 1, or -1 or +1, got " + t);
    }

    @Override
    public String toString() {
        return this == ZERO_ONE ? "{0, 1}" : "{-1, +1}";
    }
}
