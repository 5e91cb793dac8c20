package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Tensor.toInPlace: a leaf changes dtype and keeps its identity (what Module.to relies on). */
class ToInPlaceTest {

    @Test
    void convertsValuesAndGradAndKeepsTheLeaf() {
        Tensor w = Tensor.randn(new Generator(1), 3, 4).requiresGrad(true);
        float[] before = w.toFloatArray();
        w.mul(2).sum().backward();
        assertSame(w, w.toInPlace(DType.FLOAT64));
        assertEquals(DType.FLOAT64, w.dtype());
        assertTrue(w.isLeaf() && w.requiresGrad());
        double[] after = w.toDoubleArray();
        for (int i = 0; i < before.length; i++) assertEquals(before[i], after[i], 0);
        assertEquals(DType.FLOAT64, w.grad().dtype());
        assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, w.grad().toDoubleArray(), 0);
        // Training goes on in the new type: gradients accumulate onto the converted one.
        w.sum().backward();
        assertEquals(DType.FLOAT64, w.grad().dtype());
        assertEquals(3, w.grad().get(0, 0), 0);
    }

    @Test
    void sameDtypeIsANoOp() {
        Tensor w = Tensor.zeros(2);
        Tensor view = w.detach();
        w.toInPlace(DType.FLOAT32);
        w.fillInPlace(5);
        assertEquals(5, view.get(0), 0); // still shares the storage
    }

    @Test
    void earlierViewsKeepTheOldStorage() {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor view = w.detach();
        w.toInPlace(DType.FLOAT64);
        try (var _ = Autograd.noGrad()) {
            w.fillInPlace(0);
        }
        assertEquals(DType.FLOAT32, view.dtype());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, view.toFloatArray());
    }

    @Test
    void aStridedLeafBecomesContiguous() {
        Tensor base = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = base.t(); // a leaf: base does not require grad
        assertFalse(t.isContiguous());
        t.toInPlace(DType.FLOAT32);
        assertTrue(t.isContiguous());
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toFloatArray());
        assertEquals(DType.FLOAT64, base.dtype());
    }

    @Test
    void aGraphThatSavedTheTensorRefusesToBackwardThroughIt() {
        Tensor w = Tensor.randn(new Generator(2), 3).requiresGrad(true);
        Tensor x = Tensor.randn(new Generator(3), 3).requiresGrad(true);
        Tensor y = x.mul(w).sum(); // mul saves w for x's gradient
        w.toInPlace(DType.FLOAT64);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("modified in place"), e.getMessage());
    }

    @Test
    void refusesComputedTensorsAndIntegerParameters() {
        Tensor w = Tensor.randn(new Generator(4), 3).requiresGrad(true);
        Tensor y = w.mul(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.toInPlace(DType.FLOAT64));
        assertTrue(e.getMessage().contains("mul"), e.getMessage());
        assertEquals(DType.FLOAT32, y.dtype());
        assertThrows(IllegalArgumentException.class, () -> w.toInPlace(DType.INT64));
        assertEquals(DType.FLOAT32, w.dtype());
        Tensor plain = Tensor.of(new double[] {1.5, -2.5}, 2);
        plain.toInPlace(DType.INT64);
        assertArrayEquals(new long[] {1, -2}, plain.toLongArray());
    }
}
