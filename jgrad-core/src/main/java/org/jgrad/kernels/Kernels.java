package org.jgrad.kernels;

/**
 * The numeric inner loops of jgrad, behind one interface so that a plain-Java implementation and a
 * Vector API implementation can be swapped (Lucene's VectorizationProvider is the model). Every
 * method works on flat heap arrays with explicit offsets; the tensor layer does the shape logic.
 *
 * <p>Strides of the binary kernels are 0 (broadcast a scalar along the run) or 1. The matrix
 * products ({@code gemm}) are declared in {@link MatrixProducts}, the part a native library may
 * supply alone.
 */
public interface Kernels extends MatrixProducts {

    /** A short name for logs: "scalar", "vector(256 bit)". */
    @Override
    String name();

    /** c[co+i] = op(a[ao+i], p, q) for i in [0, n). */
    void unary(UnaryOp op, float[] a, int ao, float[] c, int co, int n, double p, double q);

    void unary(UnaryOp op, double[] a, int ao, double[] c, int co, int n, double p, double q);

    /** c[co+i] = op(a[ao+i·as], b[bo+i·bs]) for i in [0, n), with as, bs ∈ {0, 1}. */
    void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] c, int co, int n);

    void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] c, int co, int n);

    /** Sum of a[off..off+n). Accumulates in double for float input. */
    double sum(float[] a, int off, int n);

    double sum(double[] a, int off, int n);

    /**
     * y[yo+i] += alpha·x[xo+i] for i in [0, n), rounded as a multiplication then an addition (no fma),
     * so it gives the bits of {@code y + x·alpha} computed in two ops. An optimizer's update.
     */
    void axpy(double alpha, float[] x, int xo, float[] y, int yo, int n);

    void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n);

    /**
     * Log-softmax of each of {@code rows} contiguous rows of length {@code cols}:
     * out = x − m − log Σ e^(x − m), m the row's maximum (0 when that is infinite, as the composed op).
     * Sums and the logarithm are taken in double.
     */
    void logSoftmaxRows(float[] x, int xo, float[] out, int oo, int rows, int cols);

    void logSoftmaxRows(double[] x, int xo, double[] out, int oo, int rows, int cols);

    /** The backward of {@link #logSoftmaxRows}: dx = g − e^out·Σ g, per row; out is the forward's result. */
    void logSoftmaxBackwardRows(float[] g, int go, float[] out, int oo, float[] dx, int dxo, int rows, int cols);

    void logSoftmaxBackwardRows(double[] g, int go, double[] out, int oo, double[] dx, int dxo, int rows, int cols);

    /**
     * 2×2 max pooling with stride 2 over {@code planes} planes of h×w values, plane p at x[xo + p·h·w]:
     * y[yo + p·oh·ow + r·ow + q] is the largest of the window at (2r, 2q), with oh = h/2 and ow = w/2,
     * and idx (same index) the in-plane position of the first largest in row-major order; a NaN
     * replaces the current choice (PyTorch's rule).
     */
    void maxPool2x2(float[] x, int xo, float[] y, int yo, int[] idx, int planes, int h, int w);

    /**
     * These kernels with their matrix products taken from {@code products} instead; every other
     * kernel stays {@code base}'s. The result is named "products + base".
     */
    static Kernels withProducts(Kernels base, MatrixProducts products) {
        return new KernelsWithProducts(base, products);
    }

    /** The provider chosen at start-up. */
    static Kernels get() {
        return KernelProvider.INSTANCE;
    }
}
