package org.jgrad.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jgrad.Autograd;
import org.jgrad.Generator;
import org.jgrad.Parallelism;
import org.jgrad.Tensor;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Losses;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.SGD;

/**
 * One training step (forward, backward, SGD update) of an MLP, timed the way
 * {@code shared/peers/perf_ref.py} times PyTorch, so that the two can be compared in one run:
 * the same sizes, the same loss ({@code −Σ y·logSoftmax(h) / batch}), gradients by
 * {@link Autograd#grad}, parameters replaced by {@code (w − 0.01·g).detach()}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... org.jgrad.bench.TrainingStep mlp|tiny [reps]
 * </pre>
 * Prints the median milliseconds per step and the bytes allocated per step, twice:
 * {@code cold_median_ms} is measured exactly as perf_ref.py measures PyTorch (reps steps after reps
 * warm-up steps), which on the JVM still includes JIT compilation (the Vector API runs boxed,
 * allocating, until C2 compiles a kernel); {@code median_ms} is the steady state, measured after a
 * further warm-up of at least {@value #WARMUP_MILLIS} ms. Both are printed so that neither hides the other.
 */
public final class TrainingStep {
    private TrainingStep() {}

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "mlp";
        // An optional second argument overrides the repetitions, e.g. for a longer profile.
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : -1;
        Result r = switch (mode) {
            case "mlp" -> run(new int[] {784, 256, 128, 10}, 128, false, reps > 0 ? reps : 30);
            case "tiny" -> run(new int[] {2, 16, 16, 2}, 32, true, reps > 0 ? reps : 300);
            case "mlp-nn" -> runModules(reps > 0 ? reps : 30);
            default -> throw new IllegalArgumentException("TrainingStep: mode must be mlp, tiny or mlp-nn, got " + mode);
        };
        System.out.printf("%s median_ms %.4f alloc_bytes_per_step %d cold_median_ms %.4f threads %d%n",
                mode, r.medianMillis, r.bytesPerStep, r.coldMedianMillis, Parallelism.getNumThreads());
    }

    /** Steady-state warm-up: long enough for C2 to compile every kernel of the step, even on a loaded machine. */
    static final long WARMUP_MILLIS = 3000;

    record Result(double medianMillis, long bytesPerStep, double coldMedianMillis) {}

    static Result run(int[] sizes, int batch, boolean tanh, int reps) {
        Generator gen = new Generator(7);
        List<Tensor> ws = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            ws.add(Tensor.randn(gen, sizes[i], sizes[i + 1]).mul(0.05).requiresGrad(true));
            ws.add(Tensor.randn(gen, 1, sizes[i + 1]).mul(0.05).requiresGrad(true));
        }
        Tensor x = Tensor.randn(gen, batch, sizes[0]).mul(0.05);
        int classes = sizes[sizes.length - 1];
        float[] onehot = new float[batch * classes];
        for (int b = 0; b < batch; b++) onehot[b * classes + gen.nextInt(classes)] = 1;
        Tensor y = Tensor.of(onehot, batch, classes);

        return measure(new Step(ws, x, y, batch, tanh)::run, reps);
    }

    /**
     * The same MLP step written as a user of jgrad.nn writes it (bench/perf_nn_ref.py is PyTorch's
     * twin): {@code Sequential(Linear, ReLU, Linear, ReLU, Linear)}, {@link Losses#crossEntropy} on
     * class indices, {@code backward()}, and {@link SGD} updating the parameters in place. This is the
     * path that runs the fused kernels (Linear→ReLU, log-softmax + NLL).
     */
    static Result runModules(int reps) {
        Generator gen = new Generator(7);
        Sequential model = new Sequential(new Linear(784, 256, gen), new ReLU(), new Linear(256, 128, gen), new ReLU(),
                new Linear(128, 10, gen));
        SGD opt = new SGD(model.parameters(), SGD.Options.of(0.01));
        Tensor x = Tensor.randn(gen, 128, 784).mul(0.05);
        long[] labels = new long[128];
        for (int b = 0; b < labels.length; b++) labels[b] = gen.nextInt(10);
        Tensor y = Tensor.of(labels, labels.length);
        return measure(() -> {
            long t0 = System.nanoTime();
            opt.zeroGrad();
            Tensor loss = Losses.crossEntropy(model.call(x), y);
            loss.backward();
            opt.step();
            return System.nanoTime() - t0;
        }, reps);
    }

    /** Times {@code step} (which returns its own nanoseconds) cold, then warm, with the bytes it allocates. */
    private static Result measure(java.util.function.LongSupplier step, int reps) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        double[] cold = new double[reps], times = new double[reps];
        for (int r = 0; r < reps; r++) step.getAsLong(); // perf_ref.py's warm-up
        for (int r = 0; r < reps; r++) cold[r] = step.getAsLong() / 1e6;
        long warmupEnd = System.nanoTime() + WARMUP_MILLIS * 1_000_000;
        while (System.nanoTime() < warmupEnd) step.getAsLong();
        long allocated = 0;
        for (int r = 0; r < reps; r++) {
            long a0 = mx.getThreadAllocatedBytes(tid);
            times[r] = step.getAsLong() / 1e6;
            allocated += mx.getThreadAllocatedBytes(tid) - a0;
        }
        Arrays.sort(times);
        Arrays.sort(cold);
        return new Result(times[reps / 2], allocated / reps, cold[reps / 2]);
    }

    /** The step itself, parameters replaced after each call. */
    private static final class Step {
        private List<Tensor> ws;
        private final Tensor x, y;
        private final int batch;
        private final boolean tanh;

        Step(List<Tensor> ws, Tensor x, Tensor y, int batch, boolean tanh) {
            this.ws = ws;
            this.x = x;
            this.y = y;
            this.batch = batch;
            this.tanh = tanh;
        }

        /** One step; returns its duration in nanoseconds. */
        long run() {
            long t0 = System.nanoTime();
            Tensor h = x;
            for (int i = 0; i < ws.size(); i += 2) {
                h = h.matmul(ws.get(i)).add(ws.get(i + 1));
                if (i + 2 < ws.size()) h = tanh ? h.tanh() : h.relu();
            }
            Tensor loss = h.logSoftmax(1).mul(y).sum().mul(-1.0 / batch);
            List<Tensor> gs = Autograd.grad(loss, ws, false);
            List<Tensor> next = new ArrayList<>(ws.size());
            for (int i = 0; i < ws.size(); i++) {
                next.add(ws.get(i).sub(gs.get(i).mul(0.01)).detach().requiresGrad(true));
            }
            ws = next;
            return System.nanoTime() - t0;
        }
    }
}
