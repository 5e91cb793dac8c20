package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Movement ops: values against index arithmetic on the base's row-major values, zero-copy sharing,
 * the errors, the stride rule behind view, and gradients (alone, composed and on strided inputs).
 */
class ViewsTest {

    /** A float64 tensor whose element at row-major position k is k. */
    static Tensor iota(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return Tensor.of(v, shape);
    }

    /** Row-major values of a tensor of {@code shape} whose element at idx is f(idx). */
    interface IndexFn {
        double at(int[] idx);
    }

    static double[] build(int[] shape, IndexFn f) {
        int n = Shapes.numel(shape);
        double[] out = new double[n];
        int[] idx = new int[shape.length];
        for (int k = 0; k < n; k++) {
            int rem = k;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = rem % shape[d];
                rem /= shape[d];
            }
            out[k] = f.at(idx);
        }
        return out;
    }

    static void assertView(Tensor base, Tensor view) {
        assertSame(base.storage, view.storage, "expected a view sharing the base's storage");
    }

    static Tensor randomLeaf(Generator g, int... shape) {
        return Tensor.randn(g, shape).to(DType.FLOAT64).requiresGrad(true);
    }

    /** A leaf of {@code shape} laid out transposed in memory (last two dims swapped). */
    static Tensor transposedLeaf(Generator g, int... shape) {
        int r = shape.length;
        int[] swapped = shape.clone();
        swapped[r - 1] = shape[r - 2];
        swapped[r - 2] = shape[r - 1];
        return Tensor.randn(g, swapped).to(DType.FLOAT64).transpose(-1, -2).detach().requiresGrad(true);
    }

    /** A leaf of {@code shape} taking every other element of dim 0 of a larger storage. */
    static Tensor steppedLeaf(Generator g, int... shape) {
        int[] big = shape.clone();
        big[0] = 2 * shape[0];
        return Tensor.randn(g, big).to(DType.FLOAT64).slice(0, 0, big[0], 2).detach().requiresGrad(true);
    }

    // ------------------------------------------------------------ reshape and view

    @Test
    void reshapeOfContiguousIsAView() {
        Tensor t = iota(2, 3, 4);
        Tensor r = t.reshape(4, -1);
        assertArrayEquals(new int[] {4, 6}, r.shape());
        assertView(t, r);
        assertArrayEquals(t.toDoubleArray(), r.toDoubleArray());
        assertArrayEquals(new int[] {24}, t.view(-1).shape());
        assertArrayEquals(new int[] {1, 24, 1}, t.reshape(1, 24, 1).shape());
        assertArrayEquals(new int[] {}, iota(1, 1).reshape().shape());
        assertEquals(0, iota(1).reshape().dim());
        assertArrayEquals(new int[] {0, 5}, Tensor.zeros(0, 3).reshape(0, 5).shape());
    }

    @Test
    void reshapeErrorsNameTheShapes() {
        Tensor t = iota(2, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(5, -1));
        assertTrue(e.getMessage().startsWith("reshape") && e.getMessage().contains("[5, -1]")
                && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.reshape(-1, -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.view(7, 3));
        assertTrue(e.getMessage().startsWith("view"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.reshape(-2, -12));
    }

    @Test
    void viewFailsWhenStridesForbidAndReshapeCopies() {
        Tensor base = iota(4, 3);
        Tensor tr = base.t(); // [3, 4], strides [1, 3]
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tr.view(12));
        assertTrue(e.getMessage().startsWith("view") && e.getMessage().contains("[3, 4]")
                && e.getMessage().contains("reshape"), e.getMessage());
        Tensor r = tr.reshape(12);
        assertNotSame(base.storage, r.storage, "a reshape that cannot be a view copies");
        assertArrayEquals(build(new int[] {12}, i -> (i[0] % 4) * 3 + i[0] / 4), r.toDoubleArray());
        // Splitting a dimension of the transposed tensor is still a view.
        Tensor split = tr.view(3, 2, 2);
        assertView(base, split);
        assertArrayEquals(build(new int[] {3, 2, 2}, i -> (i[1] * 2 + i[2]) * 3 + i[0]), split.toDoubleArray());
    }

    @Test
    void viewOfSteppedSlice() {
        Tensor base = iota(4, 7);
        Tensor s = base.slice(1, 0, 6, 2); // [4, 3], strides [7, 2]
        Tensor v = s.view(2, 2, 3);
        assertView(base, v);
        assertArrayEquals(new int[] {14, 7, 2}, v.strides());
        assertArrayEquals(build(new int[] {2, 2, 3}, i -> (i[0] * 2 + i[1]) * 7 + 2 * i[2]), v.toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> s.view(12));
        assertThrows(IllegalArgumentException.class, () -> s.view(2, 6));
        Tensor r = s.reshape(2, 6);
        assertArrayEquals(build(new int[] {2, 6}, i -> (i[0] * 2 + i[1] / 3) * 7 + 2 * (i[1] % 3)), r.toDoubleArray());
        // When the rows happen to continue the column step, merging them is a view after all.
        Tensor even = iota(4, 6).slice(1, 0, 6, 2); // strides [6, 2]: elements 0, 2, 4, 6, ...
        Tensor flat = even.view(12);
        assertArrayEquals(new int[] {2}, flat.strides());
        assertArrayEquals(build(new int[] {12}, i -> 2 * i[0]), flat.toDoubleArray());
    }

    @Test
    void viewStridesOnTrickyLayouts() {
        // Contiguous: plain row-major strides for the new shape.
        assertArrayEquals(new int[] {4, 1}, Views.viewStrides(iota(2, 3, 4), new int[] {6, 4}));
        // Transposed: splitting a dimension works, merging the two does not.
        Tensor tr = iota(4, 3).t();
        assertArrayEquals(new int[] {1, 6, 3}, Views.viewStrides(tr, new int[] {3, 2, 2}));
        assertNull(Views.viewStrides(tr, new int[] {12}));
        assertNull(Views.viewStrides(tr, new int[] {4, 3}));
        // Size-1 dimensions may carry any stride; inserting or removing them keeps a view.
        Tensor odd = Views.as(iota(12), new int[] {3, 1, 4}, new int[] {1, 77, 3}, 0);
        int[] s = Views.viewStrides(odd, new int[] {3, 4});
        assertArrayEquals(new int[] {1, 3}, s);
        int[] s2 = Views.viewStrides(odd, new int[] {1, 3, 4, 1});
        assertNotNull(s2);
        assertEquals(1, s2[1]);
        assertEquals(3, s2[2]);
        assertNull(Views.viewStrides(odd, new int[] {12}));
        // Expanded (stride 0): splitting is a view, merging the broadcast dim with a real one is not.
        Tensor ex = iota(3).expand(4, 3);
        assertArrayEquals(new int[] {0, 0, 1}, Views.viewStrides(ex, new int[] {2, 2, 3}));
        assertNull(Views.viewStrides(ex, new int[] {12}));
        Tensor flat = ex.reshape(12);
        assertArrayEquals(build(new int[] {12}, i -> i[0] % 3), flat.toDoubleArray());
        // Transposed then flattened: reshape works (copy), view must fail.
        Tensor t3 = iota(2, 3, 4).transpose(1, 2); // [2, 4, 3]
        assertNull(Views.viewStrides(t3, new int[] {2, 12}));
        assertArrayEquals(new int[] {12, 1, 4}, Views.viewStrides(t3, new int[] {2, 4, 3}));
        assertThrows(IllegalArgumentException.class, () -> t3.view(24));
        assertThrows(IllegalArgumentException.class, () -> t3.view(2, 12));
        assertArrayEquals(build(new int[] {2, 12}, i -> i[0] * 12 + (i[1] % 3) * 4 + i[1] / 3),
                t3.flatten(1, 2).toDoubleArray());
        // A narrowed last dim: the leading dims still merge, the last two do not.
        Tensor narrow = iota(2, 3, 5).slice(2, 0, 4); // [2, 3, 4], strides [15, 5, 1]
        assertArrayEquals(new int[] {5, 1}, Views.viewStrides(narrow, new int[] {6, 4}));
        assertNull(Views.viewStrides(narrow, new int[] {2, 12}));
        assertArrayEquals(build(new int[] {6, 4}, i -> i[0] * 5 + i[1]), narrow.view(6, 4).toDoubleArray());
    }

    // ------------------------------------------------------------ transpose, permute, t

    @Test
    void transposeAndPermuteValues() {
        Tensor x = iota(2, 3, 4);
        Tensor t = x.transpose(0, -1); // [4, 3, 2]
        assertView(x, t);
        assertArrayEquals(new int[] {4, 3, 2}, t.shape());
        assertArrayEquals(build(new int[] {4, 3, 2}, i -> i[2] * 12 + i[1] * 4 + i[0]), t.toDoubleArray());
        Tensor p = x.permute(2, 0, 1); // [4, 2, 3]
        assertView(x, p);
        assertArrayEquals(build(new int[] {4, 2, 3}, i -> i[1] * 12 + i[2] * 4 + i[0]), p.toDoubleArray());
        assertArrayEquals(p.toDoubleArray(), x.permute(-1, -3, -2).toDoubleArray());
        assertEquals(x.transpose(1, 1).toDoubleArray().length, 24);
        assertArrayEquals(x.toDoubleArray(), x.transpose(1, 1).toDoubleArray());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.permute(0, 0, 1));
        assertTrue(e.getMessage().startsWith("permute"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1));
        assertTrue(e.getMessage().startsWith("permute") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.transpose(0, 3));
        assertTrue(e.getMessage().startsWith("transpose"), e.getMessage());
    }

    @Test
    void matrixTranspose() {
        Tensor m = iota(2, 3);
        assertArrayEquals(build(new int[] {3, 2}, i -> i[1] * 3 + i[0]), m.t().toDoubleArray());
        Tensor v = iota(3);
        assertSame(v, v.t());
        Tensor s = Tensor.scalar(2);
        assertSame(s, s.t());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> iota(2, 3, 4).t());
        assertTrue(e.getMessage().startsWith("t:") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }

    // ------------------------------------------------------------ slice and select

    @Test
    void sliceWithStepAndNegativeBounds() {
        Tensor x = iota(10);
        assertArrayEquals(new double[] {3, 6}, x.slice(0, -7, -1, 3).toDoubleArray());
        assertArrayEquals(new double[] {0, 4, 8}, x.slice(0, -100, 100, 4).toDoubleArray());
        assertArrayEquals(new double[] {7, 8, 9}, x.slice(0, -3, 10).toDoubleArray());
        assertArrayEquals(new int[] {0}, x.slice(0, 6, 2).shape());
        assertArrayEquals(new int[] {0}, x.slice(0, 12, 20).shape());
        assertArrayEquals(new double[] {9}, x.slice(0, 9, 10, 5).toDoubleArray());

        Tensor m = iota(4, 6);
        Tensor s = m.slice(-1, 1, -1, 2); // columns 1 and 3
        assertView(m, s);
        assertArrayEquals(build(new int[] {4, 2}, i -> i[0] * 6 + 1 + 2 * i[1]), s.toDoubleArray());
        Tensor s2 = s.slice(0, -3, 4, 2); // rows 1 and 3
        assertArrayEquals(build(new int[] {2, 2}, i -> (1 + 2 * i[0]) * 6 + 1 + 2 * i[1]), s2.toDoubleArray());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.slice(0, 0, 2, 0));
        assertTrue(e.getMessage().startsWith("slice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.slice(0, 0, 2, -1));
        assertThrows(IllegalArgumentException.class, () -> m.slice(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).slice(0, 0, 1));
    }

    @Test
    void selectWithNegativeIndex() {
        Tensor x = iota(2, 3, 4);
        Tensor s = x.select(1, -1);
        assertView(x, s);
        assertArrayEquals(new int[] {2, 4}, s.shape());
        assertArrayEquals(build(new int[] {2, 4}, i -> i[0] * 12 + 2 * 4 + i[1]), s.toDoubleArray());
        assertArrayEquals(build(new int[] {2, 3}, i -> i[0] * 12 + i[1] * 4 + 1), x.select(-1, 1).toDoubleArray());
        assertEquals(23, x.select(0, 1).select(0, 2).select(0, 3).item());
        assertEquals(0, x.select(0, 0).select(0, 0).select(0, 0).dim());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.select(1, 3));
        assertTrue(e.getMessage().startsWith("select"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> x.select(1, -4));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).select(0, 0));
    }

    // ------------------------------------------------------------ expand, squeeze, unsqueeze, flatten

    @Test
    void expandBroadcastsWithoutCopying() {
        Tensor x = iota(3, 1);
        Tensor e = x.expand(2, -1, 4);
        assertView(x, e);
        assertArrayEquals(new int[] {2, 3, 4}, e.shape());
        assertEquals(0, e.strides()[0]);
        assertEquals(0, e.strides()[2]);
        assertArrayEquals(build(new int[] {2, 3, 4}, i -> i[1]), e.toDoubleArray());
        assertSame(x, x.expand(3, 1));
        assertArrayEquals(new int[] {0, 3, 4}, x.expand(0, 3, 4).shape());
        assertArrayEquals(new double[] {5, 5, 5}, Tensor.scalar(DType.FLOAT64, 5).expand(3).toDoubleArray());

        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> iota(3).expand(4, 2));
        assertTrue(ex.getMessage().startsWith("expand") && ex.getMessage().contains("[3]")
                && ex.getMessage().contains("[4, 2]"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> iota(3).expand(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> iota(2, 3).expand(3));
        assertThrows(IllegalArgumentException.class, () -> iota(3, 1).expand(3, -2));
    }

    @Test
    void squeezeAndUnsqueezeWithNegativeDims() {
        Tensor x = iota(2, 1, 3, 1);
        assertArrayEquals(new int[] {2, 3}, x.squeeze().shape());
        assertArrayEquals(new int[] {2, 3, 1}, x.squeeze(1).shape());
        assertArrayEquals(new int[] {2, 1, 3}, x.squeeze(-1).shape());
        assertArrayEquals(new int[] {2, 1, 3, 1}, x.squeeze(0).shape(), "squeezing a dim that is not 1 is a no-op");
        assertView(x, x.squeeze());
        assertArrayEquals(x.toDoubleArray(), x.squeeze().toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> x.squeeze(4));

        Tensor m = iota(2, 3);
        assertArrayEquals(new int[] {1, 2, 3}, m.unsqueeze(0).shape());
        assertArrayEquals(new int[] {2, 3, 1}, m.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {1, 2, 3}, m.unsqueeze(-3).shape());
        assertArrayEquals(new int[] {2, 1, 3}, m.unsqueeze(-2).shape());
        assertThrows(IllegalArgumentException.class, () -> m.unsqueeze(3 + 1));
        assertThrows(IllegalArgumentException.class, () -> m.unsqueeze(-4));
        assertArrayEquals(new int[] {1}, Tensor.scalar(1).unsqueeze(0).shape());
        assertArrayEquals(new int[] {}, Tensor.zeros(1, 1).squeeze().shape());
        // unsqueeze of a transposed tensor keeps reading the right elements.
        Tensor u = m.t().unsqueeze(1);
        assertArrayEquals(build(new int[] {3, 1, 2}, i -> i[2] * 3 + i[0]), u.toDoubleArray());
    }

    @Test
    void flatten() {
        Tensor x = iota(2, 3, 4);
        assertArrayEquals(new int[] {24}, x.flatten().shape());
        assertArrayEquals(new int[] {2, 12}, x.flatten(1, 2).shape());
        assertArrayEquals(new int[] {6, 4}, x.flatten(0, -2).shape());
        assertArrayEquals(x.toDoubleArray(), x.flatten(0, -2).toDoubleArray());
        assertArrayEquals(new int[] {1}, Tensor.scalar(3).flatten().shape());
        assertThrows(IllegalArgumentException.class, () -> x.flatten(2, 1));
        Tensor tf = x.transpose(0, 2).flatten();
        assertArrayEquals(build(new int[] {24}, i -> (i[0] % 2) * 12 + (i[0] / 2 % 3) * 4 + i[0] / 6), tf.toDoubleArray());
    }

    @Test
    void contiguous() {
        Tensor x = iota(3, 4);
        assertSame(x, x.contiguous());
        Tensor t = x.t();
        assertFalse(t.isContiguous());
        Tensor c = t.contiguous();
        assertTrue(c.isContiguous());
        assertNotSame(x.storage, c.storage);
        assertArrayEquals(t.toDoubleArray(), c.toDoubleArray());
        assertArrayEquals(new int[] {3, 1}, c.strides());
        // Size-1 dims and expanded views.
        assertTrue(iota(3, 1).unsqueeze(0).isContiguous());
        assertFalse(iota(3).expand(2, 3).isContiguous());
        assertTrue(iota(3).expand(2, 3).contiguous().isContiguous());
    }

    // ------------------------------------------------------------ zero copy

    @Test
    void writesToTheBaseAreVisibleInViews() {
        Tensor base = iota(4, 6);
        Tensor[] views = {
                base.reshape(2, 12), base.view(24), base.t(), base.permute(1, 0), base.slice(1, 1, 6, 2),
                base.select(0, -2), base.unsqueeze(1).expand(4, 3, 6), base.flatten(), base.unsqueeze(0).squeeze(),
                base.slice(0, 1, 3).transpose(0, 1).select(1, 0)};
        double[][] before = new double[views.length][];
        for (int i = 0; i < views.length; i++) before[i] = views[i].toDoubleArray();
        try (var scope = Autograd.noGrad()) {
            base.copyInPlace(base.mul(10).add(1));
        }
        for (int i = 0; i < views.length; i++) {
            double[] expected = before[i].clone();
            for (int k = 0; k < expected.length; k++) expected[k] = 10 * expected[k] + 1;
            assertArrayEquals(expected, views[i].toDoubleArray(), "view " + i);
        }
        // And writes through a view land in the base.
        Tensor col = base.select(1, 2);
        col.fillInPlace(-5);
        for (int r = 0; r < 4; r++) assertEquals(-5, base.get(r, 2));
        base.t().select(0, 0).copyInPlace(Tensor.of(7, 8, 9, 10));
        assertArrayEquals(new double[] {7, 8, 9, 10}, base.select(1, 0).toDoubleArray());
    }

    // ------------------------------------------------------------ gradients

    static void checkBoth(UnaryOperator<Tensor> f, Tensor... leaves) {
        for (Tensor x : leaves) GradCheck.check(in -> f.apply(in.get(0)), x);
    }

    @Test
    void gradientsOfEachView() {
        Generator g = new Generator(7);
        for (int trial = 0; trial < 2; trial++) {
            Tensor c = randomLeaf(g, 2, 3, 4), tr = transposedLeaf(g, 2, 3, 4), st = steppedLeaf(g, 2, 3, 4);
            checkBoth(x -> x.reshape(4, 6), c, tr, st);
            checkBoth(x -> x.reshape(-1), c, tr, st);
            checkBoth(x -> x.contiguous().view(6, 4), c, tr, st);
            checkBoth(x -> x.transpose(0, 2), c, tr, st);
            checkBoth(x -> x.permute(1, 2, 0), c, tr, st);
            checkBoth(x -> x.slice(2, -3, 4, 2), c, tr, st);
            checkBoth(x -> x.slice(1, 1, 3), c, tr, st);
            checkBoth(x -> x.select(1, -1), c, tr, st);
            checkBoth(x -> x.unsqueeze(1).expand(2, 5, 3, 4), c, tr, st);
            checkBoth(x -> x.unsqueeze(-1).squeeze(-1), c, tr, st);
            checkBoth(x -> x.flatten(0, 1), c, tr, st);
            checkBoth(Tensor::contiguous, c, tr, st);
        }
        Tensor m = randomLeaf(g, 3, 4);
        checkBoth(Tensor::t, m, transposedLeaf(g, 3, 4), steppedLeaf(g, 3, 4));
        Tensor col = randomLeaf(g, 3, 1);
        checkBoth(x -> x.expand(2, 3, 5), col);
        checkBoth(x -> x.expand(-1, 4).mul(x.expand(3, 4)), col);
        Tensor sq = randomLeaf(g, 1, 3, 1);
        checkBoth(Tensor::squeeze, sq);
        checkBoth(x -> x.squeeze(0), sq);
    }

    @Test
    void gradientsOfComposedViews() {
        Generator g = new Generator(8);
        Tensor x = randomLeaf(g, 3, 1, 4);
        // slice of a transpose of an expand.
        UnaryOperator<Tensor> f = t -> t.expand(3, 5, 4).transpose(0, 2).slice(1, 1, 5, 2).select(2, -1);
        checkBoth(f, x);
        // A view of a non-contiguous tensor, and a reshape that must copy.
        Tensor tr = transposedLeaf(g, 4, 6); // [4, 6] stored as [6, 4]
        checkBoth(t -> t.view(2, 2, 6), tr);
        checkBoth(t -> t.reshape(24), tr);
        checkBoth(t -> t.slice(1, 0, 6, 2).reshape(3, 4).t(), tr, steppedLeaf(g, 4, 6));
        // The same leaf through two overlapping views: gradients add.
        checkBoth(t -> t.slice(1, 0, 4).mul(t.slice(1, 2, 6)), randomLeaf(g, 3, 6));
        // Second order through views (mixed with a nonlinearity so that it is not trivially zero).
        Tensor y = randomLeaf(g, 2, 3);
        GradCheck.checkSecondOrder(in -> in.get(0).t().unsqueeze(0).expand(2, 3, 2).sin()
                .mul(in.get(0).select(0, 1).unsqueeze(-1)).slice(0, 1, 2), y);
        GradCheck.checkSecondOrder(in -> in.get(0).reshape(3, 2).transpose(0, 1).mul(in.get(0)).exp(),
                steppedLeaf(g, 2, 3));
    }

    @Test
    void viewGradientHasTheInputsShape() {
        Tensor x = Tensor.ones(DType.FLOAT64, 2, 3).requiresGrad(true);
        Tensor y = x.t().reshape(6).slice(0, 0, 6, 2).expand(2, 3).sum();
        y.backward();
        assertArrayEquals(new int[] {2, 3}, x.grad().shape());
        // t().reshape(6) reads x[0][0], x[1][0], x[0][1], x[1][1], x[0][2], x[1][2]; every other one from the
        // first is x[0][0], x[0][1], x[0][2]; the expand counts each twice.
        assertArrayEquals(new double[] {2, 2, 2, 0, 0, 0}, x.grad().toDoubleArray());
    }
}
