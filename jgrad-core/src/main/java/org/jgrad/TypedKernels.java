package org.jgrad;

import org.jgrad.kernels.BinaryOp;
import org.jgrad.kernels.Kernels;
import org.jgrad.kernels.UnaryOp;

/**
 * The kernels called on storages: the one place where an op's float32 or float64 data picks the
 * {@code float[]} or {@code double[]} form of a kernel, so that op code is written once for both.
 * The destination's dtype decides; the operands must have it too (int64 is computed in float64
 * before a kernel is called).
 */
final class TypedKernels {
    private TypedKernels() {}

    private static boolean isFloat(Storage s) {
        return s.dtype == DType.FLOAT32;
    }

    static void unary(UnaryOp op, Storage a, int ao, Storage c, int co, int n, double p, double q) {
        if (isFloat(c)) Kernels.get().unary(op, a.f, ao, c.f, co, n, p, q);
        else Kernels.get().unary(op, a.d, ao, c.d, co, n, p, q);
    }

    /** c[i] = a[i·as] op b[i·bs] for i &lt; n, strides 0 (broadcast) or 1. */
    static void binary(BinaryOp op, Storage a, int ao, int as, Storage b, int bo, int bs, Storage c, int co, int n) {
        binary(Kernels.get(), op, a, ao, as, b, bo, bs, c, co, n);
    }

    /** As {@link #binary(BinaryOp, Storage, int, int, Storage, int, int, Storage, int, int)} with kernels already looked up (loops over runs). */
    static void binary(Kernels k, BinaryOp op, Storage a, int ao, int as, Storage b, int bo, int bs, Storage c, int co, int n) {
        if (isFloat(c)) k.binary(op, a.f, ao, as, b.f, bo, bs, c.f, co, n);
        else k.binary(op, a.d, ao, as, b.d, bo, bs, c.d, co, n);
    }

    static double sum(Storage a, int ao, int n) {
        return sum(Kernels.get(), a, ao, n);
    }

    static double sum(Kernels k, Storage a, int ao, int n) {
        return isFloat(a) ? k.sum(a.f, ao, n) : k.sum(a.d, ao, n);
    }

    /** y += alpha·x over n elements. */
    static void axpy(double alpha, Storage x, int xo, Storage y, int yo, int n) {
        if (isFloat(y)) Kernels.get().axpy(alpha, x.f, xo, y.f, yo, n);
        else Kernels.get().axpy(alpha, x.d, xo, y.d, yo, n);
    }

    /** C (+)= op(A)·op(B), row-major, as {@code Kernels.gemm}. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, Storage a, int ao, int lda,
                     Storage b, int bo, int ldb, Storage c, int co, int ldc, boolean accumulate) {
        if (isFloat(c)) Kernels.get().gemm(transA, transB, m, n, k, a.f, ao, lda, b.f, bo, ldb, c.f, co, ldc, accumulate);
        else Kernels.get().gemm(transA, transB, m, n, k, a.d, ao, lda, b.d, bo, ldb, c.d, co, ldc, accumulate);
    }

    static void logSoftmaxRows(Storage x, int xo, Storage out, int oo, int rows, int cols) {
        if (isFloat(out)) Kernels.get().logSoftmaxRows(x.f, xo, out.f, oo, rows, cols);
        else Kernels.get().logSoftmaxRows(x.d, xo, out.d, oo, rows, cols);
    }

    static void logSoftmaxBackwardRows(Storage g, int go, Storage out, int oo, Storage dx, int dxo, int rows, int cols) {
        if (isFloat(dx)) Kernels.get().logSoftmaxBackwardRows(g.f, go, out.f, oo, dx.f, dxo, rows, cols);
        else Kernels.get().logSoftmaxBackwardRows(g.d, go, out.d, oo, dx.d, dxo, rows, cols);
    }
}
