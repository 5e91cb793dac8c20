package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class IndexingTest {

    // ---------------------------------------------------------------- helpers

    private static Tensor leaf(Generator gen, int... shape) {
        return Tensor.randn(gen, shape).to(DType.FLOAT64).detach().requiresGrad(true);
    }

    /** A float64 leaf of shape [a, b] whose strides are transposed (not contiguous). */
    private static Tensor transposedLeaf(Generator gen, int a, int b) {
        Tensor t = Tensor.randn(gen, b, a).to(DType.FLOAT64).transpose(0, 1).detach().requiresGrad(true);
        assertFalse(t.isContiguous());
        return t;
    }

    /** Random int64 indices in [0, bound), with many duplicates when bound is small. */
    private static Tensor randomIndex(Generator gen, int bound, int... shape) {
        long[] v = new long[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (long) Math.floor(gen.nextDouble() * bound);
        return Tensor.of(v, shape);
    }

    /** Visits every multi-index of shape in row-major order (the array is reused). */
    private static void forEachIndex(int[] shape, Consumer<int[]> visit) {
        int n = 1;
        for (int s : shape) n *= s;
        int[] idx = new int[shape.length];
        for (int k = 0; k < n; k++) {
            int r = k;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = r % shape[d];
                r /= shape[d];
            }
            visit.accept(idx);
        }
    }

    private static int[] with(int[] idx, int dim, int value) {
        int[] c = idx.clone();
        c[dim] = value;
        return c;
    }

    private static boolean hasDuplicates(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        for (int i = 1; i < s.length; i++) if (s[i] == s[i - 1]) return true;
        return false;
    }

    // ---------------------------------------------------------------- cat, stack, split

    @Test
    void catMatchesLoopAlongEveryDim() {
        Generator gen = new Generator(1);
        for (int dim = -3; dim < 3; dim++) {
            int d = dim < 0 ? dim + 3 : dim;
            int[] s0 = {2, 3, 4}, s1 = {2, 3, 4}, s2 = {2, 3, 4};
            s0[d] = 1;
            s1[d] = 3;
            s2[d] = 2;
            Tensor a = Tensor.randn(gen, s0);
            // Non-contiguous (permuted) float64 piece: cat must promote to float64 and follow strides.
            int[] rev = {s1[2], s1[1], s1[0]};
            Tensor b = Tensor.randn(gen, rev).to(DType.FLOAT64).permute(2, 1, 0);
            Tensor c = Tensor.randn(gen, s2).slice(0, 0, 2);
            Tensor out = Tensor.cat(List.of(a, b, c), dim);
            assertEquals(DType.FLOAT64, out.dtype());
            int[] expected = s0.clone();
            expected[d] = 6;
            assertArrayEquals(expected, out.shape());
            Tensor[] parts = {a, b, c};
            int[] starts = {0, 1, 4};
            for (int p = 0; p < 3; p++) {
                Tensor part = parts[p];
                int start = starts[p];
                forEachIndex(part.shape(), idx -> assertEquals(part.get(idx), out.get(with(idx, d, idx[d] + start)), 0));
            }
        }
    }

    @Test
    void catGradients() {
        Generator gen = new Generator(2);
        Tensor a = leaf(gen, 3, 2);
        Tensor b = transposedLeaf(gen, 3, 4);
        Tensor c = leaf(gen, 3, 1);
        GradCheck.check(in -> Tensor.cat(in, -1).tanh(), a, b, c);
        GradCheck.check(in -> Tensor.cat(List.of(in.get(0).t(), in.get(1).t()), 0).sin(), a, b);
        GradCheck.checkSecondOrder(in -> Tensor.cat(in, 1).tanh().sum(), a, b, c);
        // The same tensor twice: both slices of the gradient must add up.
        GradCheck.check(in -> Tensor.cat(List.of(in.get(0), in.get(0).mul(2)), 0).pow(2), a);
    }

    @Test
    void catGradientHasEachInputsDtype() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(3.0, 4.0, 5.0).requiresGrad(true);
        Tensor out = Tensor.cat(List.of(a, b), 0);
        assertEquals(DType.FLOAT64, out.dtype());
        out.mul(Tensor.of(1.0, 2.0, 3.0, 4.0, 5.0)).sum().backward();
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertArrayEquals(new double[] {1, 2}, a.grad().toDoubleArray(), 0);
        assertEquals(DType.FLOAT64, b.grad().dtype());
        assertArrayEquals(new double[] {3, 4, 5}, b.grad().toDoubleArray(), 0);
    }

    @Test
    void catErrors() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(2, 4), c = Tensor.zeros(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(a, b, c), 1));
        assertTrue(e.getMessage().contains("cat"), e.getMessage());
        assertTrue(e.getMessage().contains("tensor 2"), e.getMessage());
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(a, Tensor.zeros(2, 3, 1)), 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(Tensor.scalar(1), Tensor.scalar(2)), 0));
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(a, a), 2));
        assertTrue(e.getMessage().startsWith("cat"), e.getMessage());
    }

    @Test
    void stackMatchesLoopAndGradChecks() {
        Generator gen = new Generator(3);
        Tensor a = leaf(gen, 2, 3), b = transposedLeaf(gen, 2, 3), c = leaf(gen, 2, 3);
        for (int dim = -3; dim < 3; dim++) {
            int d = dim < 0 ? dim + 3 : dim;
            Tensor out = Tensor.stack(List.of(a, b, c), dim);
            int[] expected = new int[3];
            for (int k = 0, j = 0; k < 3; k++) expected[k] = k == d ? 3 : a.shape()[j++];
            assertArrayEquals(expected, out.shape());
            Tensor[] parts = {a, b, c};
            for (int p = 0; p < 3; p++) {
                Tensor part = parts[p];
                int which = p;
                forEachIndex(part.shape(), idx -> {
                    int[] o = new int[3];
                    for (int k = 0, j = 0; k < 3; k++) o[k] = k == d ? which : idx[j++];
                    assertEquals(part.get(idx), out.get(o), 0);
                });
            }
            int dd = dim;
            GradCheck.check(in -> Tensor.stack(in, dd).tanh(), a, b, c);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.stack(List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 2)), 0));
        assertTrue(e.getMessage().contains("stack") && e.getMessage().contains("tensor 1")
                && e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void splitGivesViewsOfTheRightSizes() {
        Tensor t = Tensor.arange(DType.FLOAT64, 0, 24, 1).reshape(4, 6);
        List<Tensor> pieces = t.split(4, -1);
        assertEquals(2, pieces.size());
        assertArrayEquals(new int[] {4, 4}, pieces.get(0).shape());
        assertArrayEquals(new int[] {4, 2}, pieces.get(1).shape());
        assertEquals(t.get(3, 5), pieces.get(1).get(3, 1), 0);
        assertSame(t.storage, pieces.get(1).storage, "split must return views");

        List<Tensor> bySizes = t.split(new int[] {1, 0, 3}, 0);
        assertEquals(3, bySizes.size());
        assertArrayEquals(new int[] {0, 6}, bySizes.get(1).shape());
        assertArrayEquals(new int[] {3, 6}, bySizes.get(2).shape());
        forEachIndex(new int[] {3, 6}, idx -> assertEquals(t.get(idx[0] + 1, idx[1]), bySizes.get(2).get(idx), 0));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.split(new int[] {2, 3}, 0));
        assertTrue(e.getMessage().contains("split") && e.getMessage().contains("5") && e.getMessage().contains("4"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.split(0, 0));
        assertThrows(IllegalArgumentException.class, () -> t.split(2, 2));
    }

    @Test
    void splitGradients() {
        Generator gen = new Generator(4);
        Tensor x = transposedLeaf(gen, 5, 3);
        Tensor w = Tensor.of(new double[] {1, -2, 3}, 3);
        GradCheck.check(in -> {
            List<Tensor> p = in.get(0).split(2, 0);
            return p.get(0).tanh().sum().add(p.get(1).mul(w).sum()).add(p.get(2).pow(3).sum());
        }, x);
        GradCheck.check(in -> {
            List<Tensor> p = in.get(0).split(new int[] {2, 1}, -1);
            return Tensor.cat(List.of(p.get(1), p.get(0).sin()), 1);
        }, x);
    }

    @Test
    void emptyPiecesAndScalars() {
        Generator gen = new Generator(18);
        Tensor empty = leaf(gen, 2, 0), b = leaf(gen, 2, 3);
        Tensor out = Tensor.cat(List.of(empty, b, empty), 1);
        assertArrayEquals(new int[] {2, 3}, out.shape());
        GradCheck.check(in -> Tensor.cat(in, 1).tanh(), empty, b);
        assertEquals(1, b.split(5, 1).size());
        assertEquals(1, empty.split(2, 1).size());
        Tensor s = Tensor.scalar(DType.FLOAT64, 3).requiresGrad(true);
        Tensor picked = s.gather(0, Tensor.scalar(DType.INT64, 0));
        assertEquals(0, picked.dim());
        assertEquals(3, picked.item(), 0);
        GradCheck.check(in -> in.get(0).gather(0, Tensor.scalar(DType.INT64, 0)).mul(in.get(0)), s);
        Tensor stacked = Tensor.stack(List.of(Tensor.scalar(1), Tensor.scalar(2)), 0);
        assertArrayEquals(new float[] {1, 2}, stacked.toFloatArray());
    }

    // ---------------------------------------------------------------- gather, scatterAdd, indexSelect

    @Test
    void gatherMatchesLoop() {
        Generator gen = new Generator(5);
        int[] tShape = {3, 4, 5};
        for (int dim = -3; dim < 3; dim++) {
            int d = dim < 0 ? dim + 3 : dim;
            // Index smaller than t outside dim, any length along dim.
            int[] iShape = {2, 3, 4};
            iShape[d] = 6;
            Tensor t = Tensor.randn(gen, 5, 4, 3).permute(2, 1, 0);
            Tensor index = randomIndex(gen, tShape[d], iShape[2], iShape[1], iShape[0]).permute(2, 1, 0);
            Tensor out = t.gather(dim, index);
            assertArrayEquals(iShape, out.shape());
            assertEquals(DType.FLOAT32, out.dtype());
            forEachIndex(iShape, idx -> assertEquals(t.get(with(idx, d, (int) index.get(idx))), out.get(idx), 0));
        }
    }

    @Test
    void gatherOfInt64KeepsExactValues() {
        long big = (1L << 60) + 1;
        Tensor t = Tensor.of(new long[] {big, 2, 3}, 3);
        Tensor out = t.gather(0, Tensor.of(new long[] {0, 0, 2}, 3));
        assertArrayEquals(new long[] {big, big, 3}, out.toLongArray());
    }

    @Test
    void gatherGradients() {
        Generator gen = new Generator(6);
        Tensor x = transposedLeaf(gen, 3, 4);
        // Duplicate indices: the backward scatter-add must accumulate.
        Tensor index = randomIndex(gen, 3, 5, 4);
        assertTrue(hasDuplicates(index.select(1, 0).toLongArray()));
        GradCheck.check(in -> in.get(0).gather(0, index), x);
        Tensor index1 = randomIndex(gen, 4, 2, 7);
        GradCheck.check(in -> in.get(0).gather(-1, index1).tanh(), x);
        GradCheck.checkSecondOrder(in -> in.get(0).gather(0, index).tanh().sum(), x);
        GradCheck.checkSecondOrder(in -> in.get(0).gather(1, index1).pow(3).sum(), x);
    }

    @Test
    void gatherBackwardAccumulatesDuplicates() {
        Tensor x = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        x.gather(0, Tensor.of(new long[] {2, 0, 2, 2}, 4)).mul(Tensor.of(1.0, 10.0, 100.0, 1000.0)).sum().backward();
        assertArrayEquals(new double[] {10, 0, 1101}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void scatterAddMatchesLoop() {
        Generator gen = new Generator(7);
        int[] tShape = {4, 3, 5};
        for (int dim = -3; dim < 3; dim++) {
            int d = dim < 0 ? dim + 3 : dim;
            int[] iShape = {2, 3, 4};
            iShape[d] = 7;
            int[] srcShape = {3, 3, 5};
            srcShape[d] = 8;
            Tensor t = Tensor.randn(gen, tShape).to(DType.FLOAT64);
            Tensor index = randomIndex(gen, tShape[d], iShape);
            Tensor src = Tensor.randn(gen, srcShape[1], srcShape[0], srcShape[2]).to(DType.FLOAT64).transpose(0, 1);
            Tensor out = t.scatterAdd(dim, index, src);
            double[][][] expected = new double[4][3][5];
            forEachIndex(tShape, idx -> expected[idx[0]][idx[1]][idx[2]] = t.get(idx));
            forEachIndex(iShape, idx -> {
                int[] target = with(idx, d, (int) index.get(idx));
                expected[target[0]][target[1]][target[2]] += src.get(idx);
            });
            forEachIndex(tShape, idx -> assertEquals(expected[idx[0]][idx[1]][idx[2]], out.get(idx), 1e-12));
            // The input itself is untouched.
            assertNotSame(t.storage, out.storage);
        }
    }

    @Test
    void scatterAddGradients() {
        Generator gen = new Generator(8);
        Tensor t = transposedLeaf(gen, 3, 4);
        Tensor src = leaf(gen, 5, 4);
        Tensor index = randomIndex(gen, 3, 4, 3); // smaller than src, with duplicates
        GradCheck.check(in -> in.get(0).scatterAdd(0, index, in.get(1)), t, src);
        GradCheck.check(in -> in.get(0).scatterAdd(-1, randomIndexFixed(), in.get(1).slice(0, 0, 3)).tanh(), t, src);
        GradCheck.checkSecondOrder(in -> in.get(0).scatterAdd(0, index, in.get(1)).tanh().sum(), t, src);
    }

    private static Tensor randomIndexFixed() {
        return Tensor.of(new long[] {3, 3, 0, 1, 2, 2, 2, 0, 1}, 3, 3);
    }

    @Test
    void scatterAddSourceGradientIsZeroOutsideTheIndex() {
        Tensor t = Tensor.zeros(DType.FLOAT64, 3);
        Tensor src = Tensor.of(1.0, 2.0, 3.0, 4.0).requiresGrad(true);
        Tensor out = t.scatterAdd(0, Tensor.of(new long[] {1, 1}, 2), src);
        assertArrayEquals(new double[] {0, 3, 0}, out.toDoubleArray(), 0);
        out.mul(Tensor.of(5.0, 6.0, 7.0)).sum().backward();
        assertArrayEquals(new double[] {6, 6, 0, 0}, src.grad().toDoubleArray(), 0);
    }

    @Test
    void indexSelectMatchesLoop() {
        Generator gen = new Generator(9);
        Tensor t = Tensor.randn(gen, 5, 4, 3).permute(1, 2, 0); // [4, 3, 5], not contiguous
        int[] tShape = t.shape();
        for (int dim = -3; dim < 3; dim++) {
            int d = dim < 0 ? dim + 3 : dim;
            Tensor index = randomIndex(gen, tShape[d], 7);
            Tensor out = t.indexSelect(dim, index);
            int[] expectedShape = tShape.clone();
            expectedShape[d] = 7;
            assertArrayEquals(expectedShape, out.shape());
            forEachIndex(expectedShape, idx -> assertEquals(t.get(with(idx, d, (int) index.get(idx[d]))), out.get(idx), 0));
        }
        // A strided (sliced) index.
        Tensor index = Tensor.of(new long[] {2, 9, 0, 9, 1, 9}, 6).slice(0, 0, 6, 2);
        Tensor out = t.indexSelect(1, index);
        forEachIndex(out.shape(), idx -> assertEquals(t.get(with(idx, 1, new int[] {2, 0, 1}[idx[1]])), out.get(idx), 0));
    }

    @Test
    void indexSelectGradients() {
        Generator gen = new Generator(10);
        Tensor x = transposedLeaf(gen, 4, 3);
        Tensor dup = Tensor.of(new long[] {1, 3, 1, 1, 0}, 5);
        GradCheck.check(in -> in.get(0).indexSelect(0, dup), x);
        GradCheck.check(in -> in.get(0).indexSelect(-1, Tensor.of(new long[] {2, 2, 0}, 3)).exp(), x);
        GradCheck.checkSecondOrder(in -> in.get(0).indexSelect(0, dup).tanh().sum(), x);
        Tensor y = Tensor.of(1.0, 2.0, 3.0, 4.0).requiresGrad(true);
        y.indexSelect(0, dup.slice(0, 0, 4)).mul(Tensor.of(1.0, 10.0, 100.0, 1000.0)).sum().backward();
        assertArrayEquals(new double[] {0, 1101, 0, 10}, y.grad().toDoubleArray(), 0);
    }

    @Test
    void indexErrors() {
        Tensor t = Tensor.zeros(3, 4);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> t.gather(1, Tensor.of(new long[] {0, 4}, 1, 2)));
        assertMessage(e, "gather", "4", "dimension 1", "size 4");
        e = assertThrows(IndexOutOfBoundsException.class, () -> t.gather(0, Tensor.of(new long[] {-1}, 1, 1)));
        assertMessage(e, "gather", "-1", "dimension 0", "size 3");
        e = assertThrows(IndexOutOfBoundsException.class,
                () -> t.scatterAdd(0, Tensor.of(new long[] {7}, 1, 1), Tensor.ones(1, 1)));
        assertMessage(e, "scatterAdd", "7", "dimension 0", "size 3");
        e = assertThrows(IndexOutOfBoundsException.class, () -> t.indexSelect(-1, Tensor.of(new long[] {1, 5}, 2)));
        assertMessage(e, "indexSelect", "5", "dimension 1", "size 4");

        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> t.gather(0, Tensor.of(new float[] {0}, 1, 1)));
        assertMessage(a, "gather", "int64", "float32");
        a = assertThrows(IllegalArgumentException.class, () -> t.indexSelect(0, Tensor.of(0.0, 1.0)));
        assertMessage(a, "indexSelect", "int64", "float64");
        a = assertThrows(IllegalArgumentException.class,
                () -> t.scatterAdd(0, Tensor.of(new float[] {0}, 1, 1), Tensor.ones(1, 1)));
        assertMessage(a, "scatterAdd", "int64");
        a = assertThrows(IllegalArgumentException.class, () -> t.gather(0, Tensor.of(new long[] {0}, 1)));
        assertMessage(a, "gather", "[1]", "[3, 4]");
        a = assertThrows(IllegalArgumentException.class, () -> t.gather(0, Tensor.of(new long[] {0, 0, 0, 0, 0}, 1, 5)));
        assertMessage(a, "gather", "[1, 5]", "[3, 4]");
        a = assertThrows(IllegalArgumentException.class,
                () -> t.scatterAdd(0, Tensor.of(new long[] {0, 0}, 1, 2), Tensor.ones(1, 1)));
        assertMessage(a, "scatterAdd", "[1, 2]", "[1, 1]");
        a = assertThrows(IllegalArgumentException.class, () -> t.indexSelect(0, Tensor.of(new long[] {0}, 1, 1)));
        assertMessage(a, "indexSelect", "1-D");
        assertThrows(IllegalArgumentException.class, () -> t.gather(2, Tensor.of(new long[] {0}, 1, 1)));
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "'" + p + "' missing from: " + e.getMessage());
    }

    // ---------------------------------------------------------------- maskedFill and pad

    @Test
    void maskedFillMatchesLoopWithBroadcastMask() {
        Generator gen = new Generator(11);
        Tensor t = Tensor.randn(gen, 4, 3).to(DType.FLOAT64).t(); // [3, 4], transposed
        Tensor mask = Tensor.of(new double[] {1, 0, Double.NaN, 0}, 4); // broadcast along rows
        Tensor out = t.maskedFill(mask, -7);
        forEachIndex(new int[] {3, 4}, idx -> {
            double expected = idx[1] == 1 || idx[1] == 3 ? t.get(idx) : -7;
            assertEquals(expected, out.get(idx), 0);
        });
        Tensor column = Tensor.of(new long[] {0, 5, 0}, 3, 1);
        Tensor out2 = t.maskedFill(column, 2.5);
        forEachIndex(new int[] {3, 4}, idx -> assertEquals(idx[0] == 1 ? 2.5 : t.get(idx), out2.get(idx), 0));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.maskedFill(Tensor.ones(2, 3, 4), 0));
        assertMessage(e, "maskedFill", "[2, 3, 4]", "[3, 4]");
        assertThrows(IllegalArgumentException.class, () -> t.maskedFill(Tensor.ones(3), 0));
    }

    @Test
    void maskedFillGradientIsZeroWhereFilled() {
        Generator gen = new Generator(12);
        Tensor x = transposedLeaf(gen, 3, 4);
        Tensor mask = Tensor.of(new float[] {0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1}, 3, 4);
        GradCheck.check(in -> in.get(0).maskedFill(mask, 3).tanh(), x);
        GradCheck.check(in -> in.get(0).maskedFill(Tensor.of(new float[] {1, 0, 0}, 3, 1), -1).exp(), x);
        GradCheck.checkSecondOrder(in -> in.get(0).maskedFill(mask, 3).tanh().sum(), x);
        x.maskedFill(mask, 3).sum().backward();
        double[] m = mask.toDoubleArray(), g = x.grad().toDoubleArray();
        for (int i = 0; i < m.length; i++) assertEquals(m[i] != 0 ? 0 : 1, g[i], 0);
    }

    @Test
    void padMatchesLoop() {
        Generator gen = new Generator(13);
        Tensor t = Tensor.randn(gen, 2, 3, 4).transpose(1, 2).to(DType.FLOAT64); // [2, 4, 3]
        int[][] paddings = {{1, 2}, {0, 0, 2, 1}, {-1, 1, 1, -2}, {1, 0, 0, 1, -1, 2}, {-3, 1}};
        for (int[] padding : paddings) {
            double value = -9.5;
            Tensor out = t.pad(padding, value);
            int[] before = new int[3], expectedShape = t.shape();
            for (int p = 0; p < padding.length / 2; p++) {
                before[2 - p] = padding[2 * p];
                expectedShape[2 - p] += padding[2 * p] + padding[2 * p + 1];
            }
            assertArrayEquals(expectedShape, out.shape(), Arrays.toString(padding));
            forEachIndex(expectedShape, idx -> {
                int[] src = new int[3];
                boolean inside = true;
                for (int d = 0; d < 3; d++) {
                    src[d] = idx[d] - before[d];
                    inside &= src[d] >= 0 && src[d] < t.shape()[d];
                }
                assertEquals(inside ? t.get(src) : value, out.get(idx), 0, Arrays.toString(padding));
            });
        }
        Tensor longs = Tensor.of(new long[] {5, 6}, 2).pad(new int[] {1, 1}, 7);
        assertArrayEquals(new long[] {7, 5, 6, 7}, longs.toLongArray());
    }

    @Test
    void padGradientsAndErrors() {
        Generator gen = new Generator(14);
        Tensor x = transposedLeaf(gen, 3, 4);
        GradCheck.check(in -> in.get(0).pad(new int[] {1, 2}, 0.5).tanh(), x);
        GradCheck.check(in -> in.get(0).pad(new int[] {-1, 2, 1, -2}, 0).sin(), x);
        GradCheck.checkSecondOrder(in -> in.get(0).pad(new int[] {2, -1, 0, 1}, 1).tanh().sum(), x);

        Tensor t = Tensor.zeros(3, 4);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> t.pad(new int[] {1, 2, 3}, 0)), "pad", "odd");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> t.pad(new int[] {1, 1, 1, 1, 1, 1}, 0)),
                "pad", "[3, 4]", "3 pairs");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> t.pad(new int[] {-3, -2}, 0)),
                "pad", "dimension 1", "size 4", "-1");
    }

    // ---------------------------------------------------------------- sort

    @Test
    void sortMatchesArraysSortOnEveryRow() {
        Generator gen = new Generator(15);
        Tensor t = Tensor.randn(gen, 5, 4, 6).to(DType.FLOAT64).permute(2, 0, 1); // [6, 5, 4], not contiguous
        int[] shape = t.shape();
        for (int dim = -3; dim < 3; dim++) {
            int d = dim < 0 ? dim + 3 : dim;
            for (boolean descending : new boolean[] {false, true}) {
                Tensor.ValuesAndIndices r = t.sort(dim, descending);
                assertEquals(DType.INT64, r.indices().dtype());
                assertArrayEquals(shape, r.values().shape());
                assertArrayEquals(shape, r.indices().shape());
                int[] lines = shape.clone();
                lines[d] = 1;
                forEachIndex(lines, base -> {
                    int n = shape[d];
                    double[] row = new double[n];
                    for (int i = 0; i < n; i++) row[i] = t.get(with(base, d, i));
                    double[] expected = row.clone();
                    Arrays.sort(expected);
                    for (int i = 0; i < n; i++) {
                        int[] at = with(base, d, i);
                        double want = descending ? expected[n - 1 - i] : expected[i];
                        assertEquals(want, r.values().get(at), 0);
                        // Each index points back at the original position of the value.
                        assertEquals(r.values().get(at), row[(int) r.indices().get(at)], 0);
                    }
                });
            }
        }
    }

    @Test
    void sortIsStableAndPutsNaNLargest() {
        double nan = Double.NaN;
        double[] row = {2, 1, nan, 2, 1, 3, nan, 2, 1, 0};
        for (boolean descending : new boolean[] {false, true}) {
            Tensor.ValuesAndIndices r = Tensor.of(row).sort(0, descending);
            Integer[] ref = new Integer[row.length];
            for (int i = 0; i < row.length; i++) ref[i] = i;
            // Object sort is a stable merge sort; NaN is the largest under Double.compare.
            java.util.Comparator<Integer> byValue = (a, b) -> Double.compare(row[a], row[b]);
            Arrays.sort(ref, descending ? (a, b) -> byValue.compare(b, a) : byValue);
            long[] idx = r.indices().toLongArray();
            double[] vals = r.values().toDoubleArray();
            for (int i = 0; i < row.length; i++) {
                assertEquals(ref[i].longValue(), idx[i], "descending=" + descending + " at " + i);
                assertEquals(row[ref[i]], vals[i], 0);
            }
        }
        // A long row exercises the merge (not only the insertion sort for short runs).
        Generator gen = new Generator(16);
        double[] longRow = new double[200];
        for (int i = 0; i < longRow.length; i++) longRow[i] = Math.floor(gen.nextDouble() * 10);
        Integer[] ref = new Integer[200];
        for (int i = 0; i < 200; i++) ref[i] = i;
        Arrays.sort(ref, (a, b) -> Double.compare(longRow[a], longRow[b]));
        long[] idx = Tensor.of(longRow).sort(-1, false).indices().toLongArray();
        for (int i = 0; i < 200; i++) assertEquals(ref[i].longValue(), idx[i]);
    }

    @Test
    void sortInt64AndScalar() {
        long big = (1L << 60);
        Tensor.ValuesAndIndices r = Tensor.of(new long[] {big + 1, -5, big, 0}, 4).sort(0, true);
        assertArrayEquals(new long[] {big + 1, big, 0, -5}, r.values().toLongArray());
        assertArrayEquals(new long[] {0, 2, 3, 1}, r.indices().toLongArray());
        Tensor.ValuesAndIndices s = Tensor.scalar(DType.FLOAT64, 4).sort(0, false);
        assertEquals(0, s.values().dim());
        assertEquals(4, s.values().item(), 0);
        assertEquals(0, s.indices().item(), 0);
    }

    @Test
    void sortGradientIsWeightsPermutedBack() {
        Generator gen = new Generator(17);
        Tensor x = Tensor.randn(gen, 7).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = Tensor.randn(gen, 7).to(DType.FLOAT64);
        Tensor.ValuesAndIndices r = x.sort(0, false);
        r.values().mul(w).sum().backward();
        long[] idx = r.indices().toLongArray();
        double[] wv = w.toDoubleArray(), g = x.grad().toDoubleArray();
        for (int i = 0; i < 7; i++) assertEquals(wv[i], g[(int) idx[i]], 0);

        Tensor m = transposedLeaf(gen, 4, 5);
        GradCheck.check(in -> in.get(0).sort(0, false).values(), m);
        GradCheck.check(in -> in.get(0).sort(-1, true).values().tanh(), m);
        GradCheck.checkSecondOrder(in -> in.get(0).sort(1, false).values().mul(Tensor.arange(DType.FLOAT64, 0, 5, 1))
                .tanh().sum(), m);
    }
}
