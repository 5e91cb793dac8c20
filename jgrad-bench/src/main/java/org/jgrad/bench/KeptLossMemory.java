package org.jgrad.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Losses;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.SGD;

/**
 * What a training loop that keeps every step's loss (to plot it later) retains per step: the
 * 784-256-128-10 MLP at batch 128, the heap after GC before and after {@code steps} kept steps.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp jgrad-bench/target/benchmarks.jar org.jgrad.bench.KeptLossMemory [steps]
 * </pre>
 */
public final class KeptLossMemory {
    private KeptLossMemory() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Generator gen = new Generator(11);
        Sequential model = new Sequential(new Linear(784, 256, gen), new ReLU(), new Linear(256, 128, gen), new ReLU(),
                new Linear(128, 10, gen));
        SGD opt = new SGD(model.parameters(), 0.01);
        Tensor x = Tensor.randn(gen, 128, 784);
        long[] labels = new long[128];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 10;
        Tensor y = Tensor.of(labels, 128);
        List<Tensor> kept = new ArrayList<>();
        Runnable step = () -> {
            opt.zeroGrad();
            Tensor loss = Losses.crossEntropy(model.call(x.add(0)), y);
            loss.backward();
            opt.step();
            kept.add(loss);
        };
        for (int i = 0; i < 5; i++) step.run();
        long before = usedHeapAfterGc();
        for (int i = 0; i < steps; i++) step.run();
        long after = usedHeapAfterGc();
        System.out.printf("kept_loss_bytes_per_step %.0f steps %d kept %d%n", (after - before) / (double) steps, steps, kept.size());
    }

    private static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
