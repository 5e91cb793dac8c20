package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jgrad.Autograd;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.init.FanMode;
import org.jgrad.nn.init.Init;
import org.jgrad.nn.init.Nonlinearity;
import org.junit.jupiter.api.Test;

class GradientNormsTest {

    static final int DEPTH = 10, WIDTH = 64;

    static Sequential stack(Supplier<Module> activation, boolean he, Generator gen) {
        Sequential s = new Sequential();
        for (int i = 0; i < DEPTH; i++) {
            Linear lin = new Linear(WIDTH, WIDTH, gen);
            if (he) {
                Init.kaimingNormal(lin.weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU, gen);
                Init.zeros(lin.bias());
            }
            s.add(lin).add(activation.get());
        }
        return s;
    }

    /** ‖grad of the first layer‖ / ‖grad of the last layer‖ after one backward of the summed output. */
    static double firstOverLast(Sequential s) {
        s.call(Tensor.randn(new Generator(1), 32, WIDTH)).sum().backward();
        Map<String, Double> norms = GradientNorms.perLayer(s);
        assertEquals(DEPTH, norms.size());
        return norms.get("0") / norms.get(Integer.toString(2 * (DEPTH - 1)));
    }

    @Test
    void sigmoidStackVanishesWhileHeInitializedReluDoesNot() {
        double sigmoid = firstOverLast(stack(Sigmoid::new, false, new Generator(2)));
        double relu = firstOverLast(stack(ReLU::new, true, new Generator(2)));
        // Each sigmoid layer multiplies the gradient by at most 1/4 (and its small default weights
        // shrink it further): nine layers back, far below 1e-4.
        assertTrue(sigmoid < 1e-4, "sigmoid first/last = " + sigmoid);
        assertTrue(relu > 0.1 && relu < 10, "He/ReLU first/last = " + relu);
    }

    @Test
    void perParameterAndPerLayerNorms() {
        Sequential s = new Sequential(new Linear(3, 2, new Generator(3)), new Tanh(), new Linear(2, 1, new Generator(4)));
        s.call(Tensor.randn(new Generator(5), 4, 3)).sum().backward();
        Map<String, Double> p = GradientNorms.perParameter(s);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(p.keySet()));
        // The last bias gets d(sum)/db = batch size (4 rows).
        assertEquals(4, p.get("2.bias"), 1e-6);
        double w = ((Linear) s.get(0)).weight().grad().norm().item();
        double b = ((Linear) s.get(0)).bias().grad().norm().item();
        assertEquals(w, p.get("0.weight"), 1e-6);
        Map<String, Double> l = GradientNorms.perLayer(s);
        assertEquals(List.of("0", "2"), new ArrayList<>(l.keySet()));
        assertEquals(Math.sqrt(w * w + b * b), l.get("0"), 1e-6);
        // Parameters that backward did not reach are left out.
        s.zeroGrad();
        try (var _ = Autograd.noGrad()) {
            s.call(Tensor.randn(new Generator(6), 4, 3));
        }
        assertTrue(GradientNorms.perParameter(s).isEmpty());
    }
}
