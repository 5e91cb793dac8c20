package org.jgrad.kernels;

/**
 * {@link Kernels#withProducts}: the base kernels with another provider's matrix products. Java has
 * no delegation, so the forwarding is written out once here, and a products provider such as
 * {@link NativeBlasProducts} implements only {@link MatrixProducts}.
 */
final class KernelsWithProducts implements Kernels {
    private final Kernels base;
    private final MatrixProducts products;

    KernelsWithProducts(Kernels base, MatrixProducts products) {
        this.base = base;
        this.products = products;
    }

    @Override
    public String name() {
        return products.name() + " + " + base.name();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int ao, int lda, float[] b, int bo, int ldb,
                     float[] c, int co, int ldc, boolean accumulate) {
        products.gemm(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, accumulate);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int ao, int lda, double[] b, int bo, int ldb,
                     double[] c, int co, int ldc, boolean accumulate) {
        products.gemm(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, accumulate);
    }

    @Override
    public void unary(UnaryOp op, float[] a, int ao, float[] c, int co, int n, double p, double q) {
        base.unary(op, a, ao, c, co, n, p, q);
    }

    @Override
    public void unary(UnaryOp op, double[] a, int ao, double[] c, int co, int n, double p, double q) {
        base.unary(op, a, ao, c, co, n, p, q);
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] c, int co, int n) {
        base.binary(op, a, ao, as, b, bo, bs, c, co, n);
    }

    @Override
    public void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] c, int co, int n) {
        base.binary(op, a, ao, as, b, bo, bs, c, co, n);
    }

    @Override
    public double sum(float[] a, int off, int n) {
        return base.sum(a, off, n);
    }

    @Override
    public double sum(double[] a, int off, int n) {
        return base.sum(a, off, n);
    }

    @Override
    public void axpy(double alpha, float[] x, int xo, float[] y, int yo, int n) {
        base.axpy(alpha, x, xo, y, yo, n);
    }

    @Override
    public void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        base.axpy(alpha, x, xo, y, yo, n);
    }

    @Override
    public void logSoftmaxRows(float[] x, int xo, float[] out, int oo, int rows, int cols) {
        base.logSoftmaxRows(x, xo, out, oo, rows, cols);
    }

    @Override
    public void logSoftmaxRows(double[] x, int xo, double[] out, int oo, int rows, int cols) {
        base.logSoftmaxRows(x, xo, out, oo, rows, cols);
    }

    @Override
    public void logSoftmaxBackwardRows(float[] g, int go, float[] out, int oo, float[] dx, int dxo, int rows, int cols) {
        base.logSoftmaxBackwardRows(g, go, out, oo, dx, dxo, rows, cols);
    }

    @Override
    public void logSoftmaxBackwardRows(double[] g, int go, double[] out, int oo, double[] dx, int dxo, int rows, int cols) {
        base.logSoftmaxBackwardRows(g, go, out, oo, dx, dxo, rows, cols);
    }

    @Override
    public void maxPool2x2(float[] x, int xo, float[] y, int yo, int[] idx, int planes, int h, int w) {
        base.maxPool2x2(x, xo, y, yo, idx, planes, h, w);
    }
}
