package org.jgrad.nn.classic;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.IntBinaryOperator;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Losses;
import org.jgrad.nn.Module;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Tanh;
import org.jgrad.optim.Adam;
import org.junit.jupiter.api.Test;

class LogicGatesTest {
    static final Tensor INPUTS = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});

    static void assertTruthTable(Module gate, IntBinaryOperator expected) {
        double[] out = gate.call(INPUTS).toDoubleArray();
        assertEquals(4, out.length);
        for (int i = 0; i < 4; i++) {
            int a = i >> 1, b = i & 1;
            assertEquals(expected.applyAsInt(a, b), out[i], 0, gate + " at (" + a + ", " + b + ")");
        }
    }

    @Test
    void singleUnitGates() {
        assertTruthTable(LogicGates.and(), (a, b) -> a & b);
        assertTruthTable(LogicGates.or(), (a, b) -> a | b);
        assertTruthTable(LogicGates.nand(), (a, b) -> 1 - (a & b));
        assertArrayEquals(new double[] {1, 0},
                LogicGates.not().call(Tensor.of(new double[][] {{0}, {1}})).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 1}, LogicGates.and().weight().toDoubleArray(), 0);
        assertEquals(-1.5, LogicGates.and().bias().item(), 0);
        assertEquals(-0.5, LogicGates.or().bias().item(), 0);
        assertEquals(-1, LogicGates.not().weight().item(), 0);
        assertEquals(0.5, LogicGates.not().bias().item(), 0);
    }

    @Test
    void xorWithTwoLayersOfFixedUnits() {
        assertTruthTable(LogicGates.xor(), (a, b) -> a ^ b);
        assertEquals(DType.FLOAT32, LogicGates.xor().call(INPUTS).dtype());
        assertEquals(0, LogicGates.xor().parameterCount(), "fixed weights are buffers, not parameters");
    }

    @Test
    void thresholdLayerChecksShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> LogicGates.and().call(Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("ThresholdLayer") && e.getMessage().contains("[4, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ThresholdLayer(new double[][] {{1, 1}}, new double[] {1, 2}));
    }

    @Test
    void twoLayerNetworkLearnsXor() {
        Generator gen = new Generator(5);
        Sequential net = new Sequential(new Linear(2, 4, gen), new Tanh(), new Linear(4, 1, gen));
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 4);
        Adam adam = new Adam(net.parameters(), 0.05);
        for (int i = 0; i < 500; i++) {
            adam.zeroGrad();
            Losses.bceWithLogits(net.call(INPUTS).squeeze(1), y).backward();
            adam.step();
        }
        double[] z = net.call(INPUTS).toDoubleArray();
        int right = 0;
        for (int i = 0; i < 4; i++) if ((z[i] >= 0 ? 1 : 0) == y.get(i)) right++;
        assertEquals(4, right);
    }
}
