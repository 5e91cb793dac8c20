package org.jgrad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Compares the gradients backward computes with central differences (f(x+ε) − f(x−ε)) / 2ε, element
 * by element of the whole Jacobian, in float64. The standard test of a differentiable op, and a
 * teaching tool: a wrong backward rule shows up as the exact input, element and values that differ.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(gen, 3, 4).to(DType.FLOAT64).requiresGrad(true);
 * GradCheck.check(in -> in.get(0).tanh().sum(), x);
 * }</pre>
 */
public final class GradCheck {
    private final double eps;
    private final double atol;
    private final double rtol;

    private GradCheck(double eps, double atol, double rtol) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** PyTorch's defaults: ε = 1e-6, and |analytic − numeric| ≤ 1e-5 + 1e-3·|numeric|. */
    public static GradCheck withDefaults() {
        return new GradCheck(1e-6, 1e-5, 1e-3);
    }

    public static GradCheck with(double eps, double atol, double rtol) {
        return new GradCheck(eps, atol, rtol);
    }

    /** First-order check with default tolerances; throws {@link GradCheckException} on a mismatch. */
    public static void check(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        withDefaults().checkFirstOrder(f, inputs);
    }

    /**
     * Second-order check with default tolerances: the gradients of f, computed with createGraph, are
     * themselves checked against central differences (their Jacobian is f's Hessian).
     */
    public static void checkSecondOrder(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        withDefaults().checkGradOfGrad(f, inputs);
    }

    public void checkFirstOrder(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        checkInputs(inputs);
        List<Tensor> args = List.of(inputs);
        List<Integer> wrt = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad()) wrt.add(i);
        if (wrt.isEmpty()) throw new IllegalArgumentException("GradCheck: no input requires grad");

        Tensor out = f.apply(args);
        if (out.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("GradCheck: the function returned " + out.dtype()
                    + "; run the check in float64 (float32 rounding swamps central differences)");
        }
        int m = out.numel();
        // analytic[i][j][k]: d out_j / d input_i element k
        double[][][] analytic = new double[inputs.length][m][];
        List<Tensor> wrtTensors = new ArrayList<>();
        for (int i : wrt) wrtTensors.add(inputs[i]);
        for (int j = 0; j < m; j++) {
            if (!out.requiresGrad()) {
                for (int i : wrt) analytic[i][j] = new double[inputs[i].numel()];
                continue;
            }
            double[] oneHot = new double[m];
            oneHot[j] = 1;
            Tensor seed = Tensor.of(oneHot, out.shape());
            List<Tensor> grads = Autograd.grad(out, wrtTensors, seed, true, false);
            for (int w = 0; w < wrt.size(); w++) analytic[wrt.get(w)][j] = grads.get(w).toDoubleArray();
        }

        for (int i : wrt) {
            Tensor x = inputs[i];
            int n = x.numel();
            for (int k = 0; k < n; k++) {
                int flat = storageIndex(x, k);
                double orig = x.storage.get(flat);
                double[] plus, minus;
                // Not under noGrad: a function that itself differentiates (second order) needs the graph.
                try {
                    x.storage.set(flat, orig + eps);
                    plus = f.apply(args).toDoubleArray();
                    x.storage.set(flat, orig - eps);
                    minus = f.apply(args).toDoubleArray();
                } finally {
                    x.storage.set(flat, orig);
                }
                for (int j = 0; j < m; j++) {
                    double numeric = (plus[j] - minus[j]) / (2 * eps);
                    double a = analytic[i][j][k];
                    double err = Math.abs(a - numeric);
                    if (!(err <= atol + rtol * Math.abs(numeric))) {
                        throw new GradCheckException(String.format(
                                "GradCheck: d output%s / d input %d%s (input shape %s, output shape %s):"
                                        + " analytic %.10g, numerical %.10g, error %.3g > atol %.1g + rtol %.1g·|numerical|",
                                Arrays.toString(unravel(j, out.shape)), i, Arrays.toString(unravel(k, x.shape)),
                                Shapes.str(x.shape), Shapes.str(out.shape), a, numeric, err, atol, rtol));
                    }
                }
            }
        }
    }

    public void checkGradOfGrad(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        checkInputs(inputs);
        List<Tensor> wrtTensors = new ArrayList<>();
        List<Integer> wrtIndex = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad()) {
                wrtTensors.add(inputs[i]);
                wrtIndex.add(i);
            }
        }
        int count = wrtTensors.size();
        for (int w = 0; w < count; w++) {
            int which = w;
            // The gradient of f's output (projected on ones when it is not a scalar) w.r.t. one input.
            Function<List<Tensor>, Tensor> gradient = args -> {
                Tensor out = f.apply(args);
                if (!out.requiresGrad()) return Tensor.zeros(DType.FLOAT64, wrtTensors.get(which).shape);
                return Autograd.grad(out, wrtTensors, Tensor.onesLike(out), true, true).get(which);
            };
            try {
                checkFirstOrder(gradient, inputs);
            } catch (GradCheckException e) {
                // Name the input by its position among all inputs, as the first-order messages do.
                throw new GradCheckException("second order, gradient of input " + wrtIndex.get(which) + ": "
                        + e.getMessage());
            }
        }
    }

    private static void checkInputs(Tensor[] inputs) {
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t.requiresGrad() && t.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("GradCheck: input " + i + " is " + t.dtype()
                        + "; convert inputs to float64 first (to(DType.FLOAT64))");
            }
            if (t.requiresGrad() && !t.isLeaf()) {
                throw new IllegalArgumentException("GradCheck: input " + i + " is not a leaf tensor; pass leaves"
                        + " (detach() and requiresGrad(true)) so the check can perturb them");
            }
            // Perturbing one storage element of an expanded view would move several elements at once,
            // and the numerical gradient would be wrong while the analytic one is right.
            for (int d = 0; d < t.shape.length; d++) {
                if (t.requiresGrad() && t.strides[d] == 0 && t.shape[d] > 1) {
                    throw new IllegalArgumentException("GradCheck: input " + i + " (shape " + Shapes.str(t.shape)
                            + ", strides " + Shapes.str(t.strides) + ") has elements sharing memory (an expanded"
                            + " view); pass contiguous() of it, detached, instead");
                }
            }
        }
    }

    /** Storage position of the k-th element in row-major order. */
    private static int storageIndex(Tensor t, int k) {
        int off = t.offset;
        for (int d = t.shape.length - 1; d >= 0; d--) {
            int size = t.shape[d];
            off += (k % size) * t.strides[d];
            k /= size;
        }
        return off;
    }

    private static int[] unravel(int k, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = k % shape[d];
            k /= shape[d];
        }
        return idx;
    }
}
