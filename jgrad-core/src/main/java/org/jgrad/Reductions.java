package org.jgrad;

import org.jgrad.kernels.Kernels;

/**
 * Reductions over all elements or chosen dimensions (with keepDim), and the ops built on them:
 * softmax, log-softmax, log-sum-exp.
 */
final class Reductions {
    private Reductions() {}

    /**
     * Sums t over the dimensions marked in {@code reduced}, keeping them with size 1. The reduced
     * dimensions are moved innermost (a copy only if that layout is not contiguous already), so each
     * output element is the sum of one contiguous run.
     */
    static Tensor sumRaw(Tensor t, boolean[] reduced) {
        int rank = t.shape.length;
        int[] perm = new int[rank];
        int[] keptShape = new int[rank];
        int k = 0;
        int runLength = 1;
        for (int d = 0; d < rank; d++) {
            if (!reduced[d]) perm[k++] = d;
        }
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                perm[k++] = d;
                runLength *= t.shape[d];
            }
        }
        for (int d = 0; d < rank; d++) keptShape[d] = reduced[d] ? 1 : t.shape[d];
        DType dtype = t.dtype().isFloatingPoint() ? t.dtype() : DType.FLOAT64;
        Tensor moved = Views.as(t, permuted(t.shape, perm), permuted(t.strides, perm), t.offset).rawContiguous(dtype);
        Tensor out = Tensor.empty(dtype, keptShape);
        int outer = out.numel();
        Kernels kernels = Kernels.get();
        for (int i = 0; i < outer; i++) {
            int off = moved.offset + i * runLength;
            double s = dtype == DType.FLOAT32 ? kernels.sum(moved.storage.f, off, runLength)
                    : kernels.sum(moved.storage.d, off, runLength);
            out.storage.set(i, s);
        }
        return out;
    }

    static int[] permuted(int[] values, int[] perm) {
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) out[i] = values[perm[i]];
        return out;
    }

    /** The shape without the reduced dimensions (keepDim false) or with them as 1 (true). */
    static int[] reducedShape(int[] shape, boolean[] reduced, boolean keepDim) {
        int n = 0;
        for (int d = 0; d < shape.length; d++) if (keepDim || !reduced[d]) n++;
        int[] out = new int[n];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (reduced[d]) {
                if (keepDim) out[j++] = 1;
            } else {
                out[j++] = shape[d];
            }
        }
        return out;
    }

    /** Puts back the reduced dimensions of g (as size 1) and broadcasts it to {@code shape}. */
    static Tensor expandBack(Tensor g, int[] shape, boolean[] reduced) {
        return g.reshape(reducedShape(shape, reduced, true)).expand(shape);
    }

    static Tensor sum(Tensor t, int[] dims, boolean keepDim) {
        boolean[] reduced = Shapes.dimMask("sum", dims, t.shape.length);
        Tensor out = sumRaw(t, reduced).reshape(reducedShape(t.shape, reduced, keepDim)).detach();
        int[] shape = t.shape;
        return Tensor.record("sum", out, new Tensor[] {t}, Tensor.NONE,
                g -> new Tensor[] {expandBack(g, shape, reduced)});
    }

    static int count(int[] shape, boolean[] reduced) {
        int n = 1;
        for (int d = 0; d < shape.length; d++) if (reduced[d]) n *= shape[d];
        return n;
    }

    static Tensor mean(Tensor t, int[] dims, boolean keepDim) {
        boolean[] reduced = Shapes.dimMask("mean", dims, t.shape.length);
        int n = count(t.shape, reduced);
        if (n == 0) throw new IllegalArgumentException("mean: cannot take the mean of zero elements (shape " + Shapes.str(t.shape) + ")");
        return sum(t, dims, keepDim).div(n);
    }

    /** The inverse of broadcasting: sums g over the dimensions along which {@code target} was broadcast. */
    static Tensor sumToShape(Tensor g, int[] target) {
        if (java.util.Arrays.equals(g.shape, target)) return g;
        int lead = g.shape.length - target.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sumToShape: shape " + Shapes.str(g.shape) + " cannot be summed to "
                    + Shapes.str(target) + " (more dimensions)");
        }
        java.util.List<Integer> dims = new java.util.ArrayList<>();
        for (int d = 0; d < lead; d++) dims.add(d);
        for (int i = 0; i < target.length; i++) {
            int have = g.shape[lead + i];
            if (target[i] == have) continue;
            if (target[i] != 1) {
                throw new IllegalArgumentException("sumToShape: shape " + Shapes.str(g.shape) + " cannot be summed to "
                        + Shapes.str(target) + " (dimension " + i + ": " + have + " vs " + target[i] + ")");
            }
            dims.add(lead + i);
        }
        int[] ds = dims.stream().mapToInt(Integer::intValue).toArray();
        return g.sum(ds, true).reshape(target);
    }

    // ---------------------------------------------------------------- to be filled in

    static Tensor var(Tensor t, int[] dims, boolean keepDim, int correction) {
        throw new UnsupportedOperationException("var");
    }

    static Tensor std(Tensor t, int[] dims, boolean keepDim, int correction) {
        throw new UnsupportedOperationException("std");
    }

    static Tensor prod(Tensor t, int[] dims, boolean keepDim) {
        throw new UnsupportedOperationException("prod");
    }

    static Tensor maxAll(Tensor t, boolean max) {
        throw new UnsupportedOperationException("max");
    }

    static Tensor.ValuesAndIndices maxDim(Tensor t, int dim, boolean keepDim, boolean max) {
        throw new UnsupportedOperationException("max");
    }

    static Tensor argAll(Tensor t, boolean max) {
        throw new UnsupportedOperationException("argmax");
    }

    static Tensor logsumexp(Tensor t, int[] dims, boolean keepDim) {
        throw new UnsupportedOperationException("logsumexp");
    }

    static Tensor norm(Tensor t, double p, int[] dims, boolean keepDim) {
        throw new UnsupportedOperationException("norm");
    }

    static Tensor softmax(Tensor t, int dim) {
        throw new UnsupportedOperationException("softmax");
    }

    static Tensor logSoftmax(Tensor t, int dim) {
        throw new UnsupportedOperationException("logSoftmax");
    }
}
