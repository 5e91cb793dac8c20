package org.jgrad.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jgrad.Autograd;
import org.jgrad.Generator;
import org.jgrad.Tensor;

/**
 * Trains a two-layer network to separate the "two moons" with nothing but tensor ops, autograd and
 * hand-written gradient descent: the whole of deep learning on one screen.
 *
 * <pre>
 *   h = tanh(x·W1 + b1)          x: [n, 2]   W1: [2, 16]   h: [n, 16]
 *   z = h·W2 + b2                W2: [16, 1]                z: [n, 1]   (a logit per point)
 *   loss = mean(softplus(z) − y·z)                           binary cross-entropy, y ∈ {0, 1}
 * </pre>
 *
 * {@code softplus(z) − y·z} is {@code −log σ(z)} for y = 1 and {@code −log(1 − σ(z))} for y = 0, written
 * so that no logarithm of a rounded-to-zero probability is ever taken.
 */
public final class TwoMoons {
    private TwoMoons() {}

    /** Points {@code x} of shape [n, 2] and labels {@code y} of shape [n, 1] (0 or 1), float32. */
    public record Data(Tensor x, Tensor y) {}

    /** What a training run saw: the loss at each logged step, and the final training accuracy. */
    public record Result(List<Integer> steps, List<Double> losses, double accuracy) {}

    public record Config(long seed, int points, double noise, int hidden, int steps, double learningRate, int logEvery) {
        public static Config defaults() {
            return new Config(42, 400, 0.1, 16, 1000, 0.5, 100);
        }
    }

    /**
     * Two interleaving half circles, as scikit-learn's make_moons: label 0 on the upper arc
     * (cos θ, sin θ), label 1 on the lower one (1 − cos θ, 0.5 − sin θ), with Gaussian noise.
     */
    public static Data moons(Generator gen, int n, double noise) {
        float[] xs = new float[2 * n];
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            double theta = Math.PI * gen.nextDouble();
            // StrictMath: Math's sin and cos may round differently on another CPU, and the seed must repeat the data.
            double px = label == 0 ? StrictMath.cos(theta) : 1 - StrictMath.cos(theta);
            double py = label == 0 ? StrictMath.sin(theta) : 0.5 - StrictMath.sin(theta);
            xs[2 * i] = (float) (px + noise * gen.nextGaussian());
            xs[2 * i + 1] = (float) (py + noise * gen.nextGaussian());
            ys[i] = label;
        }
        return new Data(Tensor.of(xs, n, 2), Tensor.of(ys, n, 1));
    }

    public static Result train(Config c, PrintStream out) {
        Generator gen = new Generator(c.seed());
        Data data = moons(gen, c.points(), c.noise());

        // Scaled so that pre-activations start at unit size: tanh neither saturates nor stays linear.
        Tensor w1 = Tensor.randn(gen, 2, c.hidden()).mul(1 / Math.sqrt(2)).requiresGrad(true);
        Tensor b1 = Tensor.zeros(c.hidden()).requiresGrad(true);
        Tensor w2 = Tensor.randn(gen, c.hidden(), 1).mul(1 / Math.sqrt(c.hidden())).requiresGrad(true);
        Tensor b2 = Tensor.zeros(1).requiresGrad(true);
        List<Tensor> params = List.of(w1, b1, w2, b2);

        List<Integer> steps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step <= c.steps(); step++) {
            Tensor z = logits(data.x(), w1, b1, w2, b2);
            Tensor loss = z.softplus().sub(z.mul(data.y())).mean();
            if (step % c.logEvery() == 0 || step == c.steps()) {
                steps.add(step);
                losses.add(loss.item());
                if (out != null) out.printf(Locale.ROOT, "step %5d  loss %.4f%n", step, loss.item());
            }
            if (step == c.steps()) break;

            loss.backward();
            // The update itself must not be recorded, and in-place changes of tensors that
            // require grad are only allowed with recording off.
            try (var _ = Autograd.noGrad()) {
                for (Tensor p : params) p.subInPlace(p.grad().mul(c.learningRate()));
            }
            for (Tensor p : params) p.zeroGrad();
        }

        double accuracy;
        try (var _ = Autograd.noGrad()) {
            Tensor predicted = logits(data.x(), w1, b1, w2, b2).gt(0); // σ(z) > 0.5 ⇔ z > 0
            accuracy = predicted.eq(data.y()).mean().item();
        }
        return new Result(steps, losses, accuracy);
    }

    static Tensor logits(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        Tensor h = x.matmul(w1).add(b1).tanh();
        return h.matmul(w2).add(b2);
    }

    public static void main(String[] args) {
        Config c = Config.defaults();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--seed") || a.equals("--steps")) && i + 1 < args.length) {
                long v = Long.parseLong(args[++i]);
                c = a.equals("--seed")
                        ? new Config(v, c.points(), c.noise(), c.hidden(), c.steps(), c.learningRate(), c.logEvery())
                        : new Config(c.seed(), c.points(), c.noise(), c.hidden(), Math.toIntExact(v), c.learningRate(), c.logEvery());
            } else {
                System.err.println("usage: jgrad demo [--seed N] [--steps N]");
                System.exit(2);
            }
        }
        System.out.printf(Locale.ROOT, "two moons: %d points (noise %.2f), MLP 2-%d-1 tanh, full-batch SGD lr %.2f, seed %d%n",
                c.points(), c.noise(), c.hidden(), c.learningRate(), c.seed());
        long t0 = System.nanoTime();
        Result r = train(c, System.out);
        System.out.printf(Locale.ROOT, "training accuracy %.2f%% (%d steps in %.1f s)%n",
                100 * r.accuracy(), c.steps(), (System.nanoTime() - t0) / 1e9);
    }
}
