package org.jgrad.examples.course;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.optim.Adam;

/**
 * The universal approximation theorem in action: f(x) = Σⱼ vⱼ·tanh(wⱼ·x + bⱼ) + c, one hidden layer of
 * tanh units, fits smooth, kinked and discontinuous targets on [−1, 1], and the wider the layer, the
 * smaller the error. Each unit is a smoothed step at −bⱼ/wⱼ; a sum of enough of them follows any
 * continuous curve.
 */
public final class UniversalApproximation implements CourseExample {
    static final int[] WIDTHS = {1, 4, 16};
    static final int POINTS = 64, STEPS = 400;
    static final double LEARNING_RATE = 0.05;

    record Target(String name, DoubleUnaryOperator f, double tolerance) {}

    static final List<Target> TARGETS = List.of(
            new Target("sin(πx)", x -> StrictMath.sin(Math.PI * x), 1e-3),
            new Target("|x|", Math::abs, 1e-3),
            new Target("step(x)", x -> x < 0 ? 0 : 1, 1e-2),
            new Target("x²", x -> x * x, 1e-3));

    @Override
    public String name() {
        return "universal-approximation";
    }

    @Override
    public String description() {
        return "one hidden layer of tanh units fits sin, |x|, a step and x², the error shrinking as the layer widens";
    }

    @Override
    public Verdict run(PrintStream out) {
        out.printf(Locale.ROOT, "one hidden layer of tanh units, %d points on [-1, 1], %d Adam steps; mean squared error by width:%n",
                POINTS, STEPS);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-10s", "target"));
        for (int w : WIDTHS) header.append(String.format(Locale.ROOT, "  width %-4d", w));
        out.println(header);
        Verdict verdict = Verdict.HOLDS;
        for (Target t : TARGETS) {
            double[] errors = new double[WIDTHS.length];
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s", t.name()));
            for (int i = 0; i < WIDTHS.length; i++) {
                errors[i] = fit(t.f(), WIDTHS[i], new Generator(100 + i));
                row.append(String.format(Locale.ROOT, "  %-10.2e", errors[i]));
            }
            out.println(row);
            for (int i = 1; i < WIDTHS.length; i++) {
                verdict = verdict.and(Verdict.check(errors[i] < errors[i - 1], t.name() + ": width " + WIDTHS[i]
                        + " reached error " + errors[i] + ", not below width " + WIDTHS[i - 1] + "'s " + errors[i - 1]));
            }
            double last = errors[WIDTHS.length - 1];
            verdict = verdict.and(Verdict.check(last < t.tolerance(), t.name() + ": width " + WIDTHS[WIDTHS.length - 1]
                    + " reached error " + last + ", not below " + t.tolerance()));
        }
        return verdict;
    }

    /** Fits the target with {@code width} hidden units and returns the final mean squared error. */
    static double fit(DoubleUnaryOperator target, int width, Generator gen) {
        double[] xs = new double[POINTS], ys = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            xs[i] = -1 + 2.0 * i / (POINTS - 1);
            ys[i] = target.applyAsDouble(xs[i]);
        }
        Tensor x = Tensor.of(xs, POINTS, 1), y = Tensor.of(ys, POINTS, 1);
        // Steep enough units, with their kinks −b/w spread over the interval, so that every unit starts
        // somewhere useful.
        Tensor w = Tensor.randn(gen, 1, width).to(DType.FLOAT64).mul(3).requiresGrad(true);
        Tensor b = Tensor.rand(gen, width).to(DType.FLOAT64).mul(6).sub(3).requiresGrad(true);
        Tensor v = Tensor.randn(gen, width, 1).to(DType.FLOAT64).mul(1 / Math.sqrt(width)).requiresGrad(true);
        Tensor c = Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true);
        Adam adam = new Adam(List.of(w, b, v, c), LEARNING_RATE);
        for (int step = 0; step < STEPS; step++) {
            adam.zeroGrad();
            x.matmul(w).add(b).tanh().matmul(v).add(c).sub(y).pow(2).mean().backward();
            adam.step();
        }
        return x.matmul(w).add(b).tanh().matmul(v).add(c).sub(y).pow(2).mean().item();
    }
}
