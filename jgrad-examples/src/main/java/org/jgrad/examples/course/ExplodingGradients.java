package org.jgrad.examples.course;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.Losses;
import org.jgrad.optim.ClipGrad;
import org.jgrad.optim.SGD;

/**
 * Exploding gradients in a deep linear chain y = W_depth·…·W_2·W_1·x whose weights start near 1.2·I.
 * The backward pass multiplies the output gradient by every Wᵀ on its way down, so the gradient of
 * the first layer grows like 1.2^depth. A step of fixed size η then throws the weights far past the
 * minimum and training diverges; clipping the gradient by its global norm (ClipGrad.byNorm) keeps each
 * step at most η·maxNorm long, and the same η converges.
 */
public final class ExplodingGradients implements CourseExample {
    static final int WIDTH = 4, DEPTH = 20, SAMPLES = 32, STEPS = 400;
    static final double GAIN = 1.2, LEARNING_RATE = 0.01, MAX_NORM = 1;

    @Override
    public String name() {
        return "exploding-gradients";
    }

    @Override
    public String description() {
        return "the gradient of a deep chain with weights above 1 explodes; clipping by global norm lets training converge where plain steps diverge";
    }

    @Override
    public Verdict run(PrintStream out) {
        Generator gen = new Generator(11);
        Tensor x = Tensor.randn(gen, SAMPLES, WIDTH).to(DType.FLOAT64);
        // The target map: a symmetric positive-definite matrix near I, which a chain of near-identity
        // layers can reach.
        Tensor noise = Tensor.randn(gen, WIDTH, WIDTH).to(DType.FLOAT64).mul(0.1);
        Tensor target = Tensor.eye(DType.FLOAT64, WIDTH).add(noise).add(noise.t());
        Tensor y = x.matmul(target);

        out.printf(Locale.ROOT, "linear chain of %dx%d layers starting near %.1f·I, fitting y = A·x on %d points%n",
                WIDTH, WIDTH, GAIN, SAMPLES);
        double shallow = Double.NaN, deep = Double.NaN;
        for (int depth : new int[] {5, 10, 20, 40}) {
            List<Tensor> layers = chain(depth, new Generator(depth));
            Losses.mse(forward(layers, x), y).backward();
            double norm = layers.getFirst().grad().norm(2).item();
            out.printf(Locale.ROOT, "depth %2d: |∂L/∂W_1| = %.3e%n", depth, norm);
            if (depth == 5) shallow = norm;
            deep = norm;
        }

        double plain = train(false, x, y, out), clipped = train(true, x, y, out);
        return Verdict.check(deep > 1e3 * shallow, "the gradient at depth 40 (" + deep + ") is not 1000 times the one at depth 5 ("
                        + shallow + ")")
                .and(Verdict.check(!(plain < 1), "without clipping the loss ended at " + plain + " instead of diverging"))
                .and(Verdict.check(clipped < 1e-6, "with clipping the loss ended at " + clipped + ", not below 1e-6"));
    }

    /** Trains a chain of {@link #DEPTH} layers with SGD, clipped or not, and returns the final loss. */
    static double train(boolean clip, Tensor x, Tensor y, PrintStream out) {
        List<Tensor> layers = chain(DEPTH, new Generator(DEPTH));
        SGD sgd = new SGD(layers, LEARNING_RATE);
        out.printf(Locale.ROOT, "depth %d, SGD step %.2f, %s:%n", DEPTH, LEARNING_RATE,
                clip ? "gradients clipped to global norm " + MAX_NORM : "no clipping");
        double loss = Double.NaN;
        for (int step = 0; step <= STEPS; step++) {
            sgd.zeroGrad();
            Tensor l = Losses.mse(forward(layers, x), y);
            loss = l.item();
            if (step % 50 == 0 || !Double.isFinite(loss)) {
                out.printf(Locale.ROOT, "  step %3d  loss %.3e%n", step, loss);
            }
            if (!Double.isFinite(loss) || step == STEPS) break;
            l.backward();
            if (clip) ClipGrad.byNorm(layers, MAX_NORM);
            sgd.step();
        }
        return loss;
    }

    /** {@code depth} matrices GAIN·I + small noise, as leaves that require gradients. */
    static List<Tensor> chain(int depth, Generator gen) {
        List<Tensor> layers = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            Tensor w = Tensor.eye(DType.FLOAT64, WIDTH).mul(GAIN).add(Tensor.randn(gen, WIDTH, WIDTH).to(DType.FLOAT64).mul(0.01));
            layers.add(w.requiresGrad(true));
        }
        return layers;
    }

    static Tensor forward(List<Tensor> layers, Tensor x) {
        Tensor h = x; // rows are samples, so each layer multiplies from the right: h ← h·Wᵀ
        for (Tensor w : layers) h = h.matmul(w.t());
        return h;
    }
}
