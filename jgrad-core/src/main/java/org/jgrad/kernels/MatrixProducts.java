package org.jgrad.kernels;

/**
 * The matrix products, the one part of the kernels that another provider may supply on its own:
 * {@link NativeBlasProducts} (OpenBLAS) implements only this, and {@link Kernels#withProducts} puts it
 * together with the Java kernels for everything else. Every {@link Kernels} is also its own products.
 */
public interface MatrixProducts {

    /** A short name for logs: "openblas gemm". */
    String name();

    /**
     * C = op(A)·op(B), or C += op(A)·op(B) when {@code accumulate}; op(X) is X or Xᵀ. Row-major:
     * A is m×k (or k×m when transposed) with leading dimension lda, likewise B is k×n (n×k), C is m×n.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int ao, int lda, float[] b, int bo, int ldb,
              float[] c, int co, int ldc, boolean accumulate);

    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double[] a, int ao, int lda, double[] b, int bo, int ldb,
              double[] c, int co, int ldc, boolean accumulate);
}
