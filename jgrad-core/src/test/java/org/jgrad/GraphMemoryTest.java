package org.jgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Losses;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.SGD;
import org.junit.jupiter.api.Test;

/** What a recorded graph keeps alive after backward: nodes, never the activations of the forward pass. */
class GraphMemoryTest {

    private static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        // The smallest of a few readings: a collection can finish just after the heap is read.
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void aTrainingLoopThatKeepsEveryLossRetainsOnlyGraphNodes() {
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
            // A fresh input per step, as a data loader gives: nothing may keep it.
            Tensor loss = Losses.crossEntropy(model.call(x.add(0)), y);
            loss.backward();
            opt.step();
            kept.add(loss);
        };
        for (int i = 0; i < 5; i++) step.run();
        long before = usedHeapAfterGc();
        int steps = 60;
        for (int i = 0; i < steps; i++) step.run();
        long after = usedHeapAfterGc();
        double perStep = (after - before) / (double) steps;
        // Before the graph linked nodes instead of tensors this was about 590 KB per step.
        assertTrue(perStep < 20_000, "a kept loss retains " + perStep + " bytes per step");
        assertEquals(65, kept.size());
    }

    @Test
    void aKeptOutputDoesNotKeepItsInputsOrSavedTensorsAfterBackward() {
        Tensor w = Tensor.randn(new Generator(3), 64, 64).requiresGrad(true);
        Tensor input = Tensor.randn(new Generator(4), 32, 64);
        Tensor hidden = input.matmul(w).tanh();
        Tensor out = hidden.exp().sum();
        WeakReference<Tensor> inputRef = new WeakReference<>(input);
        WeakReference<Tensor> hiddenRef = new WeakReference<>(hidden);
        input = null;
        hidden = null;
        System.gc();
        // Before backward the saved tensors are needed (matmul saved the input, exp its output).
        assertTrue(inputRef.get() != null && hiddenRef.get() != null);
        out.backward();
        for (int i = 0; i < 20 && (inputRef.get() != null || hiddenRef.get() != null); i++) System.gc();
        assertNull(inputRef.get(), "the input of a freed graph is still reachable from its output");
        assertNull(hiddenRef.get(), "an intermediate tensor of a freed graph is still reachable from its output");
        // A second backward through the freed graph still fails clearly.
        IllegalStateException e = assertThrows(IllegalStateException.class, out::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test
    void retainGraphKeepsWhatASecondBackwardNeeds() {
        Tensor x = Tensor.of(0.5, -1.0, 2.0).requiresGrad(true);
        Tensor y = x.mul(x).sin().sum();
        y.backward(null, true);
        Tensor first = x.grad().detach().copy();
        y.backward();
        double[] twice = x.grad().toDoubleArray();
        double[] once = first.toDoubleArray();
        for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], twice[i], 1e-12);
    }

    @Test
    void aDerivativeThatCapturesATensorIsRefused() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor captured = Tensor.of(3.0, 4.0);
        Tensor out = x.detach().mul(captured);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.record("scaled", out,
                new Tensor[] {x}, Tensor.NONE, (n, g) -> new Tensor[] {g.mul(captured)}));
        assertTrue(e.getMessage().contains("scaled") && e.getMessage().contains("captures a tensor"), e.getMessage());
        // Saved through the node, the same derivative is accepted and gives the right gradient.
        Tensor ok = Tensor.record("scaled", x.detach().mul(captured), new Tensor[] {x}, new Tensor[] {captured},
                (n, g) -> new Tensor[] {g.mul(n.saved(0))});
        ok.sum().backward();
        assertEquals(List.of(3.0, 4.0), List.of(x.grad().toDoubleArray()[0], x.grad().toDoubleArray()[1]));
    }

    @Test
    void createGraphGradientsOfTwoInputsAreNotOneObject() {
        Tensor a = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor b = Tensor.of(3.0, 4.0).requiresGrad(true);
        // add's derivative hands the same gradient tensor to both inputs.
        List<Tensor> g = Autograd.grad(a.add(b).sum(), List.of(a, b), true);
        assertNotSame(g.get(0), g.get(1));
        Autograd.run("backward", a.add(b).sum(), null, false, true, null); // backward with createGraph
        assertNotSame(a.grad(), b.grad());
        try (var _ = Autograd.noGrad()) {
            a.grad().fillInPlace(0);
        }
        assertEquals(1.0, b.grad().toDoubleArray()[0], "b's gradient changed with a's");
    }

    @Test
    void manyInputsGetDistinctGradientObjectsToo() {
        List<Tensor> leaves = new ArrayList<>();
        Tensor s = null;
        for (int i = 0; i < 40; i++) {
            Tensor t = Tensor.of(i, i + 1.0).requiresGrad(true);
            leaves.add(t);
            s = s == null ? t : s.add(t);
        }
        List<Tensor> g = Autograd.grad(s.sum(), leaves, false);
        java.util.Set<Tensor> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        distinct.addAll(g);
        assertEquals(40, distinct.size());
        for (Tensor t : g) assertEquals(List.of(1.0, 1.0), List.of(t.toDoubleArray()[0], t.toDoubleArray()[1]));
    }

    @Test
    void aDerivativeComputesOnlyTheGradientsThePassWants() {
        Tensor a = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor b = Tensor.of(3.0, 4.0).requiresGrad(true);
        List<Boolean> asked = new ArrayList<>();
        Tensor out = Tensor.record("probe", a.detach().add(b.detach()), new Tensor[] {a, b}, Tensor.NONE, (n, g) -> {
            asked.add(n.needsGrad(0));
            asked.add(n.needsGrad(1));
            return new Tensor[] {n.needsGrad(0) ? g : null, n.needsGrad(1) ? g : null};
        });
        Autograd.grad(out.sum(), List.of(b), false);
        assertEquals(List.of(false, true), asked);
    }

    @Test
    void twoThreadsDifferentiateGraphsThatShareAParameterAtOnce() throws Exception {
        Tensor w = Tensor.randn(new Generator(5), 6, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor[] xs = {Tensor.randn(new Generator(6), 3, 6).to(DType.FLOAT64), Tensor.randn(new Generator(7), 3, 6).to(DType.FLOAT64)};
        java.util.function.IntFunction<double[]> gradOf = t -> {
            Tensor h = xs[t].matmul(w).tanh();
            Tensor loss = h.mul(h).sum().add(w.sum());
            return Autograd.grad(loss, List.of(w), false).get(0).toDoubleArray();
        };
        double[][] expected = {gradOf.apply(0), gradOf.apply(1)};
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 500 && failures.isEmpty(); i++) {
                    if (!java.util.Arrays.equals(expected[id], gradOf.apply(id))) failures.add("thread " + id + " step " + i);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        assertEquals(List.of(), failures);
    }
}
