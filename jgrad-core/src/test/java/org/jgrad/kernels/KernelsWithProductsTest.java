package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Kernels.withProducts sends the products to the products provider and everything else to the base. */
class KernelsWithProductsTest {

    /** Products that write a marker instead of multiplying, so a test can tell who ran. */
    private static final MatrixProducts MARKER = new MatrixProducts() {
        @Override
        public String name() {
            return "marker";
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int ao, int lda,
                         float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
            c[co] = -1;
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int ao, int lda,
                         double[] b, int bo, int ldb, double[] c, int co, int ldc, boolean accumulate) {
            c[co] = -2;
        }
    };

    @Test
    void productsGoToTheProviderAndTheRestToTheBase() {
        Kernels base = new ScalarKernels();
        Kernels k = Kernels.withProducts(base, MARKER);
        assertEquals("marker + " + base.name(), k.name());

        float[] cf = new float[1];
        k.gemm(false, false, 1, 1, 1, new float[] {2}, 0, 1, new float[] {3}, 0, 1, cf, 0, 1, false);
        assertArrayEquals(new float[] {-1}, cf);
        double[] cd = new double[1];
        k.gemm(false, false, 1, 1, 1, new double[] {2}, 0, 1, new double[] {3}, 0, 1, cd, 0, 1, false);
        assertArrayEquals(new double[] {-2}, cd);

        float[] a = {1, 2, 3}, b = {10, 20, 30}, c = new float[3];
        k.binary(BinaryOp.ADD, a, 0, 1, b, 0, 1, c, 0, 3);
        assertArrayEquals(new float[] {11, 22, 33}, c);
        assertEquals(6.0, k.sum(a, 0, 3));
        k.axpy(2, a, 0, c, 0, 3);
        assertArrayEquals(new float[] {13, 26, 39}, c);
    }
}
