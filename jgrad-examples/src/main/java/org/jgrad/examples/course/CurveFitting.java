package org.jgrad.examples.course;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.jgrad.optim.Adam;

/**
 * Fitting parametric curves by gradient descent: write the curve as a differentiable function of its
 * parameters, measure the squared error on the points, and let autograd give the gradient.
 * <ul>
 *   <li>a cubic polynomial y = c₀ + c₁x + c₂x² + c₃x³: linear in the parameters, a convex problem;
 *   <li>an ellipse (centre, semi-axes, rotation) from points on it, through its implicit equation
 *       (u/a)² + (v/b)² = 1 in the rotated frame;
 *   <li>a sinusoid y = A·sin(ωx + φ): not convex in ω (the error oscillates as ω moves), so the
 *       frequency must start near the truth, as a periodogram would give it.
 * </ul>
 */
public final class CurveFitting implements CourseExample {
    static final double LEARNING_RATE = 0.05;

    @Override
    public String name() {
        return "curve-fitting";
    }

    @Override
    public String description() {
        return "gradient descent fits a polynomial, an ellipse and a sinusoid to points, each to a small error";
    }

    @Override
    public Verdict run(PrintStream out) {
        return polynomial(out).and(ellipse(out)).and(sinusoid(out));
    }

    static Verdict polynomial(PrintStream out) {
        double[] truth = {0.5, -1, 0.3, 2};
        Tensor x = Tensor.linspace(DType.FLOAT64, -1, 1, 41);
        Tensor y = cubic(truth, x);
        Tensor[] c = start(0, 0, 0, 0);
        double error = fit(c, 300, p -> cubic(p, x).sub(y).pow(2).mean());
        double[] got = values(c);
        out.printf(Locale.ROOT, "polynomial: true coefficients %s, fitted %s, mean squared error %.2e%n",
                Arrays.toString(truth), format(got), error);
        return Verdict.check(error < 1e-6 && distance(got, truth) < 1e-2,
                "the cubic reached error " + error + " with coefficients " + format(got));
    }

    private static Tensor cubic(double[] c, Tensor x) {
        return x.mul(c[3]).add(c[2]).mul(x).add(c[1]).mul(x).add(c[0]);
    }

    private static Tensor cubic(Tensor[] c, Tensor x) {
        return x.mul(c[3]).add(c[2]).mul(x).add(c[1]).mul(x).add(c[0]); // Horner's rule
    }

    static Verdict ellipse(PrintStream out) {
        double cx = 1, cy = -0.5, a = 2, b = 1, theta = 0.5;
        int n = 30;
        double[] px = new double[n], py = new double[n];
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * i / n;
            // StrictMath: the points, and so the seeded run, must repeat on every CPU.
            double u = a * StrictMath.cos(t), v = b * StrictMath.sin(t);
            px[i] = cx + u * StrictMath.cos(theta) - v * StrictMath.sin(theta);
            py[i] = cy + u * StrictMath.sin(theta) + v * StrictMath.cos(theta);
        }
        Tensor x = Tensor.of(px, n), y = Tensor.of(py, n);
        // Start at the points' mean, a circle-ish shape, no rotation.
        Tensor[] p = start(x.mean().item(), y.mean().item(), 1.5, 1, 0);
        double error = fit(p, 1000, q -> {
            Tensor dx = x.sub(q[0]), dy = y.sub(q[1]);
            Tensor cos = q[4].cos(), sin = q[4].sin();
            Tensor u = dx.mul(cos).add(dy.mul(sin)), v = dy.mul(cos).sub(dx.mul(sin));
            return u.div(q[2]).pow(2).add(v.div(q[3]).pow(2)).sub(1).pow(2).mean();
        });
        double[] got = values(p);
        out.printf(Locale.ROOT, "ellipse: true centre (%.2f, %.2f), semi-axes %.2f, %.2f, rotation %.2f; fitted %s, mean squared residual %.2e%n",
                cx, cy, a, b, theta, format(got), error);
        return Verdict.check(error < 1e-8 && Math.hypot(got[0] - cx, got[1] - cy) < 1e-3,
                "the ellipse reached residual " + error + " with parameters " + format(got));
    }

    static Verdict sinusoid(PrintStream out) {
        double amplitude = 1.5, frequency = 2, phase = 0.5;
        Tensor x = Tensor.linspace(DType.FLOAT64, 0, 2 * Math.PI, 60);
        Tensor y = x.mul(frequency).add(phase).sin().mul(amplitude);
        Tensor[] p = start(1, 1.9, 0);
        double error = fit(p, 300, q -> x.mul(q[1]).add(q[2]).sin().mul(q[0]).sub(y).pow(2).mean());
        double[] got = values(p);
        out.printf(Locale.ROOT, "sinusoid: true amplitude %.2f, frequency %.2f, phase %.2f; fitted %s, mean squared error %.2e%n",
                amplitude, frequency, phase, format(got), error);
        return Verdict.check(error < 1e-6 && distance(got, new double[] {amplitude, frequency, phase}) < 1e-2,
                "the sinusoid reached error " + error + " with parameters " + format(got));
    }

    /** Minimises {@code loss} over the parameters with {@code steps} steps of Adam and returns the final loss. */
    private static double fit(Tensor[] params, int steps, Function<Tensor[], Tensor> loss) {
        Adam adam = new Adam(List.of(params), LEARNING_RATE);
        for (int step = 0; step < steps; step++) {
            adam.zeroGrad();
            loss.apply(params).backward();
            adam.step();
        }
        return loss.apply(params).item();
    }

    private static Tensor[] start(double... values) {
        return Arrays.stream(values).mapToObj(v -> Tensor.of(new double[] {v}, 1).requiresGrad(true)).toArray(Tensor[]::new);
    }

    private static double[] values(Tensor[] params) {
        return Arrays.stream(params).mapToDouble(Tensor::item).toArray();
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }

    private static String format(double[] v) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v[i]));
        return s.append(")").toString();
    }
}
