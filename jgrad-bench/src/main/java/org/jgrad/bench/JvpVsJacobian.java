package org.jgrad.bench;

import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;

/**
 * The cost of J·v by forward mode ({@code Autograd.jvp}, one pass carrying tangents) against the
 * full Jacobian by reverse mode ({@code Autograd.jacobian}, one backward pass per output) times v,
 * for the two shapes that decide between the modes: many inputs and one output (x of n elements
 * to a scalar), and one input and many outputs (x of 1 element to n outputs). float64, median of
 * the timed repetitions after a warm-up.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp jgrad-bench/target/benchmarks.jar org.jgrad.bench.JvpVsJacobian [n] [reps]
 * </pre>
 */
public final class JvpVsJacobian {
    private JvpVsJacobian() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        Generator gen = new Generator(3);
        Tensor weights = Tensor.randn(gen, n).to(DType.FLOAT64);

        // n inputs → 1 output: Σ w·tanh(x)·sin(x)
        java.util.function.Function<Tensor, Tensor> manyToOne = x -> x.tanh().mul(x.sin()).mul(weights).sum();
        Tensor xMany = Tensor.randn(gen, n).to(DType.FLOAT64);
        Tensor vMany = Tensor.randn(gen, n).to(DType.FLOAT64);
        // 1 input → n outputs: tanh(w·x)·sin(x)
        java.util.function.Function<Tensor, Tensor> oneToMany = x -> x.expand(n).mul(weights).tanh().mul(x.sin());
        Tensor xOne = Tensor.of(0.7);
        Tensor vOne = Tensor.of(1.3);

        report("n=" + n + " inputs -> 1 output", manyToOne, xMany, vMany, reps);
        report("1 input -> n=" + n + " outputs", oneToMany, xOne, vOne, reps);
    }

    private static void report(String what, java.util.function.Function<Tensor, Tensor> f, Tensor x, Tensor v, int reps) {
        Runnable forward = () -> Autograd.jvp(f, x, v);
        Runnable reverse = () -> times(Autograd.jacobian(f, x), v);
        // the two must agree before their times mean anything
        double[] av = Autograd.jvp(f, x, v).toDoubleArray(), bv = times(Autograd.jacobian(f, x), v);
        double diff = 0;
        for (int i = 0; i < av.length; i++) diff = Math.max(diff, Math.abs(av[i] - bv[i]));
        double tJvp = medianMicros(forward, reps), tJac = medianMicros(reverse, reps);
        System.out.printf("%-28s jvp %10.1f us   jacobian·v %12.1f us   ratio %8.1f   max |difference| %.2e%n",
                what, tJvp, tJac, tJac / tJvp, diff);
        // The whole Jacobian by forward mode takes one jvp per input (a column each), by reverse mode
        // one vector-Jacobian product per output (a row each): the mode with fewer passes wins.
        Runnable columns = () -> {
            int nx = x.numel();
            for (int j = 0; j < nx; j++) {
                double[] e = new double[nx];
                e[j] = 1;
                Autograd.jvp(f, x, Tensor.of(e, x.shape()));
            }
        };
        int few = Math.max(3, reps / 4);
        double tColumns = medianMicros(columns, few), tRows = medianMicros(() -> Autograd.jacobian(f, x), few);
        System.out.printf("%-28s full Jacobian: %d jvps %12.1f us   jacobian (%d backward passes) %12.1f us%n",
                what, x.numel(), tColumns, Autograd.jacobian(f, x).numel() / x.numel(), tRows);
    }

    /** J·v over doubles: the product itself costs next to nothing beside the Jacobian. */
    private static double[] times(Tensor jac, Tensor v) {
        double[] j = jac.toDoubleArray(), vv = v.toDoubleArray();
        int nx = vv.length, ny = j.length / nx;
        double[] out = new double[ny];
        for (int i = 0; i < ny; i++) for (int k = 0; k < nx; k++) out[i] += j[i * nx + k] * vv[k];
        return out;
    }

    private static double medianMicros(Runnable r, int reps) {
        // warm-up: at least reps runs and half a second, so that the JIT has compiled the ops
        long until = System.nanoTime() + 500_000_000L;
        for (int i = 0; i < reps || System.nanoTime() < until; i++) r.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e3;
        }
        java.util.Arrays.sort(t);
        return t[reps / 2];
    }
}
