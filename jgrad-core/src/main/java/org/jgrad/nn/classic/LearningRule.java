package org.jgrad.nn.classic;

/**
 * How a {@link Perceptron} changes its weights after seeing one example x̃ (the input with a 1
 * appended for the bias) with target t ∈ {−1, +1}, given its activation a = wᵀx̃:
 * Δw = η · {@link #error(double, double) error(t, a)} · x̃.
 */
public enum LearningRule {
    /** Hebb: Δw = η·t·x — strengthen the weights along the target, whatever the unit answered. */
    HEBB {
        @Override
        public double error(double target, double activation) {
            return target;
        }
    },
    /**
     * Rosenblatt: Δw = η·(t − sign(wᵀx))·x — nothing when the answer is right, 2ηt·x on a mistake.
     * sign(0) = +1, the threshold unit's convention.
     */
    ROSENBLATT {
        @Override
        public double error(double target, double activation) {
            return target - Perceptron.sign(activation);
        }
    },
    /** Delta / Widrow–Hoff / LMS: Δw = η·(t − wᵀx)·x, a stochastic gradient step on ½(t − wᵀx)². */
    DELTA {
        @Override
        public double error(double target, double activation) {
            return target - activation;
        }
    };

    /** The factor multiplying η·x̃ in the update. */
    public abstract double error(double target, double activation);
}
