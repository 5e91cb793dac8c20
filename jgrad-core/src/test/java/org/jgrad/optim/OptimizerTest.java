package org.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parameter groups, skipped parameters, hyper-parameter checks and state dicts, common to all optimizers. */
class OptimizerTest {

    @Test
    void paramGroupsUseTheirOwnLearningRate() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3}, 1).requiresGrad(true);
        SGD opt = new SGD(List.of(a), 0.1);
        opt.addParamGroup(List.of(b), SGD.Options.of(0.01).withMomentum(0.5));
        // loss = Σa² + Σb²: gradients 2a and 2b
        for (int step = 0; step < 2; step++) {
            opt.zeroGrad();
            a.mul(a).sum().add(b.mul(b).sum()).backward();
            opt.step();
        }
        // a: plain SGD, a ← a(1 − 0.2) twice.
        assertArrayEquals(new double[] {1 * 0.64, 2 * 0.64}, a.toDoubleArray(), 1e-12);
        // b: momentum 0.5: b1 = 3 − 0.01·6 = 2.94; buffer 0.5·6 + 5.88 = 8.88; b2 = 2.94 − 0.0888.
        assertArrayEquals(new double[] {2.94 - 0.0888}, b.toDoubleArray(), 1e-12);
        assertEquals(2, opt.paramGroups().size());
        assertEquals(0.01, opt.paramGroups().get(1).lr());
        assertEquals(List.of(a, b), opt.params());
    }

    @Test
    void parametersWithoutGradientAreSkippedAndGetNoState() {
        Tensor used = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor unused = Tensor.of(new double[] {5, 6}, 2).requiresGrad(true);
        var opt = new Adam(List.of(used, unused), 0.1);
        opt.zeroGrad();
        used.sum().backward();
        opt.step();
        assertNull(unused.grad());
        assertArrayEquals(new double[] {5, 6}, unused.toDoubleArray());
        // Adam's first step moves each component by lr (m̂ / √v̂ = sign g).
        assertArrayEquals(new double[] {0.9, 1.9}, used.toDoubleArray(), 1e-7);
        var tensors = opt.stateDict().tensors();
        assertTrue(tensors.containsKey("state.0.exp_avg"));
        assertTrue(tensors.containsKey("state.0.step"));
        assertFalse(tensors.keySet().stream().anyMatch(k -> k.startsWith("state.1.")), tensors.keySet().toString());
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3}, 1).requiresGrad(true);
        var opt = new SGD(List.of(a), 0.1);
        opt.addParamGroup(List.of(b), SGD.Options.of(0.2));
        a.sum().add(b.sum()).backward();
        opt.zeroGrad();
        assertNull(a.grad());
        assertNull(b.grad());
    }

    @Test
    void stepDoesNotRecordAndKeepsStateBuffers() {
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        var opt = new SGD(List.of(w), SGD.Options.of(0.1).withMomentum(0.9));
        w.sum().backward();
        opt.step();
        assertTrue(w.isLeaf());
        assertTrue(w.requiresGrad());
        opt.zeroGrad();
        w.sum().backward();
        opt.step();
        // The buffer keeps its identity between steps: updates happen in place.
        Map<String, Tensor> s = opt.stateDict().tensors();
        assertArrayEquals(new double[] {1.9, 1.9}, s.get("state.0.momentum_buffer").toDoubleArray(), 1e-12);
    }

    // ------------------------------------------------------------------ rejected hyper-parameters

    @Test
    void badHyperParametersAreRejectedWithClearMessages() {
        List<Tensor> p = List.of(Tensor.zeros(2).requiresGrad(true));
        assertMessage(() -> new SGD(p, -0.1), "SGD", "learning rate -0.1");
        assertMessage(() -> new SGD(p, SGD.Options.of(0.1).withMomentum(-0.5)), "SGD", "momentum -0.5");
        assertMessage(() -> new SGD(p, SGD.Options.of(0.1).withNesterov(true)), "SGD", "Nesterov");
        assertMessage(() -> new SGD(p, SGD.Options.of(0.1).withMomentum(0.9).withDampening(0.1).withNesterov(true)),
                "SGD", "zero dampening");
        assertMessage(() -> new SGD(p, SGD.Options.of(0.1).withWeightDecay(-1)), "SGD", "weight decay -1");
        assertMessage(() -> new Adam(p, Adam.Options.of(0.1).withBetas(1.0, 0.999)), "Adam", "beta1 1.0");
        assertMessage(() -> new Adam(p, Adam.Options.of(0.1).withBetas(0.9, -0.1)), "Adam", "beta2 -0.1");
        assertMessage(() -> new Adam(p, Adam.Options.of(0.1).withEps(-1e-8)), "Adam", "epsilon");
        assertMessage(() -> new AdamW(p, -1), "AdamW", "learning rate");
        assertMessage(() -> new RMSprop(p, RMSprop.Options.of(0.1).withAlpha(-0.9)), "RMSprop", "alpha -0.9");
        assertMessage(() -> new RMSprop(p, RMSprop.Options.of(0.1).withMomentum(-0.9)), "RMSprop", "momentum");
        assertMessage(() -> new Adagrad(p, Adagrad.Options.of(0.1).withLrDecay(-1)), "Adagrad", "lr decay");
        assertMessage(() -> new Adagrad(p, Adagrad.Options.of(0.1).withInitialAccumulatorValue(-1)), "Adagrad",
                "initial accumulator");
        assertMessage(() -> new LBFGS(p, LBFGS.Options.of(1).withHistorySize(0)), "LBFGS", "historySize 0");
        assertMessage(() -> new LBFGS(p, 0), "LBFGS", "learning rate 0");
    }

    @Test
    void badParametersAreRejected() {
        Tensor w = Tensor.zeros(2).requiresGrad(true);
        assertMessage(() -> new SGD(List.of(), 0.1), "SGD", "empty parameter list");
        assertMessage(() -> new SGD(List.of(w, w), 0.1), "SGD", "more than once");
        assertMessage(() -> new SGD(List.of(w.mul(2)), 0.1), "SGD", "non-leaf");
        assertMessage(() -> new SGD(List.of(Tensor.of(new long[] {1, 2}, 2)), 0.1), "SGD", "floating-point");
        var opt = new SGD(List.of(w), 0.1);
        assertMessage(() -> opt.addParamGroup(List.of(w), SGD.Options.of(0.2)), "SGD", "more than once");
        assertMessage(() -> opt.paramGroups().get(0).setLr(-1), "SGD", "learning rate -1");
        assertEquals(0.1, opt.paramGroups().get(0).lr(), "a rejected lr leaves the old one");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable run, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, run);
        for (String part : parts) assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' lacks '" + part + "'");
    }

    // ------------------------------------------------------------------ state dict

    /** Two parameters of different shapes and a loss that couples them. */
    static List<Tensor> params(DType dtype, long seed) {
        Generator gen = new Generator(seed);
        List<Tensor> out = new ArrayList<>();
        out.add(Tensor.randn(gen, 2, 3).to(dtype).requiresGrad(true));
        out.add(Tensor.randn(gen, 3).to(dtype).requiresGrad(true));
        return out;
    }

    static Tensor loss(List<Tensor> p) {
        Tensor x = Tensor.of(new double[] {1, -2, 0.5}, 3, 1).to(p.get(0).dtype());
        Tensor y = p.get(0).matmul(x).squeeze(1);
        return y.sub(1).pow(2).sum().add(p.get(1).mul(p.get(1)).sum().mul(0.3)).add(p.get(1).sum().mul(y.sum()).tanh());
    }

    static void train(Optimizer<?> opt, List<Tensor> p, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.step(() -> {
                opt.zeroGrad();
                Tensor l = loss(p);
                l.backward();
                return l;
            });
        }
    }

    static Stream<Arguments> optimizers() {
        List<Arguments> out = new ArrayList<>();
        List<Object[]> makers = List.of(
                new Object[] {"SGD", (Function<List<Tensor>, Optimizer<?>>) p -> new SGD(p,
                        SGD.Options.of(0.05).withMomentum(0.9).withNesterov(true).withWeightDecay(0.01))},
                new Object[] {"Adam", (Function<List<Tensor>, Optimizer<?>>) p -> new Adam(p,
                        Adam.Options.of(0.05).withAmsgrad(true))},
                new Object[] {"AdamW", (Function<List<Tensor>, Optimizer<?>>) p -> new AdamW(p, 0.05)},
                new Object[] {"RMSprop", (Function<List<Tensor>, Optimizer<?>>) p -> new RMSprop(p,
                        RMSprop.Options.of(0.01).withMomentum(0.5).withCentered(true))},
                new Object[] {"Adagrad", (Function<List<Tensor>, Optimizer<?>>) p -> new Adagrad(p,
                        Adagrad.Options.of(0.1).withLrDecay(0.01))},
                new Object[] {"LBFGS", (Function<List<Tensor>, Optimizer<?>>) p -> new LBFGS(p,
                        LBFGS.Options.of(0.5).withMaxIter(3).withHistorySize(2)
                                .withLineSearch(LBFGS.LineSearch.STRONG_WOLFE))},
                new Object[] {"LBFGS fixed step", (Function<List<Tensor>, Optimizer<?>>) p -> new LBFGS(p,
                        LBFGS.Options.of(0.1).withMaxIter(2))});
        for (Object[] m : makers) {
            for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) out.add(Arguments.of(m[0], dtype, m[1]));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("optimizers")
    void resumingFromAStateDictContinuesBitIdentically(String name, DType dtype, Function<List<Tensor>, Optimizer<?>> make) {
        List<Tensor> p = params(dtype, 42);
        Optimizer<?> opt = make.apply(p);
        train(opt, p, 3);
        Optimizer.StateDict saved = opt.stateDict();
        List<double[]> savedParams = p.stream().map(Tensor::toDoubleArray).toList();
        Map<String, double[]> savedValues = new HashMap<>();
        saved.tensors().forEach((k, t) -> savedValues.put(k, t.toDoubleArray()));

        train(opt, p, 4);
        // The dict is a snapshot: training on does not change it.
        saved.tensors().forEach((k, t) -> assertArrayEquals(savedValues.get(k), t.toDoubleArray(), k));

        List<Tensor> q = params(dtype, 7);   // other values, overwritten below as a checkpoint load would
        for (int i = 0; i < q.size(); i++) {
            try (var _ = org.jgrad.Autograd.noGrad()) {
                q.get(i).copyInPlace(Tensor.of(savedParams.get(i), q.get(i).shape()).to(dtype));
            }
        }
        Optimizer<?> resumed = make.apply(q);
        resumed.paramGroups().get(0).setLr(123);   // must come back from the dict
        resumed.loadStateDict(saved.tensors(), saved.hyperParameters());
        assertEquals(opt.paramGroups().get(0).lr(), resumed.paramGroups().get(0).lr());
        train(resumed, q, 4);
        for (int i = 0; i < p.size(); i++) {
            assertArrayEquals(p.get(i).toDoubleArray(), q.get(i).toDoubleArray(), name + " parameter " + i);
        }
        assertEquals(opt.stateDict().tensors().keySet(), resumed.stateDict().tensors().keySet());
    }

    @Test
    void stateDictNamesFollowPyTorch() {
        List<Tensor> p = params(DType.FLOAT32, 1);
        var opt = new Adam(p, Adam.Options.of(0.01).withAmsgrad(true));
        train(opt, p, 2);
        var dict = opt.stateDict();
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq"),
                new ArrayList<>(dict.tensors().keySet()));
        assertEquals(2.0, dict.tensors().get("state.1.step").item());
        assertEquals(0, dict.tensors().get("state.1.step").dim());
        Map<String, String> h = dict.hyperParameters();
        assertEquals("Adam", h.get("optimizer"));
        assertEquals("1", h.get("param_groups"));
        assertEquals("0,1", h.get("param_groups.0.params"));
        assertEquals("0.01", h.get("param_groups.0.lr"));
        assertEquals("true", h.get("param_groups.0.amsgrad"));
        assertEquals("0.999", h.get("param_groups.0.beta2"));
    }

    @Test
    void loadStateDictRefusesWhatDoesNotFit() {
        List<Tensor> p = params(DType.FLOAT64, 1);
        var adam = new Adam(p, 0.01);
        train(adam, p, 1);
        var dict = adam.stateDict();

        assertMessage(() -> new AdamW(p, 0.01).loadStateDict(dict), "AdamW", "saved by Adam");
        var twoGroups = new Adam(List.of(p.get(0)), 0.01);
        twoGroups.addParamGroup(List.of(p.get(1)), Adam.Options.of(0.1));
        assertMessage(() -> twoGroups.loadStateDict(dict), "Adam", "1 parameter groups", "has 2");

        var swapped = new Adam(List.of(p.get(1), p.get(0)), 0.01);
        assertMessage(() -> swapped.loadStateDict(dict), "Adam", "state.0.exp_avg", "shape");

        Map<String, String> badHyper = new HashMap<>(dict.hyperParameters());
        badHyper.put("param_groups.0.lr", "-1");
        var target = new Adam(p, 0.5);
        assertMessage(() -> target.loadStateDict(dict.tensors(), badHyper), "Adam", "learning rate -1");
        badHyper.put("param_groups.0.lr", "fast");
        assertMessage(() -> target.loadStateDict(dict.tensors(), badHyper), "option lr", "fast");
        assertEquals(0.5, target.paramGroups().get(0).lr(), "a failed load changes nothing");
        assertTrue(target.stateDict().tensors().isEmpty(), "a failed load changes nothing");
    }

    @Test
    void stateDictRoundTripPreservesLearningRatesOfEveryGroup() {
        List<Tensor> p = params(DType.FLOAT32, 3);
        var opt = new RMSprop(List.of(p.get(0)), 0.01);
        opt.addParamGroup(List.of(p.get(1)), RMSprop.Options.of(1.0 / 3).withCentered(true));
        var copy = new RMSprop(List.of(p.get(0)), 0.5);
        copy.addParamGroup(List.of(p.get(1)), RMSprop.Options.of(0.5));
        copy.loadStateDict(opt.stateDict());
        assertEquals(opt.paramGroups().get(1).options(), copy.paramGroups().get(1).options());
        assertNotEquals(copy.paramGroups().get(0).options(), copy.paramGroups().get(1).options());
    }
}
