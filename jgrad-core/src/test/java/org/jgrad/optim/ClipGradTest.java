package org.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class ClipGradTest {

    /** Leaves with these gradients set directly. */
    static List<Tensor> withGrads(DType dtype, double[]... grads) {
        return java.util.Arrays.stream(grads).map(g -> {
            Tensor p = Tensor.zeros(dtype, g.length).requiresGrad(true);
            p.setGrad(Tensor.of(g, g.length).to(dtype));
            return p;
        }).toList();
    }

    @Test
    void byNormScalesAllGradientsTogetherAndReturnsTheNormBefore() {
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            List<Tensor> p = withGrads(dtype, new double[] {3, 4}, new double[] {12});   // ‖g‖ = √(9 + 16 + 144) = 13
            assertEquals(13, ClipGrad.byNorm(p, 6.5), 1e-6);
            assertArrayEquals(new double[] {1.5, 2}, p.get(0).grad().toDoubleArray(), 1e-6);
            assertArrayEquals(new double[] {6}, p.get(1).grad().toDoubleArray(), 1e-6);
            assertEquals(dtype, p.get(0).grad().dtype());
            assertEquals(6.5, ClipGrad.byNorm(p, 100), 1e-6, "the norm after clipping is maxNorm");
        }
    }

    @Test
    void byNormBelowTheThresholdChangesNothing() {
        List<Tensor> p = withGrads(DType.FLOAT64, new double[] {3, 4}, new double[] {12});
        Tensor before = p.get(0).grad();
        assertEquals(13, ClipGrad.byNorm(p, 13), 1e-12);
        assertSame(before, p.get(0).grad());
        assertArrayEquals(new double[] {3, 4}, p.get(0).grad().toDoubleArray());
    }

    @Test
    void byNormInfinityUsesTheLargestComponent() {
        List<Tensor> p = withGrads(DType.FLOAT64, new double[] {3, -8}, new double[] {2});
        assertEquals(8, ClipGrad.byNorm(p, 4, Double.POSITIVE_INFINITY));
        assertArrayEquals(new double[] {1.5, -4}, p.get(0).grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1}, p.get(1).grad().toDoubleArray(), 1e-12);
    }

    @Test
    void byNormOneAddsAbsoluteValues() {
        List<Tensor> p = withGrads(DType.FLOAT64, new double[] {3, -8}, new double[] {2});
        assertEquals(13, ClipGrad.byNorm(p, 6.5, 1), 1e-12);
        assertArrayEquals(new double[] {1.5, -4}, p.get(0).grad().toDoubleArray(), 1e-12);
    }

    @Test
    void byNormSkipsParametersWithoutGradientAndLeavesNonFiniteGradients() {
        Tensor none = Tensor.zeros(3).requiresGrad(true);
        List<Tensor> p = new java.util.ArrayList<>(withGrads(DType.FLOAT64, new double[] {6, 8}));
        p.add(none);
        assertEquals(10, ClipGrad.byNorm(p, 5), 1e-12);
        assertNull(none.grad());
        assertArrayEquals(new double[] {3, 4}, p.get(0).grad().toDoubleArray(), 1e-12);

        List<Tensor> inf = withGrads(DType.FLOAT64, new double[] {1, Double.POSITIVE_INFINITY});
        assertEquals(Double.POSITIVE_INFINITY, ClipGrad.byNorm(inf, 1));
        assertArrayEquals(new double[] {1, Double.POSITIVE_INFINITY}, inf.get(0).grad().toDoubleArray());
    }

    @Test
    void byValueClampsEachComponent() {
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            List<Tensor> p = withGrads(dtype, new double[] {-3, -0.5, 0.25, 2}, new double[] {1});
            ClipGrad.byValue(p, 1);
            assertArrayEquals(new double[] {-1, -0.5, 0.25, 1}, p.get(0).grad().toDoubleArray());
            assertArrayEquals(new double[] {1}, p.get(1).grad().toDoubleArray());
        }
    }

    @Test
    void clippingDoesNotWriteIntoTheOldGradientTensor() {
        List<Tensor> p = withGrads(DType.FLOAT64, new double[] {3, 4});
        Tensor old = p.get(0).grad();
        ClipGrad.byNorm(p, 1);
        ClipGrad.byValue(p, 0.1);
        assertArrayEquals(new double[] {3, 4}, old.toDoubleArray());
    }

    @Test
    void badArgumentsAreRejected() {
        List<Tensor> p = withGrads(DType.FLOAT64, new double[] {3, 4});
        var e = assertThrows(IllegalArgumentException.class, () -> ClipGrad.byNorm(p, -1));
        assertEquals("ClipGrad.byNorm: maxNorm must be >= 0, got -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.byNorm(p, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.byValue(p, Double.NaN));
    }
}
