package org.jgrad.examples.course;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.examples.TwoMoons;

/**
 * Why weights start random. In h = tanh(x·W1 + b1), z = h·W2 + b2, hidden unit j is column j of W1,
 * entry j of b1 and row j of W2. When all units start equal they compute the same h_j, receive the same
 * gradient, and so stay equal after every step: the network trains like a single hidden unit, however
 * wide. Random initial weights break this symmetry.
 */
public final class Symmetry implements CourseExample {
    static final int HIDDEN = 8, STEPS = 300;
    static final double LEARNING_RATE = 0.5;

    @Override
    public String name() {
        return "symmetry";
    }

    @Override
    public String description() {
        return "with constant initial weights the hidden units of a 2-layer net stay identical through training, with random ones they do not";
    }

    @Override
    public Verdict run(PrintStream out) {
        TwoMoons.Data data = TwoMoons.moons(new Generator(1), 200, 0.1);
        Tensor x = data.x().to(DType.FLOAT64), y = data.y().to(DType.FLOAT64);
        out.printf(Locale.ROOT, "two moons, MLP 2-%d-1 tanh, %d steps of gradient descent with step %.1f%n", HIDDEN, STEPS, LEARNING_RATE);

        Tensor[] constant = {Tensor.full(DType.FLOAT64, 0.3, 2, HIDDEN), Tensor.zeros(DType.FLOAT64, HIDDEN),
                Tensor.full(DType.FLOAT64, 0.3, HIDDEN, 1), Tensor.zeros(DType.FLOAT64, 1)};
        Generator gen = new Generator(2);
        Tensor[] random = {Tensor.randn(gen, 2, HIDDEN).to(DType.FLOAT64).mul(1 / Math.sqrt(2)), Tensor.zeros(DType.FLOAT64, HIDDEN),
                Tensor.randn(gen, HIDDEN, 1).to(DType.FLOAT64).mul(1 / Math.sqrt(HIDDEN)), Tensor.zeros(DType.FLOAT64, 1)};

        double[] constantRun = train("constant 0.3", constant, x, y, out);
        double[] randomRun = train("random", random, x, y, out);
        double constantSpread = constantRun[0], randomSpread = randomRun[0];
        return Verdict.check(constantSpread <= 1e-12,
                        "with constant initialisation the hidden units drifted apart by " + constantSpread)
                .and(Verdict.check(randomSpread > 0.1, "with random initialisation the hidden units differ by only " + randomSpread))
                .and(Verdict.check(randomRun[1] < constantRun[1], "the random start reached loss " + randomRun[1]
                        + ", not below the symmetric one's " + constantRun[1]));
    }

    /** Trains from {@code init} (W1, b1, W2, b2) and returns {the largest difference between hidden units, the final loss}. */
    static double[] train(String label, Tensor[] init, Tensor x, Tensor y, PrintStream out) {
        List<Tensor> params = java.util.Arrays.stream(init).map(p -> p.detach().requiresGrad(true)).toList();
        Tensor w1 = params.get(0), b1 = params.get(1), w2 = params.get(2), b2 = params.get(3);
        double loss = Double.NaN;
        for (int step = 0; step < STEPS; step++) {
            Tensor z = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
            Tensor l = z.softplus().sub(z.mul(y)).mean(); // binary cross-entropy with logits
            loss = l.item();
            l.backward();
            try (var _ = Autograd.noGrad()) {
                for (Tensor p : params) p.subInPlace(p.grad().mul(LEARNING_RATE));
            }
            for (Tensor p : params) p.zeroGrad();
        }
        double spread = spread(w1.detach().t(), b1.detach().reshape(HIDDEN, 1), w2.detach());
        out.printf(Locale.ROOT, "%-12s final loss %.4f, largest difference between two hidden units %.3e%n", label + ":", loss, spread);
        out.printf(Locale.ROOT, "  hidden unit weights (W1 columns): %s%n", columns(w1));
        return new double[] {spread, loss};
    }

    /** The largest |unit j − unit 0| over the units' incoming weights, biases and outgoing weights (one row per unit). */
    private static double spread(Tensor... perUnit) {
        double max = 0;
        for (Tensor t : perUnit) {
            double[] v = t.contiguous().toDoubleArray();
            int width = v.length / HIDDEN;
            for (int j = 1; j < HIDDEN; j++) {
                for (int c = 0; c < width; c++) max = Math.max(max, Math.abs(v[j * width + c] - v[c]));
            }
        }
        return max;
    }

    private static String columns(Tensor w1) {
        double[] v = w1.detach().contiguous().toDoubleArray();
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < Math.min(HIDDEN, 4); j++) {
            s.append(String.format(Locale.ROOT, "(%.3f, %.3f) ", v[j], v[HIDDEN + j]));
        }
        return s.append("...").toString();
    }
}
