package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {

    static Sequential mlp(Generator gen) {
        return new Sequential(new Linear(784, 256, gen), new ReLU(), new Linear(256, 128, gen), new ReLU(),
                new Linear(128, 10, gen));
    }

    /** An encoder with a ModuleList inside, to check nested names. */
    static final class Encoder extends Module {
        final ModuleList layers;
        final Linear head;

        Encoder(Generator gen) {
            layers = registerModule("layers", new ModuleList(new Linear(4, 3, gen), new Linear(3, 3, gen)));
            head = registerModule("head", new Linear(3, 2, false, gen));
        }

        @Override
        public Tensor forward(Tensor x) {
            for (Module m : layers) x = m.call(x).tanh();
            return head.call(x);
        }
    }

    static final class AutoEncoder extends Module {
        final Encoder encoder;
        final BatchNorm1d bn;
        final Tensor scale;

        AutoEncoder(Generator gen) {
            scale = registerParameter("scale", Tensor.ones(2));
            encoder = registerModule("encoder", new Encoder(gen));
            bn = registerModule("bn", new BatchNorm1d(2));
        }

        @Override
        public Tensor forward(Tensor x) {
            return bn.call(encoder.call(x)).mul(parameter("scale"));
        }
    }

    @Test
    void parameterCountOfMnistMlp() {
        // 784·256+256 + 256·128+128 + 128·10+10
        assertEquals(235_146, mlp(new Generator(0)).parameterCount());
    }

    @Test
    void sequentialNamesAreIndices() {
        Sequential m = mlp(new Generator(0));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                new ArrayList<>(m.namedParameters().keySet()));
        assertArrayEquals(new int[] {256, 784}, m.namedParameters().get("0.weight").shape());
        assertSame(((Linear) m.get(2)).weight(), m.parameters().get(2));
        for (Tensor p : m.parameters()) assertTrue(p.requiresGrad() && p.isLeaf());
    }

    @Test
    void nestedNamesInPyTorchOrder() {
        AutoEncoder m = new AutoEncoder(new Generator(1));
        assertEquals(List.of("scale", "encoder.layers.0.weight", "encoder.layers.0.bias", "encoder.layers.1.weight",
                        "encoder.layers.1.bias", "encoder.head.weight", "bn.weight", "bn.bias"),
                new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(List.of("scale", "encoder.layers.0.weight", "encoder.layers.0.bias", "encoder.layers.1.weight",
                        "encoder.layers.1.bias", "encoder.head.weight", "bn.weight", "bn.bias", "bn.running_mean",
                        "bn.running_var", "bn.num_batches_tracked"),
                new ArrayList<>(m.stateDict().keySet()));
        assertEquals(List.of("", "encoder", "encoder.layers", "encoder.layers.0", "encoder.layers.1", "encoder.head", "bn"),
                new ArrayList<>(m.namedModules().keySet()));
        assertSame(((Linear) m.encoder.layers.get(1)).bias(), m.namedParameters().get("encoder.layers.1.bias"));
        assertEquals(DType.INT64, m.stateDict().get("bn.num_batches_tracked").dtype());
    }

    @Test
    void sharedParametersAppearOnce() {
        Linear shared = new Linear(3, 3, new Generator(2));
        Sequential m = new Sequential(shared, new Tanh(), shared);
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(12, m.parameterCount());
        // The gradient of a shared weight sums both uses.
        Tensor x = Tensor.randn(new Generator(3), 2, 3);
        m.call(x).sum().backward();
        Tensor g = shared.weight().grad();
        assertNotNull(g);
        Tensor w = shared.weight().detach().requiresGrad(true);
        Tensor b = shared.bias().detach().requiresGrad(true);
        Tensor manual = x.matmul(w.t()).add(b).tanh().matmul(w.t()).add(b).sum();
        manual.backward();
        assertArrayEquals(w.grad().toFloatArray(), g.toFloatArray(), 1e-5f);
    }

    @Test
    void trainAndEvalPropagate() {
        AutoEncoder m = new AutoEncoder(new Generator(4));
        for (Module sub : m.namedModules().values()) assertTrue(sub.isTraining());
        assertSame(m, m.eval());
        for (Module sub : m.namedModules().values()) assertFalse(sub.isTraining(), sub.toString());
        m.encoder.train();
        assertFalse(m.isTraining());
        assertTrue(m.encoder.layers.get(0).isTraining());
        assertFalse(m.bn.isTraining());
        m.train();
        for (Module sub : m.namedModules().values()) assertTrue(sub.isTraining());
    }

    @Test
    void toStringIsAnIndentedTree() {
        Sequential m = new Sequential(new Linear(784, 256, new Generator(0)), new ReLU(),
                new Sequential(new Dropout(0.5, new Generator(0)), new Linear(256, 10, false, new Generator(0))),
                new LogSoftmax(1));
        assertEquals("""
                Sequential(
                  (0): Linear(in=784, out=256, bias=true)
                  (1): ReLU()
                  (2): Sequential(
                    (0): Dropout(p=0.5)
                    (1): Linear(in=256, out=10, bias=false)
                  )
                  (3): LogSoftmax(dim=1)
                )""", m.toString());
        assertEquals("""
                Encoder(
                  (layers): ModuleList(
                    (0): Linear(in=4, out=3, bias=true)
                    (1): Linear(in=3, out=3, bias=true)
                  )
                  (head): Linear(in=3, out=2, bias=false)
                )""", new Encoder(new Generator(0)).toString());
    }

    @Test
    void forwardHooksSeeInputAndOutputAndCanBeRemoved() {
        Sequential m = new Sequential(new Linear(3, 4, new Generator(5)), new ReLU(), new Linear(4, 2, new Generator(6)));
        List<String> calls = new ArrayList<>();
        Map<Module, Tensor> outputs = new LinkedHashMap<>();
        RemovableHandle h1 = m.get(1).registerForwardHook((mod, in, out) -> {
            calls.add("relu");
            outputs.put(mod, out);
            // A ReLU's output is its input clamped at 0.
            assertArrayEquals(in.relu().toFloatArray(), out.toFloatArray());
        });
        RemovableHandle h2 = m.registerForwardHook((mod, in, out) -> calls.add("top " + out.shape()[1]));
        Tensor x = Tensor.randn(new Generator(7), 5, 3);
        Tensor y = m.call(x);
        assertEquals(List.of("relu", "top 2"), calls);
        assertSame(m.get(1), outputs.keySet().iterator().next());
        assertArrayEquals(new int[] {5, 4}, outputs.get(m.get(1)).shape());
        assertArrayEquals(m.forward(x).toFloatArray(), y.toFloatArray());
        // forward() itself does not run the top module's hooks (as PyTorch's forward vs __call__).
        calls.clear();
        m.forward(x);
        assertEquals(List.of("relu"), calls);
        h1.remove();
        h1.remove();
        calls.clear();
        m.call(x);
        assertEquals(List.of("top 2"), calls);
        h2.remove();
        calls.clear();
        m.call(x);
        assertEquals(List.of(), calls);
    }

    @Test
    void sequentialFusesLinearAndReluUnlessAHookWatches() {
        Generator gen = new Generator(21);
        Sequential m = new Sequential(new Linear(6, 8, gen), new ReLU(), new Linear(8, 8, gen), new ReLU(), new Linear(8, 3, gen));
        Tensor x = Tensor.randn(gen, 9, 6);
        Tensor fused = m.call(x);
        // The last Linear has no ReLU after it; the two before run fused, one node each.
        assertEquals("linear", fused.gradFnName());
        fused.sum().backward();
        Map<String, float[]> fusedGrads = new LinkedHashMap<>();
        m.namedParameters().forEach((name, p) -> fusedGrads.put(name, p.grad().toFloatArray()));

        // A hook on the first ReLU must see its input and output: that pair then runs unfused, as separate modules.
        List<String> seen = new ArrayList<>();
        m.get(1).registerForwardHook((mod, in, out) -> seen.add(in.gradFnName() + " -> " + out.gradFnName()));
        m.zeroGrad();
        Tensor plain = m.call(x);
        assertEquals(List.of("linear -> relu"), seen);
        assertArrayEquals(fused.toFloatArray(), plain.toFloatArray(), 1e-6f);
        plain.sum().backward();
        m.namedParameters().forEach((name, p) -> assertArrayEquals(fusedGrads.get(name), p.grad().toFloatArray(), 1e-5f, name));
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Sequential m = mlpSmall(8);
        m.call(Tensor.randn(new Generator(1), 4, 5)).sum().backward();
        for (Tensor p : m.parameters()) assertNotNull(p.grad());
        m.zeroGrad();
        for (Tensor p : m.parameters()) assertNull(p.grad());
    }

    static Sequential mlpSmall(long seed) {
        Generator gen = new Generator(seed);
        return new Sequential(new Linear(5, 6, gen), new Tanh(), new BatchNorm1d(6), new Linear(6, 3, gen));
    }

    @Test
    void stateDictRoundTripCopiesValuesInPlace() {
        Sequential a = mlpSmall(1), b = mlpSmall(2);
        Tensor x = Tensor.randn(new Generator(3), 8, 5);
        a.call(x); // moves a's running statistics away from their initial values
        a.eval();
        b.eval();
        Tensor ya = a.call(x);
        assertFalse(java.util.Arrays.equals(ya.toFloatArray(), b.call(x).toFloatArray()));
        List<Tensor> before = b.parameters();
        Module.LoadResult r = b.loadStateDict(a.stateDict());
        assertEquals(List.of(), r.missingKeys());
        assertEquals(List.of(), r.unexpectedKeys());
        assertArrayEquals(ya.toFloatArray(), b.call(x).toFloatArray());
        // Same tensor objects (an optimizer holding them keeps working), still trainable leaves.
        for (int i = 0; i < before.size(); i++) {
            assertSame(before.get(i), b.parameters().get(i));
            assertTrue(b.parameters().get(i).requiresGrad());
        }
        assertEquals(1, ((BatchNorm1d) b.get(2)).numBatchesTracked());
        // The state dict's tensors are detached views of the live ones: they follow later changes.
        Map<String, Tensor> sd = a.stateDict();
        assertFalse(sd.get("0.weight").requiresGrad());
        try (var _ = Autograd.noGrad()) {
            ((Linear) a.get(0)).weight().fillInPlace(3);
        }
        assertEquals(3, sd.get("0.weight").get(0, 0), 0);
    }

    @Test
    void loadingConvertsDtype() {
        Sequential a = mlpSmall(1), b = mlpSmall(2);
        a.to(DType.FLOAT64);
        b.loadStateDict(a.stateDict());
        assertEquals(DType.FLOAT32, ((Linear) b.get(0)).weight().dtype());
        assertArrayEquals(((Linear) a.get(0)).weight().toFloatArray(), ((Linear) b.get(0)).weight().toFloatArray());
    }

    @Test
    void strictLoadReportsEveryProblemAtOnce() {
        Sequential m = mlpSmall(1);
        float[] before = ((Linear) m.get(0)).weight().toFloatArray();
        Map<String, Tensor> sd = new LinkedHashMap<>(mlpSmall(2).stateDict());
        sd.remove("3.bias");
        sd.remove("2.running_var");
        sd.put("9.weight", Tensor.zeros(2));
        sd.put("3.weight", Tensor.zeros(3, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd));
        String msg = e.getMessage();
        assertTrue(msg.contains("missing keys: [2.running_var, 3.bias]"), msg);
        assertTrue(msg.contains("unexpected keys: [9.weight]"), msg);
        assertTrue(msg.contains("3.weight: expected shape [3, 6], got [3, 7]"), msg);
        // Nothing was copied by the failed load.
        assertArrayEquals(before, ((Linear) m.get(0)).weight().toFloatArray());
    }

    @Test
    void nonStrictLoadReturnsMissingAndUnexpectedButRefusesShapes() {
        Sequential m = mlpSmall(1);
        Sequential other = mlpSmall(2);
        Map<String, Tensor> sd = new LinkedHashMap<>(other.stateDict());
        sd.remove("3.bias");
        sd.put("extra", Tensor.zeros(1));
        Module.LoadResult r = m.loadStateDict(sd, false);
        assertEquals(List.of("3.bias"), r.missingKeys());
        assertEquals(List.of("extra"), r.unexpectedKeys());
        assertArrayEquals(((Linear) other.get(0)).weight().toFloatArray(), ((Linear) m.get(0)).weight().toFloatArray());
        assertFalse(java.util.Arrays.equals(((Linear) other.get(3)).bias().toFloatArray(),
                ((Linear) m.get(3)).bias().toFloatArray()));
        sd.put("0.bias", Tensor.zeros(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd, false));
        assertTrue(e.getMessage().contains("0.bias: expected shape [6], got [5]"), e.getMessage());
        assertFalse(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void toConvertsParametersAndFloatBuffers() {
        Sequential m = mlpSmall(1);
        float[] w = ((Linear) m.get(0)).weight().toFloatArray();
        List<Tensor> params = m.parameters();
        BatchNorm1d bn = (BatchNorm1d) m.get(2);
        Tensor runningMean = bn.runningMean(), runningVar = bn.runningVar();
        assertSame(m, m.to(DType.FLOAT64));
        assertEquals(params.size(), m.parameters().size());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = m.parameters().get(i);
            assertSame(params.get(i), p);
            assertEquals(DType.FLOAT64, p.dtype());
            assertTrue(p.requiresGrad() && p.isLeaf());
        }
        // Buffers stay the same objects too, and BatchNorm goes on updating them in the new type.
        assertSame(runningMean, bn.runningMean());
        assertSame(runningVar, bn.runningVar());
        assertEquals(DType.FLOAT64, runningMean.dtype());
        assertEquals(DType.FLOAT64, runningVar.dtype());
        m.train().call(Tensor.randn(new Generator(3), 8, 5).to(DType.FLOAT64));
        assertNotEquals(0, runningMean.get(0), 0);
        assertEquals(DType.FLOAT64, runningMean.dtype());
        Map<String, Tensor> sd = m.stateDict();
        assertEquals(DType.FLOAT64, sd.get("2.running_mean").dtype());
        assertEquals(DType.INT64, sd.get("2.num_batches_tracked").dtype());
        double[] w64 = ((Linear) m.get(0)).weight().toDoubleArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], w64[i], 0);
        Tensor y = m.call(Tensor.randn(new Generator(2), 4, 5).to(DType.FLOAT64));
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        assertEquals(DType.FLOAT64, ((Linear) m.get(0)).weight().grad().dtype());
        assertThrows(IllegalArgumentException.class, () -> m.to(DType.INT64));
    }

    @Test
    void toConvertsAccumulatedGradients() {
        Sequential m = mlpSmall(1);
        m.call(Tensor.randn(new Generator(2), 4, 5)).sum().backward();
        Tensor w = ((Linear) m.get(0)).weight();
        float[] g = w.grad().toFloatArray();
        m.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, w.grad().dtype());
        double[] g64 = w.grad().toDoubleArray();
        for (int i = 0; i < g.length; i++) assertEquals(g[i], g64[i], 0);
    }

    @Test
    void aSharedParameterIsConvertedOnceAndStaysShared() {
        Linear shared = new Linear(3, 3, new Generator(2));
        Sequential m = new Sequential(shared, new Tanh(), shared);
        m.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, shared.weight().dtype());
        assertEquals(2, m.parameters().size());
    }

    @Test
    void anOptimizerBuiltBeforeToKeepsTrainingTheModelWithSgd() {
        Sequential m = regressionNet();
        trainsAcrossTo(m, new org.jgrad.optim.SGD(m.parameters(),
                org.jgrad.optim.SGD.Options.of(0.05).withMomentum(0.9)), "momentum_buffer");
    }

    @Test
    void anOptimizerBuiltBeforeToKeepsTrainingTheModelWithAdam() {
        Sequential m = regressionNet();
        trainsAcrossTo(m, new org.jgrad.optim.Adam(m.parameters(), 0.01), "exp_avg");
    }

    private static Sequential regressionNet() {
        Generator gen = new Generator(5);
        return new Sequential(new Linear(2, 16, gen), new Tanh(), new Linear(16, 1, gen));
    }

    /**
     * Trains a few steps in float32, converts the model, trains on: the optimizer must still be updating
     * the very tensors the model computes with (before, it trained orphans left behind by the conversion).
     */
    private static void trainsAcrossTo(Sequential m, org.jgrad.optim.Optimizer<?> opt, String stateName) {
        Tensor x = Tensor.randn(new Generator(6), 32, 2);
        Tensor t = x.select(1, 0).mul(x.select(1, 1)).unsqueeze(1);
        List<Tensor> params = m.parameters();
        for (int i = 0; i < 3; i++) step(m, opt, x, t);
        m.to(DType.FLOAT64);
        Tensor x64 = x.to(DType.FLOAT64), t64 = t.to(DType.FLOAT64);
        List<double[]> before = new ArrayList<>();
        for (Tensor p : m.parameters()) before.add(p.toDoubleArray());
        double first = step(m, opt, x64, t64);
        double last = first;
        for (int i = 0; i < 30; i++) last = step(m, opt, x64, t64);
        assertTrue(last < first, "loss went from " + first + " to " + last);
        List<Tensor> now = m.parameters();
        for (int i = 0; i < params.size(); i++) {
            assertSame(params.get(i), now.get(i));
            assertSame(params.get(i), opt.params().get(i));
            assertEquals(DType.FLOAT64, now.get(i).dtype());
            assertFalse(java.util.Arrays.equals(before.get(i), now.get(i).toDoubleArray()), "parameter " + i);
        }
        // The per-parameter state followed its parameter into float64.
        Tensor state = opt.stateDict().tensors().get("state.0." + stateName);
        assertNotNull(state);
        assertEquals(DType.FLOAT64, state.dtype());
    }

    private static double step(Module m, org.jgrad.optim.Optimizer<?> opt, Tensor x, Tensor t) {
        opt.zeroGrad();
        Tensor loss = Losses.mse(m.call(x), t);
        loss.backward();
        opt.step();
        return loss.item();
    }

    static final class Bad extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x;
        }

        void register(String name, Tensor t) {
            registerParameter(name, t);
        }

        void buffer(String name, Tensor t) {
            registerBuffer(name, t);
        }
    }

    @Test
    void registrationRejectsBadNamesAndTensors() {
        Bad m = new Bad();
        m.register("w", Tensor.zeros(2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.register("w", Tensor.zeros(2)))
                .getMessage().contains("'w' is already registered"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.buffer("w", Tensor.zeros(2)))
                .getMessage().contains("already registered"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.register("a.b", Tensor.zeros(2)))
                .getMessage().contains("'a.b'"));
        assertThrows(IllegalArgumentException.class, () -> m.register("", Tensor.zeros(2)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.register("i", Tensor.zeros(DType.INT64, 2)))
                .getMessage().contains("floating point"));
        Tensor leaf = Tensor.ones(2).requiresGrad(true);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.register("c", leaf.mul(2)))
                .getMessage().contains("leaf"));
        assertThrows(IllegalArgumentException.class, () -> m.buffer("g", Tensor.ones(2).requiresGrad(true)));
    }

    @Test
    void moduleListHoldsButDoesNotRun() {
        ModuleList list = new ModuleList(new ReLU(), new Tanh());
        list.add(new Sigmoid());
        assertEquals(3, list.size());
        assertInstanceOf(Sigmoid.class, list.get(2));
        assertThrows(UnsupportedOperationException.class, () -> list.forward(Tensor.zeros(1)));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(3));
        assertEquals(List.of("0", "1", "2"), new ArrayList<>(list.namedChildren().keySet()));
    }
}
