package org.jgrad.examples.course;

import java.io.PrintStream;
import java.util.Locale;
import org.jgrad.Autograd;
import org.jgrad.Tensor;

/**
 * Gradient descent on the quadratic f(x) = ½·Σ λᵢ·xᵢ² with curvatures λ = (L, 1). One step multiplies
 * the i-th coordinate by (1 − η·λᵢ), so descent converges exactly when |1 − η·λᵢ| &lt; 1 for every i,
 * that is when η &lt; 2/L: the largest curvature alone sets the largest usable step size.
 */
public final class StepSize implements CourseExample {
    static final double L = 10;
    static final int STEPS = 200;

    @Override
    public String name() {
        return "step-size";
    }

    @Override
    public String description() {
        return "gradient descent on a quadratic with curvature L converges for a step below 2/L and diverges above it";
    }

    @Override
    public Verdict run(PrintStream out) {
        double threshold = 2 / L;
        out.printf(Locale.ROOT, "f(x) = ½·(%.0f·x₁² + x₂²), x₀ = (1, 1): the largest curvature is L = %.0f, the threshold 2/L = %.2f%n",
                L, L, threshold);
        // The flat direction (curvature 1) shrinks by 1 − η per step: a small step is safe but slow,
        // and the fastest steps lie just below the threshold.
        double small = descend(0.05, out), below = descend(0.95 * threshold, out), above = descend(1.05 * threshold, out);
        return Verdict.check(small < 1e-3, "with step 0.05 the distance to the minimum is " + small + ", not below 1e-3")
                .and(Verdict.check(below < 1e-3, "with step 0.95·2/L the distance to the minimum is " + below + ", not below 1e-3"))
                .and(Verdict.check(above > 1e3, "with step 1.05·2/L the distance to the minimum is " + above + ", not above 1e3"));
    }

    /** Runs {@link #STEPS} steps of size {@code eta} from (1, 1) and returns the final distance to the minimum 0. */
    static double descend(double eta, PrintStream out) {
        Tensor curvature = Tensor.of(new double[] {L, 1}, 2);
        Tensor x = Tensor.of(new double[] {1, 1}, 2).requiresGrad(true);
        out.printf(Locale.ROOT, "step size %.3f (%.3f·2/L): |1 − η·L| = %.3f%n", eta, eta * L / 2, Math.abs(1 - eta * L));
        for (int step = 1; step <= STEPS; step++) {
            Tensor f = x.mul(x).mul(curvature).sum().mul(0.5);
            Tensor g = Autograd.grad(f, java.util.List.of(x), false).getFirst();
            try (var _ = Autograd.noGrad()) {
                x.subInPlace(g.mul(eta));
            }
            if (step % 50 == 0) out.printf(Locale.ROOT, "  step %3d  |x| = %.3e%n", step, distance(x));
        }
        return distance(x);
    }

    private static double distance(Tensor x) {
        double[] v = x.toDoubleArray();
        return Math.hypot(v[0], v[1]);
    }
}
