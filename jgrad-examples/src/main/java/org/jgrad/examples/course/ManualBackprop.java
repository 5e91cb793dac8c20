package org.jgrad.examples.course;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Losses;

/**
 * The backward pass of a multilayer perceptron written by hand, as in the lecture's pseudocode, next
 * to autograd on the same network and batch. Per sample, with column vectors:
 *
 * <pre>
 *   forward:   a⁰ = x,   zˡ = Wˡ·aˡ⁻¹ + bˡ,   aˡ = f(zˡ)   (f = tanh, identity on the last layer)
 *   loss:      L = 1/(N·K) · Σₙ ‖a^last − y‖²           (mean squared error over the batch of N, K outputs)
 *   output:    δ^last = ∂L/∂z^last = 2·(a^last − y)/(N·K)
 *   each layer, last to first:
 *              ∂Wˡ += δˡ·(aˡ⁻¹)ᵀ,   ∂bˡ += δˡ
 *              δˡ⁻¹ = (Wˡ)ᵀ·δˡ ⊙ f'(zˡ⁻¹),   f'(z) = 1 − tanh²(z) = 1 − (aˡ⁻¹)²
 * </pre>
 *
 * The hand-written pass uses plain {@code double} arrays and loops, nothing from jgrad.
 */
public final class ManualBackprop implements CourseExample {
    static final int[] SIZES = {4, 6, 5, 3};
    static final int BATCH = 7;
    static final double TOLERANCE = 1e-12;

    @Override
    public String name() {
        return "manual-backprop";
    }

    @Override
    public String description() {
        return "the MLP backward pass written by hand from the lecture's pseudocode gives autograd's gradients (float64, 1e-12)";
    }

    @Override
    public Verdict run(PrintStream out) {
        Generator gen = new Generator(15);
        List<Linear> layers = new ArrayList<>();
        for (int l = 1; l < SIZES.length; l++) {
            Linear layer = new Linear(SIZES[l - 1], SIZES[l], gen);
            layer.to(DType.FLOAT64);
            layers.add(layer);
        }
        Tensor x = Tensor.randn(gen, BATCH, SIZES[0]).to(DType.FLOAT64);
        Tensor y = Tensor.randn(gen, BATCH, SIZES[SIZES.length - 1]).to(DType.FLOAT64);
        out.printf(Locale.ROOT, "MLP %s, tanh hidden layers, linear output, mean squared error, batch of %d, float64%n",
                java.util.Arrays.toString(SIZES), BATCH);

        // Autograd: the network as modules, then backward().
        Tensor a = x;
        for (int l = 0; l < layers.size(); l++) {
            a = layers.get(l).call(a);
            if (l < layers.size() - 1) a = a.tanh();
        }
        Tensor loss = Losses.mse(a, y);
        loss.backward();

        // By hand, from the same numbers.
        double[][][] w = new double[layers.size()][][];
        double[][] b = new double[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            w[l] = matrix(layers.get(l).weight());
            b[l] = layers.get(l).bias().toDoubleArray();
        }
        Gradients manual = backward(w, b, matrix(x), matrix(y));
        out.printf(Locale.ROOT, "loss: autograd %.17g, by hand %.17g%n", loss.item(), manual.loss());

        Verdict verdict = Verdict.check(Math.abs(loss.item() - manual.loss()) <= TOLERANCE,
                "the losses differ: autograd " + loss.item() + ", by hand " + manual.loss());
        for (int l = 0; l < layers.size(); l++) {
            double dw = maxDifference(flatten(manual.dW()[l]), layers.get(l).weight().grad().toDoubleArray());
            double db = maxDifference(manual.db()[l], layers.get(l).bias().grad().toDoubleArray());
            double size = maxAbs(flatten(manual.dW()[l]));
            out.printf(Locale.ROOT, "layer %d: W %dx%d  max|∂W| = %.3e  max|∂W by hand − ∂W autograd| = %.1e  max|∂b difference| = %.1e%n",
                    l + 1, SIZES[l + 1], SIZES[l], size, dw, db);
            verdict = verdict.and(Verdict.check(dw <= TOLERANCE && db <= TOLERANCE, "layer " + (l + 1)
                    + ": the hand-written gradients differ from autograd's by " + Math.max(dw, db) + " > " + TOLERANCE))
                    .and(Verdict.check(size > 1e-3, "layer " + (l + 1) + ": the gradient is too small to compare (" + size + ")"));
        }
        return verdict;
    }

    record Gradients(double loss, double[][][] dW, double[][] db) {}

    /** The lecture's pseudocode: forward keeping every aˡ, then δ from the last layer to the first. */
    static Gradients backward(double[][][] w, double[][] b, double[][] x, double[][] y) {
        int layers = w.length, n = x.length, k = y[0].length;
        double[][][] dW = new double[layers][][];
        double[][] db = new double[layers][];
        for (int l = 0; l < layers; l++) {
            dW[l] = new double[w[l].length][w[l][0].length];
            db[l] = new double[b[l].length];
        }
        double loss = 0;
        for (int s = 0; s < n; s++) {
            // Forward: act[l] is aˡ (act[0] = x).
            double[][] act = new double[layers + 1][];
            act[0] = x[s];
            for (int l = 0; l < layers; l++) {
                double[] z = add(multiply(w[l], act[l]), b[l]);
                act[l + 1] = l < layers - 1 ? tanh(z) : z;
            }
            double[] output = act[layers];
            double[] delta = new double[k];
            for (int i = 0; i < k; i++) {
                double e = output[i] - y[s][i];
                loss += e * e / (n * k);
                delta[i] = 2 * e / (n * k);
            }
            // Backward: δ of layer l+1 gives ∂W, ∂b of that layer and δ of the layer below.
            for (int l = layers - 1; l >= 0; l--) {
                double[] below = act[l];
                for (int i = 0; i < delta.length; i++) {
                    for (int j = 0; j < below.length; j++) dW[l][i][j] += delta[i] * below[j];
                    db[l][i] += delta[i];
                }
                if (l == 0) break;
                double[] back = multiplyTransposed(w[l], delta);
                for (int j = 0; j < back.length; j++) back[j] *= 1 - below[j] * below[j];
                delta = back;
            }
        }
        return new Gradients(loss, dW, db);
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] r = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < v.length; j++) r[i] += m[i][j] * v[j];
        }
        return r;
    }

    private static double[] multiplyTransposed(double[][] m, double[] v) {
        double[] r = new double[m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < r.length; j++) r[j] += m[i][j] * v[i];
        }
        return r;
    }

    private static double[] add(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + b[i];
        return r;
    }

    private static double[] tanh(double[] z) {
        double[] r = new double[z.length];
        for (int i = 0; i < z.length; i++) r[i] = Math.tanh(z[i]);
        return r;
    }

    private static double[][] matrix(Tensor t) {
        int rows = t.shape()[0], cols = t.shape()[1];
        double[] v = t.detach().contiguous().toDoubleArray();
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) System.arraycopy(v, i * cols, m[i], 0, cols);
        return m;
    }

    private static double[] flatten(double[][] m) {
        double[] r = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, r, i * m[0].length, m[0].length);
        return r;
    }

    private static double maxDifference(double[] a, double[] b) {
        if (a.length != b.length) return Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return Double.isNaN(max) ? Double.POSITIVE_INFINITY : max;
    }

    private static double maxAbs(double[] a) {
        double max = 0;
        for (double v : a) max = Math.max(max, Math.abs(v));
        return max;
    }
}
