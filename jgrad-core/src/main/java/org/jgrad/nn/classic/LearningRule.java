package org.jgrad.nn.classic;

/**
 * How a {@link Perceptron} changes its weights after seeing one example x̃ (the input with a 1
 * appended for the bias) with target t, given its activation a = ⟨w̃, x̃⟩:
 * Δw̃ = η · {@link #error(double, double) error(t, a)} · x̃.
 *
 * <p>Each rule works in one label convention, {@link #labels()}: the lecture writes Rosenblatt's rule
 * with t, o ∈ {0, 1} and the others with t ∈ {−1, +1}. A {@link Perceptron} accepts targets in either
 * convention and converts them to the rule's own ({@link BinaryLabels#convert}) before calling
 * {@link #error}: the positive class is 1 in both, the negative class is 0 or −1.
 */
public enum LearningRule {
    /**
     * Hebb's rule as the lecture teaches it, the perceptron-style Hebbian update, t ∈ {−1, +1}:
     * w̃ ← w̃ + η·t·x̃ only when the example is misclassified, t·⟨w̃, x̃⟩ &lt; 0; nothing otherwise.
     *
     * <p>The condition is strict, as in the lecture: an example on the boundary (a = 0) does not
     * update, so a perceptron whose weights are all zero never moves with this rule. Start it from
     * other weights ({@link Perceptron#Perceptron(int, LearningRule, double, double[])}).
     */
    HEBB(BinaryLabels.PLUS_MINUS_ONE) {
        @Override
        double errorIn(double target, double activation) {
            return target * activation < 0 ? target : 0;
        }
    },
    /**
     * Plain Hebbian learning, t ∈ {−1, +1}: Δw̃ = η·t·x̃ on every example, whatever the unit answered,
     * so one pass from zero gives w̃ = η Σ tᵢ x̃ᵢ. Not the lecture's {@link #HEBB}, which updates only on
     * mistakes.
     */
    HEBB_EVERY_EXAMPLE(BinaryLabels.PLUS_MINUS_ONE) {
        @Override
        double errorIn(double target, double activation) {
            return target;
        }
    },
    /**
     * Rosenblatt's rule as the lecture teaches it, t ∈ {0, 1}: Δw̃ = η·(t − o)·x̃ with the unit's output
     * o = [⟨w̃, x̃⟩ ≥ 0]. Nothing when the answer is right, ±η·x̃ on a mistake. The threshold counts
     * a = 0 as firing (o = 1), the same convention as {@link ThresholdLayer} and as sign(0) = +1 in
     * {@link Perceptron#predict}, so the unit's answers and its updates never disagree.
     */
    ROSENBLATT(BinaryLabels.ZERO_ONE) {
        @Override
        double errorIn(double target, double activation) {
            return target - (activation >= 0 ? 1 : 0);
        }
    },
    /**
     * Rosenblatt's rule written for t ∈ {−1, +1}: Δw̃ = η·(t − sign(a))·x̃ with sign(0) = +1 — nothing
     * when the answer is right, 2η·t·x̃ on a mistake, twice the step of {@link #ROSENBLATT}. From zero
     * weights it makes the same mistakes as {@link #ROSENBLATT} with half the learning rate.
     */
    ROSENBLATT_PLUS_MINUS_ONE(BinaryLabels.PLUS_MINUS_ONE) {
        @Override
        double errorIn(double target, double activation) {
            return target - Perceptron.sign(activation);
        }
    },
    /** Delta / Widrow–Hoff / LMS, t ∈ {−1, +1}: Δw̃ = η·(t − a)·x̃, a stochastic gradient step on ½(t − a)². */
    DELTA(BinaryLabels.PLUS_MINUS_ONE) {
        @Override
        double errorIn(double target, double activation) {
            return target - activation;
        }
    };

    private final BinaryLabels labels;

    LearningRule(BinaryLabels labels) {
        this.labels = labels;
    }

    /** The label convention the rule's formula is written in. */
    public BinaryLabels labels() {
        return labels;
    }

    /**
     * The factor multiplying η·x̃ in the update, for a target in this rule's own convention
     * ({@link #labels()}); any other target is an {@link IllegalArgumentException}.
     */
    public double error(double target, double activation) {
        if (!labels.contains(target)) {
            throw new IllegalArgumentException("LearningRule." + name() + ": expected a target in " + labels + ", got " + target
                    + " (a Perceptron converts targets of the other convention; use BinaryLabels.convert when calling the rule"
                    + " directly)");
        }
        return errorIn(target, activation);
    }

    abstract double errorIn(double target, double activation);
}
