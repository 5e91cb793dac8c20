package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LinearAlgebraTest {

    // ------------------------------------------------------------ independent references

    /** PyTorch's matmul rules written out with index loops over Tensor.get, nothing shared with the op. */
    static Tensor naiveMatmul(Tensor a, Tensor b) {
        int[] sa = a.shape(), sb = b.shape();
        boolean vecA = sa.length == 1, vecB = sb.length == 1;
        int[] ma = vecA ? new int[] {1, sa[0]} : sa;
        int[] mb = vecB ? new int[] {sb[0], 1} : sb;
        int m = ma[ma.length - 2], k = ma[ma.length - 1], n = mb[mb.length - 1];
        assertEquals(k, mb[mb.length - 2], "reference: inner dimensions");
        int nbA = ma.length - 2, nbB = mb.length - 2, nb = Math.max(nbA, nbB);
        int[] batch = new int[nb];
        for (int i = 0; i < nb; i++) {
            int da = i - (nb - nbA) >= 0 ? ma[i - (nb - nbA)] : 1;
            int db = i - (nb - nbB) >= 0 ? mb[i - (nb - nbB)] : 1;
            batch[i] = Math.max(da, db);
        }
        int count = 1;
        for (int s : batch) count *= s;
        double[] out = new double[count * m * n];
        int[] bi = new int[nb];
        for (int c = 0; c < count; c++) {
            int rem = c;
            for (int d = nb - 1; d >= 0; d--) {
                bi[d] = rem % batch[d];
                rem /= batch[d];
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a.get(index(sa, vecA, nbA, nb, bi, i, p, true))
                                * b.get(index(sb, vecB, nbB, nb, bi, p, j, false));
                    }
                    out[(c * m + i) * n + j] = s;
                }
            }
        }
        int[] shape;
        if (vecA && vecB) {
            shape = new int[0];
        } else if (vecA) {
            shape = Arrays.copyOf(batch, nb + 1);
            shape[nb] = n;
        } else if (vecB) {
            shape = Arrays.copyOf(batch, nb + 1);
            shape[nb] = m;
        } else {
            shape = Arrays.copyOf(batch, nb + 2);
            shape[nb] = m;
            shape[nb + 1] = n;
        }
        return Tensor.of(out, shape);
    }

    private static int[] index(int[] shape, boolean vec, int own, int nb, int[] bi, int r, int c, boolean left) {
        if (vec) return new int[] {left ? c : r};
        int[] idx = new int[shape.length];
        for (int d = 0; d < own; d++) idx[d] = shape[d] == 1 ? 0 : bi[nb - own + d];
        idx[own] = r;
        idx[own + 1] = c;
        return idx;
    }

    static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), "element " + i + " of shape " + Arrays.toString(expected.shape()));
        }
    }

    static Tensor randn64(Generator gen, int... shape) {
        return Tensor.randn(gen, shape).to(DType.FLOAT64);
    }

    static Tensor leaf(Tensor t) {
        return t.detach().requiresGrad(true);
    }

    /** Every shape rule: vector·vector, matrix·vector, vector·matrix, matrix·matrix, batches. */
    static final int[][][] CASES = {
        {{4}, {4}},
        {{3, 4}, {4}},
        {{4}, {4, 5}},
        {{3, 4}, {4, 5}},
        {{2, 1, 3, 4}, {5, 4, 6}},
        {{4}, {2, 4, 5}},
        {{2, 3, 4}, {4}},
        {{2, 3, 4}, {4, 5}},
        {{3, 4}, {2, 4, 5}},
        {{1, 3, 4}, {2, 4, 5}},
        {{2, 1, 3, 4}, {1, 2, 4, 2}},
        {{1, 4}, {4, 1}},
    };

    // ------------------------------------------------------------ matmul forward

    @Test
    void matmulForwardMatchesNaiveLoopsForEveryShapeRule() {
        Generator gen = new Generator(11);
        for (int[][] c : CASES) {
            Tensor a = randn64(gen, c[0]), b = randn64(gen, c[1]);
            assertClose(naiveMatmul(a, b), a.matmul(b), 1e-12);
            Tensor a32 = Tensor.randn(gen, c[0]), b32 = Tensor.randn(gen, c[1]);
            Tensor out32 = a32.matmul(b32);
            assertEquals(DType.FLOAT32, out32.dtype());
            assertClose(naiveMatmul(a32, b32), out32, 1e-5);
        }
    }

    @Test
    void batchBroadcastGivesPyTorchShape() {
        Generator gen = new Generator(12);
        Tensor out = Tensor.randn(gen, 2, 1, 3, 4).matmul(Tensor.randn(gen, 5, 4, 6));
        assertArrayEquals(new int[] {2, 5, 3, 6}, out.shape());
        assertArrayEquals(new int[0], Tensor.randn(gen, 7).matmul(Tensor.randn(gen, 7)).shape());
        assertArrayEquals(new int[] {2, 5}, Tensor.randn(gen, 4).matmul(Tensor.randn(gen, 2, 4, 5)).shape());
        assertArrayEquals(new int[] {2, 3}, Tensor.randn(gen, 2, 3, 4).matmul(Tensor.randn(gen, 4)).shape());
    }

    @Test
    void emptyDimensions() {
        Generator gen = new Generator(13);
        // k = 0: a sum of nothing, so zeros of shape [m, n].
        Tensor z = Tensor.randn(gen, 3, 0).matmul(Tensor.randn(gen, 0, 5));
        assertArrayEquals(new int[] {3, 5}, z.shape());
        for (double v : z.toDoubleArray()) assertEquals(0.0, v);
        assertArrayEquals(new int[] {0, 5}, Tensor.randn(gen, 0, 4).matmul(Tensor.randn(gen, 4, 5)).shape());
        assertArrayEquals(new int[] {0, 2, 5}, Tensor.randn(gen, 0, 2, 4).matmul(Tensor.randn(gen, 4, 5)).shape());
    }

    @Test
    void nonContiguousOperandsMatchNaiveLoops() {
        Generator gen = new Generator(14);
        Tensor base = randn64(gen, 6, 5, 8);
        // transposed matrices, a stepped slice, a stepped batch (cannot fold into rows), an expanded batch
        Tensor[][] pairs = {
            {randn64(gen, 5, 3).transpose(0, 1), randn64(gen, 4, 5).t()},
            {base.slice(2, 0, 8, 2), randn64(gen, 4, 3)},
            {base.slice(0, 0, 6, 2), randn64(gen, 8, 2)},
            {base.slice(0, 0, 6, 3).transpose(1, 2), randn64(gen, 2, 5, 3)},
            {randn64(gen, 1, 3, 4).expand(5, 3, 4), randn64(gen, 5, 4, 2)},
            {randn64(gen, 3, 1).expand(3, 4), randn64(gen, 4, 1).expand(4, 6)},
            {randn64(gen, 4, 3, 2).permute(2, 0, 1), randn64(gen, 2, 3, 5)},
            {randn64(gen, 9).slice(0, 0, 9, 3), randn64(gen, 2, 3).t()},
        };
        for (Tensor[] p : pairs) {
            assertClose(naiveMatmul(p[0], p[1]), p[0].matmul(p[1]), 1e-12);
        }
    }

    /** AᵀB, ABᵀ, AᵀBᵀ through transpose views (the kernel's transpose flags) vs the same with copies. */
    @Test
    void transposedOperandPathsAgreeWithMaterializedOnes() {
        Generator gen = new Generator(15);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dtype == DType.FLOAT32 ? 1e-4 : 1e-12;
            int m = 37, k = 53, n = 29;
            Tensor a = Tensor.randn(gen, m, k).to(dtype), b = Tensor.randn(gen, k, n).to(dtype);
            Tensor aT = Tensor.randn(gen, k, m).to(dtype), bT = Tensor.randn(gen, n, k).to(dtype);
            Tensor[][] pairs = {{aT.t(), b}, {a, bT.t()}, {aT.t(), bT.t()}, {a, b}};
            for (Tensor[] p : pairs) {
                Tensor viaFlags = p[0].matmul(p[1]);
                Tensor viaCopies = p[0].contiguous().matmul(p[1].contiguous());
                assertEquals(dtype, viaFlags.dtype());
                assertClose(viaCopies, viaFlags, tol);
                assertClose(naiveMatmul(p[0], p[1]), viaFlags, tol);
            }
            // Batched too: [3, k, m]ᵀ · [3, n, k]ᵀ
            Tensor ba = Tensor.randn(gen, 3, 13, 11).to(dtype), bb = Tensor.randn(gen, 3, 7, 13).to(dtype);
            Tensor flags = ba.transpose(-1, -2).matmul(bb.transpose(-1, -2));
            assertClose(ba.transpose(-1, -2).contiguous().matmul(bb.transpose(-1, -2).contiguous()), flags, tol);
        }
    }

    @Test
    void transposedViewsReachTheKernelWithoutACopy() {
        Tensor a = Tensor.randn(new Generator(16), 4, 6, 5);
        LinearAlgebra.Layout plain = LinearAlgebra.Layout.of(a, DType.FLOAT32);
        assertFalse(plain.trans());
        assertEquals(5, plain.ld());
        assertSame(a.storage, plain.t().storage);

        LinearAlgebra.Layout flipped = LinearAlgebra.Layout.of(a.transpose(-1, -2), DType.FLOAT32);
        assertTrue(flipped.trans());
        assertEquals(5, flipped.ld());
        assertSame(a.storage, flipped.t().storage, "a transpose view must not be copied");

        // Columns of a slice keep their row stride as the leading dimension.
        LinearAlgebra.Layout sliced = LinearAlgebra.Layout.of(a.slice(2, 1, 4), DType.FLOAT32);
        assertFalse(sliced.trans());
        assertEquals(5, sliced.ld());
        assertSame(a.storage, sliced.t().storage);

        // Neither rows nor columns contiguous: copied to a plain layout.
        LinearAlgebra.Layout odd = LinearAlgebra.Layout.of(a.slice(2, 0, 5, 2), DType.FLOAT32);
        assertFalse(odd.trans());
        assertNotSame(a.storage, odd.t().storage);
        assertEquals(3, odd.ld());
    }

    @Test
    void float32AgreesWithFloat64() {
        Generator gen = new Generator(17);
        Tensor a = randn64(gen, 3, 17, 23), b = randn64(gen, 23, 11);
        Tensor out64 = a.matmul(b);
        Tensor out32 = a.to(DType.FLOAT32).matmul(b.to(DType.FLOAT32));
        assertEquals(DType.FLOAT32, out32.dtype());
        assertClose(out64, out32, 1e-5);
        Tensor x = spd(gen, 6);
        assertClose(x.inverse(), x.to(DType.FLOAT32).inverse(), 1e-5);
        assertClose(x.cholesky(), x.to(DType.FLOAT32).cholesky(), 1e-5);
    }

    @Test
    void mixedTypesPromote() {
        Generator gen = new Generator(18);
        Tensor a32 = Tensor.randn(gen, 3, 4);
        Tensor b64 = randn64(gen, 4, 2);
        Tensor out = a32.matmul(b64);
        assertEquals(DType.FLOAT64, out.dtype());
        assertClose(naiveMatmul(a32, b64), out, 1e-12);
        assertEquals(DType.FLOAT64, b64.t().matmul(a32.t()).dtype());

        // int64 is computed as float64 (exact for small integers).
        Tensor i = Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor j = Tensor.of(new long[] {1, 0, -1, 2, 3, 1}, 3, 2);
        Tensor ij = i.matmul(j);
        assertEquals(DType.FLOAT64, ij.dtype());
        assertArrayEquals(new double[] {1 * 1 + 2 * -1 + 3 * 3, 1 * 0 + 2 * 2 + 3 * 1,
                4 * 1 + 5 * -1 + 6 * 3, 4 * 0 + 5 * 2 + 6 * 1}, ij.toDoubleArray());

        // The gradient reaching a float32 leaf is float32.
        Tensor w = Tensor.randn(gen, 3, 4).requiresGrad(true);
        w.matmul(b64).sum().backward();
        assertEquals(DType.FLOAT32, w.grad().dtype());
        double[] expected = new double[12];
        for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) expected[r * 4 + c] = b64.get(c, 0) + b64.get(c, 1);
        assertArrayEquals(expected, w.grad().toDoubleArray(), 1e-6);
    }

    // ------------------------------------------------------------ matmul gradients

    @Test
    void matmulGradCheckForEveryShapeRule() {
        Generator gen = new Generator(21);
        for (int[][] c : CASES) {
            Tensor a = leaf(randn64(gen, c[0])), b = leaf(randn64(gen, c[1]));
            GradCheck.check(in -> in.get(0).matmul(in.get(1)), a, b);
        }
    }

    @Test
    void matmulGradCheckNonContiguousOperands() {
        Generator gen = new Generator(22);
        Tensor[][] pairs = {
            {leaf(randn64(gen, 5, 3).t()), leaf(randn64(gen, 4, 5).t())},
            {leaf(randn64(gen, 2, 4, 3).transpose(1, 2)), leaf(randn64(gen, 4, 2))},
            {leaf(randn64(gen, 3, 8).slice(1, 0, 8, 2)), leaf(randn64(gen, 5, 2, 4).permute(1, 2, 0))},
            {leaf(randn64(gen, 6, 2, 3).slice(0, 0, 6, 3)), leaf(randn64(gen, 3, 4))},
        };
        for (Tensor[] p : pairs) {
            GradCheck.check(in -> in.get(0).matmul(in.get(1)), p[0], p[1]);
        }
        // One operand broadcast by expand inside the function: its gradient sums over the batch.
        Tensor x = leaf(randn64(gen, 3, 4)), y = leaf(randn64(gen, 5, 4, 2));
        GradCheck.check(in -> in.get(0).expand(5, 3, 4).matmul(in.get(1)).tanh(), x, y);
    }

    @Test
    void matmulSecondOrder() {
        Generator gen = new Generator(23);
        int[][][] cases = {{{3, 4}, {4, 2}}, {{2, 1, 3, 4}, {2, 4, 2}}, {{4}, {4}}, {{3, 4}, {4}}};
        for (int[][] c : cases) {
            Tensor a = leaf(randn64(gen, c[0])), b = leaf(randn64(gen, c[1]));
            // tanh makes the Hessian non-trivial (matmul alone is bilinear).
            GradCheck.checkSecondOrder(in -> in.get(0).matmul(in.get(1)).tanh().sum(), a, b);
        }
        Tensor a = leaf(randn64(gen, 4, 3).t()), b = leaf(randn64(gen, 2, 4).t());
        GradCheck.checkSecondOrder(in -> in.get(0).matmul(in.get(1)).mul(in.get(0).matmul(in.get(1))).sum(), a, b);
    }

    /** The course's least squares: E = (XA − Y)ᵀ(XA − Y) with ∂E/∂A = 2Xᵀ(XA − Y). */
    @Test
    void leastSquaresGradientMatchesClosedForm() {
        Generator gen = new Generator(24);
        int n = 7, d = 3;
        Tensor x = randn64(gen, n, d), y = randn64(gen, n, 1);
        Tensor a = leaf(randn64(gen, d, 1));
        Tensor r = x.matmul(a).sub(y);
        Tensor e = r.t().matmul(r);
        assertArrayEquals(new int[] {1, 1}, e.shape());
        e.sum().backward();

        double[] res = new double[n];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double s = -y.get(i, 0);
            for (int j = 0; j < d; j++) s += x.get(i, j) * a.get(j, 0);
            res[i] = s;
            loss += s * s;
        }
        assertEquals(loss, e.item(), 1e-12);
        for (int j = 0; j < d; j++) {
            double g = 0;
            for (int i = 0; i < n; i++) g += 2 * x.get(i, j) * res[i];
            assertEquals(g, a.grad().get(j, 0), 1e-10);
        }
        GradCheck.check(in -> {
            Tensor rr = in.get(1).matmul(in.get(0)).sub(in.get(2));
            return rr.t().matmul(rr);
        }, a, leaf(x), leaf(y));
    }

    @Test
    void matmulErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(128, 784).matmul(Tensor.zeros(256, 10)));
        assertTrue(e.getMessage().startsWith("matmul: cannot multiply [128, 784] by [256, 10]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4)));
        assertTrue(e.getMessage().startsWith("matmul: cannot multiply [3] by [4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2)));
        assertTrue(e.getMessage().startsWith("matmul: cannot multiply [2, 3] by [2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(2).matmul(Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("at least one dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).matmul(Tensor.scalar(2)));
        assertTrue(e.getMessage().startsWith("matmul: cannot multiply [2] by []"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)));
        assertTrue(e.getMessage().startsWith("matmul: cannot multiply [2, 3, 4] by [3, 4, 5]")
                && e.getMessage().contains("batch"), e.getMessage());
    }

    // ------------------------------------------------------------ inverse

    /** A well-conditioned random matrix: n·I + noise. */
    static Tensor wellConditioned(Generator gen, int... shape) {
        int n = shape[shape.length - 1];
        return randn64(gen, shape).add(Tensor.eye(DType.FLOAT64, n).mul(n));
    }

    /** Symmetric positive-definite M·Mᵀ + n·I. */
    static Tensor spd(Generator gen, int n) {
        Tensor m = randn64(gen, n, n);
        return naiveMatmul(m, m.t()).add(Tensor.eye(DType.FLOAT64, n).mul(n));
    }

    @Test
    void inverseTimesMatrixIsIdentity() {
        Generator gen = new Generator(31);
        for (int n : new int[] {1, 2, 5, 9}) {
            Tensor x = randn64(gen, n, n);
            Tensor y = x.inverse();
            assertClose(Tensor.eye(DType.FLOAT64, n), naiveMatmul(x, y), 1e-9);
            assertClose(Tensor.eye(DType.FLOAT64, n), naiveMatmul(y, x), 1e-9);
        }
        // A zero leading entry needs a row swap (partial pivoting).
        Tensor p = Tensor.of(new double[][] {{0, 1}, {1, 0}});
        assertClose(p, p.inverse(), 0);
        // Batches, non-contiguous input, float32.
        Tensor batch = wellConditioned(gen, 2, 3, 4, 4).transpose(-1, -2);
        Tensor inv = batch.inverse();
        assertArrayEquals(new int[] {2, 3, 4, 4}, inv.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                Tensor xi = batch.select(0, i).select(0, j), yi = inv.select(0, i).select(0, j);
                assertClose(Tensor.eye(DType.FLOAT64, 4), naiveMatmul(xi, yi), 1e-12);
            }
        }
        Tensor x32 = wellConditioned(gen, 6, 6).to(DType.FLOAT32);
        Tensor y32 = x32.inverse();
        assertEquals(DType.FLOAT32, y32.dtype());
        assertClose(Tensor.eye(DType.FLOAT64, 6), naiveMatmul(x32, y32), 1e-5);
    }

    @Test
    void inverseGradCheck() {
        Generator gen = new Generator(32);
        GradCheck.check(in -> in.get(0).inverse(), leaf(wellConditioned(gen, 4, 4)));
        GradCheck.check(in -> in.get(0).inverse(), leaf(wellConditioned(gen, 2, 1, 3, 3)));
        GradCheck.check(in -> in.get(0).inverse(), leaf(wellConditioned(gen, 3, 3).t()));
        GradCheck.checkSecondOrder(in -> in.get(0).inverse().tanh().sum(), leaf(wellConditioned(gen, 3, 3)));
        GradCheck.checkSecondOrder(in -> in.get(0).inverse().matmul(in.get(1)).pow(2).sum(),
                leaf(wellConditioned(gen, 2, 3, 3)), leaf(randn64(gen, 3, 2)));
    }

    /** For Y = X⁻¹: d sum(W∘Y) / dX = −Yᵀ·W·Yᵀ. */
    @Test
    void inverseGradientMatchesClosedForm() {
        Generator gen = new Generator(33);
        int n = 5;
        Tensor x = leaf(wellConditioned(gen, n, n));
        Tensor w = randn64(gen, n, n);
        Tensor y = x.inverse();
        y.mul(w).sum().backward();
        double[][] yv = new double[n][n], wv = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            yv[i][j] = y.get(i, j);
            wv[i][j] = w.get(i, j);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                // (−Yᵀ W Yᵀ)_ij = −Σ_pq Y_pi W_pq Y_jq
                double s = 0;
                for (int p = 0; p < n; p++) for (int q = 0; q < n; q++) s += yv[p][i] * wv[p][q] * yv[j][q];
                assertEquals(-s, x.grad().get(i, j), 1e-12);
            }
        }
    }

    @Test
    void inverseErrors() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[][] {{1, 2}, {2, 4}}).inverse());
        assertTrue(e.getMessage().startsWith("inverse: matrix is singular"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3).inverse());
        assertTrue(e.getMessage().startsWith("inverse: matrix is singular"), e.getMessage());
        // Singular, but rounding leaves a pivot of about 1e-16 instead of 0: still refused.
        for (double scale : new double[] {0.1, 1.1, 1e-30, 1e30}) {
            double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9};
            for (int i = 0; i < 9; i++) v[i] *= scale;
            e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(v, 3, 3).inverse(), "scale " + scale);
            assertTrue(e.getMessage().startsWith("inverse: matrix is singular"), e.getMessage());
        }
        // Badly scaled but well-conditioned matrices are fine.
        Tensor tiny = Tensor.of(new double[][] {{1e-30, 2e-30}, {3e-30, 4e-30}});
        assertClose(Tensor.eye(DType.FLOAT64, 2), naiveMatmul(tiny, tiny.inverse()), 1e-12);
        Tensor hilbert = Tensor.empty(DType.FLOAT64, new int[] {6, 6});
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) hilbert.storage.set(i * 6 + j, 1.0 / (i + j + 1));
        assertClose(Tensor.eye(DType.FLOAT64, 6), naiveMatmul(hilbert, hilbert.inverse()), 1e-6); // condition ~1.5e7
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.FLOAT64, 3, 3).inverse());
        assertTrue(e.getMessage().startsWith("inverse: matrix is singular"), e.getMessage());
        Tensor batch = Tensor.eye(DType.FLOAT64, 2).expand(3, 2, 2).contiguous();
        batch.storage.set(2 * 4 + 3, 0); // the third matrix loses its last pivot
        e = assertThrows(IllegalArgumentException.class, batch::inverse);
        assertTrue(e.getMessage().startsWith("inverse: matrix is singular") && e.getMessage().contains("[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).inverse());
        assertTrue(e.getMessage().startsWith("inverse:") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("square"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).inverse());
        assertTrue(e.getMessage().startsWith("inverse:") && e.getMessage().contains("[3]"), e.getMessage());
    }

    // ------------------------------------------------------------ cholesky

    @Test
    void choleskyReconstructsTheMatrix() {
        Generator gen = new Generator(41);
        for (int n : new int[] {1, 2, 5, 8}) {
            Tensor a = spd(gen, n);
            Tensor l = a.cholesky();
            for (int i = 0; i < n; i++) {
                assertTrue(l.get(i, i) > 0, "positive diagonal");
                for (int j = i + 1; j < n; j++) assertEquals(0.0, l.get(i, j), "upper triangle must be zero");
            }
            assertClose(a, naiveMatmul(l, l.t()), 1e-12);
        }
        Tensor known = Tensor.of(new double[][] {{4, 2}, {2, 5}}); // L = [[2, 0], [1, 2]]
        assertArrayEquals(new double[] {2, 0, 1, 2}, known.cholesky().toDoubleArray(), 1e-15);

        double[] both = new double[18];
        System.arraycopy(spd(gen, 3).toDoubleArray(), 0, both, 0, 9);
        System.arraycopy(spd(gen, 3).toDoubleArray(), 0, both, 9, 9);
        Tensor batch = Tensor.of(both, 2, 3, 3);
        Tensor lb = batch.cholesky();
        for (int b = 0; b < 2; b++) {
            Tensor lbi = lb.select(0, b);
            assertClose(batch.select(0, b), naiveMatmul(lbi, lbi.t()), 1e-12);
        }
        Tensor a32 = spd(gen, 4).to(DType.FLOAT32);
        Tensor l32 = a32.cholesky();
        assertEquals(DType.FLOAT32, l32.dtype());
        assertClose(a32, naiveMatmul(l32, l32.t()), 1e-5);
    }

    /** A = M·Mᵀ + n·I built inside f keeps A symmetric positive-definite under every perturbation of M. */
    static Function<List<Tensor>, Tensor> choleskyOfGram(int n) {
        return in -> {
            Tensor m = in.get(0);
            Tensor a = m.matmul(m.transpose(-1, -2)).add(Tensor.eye(DType.FLOAT64, n).mul(n));
            return a.cholesky();
        };
    }

    @Test
    void choleskyGradCheck() {
        Generator gen = new Generator(42);
        GradCheck.check(choleskyOfGram(4), leaf(randn64(gen, 4, 4)));
        GradCheck.check(choleskyOfGram(3), leaf(randn64(gen, 2, 3, 3)));
        GradCheck.check(choleskyOfGram(3), leaf(randn64(gen, 2, 3).t()));
        GradCheck.check(choleskyOfGram(3), leaf(randn64(gen, 3, 3).t()));
        GradCheck.checkSecondOrder(in -> choleskyOfGram(3).apply(in).tanh().sum(), leaf(randn64(gen, 3, 3)));
    }

    /**
     * The gradient with respect to a leaf A is the symmetric one (PyTorch's convention). With a
     * symmetric G, GradCheck of A → cholesky(½(A + Aᵀ)), whose analytic gradient is ½(G + Gᵀ) = G,
     * confirms G itself.
     */
    @Test
    void choleskyGradientIsSymmetric() {
        Generator gen = new Generator(43);
        int n = 4;
        Tensor a = leaf(spd(gen, n));
        Tensor w = randn64(gen, n, n);
        a.cholesky().mul(w).sum().backward();
        Tensor g = a.grad();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) assertEquals(g.get(i, j), g.get(j, i), 1e-12, "gradient symmetric at " + i + "," + j);
        }
        assertTrue(Math.abs(g.get(1, 0)) > 1e-6, "off-diagonal gradient present");
        GradCheck.check(in -> in.get(0).add(in.get(0).t()).mul(0.5).cholesky().mul(w), leaf(spd(gen, n)));
    }

    @Test
    void choleskyErrors() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[][] {{1, 2}, {2, 1}}).cholesky());
        assertTrue(e.getMessage().startsWith("cholesky:") && e.getMessage().contains("not positive-definite")
                && e.getMessage().contains("pivot 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[][] {{-1, 0}, {0, 1}}).cholesky());
        assertTrue(e.getMessage().contains("pivot 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).cholesky());
        assertTrue(e.getMessage().startsWith("cholesky:") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }
}
