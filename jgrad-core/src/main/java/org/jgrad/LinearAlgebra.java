package org.jgrad;

import java.util.Arrays;
import org.jgrad.kernels.Kernels;

/**
 * Matrix ops: matmul (with batch broadcasting), inverse, Cholesky.
 *
 * <p>The last two dimensions of a tensor are the matrix, the leading ones a batch. matmul hands
 * every matrix to {@link Kernels#gemm} in place: a matrix whose rows are contiguous is passed as is,
 * one whose columns are contiguous (a transposed view) is passed with the transpose flag, so the
 * backward products g·Bᵀ and Aᵀ·g, written with {@code transpose(-1, -2)} views, never copy.
 *
 * <p>int64 operands are computed as float64 (as the elementwise arithmetic does); float32 with
 * float64 gives float64.
 */
final class LinearAlgebra {
    private LinearAlgebra() {}

    // ------------------------------------------------------------ matmul

    static Tensor matmul(Tensor a, Tensor b) {
        int[] sa = a.shape, sb = b.shape;
        if (sa.length == 0 || sb.length == 0) {
            throw new IllegalArgumentException("matmul: cannot multiply " + Shapes.str(sa) + " by " + Shapes.str(sb)
                    + " (both arguments need at least one dimension; use mul for a scalar)");
        }
        // PyTorch's rule: a vector becomes a one-row (left) or one-column (right) matrix, and that
        // added dimension is removed from the result. The views carry the gradient back to 1-D.
        Tensor a2 = sa.length == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = sb.length == 1 ? b.unsqueeze(-1) : b;
        Tensor out = matmulNd(a2, b2, sa, sb);
        if (sa.length > 1 && sb.length > 1) return out;
        int r = out.shape.length;
        int[] shape;
        if (sa.length == 1 && sb.length == 1) {
            shape = new int[0];
        } else if (sa.length == 1) {
            shape = removeDim(out.shape, r - 2);
        } else {
            shape = removeDim(out.shape, r - 1);
        }
        return out.reshape(shape);
    }

    private static int[] removeDim(int[] shape, int d) {
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) s[j++] = shape[i];
        return s;
    }

    /** a [..., m, k] · b [..., k, n] with broadcast batch dimensions; origA/origB name the user's shapes in errors. */
    private static Tensor matmulNd(Tensor a, Tensor b, int[] origA, int[] origB) {
        int ra = a.shape.length, rb = b.shape.length;
        int m = a.shape[ra - 2], k = a.shape[ra - 1];
        int k2 = b.shape[rb - 2], n = b.shape[rb - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: cannot multiply " + Shapes.str(origA) + " by " + Shapes.str(origB)
                    + " (inner dimensions " + k + " and " + k2 + " differ)");
        }
        int[] batchA = Arrays.copyOf(a.shape, ra - 2), batchB = Arrays.copyOf(b.shape, rb - 2);
        int[] batch = broadcastBatch(batchA, batchB, origA, origB);
        int nb = batch.length;
        int[] outShape = Arrays.copyOf(batch, nb + 2);
        outShape[nb] = m;
        outShape[nb + 1] = n;

        DType dtype = Elementwise.arithmeticType(a, b);
        Tensor out = Tensor.empty(dtype, outShape);
        if (out.numel() > 0) gemmBatched(a.detach(), b.detach(), out, batch, m, n, k);

        return Tensor.record("matmul", out, new Tensor[] {a, b}, new Tensor[] {a, b}, (nd, g) -> new Tensor[] {
            // dA = g·Bᵀ, dB = Aᵀ·g, summed over the batch dimensions each operand was broadcast along.
            nd.needsGrad(0) ? g.matmul(nd.saved(1).transpose(-1, -2)).sumToShape(nd.inputShape(0)) : null,
            nd.needsGrad(1) ? nd.saved(0).transpose(-1, -2).matmul(g).sumToShape(nd.inputShape(1)) : null},
            // The product rule: (A + Ȧε)(B + Ḃε) = AB + (ȦB + AḂ)ε.
            dt -> dt[0].matmul(b).add(a.matmul(dt[1])));
    }

    private static int[] broadcastBatch(int[] a, int[] b, int[] origA, int[] origB) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("matmul: cannot multiply " + Shapes.str(origA) + " by "
                        + Shapes.str(origB) + " (batch dimensions " + Shapes.str(a) + " and " + Shapes.str(b)
                        + " cannot be broadcast together)");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * How one operand's matrices sit in memory, in gemm's terms: rows contiguous ({@code trans}
     * false, row stride {@code ld}) or columns contiguous ({@code trans} true, column stride
     * {@code ld}); {@code t} is the tensor to read, a copy only when neither layout applies.
     */
    record Layout(Tensor t, boolean trans, int ld) {
        static Layout of(Tensor t, DType dtype) {
            if (t.dtype() != dtype) t = t.rawContiguous(dtype);
            int r = t.shape.length;
            int rows = t.shape[r - 2], cols = t.shape[r - 1];
            int rs = t.strides[r - 2], cs = t.strides[r - 1];
            // gemm indexes X[i][j] as x[i·ld + j] (or x[j·ld + i]); it also expects ld ≥ the row
            // length, as BLAS does, so a fast kernel may rely on rows not overlapping.
            if ((cs == 1 || cols <= 1) && (rows <= 1 || rs >= Math.max(cols, 1))) {
                return new Layout(t, false, rows <= 1 ? Math.max(cols, 1) : rs);
            }
            if ((rs == 1 || rows <= 1) && (cols <= 1 || cs >= Math.max(rows, 1))) {
                return new Layout(t, true, cols <= 1 ? Math.max(rows, 1) : cs);
            }
            Tensor c = t.rawContiguous(dtype);
            if (c == t) c = t.rawClone(); // contiguous with an odd stride on a size-1 dimension
            return new Layout(c, false, Math.max(cols, 1));
        }
    }

    private static void gemmBatched(Tensor a, Tensor b, Tensor out, int[] batch, int m, int n, int k) {
        DType dtype = out.dtype();
        Layout la = Layout.of(a, dtype), lb = Layout.of(b, dtype);
        Tensor ta = la.t, tb = lb.t;
        int nb = batch.length;
        int[] bsa = batchStrides(ta, batch), bsb = batchStrides(tb, batch);
        int count = Shapes.numel(batch);
        int ldc = Math.max(n, 1), cStep = m * n;

        // A batch of row-major A against one shared B is a single taller product (a linear layer
        // over [batch, tokens, features]): fold the batch into m when A's rows continue across it.
        if (count > 1 && !la.trans && allZero(bsb) && foldsIntoRows(ta, bsa, batch, m, la.ld)) {
            gemm(dtype, false, lb.trans, count * m, n, k, ta, ta.offset, la.ld, tb, tb.offset, lb.ld, out, 0, ldc);
            return;
        }
        int[] idx = new int[nb];
        int oa = ta.offset, ob = tb.offset;
        for (int i = 0; i < count; i++) {
            gemm(dtype, la.trans, lb.trans, m, n, k, ta, oa, la.ld, tb, ob, lb.ld, out, i * cStep, ldc);
            for (int d = nb - 1; d >= 0; d--) {
                idx[d]++;
                oa += bsa[d];
                ob += bsb[d];
                if (idx[d] < batch[d]) break;
                oa -= bsa[d] * batch[d];
                ob -= bsb[d] * batch[d];
                idx[d] = 0;
            }
        }
    }

    /** The operand's strides over the broadcast batch shape: 0 along dimensions it is broadcast on. */
    private static int[] batchStrides(Tensor t, int[] batch) {
        int nb = batch.length, own = t.shape.length - 2, lead = nb - own;
        int[] s = new int[nb];
        for (int i = 0; i < own; i++) {
            s[lead + i] = t.shape[i] == 1 && batch[lead + i] != 1 ? 0 : t.strides[i];
        }
        return s;
    }

    private static boolean allZero(int[] s) {
        for (int v : s) if (v != 0) return false;
        return true;
    }

    /** True when batch entry i's rows start exactly where entry i−1's end, with the same row stride. */
    private static boolean foldsIntoRows(Tensor t, int[] bs, int[] batch, int m, int ld) {
        long expected = (long) m * ld;
        for (int d = batch.length - 1; d >= 0; d--) {
            if (batch[d] == 1) continue;
            if (bs[d] != expected) return false;
            expected *= batch[d];
        }
        return true;
    }

    private static void gemm(DType dtype, boolean transA, boolean transB, int m, int n, int k,
                             Tensor a, int ao, int lda, Tensor b, int bo, int ldb, Tensor c, int co, int ldc) {
        TypedKernels.gemm(transA, transB, m, n, k, a.storage, ao, lda, b.storage, bo, ldb, c.storage, co, ldc, false);
    }

    // ------------------------------------------------------------ shared by inverse and cholesky

    /** Checks that t is a square matrix or a batch of them; returns n. */
    private static int squareSize(String op, Tensor t) {
        int r = t.shape.length;
        if (r < 2 || t.shape[r - 1] != t.shape[r - 2]) {
            throw new IllegalArgumentException(op + ": expected a square matrix or a batch of square matrices"
                    + " (shape [..., n, n]), got shape " + Shapes.str(t.shape));
        }
        return t.shape[r - 1];
    }

    private static DType floatType(Tensor t) {
        return t.dtype().isFloatingPoint() ? t.dtype() : DType.FLOAT64;
    }

    /** " (batch index [1, 0])" for a batched input, "" for a single matrix. */
    private static String batchWhere(int[] shape, int i) {
        int nb = shape.length - 2;
        if (nb == 0) return "";
        int[] idx = new int[nb];
        for (int d = nb - 1; d >= 0; d--) {
            idx[d] = i % shape[d];
            i /= shape[d];
        }
        return " (batch index " + Arrays.toString(idx) + ")";
    }

    /** The transpose of each matrix: Xᵀ, or Xᴴ for real numbers. */
    private static Tensor mT(Tensor t) {
        return t.transpose(-1, -2);
    }

    // ------------------------------------------------------------ inverse

    static Tensor inverse(Tensor x) {
        int n = squareSize("inverse", x);
        DType dtype = floatType(x);
        double[] v = x.toDoubleArray();
        int count = n == 0 ? 0 : v.length / (n * n);
        double[] inv = new double[v.length];
        double[] work = new double[2 * n * n];
        for (int i = 0; i < count; i++) {
            if (!gaussJordan(v, i * n * n, inv, i * n * n, n, work)) {
                throw new IllegalArgumentException("inverse: matrix is singular" + batchWhere(x.shape, i)
                        + " (shape " + Shapes.str(x.shape) + "; a zero pivot, a condition number of 1/ε or more, or non-finite entries)");
            }
        }
        Tensor out = Tensor.of(inv, x.shape).rawContiguous(dtype);
        // For Y = X⁻¹: dY = −Y·dX·Y, so dX = −Yᵀ·dY·Yᵀ.
        return Tensor.record("inverse", out, new Tensor[] {x}, new Tensor[] {out},
                (nd, g) -> new Tensor[] {mT(nd.saved(0)).matmul(g).matmul(mT(nd.saved(0))).neg()},
                dt -> out.matmul(dt[0]).matmul(out).neg());
    }

    /**
     * Inverts the n×n matrix at a[ao] into c[co] by Gauss-Jordan elimination on [A | I] with
     * partial pivoting. Returns false when the matrix is singular to working precision: a pivot is
     * exactly zero, or the condition number ‖A‖₁·‖A⁻¹‖₁ reaches 1/ε, where rounding alone can make
     * every digit of the result wrong (LAPACK would return such garbage without complaint).
     */
    static boolean gaussJordan(double[] a, int ao, double[] c, int co, int n, double[] work) {
        int w = 2 * n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                work[i * w + j] = a[ao + i * n + j];
                work[i * w + n + j] = i == j ? 1 : 0;
            }
        }
        for (int col = 0; col < n; col++) {
            int p = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(work[r * w + col]) > Math.abs(work[p * w + col])) p = r;
            }
            double pivot = work[p * w + col];
            if (pivot == 0 || !Double.isFinite(pivot)) return false;
            if (p != col) {
                for (int j = 0; j < w; j++) {
                    double t = work[p * w + j];
                    work[p * w + j] = work[col * w + j];
                    work[col * w + j] = t;
                }
            }
            double inv = 1 / pivot;
            for (int j = 0; j < w; j++) work[col * w + j] *= inv;
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = work[r * w + col];
                if (f == 0) continue;
                for (int j = 0; j < w; j++) work[r * w + j] -= f * work[col * w + j];
            }
        }
        for (int i = 0; i < n; i++) System.arraycopy(work, i * w + n, c, co + i * n, n);
        return norm1(a, ao, n) * norm1(c, co, n) * Math.ulp(1.0) < 1;
    }

    /** The largest column sum of absolute values. */
    private static double norm1(double[] a, int ao, int n) {
        double max = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.abs(a[ao + i * n + j]);
            max = Math.max(max, s);
        }
        return max;
    }

    // ------------------------------------------------------------ cholesky

    /**
     * Lower-triangular L with L·Lᵀ = A. Only A's lower triangle is read (as LAPACK does); A is
     * assumed symmetric, and the gradient is the symmetric one (PyTorch's convention), correct for
     * perturbations that keep A symmetric.
     */
    static Tensor cholesky(Tensor x) {
        int n = squareSize("cholesky", x);
        DType dtype = floatType(x);
        double[] v = x.toDoubleArray();
        int count = n == 0 ? 0 : v.length / (n * n);
        double[] l = new double[v.length];
        for (int b = 0; b < count; b++) {
            int o = b * n * n;
            // Cholesky–Banachiewicz, row by row.
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = v[o + i * n + j];
                    for (int p = 0; p < j; p++) s -= l[o + i * n + p] * l[o + j * n + p];
                    if (i == j) {
                        if (!(s > 0)) {
                            throw new IllegalArgumentException("cholesky: the matrix is not positive-definite"
                                    + batchWhere(x.shape, b) + ": pivot " + (i + 1) + " of " + n + " is " + s
                                    + " (the leading minor of order " + (i + 1) + " is not positive; shape "
                                    + Shapes.str(x.shape) + ")");
                        }
                        l[o + i * n + i] = Math.sqrt(s);
                    } else {
                        l[o + i * n + j] = s / l[o + j * n + j];
                    }
                }
            }
        }
        Tensor out = Tensor.of(l, x.shape).rawContiguous(dtype);
        return Tensor.record("cholesky", out, new Tensor[] {x}, new Tensor[] {out},
                (nd, g) -> new Tensor[] {choleskyBackward(nd.saved(0), g, n)},
                dt -> choleskyTangent(out, dt[0], n));
    }

    /**
     * The forward-mode rule of cholesky: L̇ = L·Φ(L⁻¹·Ȧ·L⁻ᵀ), Ȧ symmetrized as the backward's
     * gradient is (only the symmetric part of A is read).
     */
    private static Tensor choleskyTangent(Tensor lower, Tensor da, int n) {
        double[] phi = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) phi[i * n + j] = i == j ? 0.5 : 1;
        }
        Tensor mask = Tensor.of(phi, n, n).rawContiguous(lower.dtype());
        Tensor lInv = lower.inverse();
        Tensor sym = da.add(mT(da)).mul(0.5);
        return lower.matmul(lInv.matmul(sym).matmul(mT(lInv)).mul(mask));
    }

    /**
     * Murray (2016), as PyTorch: with Φ(X) the lower triangle of X with its diagonal halved,
     * dA = L⁻ᵀ·Φ(Lᵀ·dL)·L⁻¹, symmetrized. Written with tensor ops so it can be differentiated.
     */
    private static Tensor choleskyBackward(Tensor lower, Tensor g, int n) {
        double[] phi = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) phi[i * n + j] = i == j ? 0.5 : 1;
        }
        Tensor mask = Tensor.of(phi, n, n).rawContiguous(lower.dtype());
        Tensor p = mT(lower).matmul(g).mul(mask);
        Tensor sym = p.add(mT(p)).mul(0.5);
        Tensor lInv = lower.inverse();
        return mT(lInv).matmul(sym).matmul(lInv);
    }
}
