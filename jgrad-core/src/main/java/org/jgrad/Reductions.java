package org.jgrad;

import org.jgrad.kernels.Kernels;

/**
 * Reductions over all elements or chosen dimensions (with keepDim), and the ops built on them:
 * variance, product, max/min, norms, softmax, log-softmax, log-sum-exp.
 *
 * <p>Each op computes its forward without recording (on raw runs, or with tensor ops on detached
 * tensors) and records one node whose backward is written with tensor ops, so that gradients can
 * be differentiated again. {@link #expandBack} puts a reduced gradient back into the input's shape.
 * A reduction over a dimension of a rank-0 tensor (0 or -1) reduces nothing, as in PyTorch.
 *
 * <p><b>Gradient of max and min at ties.</b> When k elements of a group share the extreme value,
 * {@link TieRule} says where the gradient goes: FIRST (all of g to the first, the index argmax
 * reports), SPLIT (g/k to each) or ALL (g to each). SPLIT is the default for {@code max()}, {@code
 * min()}, the values of {@code max(dim)} / {@code min(dim)} and the ∞-norm: the symmetric subgradient
 * PyTorch uses for {@code amax} and the full {@code max()}, which does not depend on the order of the
 * elements (permuting the input permutes the gradient) and still sums to g. The <em>indices</em> of
 * {@code max(dim)} and {@code argmax} report the first extreme element. For x = [1, 3, 3]: max is 3,
 * argmax is 1, and d max / dx = [0, 0.5, 0.5] (FIRST: [0, 1, 0], ALL: [0, 1, 1]).
 *
 * <p>NaN propagates: the max or min of a group holding a NaN is NaN, and its index is the first NaN's.
 */
final class Reductions {
    private Reductions() {}

    // ---------------------------------------------------------------- raw machinery

    /**
     * t with its reduced dimensions moved innermost, contiguous in some dtype: output element i (in
     * row-major order of {@code keptShape}, the keepDim shape) reduces {@code data[i·run, (i+1)·run)}.
     */
    private record Runs(Tensor data, int[] keptShape, int outer, int run) {}

    /** Moves the reduced dimensions innermost (a copy only if that layout is not contiguous already). */
    private static Runs runs(Tensor t, boolean[] reduced, DType dtype) {
        int rank = t.shape.length;
        int[] perm = new int[rank];
        int[] keptShape = new int[rank];
        int k = 0;
        int run = 1;
        for (int d = 0; d < rank; d++) {
            if (!reduced[d]) perm[k++] = d;
        }
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                perm[k++] = d;
                run *= t.shape[d];
            }
        }
        for (int d = 0; d < rank; d++) keptShape[d] = reduced[d] ? 1 : t.shape[d];
        Tensor moved = Views.as(t, permuted(t.shape, perm), permuted(t.strides, perm), t.offset).rawContiguous(dtype);
        return new Runs(moved, keptShape, Shapes.numel(keptShape), run);
    }

    /** Sums t over the dimensions marked in {@code reduced}, keeping them with size 1. */
    static Tensor sumRaw(Tensor t, boolean[] reduced) {
        DType dtype = t.dtype().isFloatingPoint() ? t.dtype() : DType.FLOAT64;
        Tensor leading = sumLeadingRaw(t, reduced, dtype);
        if (leading != null) return leading;
        Tensor middle = sumAroundRaw(t, reduced, dtype);
        if (middle != null) return middle;
        Runs r = runs(t, reduced, dtype);
        Tensor out = Tensor.empty(dtype, r.keptShape);
        Kernels kernels = Kernels.get();
        for (int i = 0; i < r.outer; i++) {
            int off = r.data.offset + i * r.run;
            out.storage.set(i, TypedKernels.sum(kernels, r.data.storage, off, r.run));
        }
        return out;
    }

    /**
     * The sum over leading dimensions of a contiguous tensor (the bias gradient: [batch, features] summed
     * over the batch) as row additions into one accumulator, which streams memory once, instead of
     * moving the reduced dimensions innermost with a transposing copy. Null when the layout differs.
     */
    private static Tensor sumLeadingRaw(Tensor t, boolean[] reduced, DType dtype) {
        int rank = t.shape.length;
        int lead = 0;
        while (lead < rank && reduced[lead]) lead++;
        for (int d = lead; d < rank; d++) if (reduced[d]) return null;
        if (lead == 0 || lead == rank || t.dtype() != dtype || !t.isContiguous()) return null;
        int[] keptShape = new int[rank];
        int rows = 1;
        for (int d = 0; d < rank; d++) {
            keptShape[d] = d < lead ? 1 : t.shape[d];
            if (d < lead) rows *= t.shape[d];
        }
        Tensor out = Tensor.empty(dtype, keptShape);
        int n = out.numel();
        Kernels k = Kernels.get();
        for (int i = 0; i < rows; i++) {
            int off = t.offset + i * n;
            TypedKernels.binary(k, org.jgrad.kernels.BinaryOp.ADD, out.storage, 0, 1, t.storage, off, 1, out.storage, 0, n);
        }
        return out;
    }

    /**
     * The sum of a contiguous tensor whose kept dimensions form one block with reduced dimensions after
     * it (and maybe before): a convolution's bias gradient, [N, O, H, W] summed over N, H and W. Each
     * contiguous trailing run is summed in place and added to its kept element, so nothing is copied;
     * the general path would first transpose the whole tensor into a contiguous copy. Null otherwise.
     */
    private static Tensor sumAroundRaw(Tensor t, boolean[] reduced, DType dtype) {
        int rank = t.shape.length;
        int lead = 0;
        while (lead < rank && reduced[lead]) lead++;
        int end = lead;
        while (end < rank && !reduced[end]) end++;
        for (int d = end; d < rank; d++) if (!reduced[d]) return null;
        if (end == lead || end == rank || t.dtype() != dtype || !t.isContiguous()) return null;
        int outer = 1, mid = 1, inner = 1;
        int[] keptShape = new int[rank];
        for (int d = 0; d < rank; d++) {
            keptShape[d] = reduced[d] ? 1 : t.shape[d];
            if (d < lead) outer *= t.shape[d];
            else if (d < end) mid *= t.shape[d];
            else inner *= t.shape[d];
        }
        double[] acc = new double[mid];
        Kernels k = Kernels.get();
        for (int o = 0; o < outer; o++) {
            for (int m = 0; m < mid; m++) {
                int off = t.offset + (o * mid + m) * inner;
                acc[m] += TypedKernels.sum(k, t.storage, off, inner);
            }
        }
        Tensor out = Tensor.empty(dtype, keptShape);
        for (int m = 0; m < mid; m++) out.storage.set(m, acc[m]);
        return out;
    }

    /**
     * The max (or min) of each reduced group, in t's dtype, and the index of its first occurrence
     * within the group (row-major over the reduced dimensions), both of the keepDim shape.
     */
    static Tensor.ValuesAndIndices extremesRaw(String op, Tensor t, boolean[] reduced, boolean max) {
        // float32 → float64 is exact, so one double loop serves both float types; int64 stays exact.
        Runs r = runs(t, reduced, t.dtype() == DType.INT64 ? DType.INT64 : DType.FLOAT64);
        if (r.run == 0 && r.outer > 0) {
            throw new IllegalArgumentException(op + ": cannot reduce over zero elements (input shape "
                    + Shapes.str(t.shape) + ", reduced dimensions " + java.util.Arrays.toString(dimsOf(reduced)) + ")");
        }
        Tensor values = Tensor.empty(t.dtype(), r.keptShape);
        Tensor indices = Tensor.empty(DType.INT64, r.keptShape);
        Storage in = r.data.storage;
        for (int i = 0; i < r.outer; i++) {
            int off = r.data.offset + i * r.run;
            int best = 0;
            if (in.dtype == DType.INT64) {
                long[] a = in.l;
                for (int j = 1; j < r.run; j++) {
                    if (max ? a[off + j] > a[off + best] : a[off + j] < a[off + best]) best = j;
                }
                values.storage.l[i] = a[off + best];
            } else {
                double[] a = in.d;
                double b = a[off];
                for (int j = 1; j < r.run && !Double.isNaN(b); j++) {
                    double v = a[off + j];
                    if (Double.isNaN(v) || (max ? v > b : v < b)) {
                        b = v;
                        best = j;
                    }
                }
                values.storage.set(i, b);
            }
            indices.storage.l[i] = best;
        }
        return new Tensor.ValuesAndIndices(values, indices);
    }

    static int[] permuted(int[] values, int[] perm) {
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) out[i] = values[perm[i]];
        return out;
    }

    /** The reduced-dimension mask; on a rank-0 tensor dimension 0 or -1 is accepted and reduces nothing. */
    static boolean[] mask(String op, int[] dims, int rank) {
        if (rank == 0) {
            for (int d : dims) Shapes.dim(op, d, 0);
            return new boolean[0];
        }
        return Shapes.dimMask(op, dims, rank);
    }

    private static boolean[] single(String op, int dim, int rank) {
        int d = Shapes.dim(op, dim, rank);
        boolean[] mask = new boolean[rank];
        if (rank > 0) mask[d] = true;
        return mask;
    }

    private static boolean[] all(int rank) {
        boolean[] mask = new boolean[rank];
        java.util.Arrays.fill(mask, true);
        return mask;
    }

    /** The (normalized) dimensions marked in a mask. */
    static int[] dimsOf(boolean[] reduced) {
        int n = 0;
        for (boolean b : reduced) if (b) n++;
        int[] dims = new int[n];
        for (int d = 0, j = 0; d < reduced.length; d++) if (reduced[d]) dims[j++] = d;
        return dims;
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

    static int count(int[] shape, boolean[] reduced) {
        int n = 1;
        for (int d = 0; d < shape.length; d++) if (reduced[d]) n *= shape[d];
        return n;
    }

    /** Integer inputs are computed in float64 by the ops whose result is not an integer. */
    private static Tensor floating(Tensor t) {
        return t.dtype().isFloatingPoint() ? t : t.to(DType.FLOAT64);
    }

    // ---------------------------------------------------------------- sum, mean, variance

    static Tensor sum(Tensor t, int[] dims, boolean keepDim) {
        boolean[] reduced = mask("sum", dims, t.shape.length);
        Tensor out = sumRaw(t, reduced).reshape(reducedShape(t.shape, reduced, keepDim)).detach();
        int[] shape = t.shape;
        return Tensor.record("sum", out, new Tensor[] {t}, Tensor.NONE,
                (n, g) -> new Tensor[] {expandBack(g, shape, reduced)},
                dt -> sum(dt[0], dims, keepDim));
    }

    static Tensor mean(Tensor t, int[] dims, boolean keepDim) {
        boolean[] reduced = mask("mean", dims, t.shape.length);
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

    static Tensor var(Tensor t, int[] dims, boolean keepDim, int correction) {
        return variance("var", t, dims, keepDim, correction, false);
    }

    static Tensor std(Tensor t, int[] dims, boolean keepDim, int correction) {
        return variance("std", t, dims, keepDim, correction, true);
    }

    /** Σ(x − mean)² / (n − correction), and its square root for std. Two passes: no cancellation. */
    private static Tensor variance(String op, Tensor t, int[] dims, boolean keepDim, int correction, boolean root) {
        boolean[] reduced = mask(op, dims, t.shape.length);
        if (correction < 0) throw new IllegalArgumentException(op + ": correction must be >= 0, got " + correction);
        int n = count(t.shape, reduced);
        if (n == 0) {
            throw new IllegalArgumentException(op + ": cannot take the variance of zero elements (shape "
                    + Shapes.str(t.shape) + ", dimensions " + java.util.Arrays.toString(dims) + ")");
        }
        // n ≤ correction divides by 0 (giving NaN or ∞, as PyTorch), never by a negative number.
        double divisor = Math.max(0, n - correction);
        int[] rd = dimsOf(reduced);
        int[] shape = t.shape;
        Tensor x = floating(t);
        if (!root) {
            // A composite: the derivative 2(xᵢ − mean)/(n − correction) follows from its ops.
            Tensor dev = x.sub(x.mean(rd, true));
            return dev.mul(dev).sum(rd, true).div(divisor).reshape(reducedShape(shape, reduced, keepDim));
        }
        Tensor xd = x.detach();
        Tensor dev = xd.sub(xd.mean(rd, true));
        Tensor out = dev.mul(dev).sum(rd, true).div(divisor).sqrt().reshape(reducedShape(shape, reduced, keepDim));
        // ∂std/∂xᵢ = (xᵢ − mean)/((n − correction)·std). Where std = 0 every deviation is 0 too, so
        // dividing by 1 there gives the gradient 0 (PyTorch's choice) instead of 0/0.
        return Tensor.record(op, out, new Tensor[] {t}, new Tensor[] {t, out}, (nd, g) -> {
            Tensor x0 = nd.saved(0), y = nd.saved(1);
            Tensor safe = Tensor.where(y.eq(0), Tensor.onesLike(y), y);
            return new Tensor[] {expandBack(g.div(safe), shape, reduced).mul(x0.sub(x0.mean(rd, true))).div(divisor)};
        }, dt -> {
            Tensor y = out.reshape(reducedShape(shape, reduced, true));
            Tensor safe = Tensor.where(y.eq(0), Tensor.onesLike(y), y);
            return dev.mul(dt[0]).sum(rd, true).div(divisor).div(safe).reshape(out.shape);
        });
    }

    // ---------------------------------------------------------------- product

    /**
     * The product, composed from a tree of pairwise multiplications (log₂ n levels, n multiplications
     * in all): its gradient is then the product of the other elements by the product rule, exact also
     * where an element is 0 (where out/x would give 0/0), and differentiable to any order.
     */
    static Tensor prod(Tensor t, int[] dims, boolean keepDim) {
        int rank = t.shape.length;
        boolean[] reduced = mask("prod", dims, rank);
        int[] outShape = reducedShape(t.shape, reduced, keepDim);
        Tensor x = floating(t);
        int n = count(t.shape, reduced);
        if (n == 0) return Tensor.ones(x.dtype(), outShape);
        // Kept dimensions first, then the reduced ones flattened into a last dimension of length n.
        int[] perm = new int[rank];
        int[] rows = new int[rank == 0 ? 1 : reducedShape(t.shape, reduced, false).length + 1];
        int k = 0;
        for (int d = 0; d < rank; d++) if (!reduced[d]) { rows[k] = t.shape[d]; perm[k++] = d; }
        for (int d = 0; d < rank; d++) if (reduced[d]) perm[k++] = d;
        rows[rows.length - 1] = n;
        x = x.permute(perm).reshape(rows);
        Tensor carry = null; // the odd elements left over at each level
        while (n > 1) {
            if (n % 2 == 1) {
                Tensor last = x.slice(-1, n - 1, n);
                carry = carry == null ? last : carry.mul(last);
                x = x.slice(-1, 0, --n);
            }
            int half = n / 2;
            x = x.slice(-1, 0, half).mul(x.slice(-1, half, n));
            n = half;
        }
        if (carry != null) x = x.mul(carry);
        return x.reshape(outShape);
    }

    // ---------------------------------------------------------------- max and min

    static Tensor maxAll(Tensor t, boolean max, TieRule ties) {
        String op = max ? "max" : "min";
        requireRule(op, ties);
        if (t.numel() == 0) {
            throw new IllegalArgumentException(op + ": cannot take the " + op + " of an empty tensor (shape " + Shapes.str(t.shape) + ")");
        }
        boolean[] reduced = all(t.shape.length);
        return recordExtreme(op, t, reduced, false, extremesRaw(op, t, reduced, max), ties);
    }

    static Tensor.ValuesAndIndices maxDim(Tensor t, int dim, boolean keepDim, boolean max, TieRule ties) {
        String op = max ? "max" : "min";
        requireRule(op, ties);
        boolean[] reduced = single(op, dim, t.shape.length);
        Tensor.ValuesAndIndices raw = extremesRaw(op, t, reduced, max);
        return new Tensor.ValuesAndIndices(recordExtreme(op, t, reduced, keepDim, raw, ties),
                raw.indices().reshape(reducedShape(t.shape, reduced, keepDim)));
    }

    private static void requireRule(String op, TieRule ties) {
        if (ties == null) throw new IllegalArgumentException(op + ": the tie rule is null; expected FIRST, SPLIT or ALL");
    }

    static Tensor argAll(Tensor t, boolean max) {
        String op = max ? "argmax" : "argmin";
        if (t.numel() == 0) {
            throw new IllegalArgumentException(op + ": cannot take the " + op + " of an empty tensor (shape " + Shapes.str(t.shape) + ")");
        }
        // With every dimension reduced the run is the whole tensor in row-major order: the flat index.
        return extremesRaw(op, t, all(t.shape.length), max).indices().reshape();
    }

    /** The differentiable max (or min) over several dimensions, PyTorch's amax/amin: ties split. */
    static Tensor extreme(String op, Tensor t, boolean[] reduced, boolean keepDim, boolean max) {
        return recordExtreme(op, t, reduced, keepDim, extremesRaw(op, t, reduced, max), TieRule.SPLIT);
    }

    /**
     * Records the extremes of {@code raw} (keepDim shape) as t's max or min, the gradient at ties going
     * where {@code ties} says. FIRST keeps the first extreme's index; SPLIT and ALL keep x and the
     * extremes and find the tied elements again in backward.
     */
    private static Tensor recordExtreme(String op, Tensor t, boolean[] reduced, boolean keepDim,
                                        Tensor.ValuesAndIndices raw, TieRule ties) {
        int[] shape = t.shape;
        Tensor out = raw.values().reshape(reducedShape(shape, reduced, keepDim));
        Tensor[] saved = ties == TieRule.FIRST ? new Tensor[] {raw.indices()} : new Tensor[] {t, raw.values()};
        int[] rd = dimsOf(reduced);
        return Tensor.record(op, out, new Tensor[] {t}, saved,
                (n, g) -> new Tensor[] {expandBack(g, shape, reduced).mul(tieWeights(n, ties, shape, reduced))},
                dt -> dt[0].mul(tieWeights(ties, saved, shape, reduced, t.dtype())).sum(rd, true).reshape(out.shape));
    }

    /**
     * The weight of each input element in the gradient of its group's extreme, a constant: the max is
     * locally linear, so its second derivative is 0.
     */
    private static Tensor tieWeights(Node n, TieRule ties, int[] shape, boolean[] reduced) {
        Tensor[] saved = new Tensor[n.savedCount()];
        for (int i = 0; i < saved.length; i++) saved[i] = n.saved(i);
        return tieWeights(ties, saved, shape, reduced, n.inputDType(0));
    }

    /** As above from what recordExtreme saves: the first indices (FIRST), else the input and the extremes. */
    private static Tensor tieWeights(TieRule ties, Tensor[] saved, int[] shape, boolean[] reduced, DType dtype) {
        if (ties == TieRule.FIRST) return firstExtreme(saved[0], shape, reduced, dtype);
        Tensor tied = saved[0].detach().eq(saved[1]);
        return ties == TieRule.ALL ? tied : tied.div(tied.sum(dimsOf(reduced), true));
    }

    /**
     * 1 at the first extreme of each group and 0 elsewhere, in the input's shape: {@code first} holds,
     * per group, the index within the group (row-major over the reduced dimensions), as extremesRaw
     * gives it for the layout with the reduced dimensions innermost.
     */
    private static Tensor firstExtreme(Tensor first, int[] shape, boolean[] reduced, DType dtype) {
        int rank = shape.length;
        int[] perm = new int[rank];
        int k = 0;
        for (int d = 0; d < rank; d++) if (!reduced[d]) perm[k++] = d;
        for (int d = 0; d < rank; d++) if (reduced[d]) perm[k++] = d;
        int run = count(shape, reduced);
        Tensor moved = Tensor.zeros(dtype, permuted(shape, perm));
        Tensor idx = first.contiguous();
        int groups = idx.numel();
        for (int i = 0; i < groups; i++) moved.storage.set(i * run + (int) idx.storage.l[idx.offset + i], 1);
        if (rank == 0) return moved;
        int[] inverse = new int[rank];
        for (int d = 0; d < rank; d++) inverse[perm[d]] = d;
        return moved.permute(inverse);
    }

    // ---------------------------------------------------------------- log-sum-exp and softmax

    /**
     * The max of each group (keepDim), 0 where it is not finite: subtracting it keeps every exponent
     * ≤ 0 (no overflow), and a group that is all −∞ (or holds +∞) must not become ∞ − ∞ = NaN.
     */
    private static Tensor stableShift(String op, Tensor x, boolean[] reduced) {
        if (x.numel() == 0) return Tensor.zeros(x.dtype(), reducedShape(x.shape, reduced, true));
        Tensor m = extremesRaw(op, x, reduced, true).values();
        int n = m.numel();
        for (int i = 0; i < n; i++) if (!Double.isFinite(m.storage.get(i))) m.storage.set(i, 0);
        return m;
    }

    static Tensor logsumexp(Tensor t, int[] dims, boolean keepDim) {
        boolean[] reduced = mask("logsumexp", dims, t.shape.length);
        Tensor x = floating(t);
        int[] rd = dimsOf(reduced);
        int[] shape = x.shape;
        // A composite: m is a constant shift, so the derivative e^(x − m)/Σe^(x − m) = softmax(x)
        // follows from exp, sum and log.
        Tensor m = stableShift("logsumexp", x.detach(), reduced);
        return x.sub(m).exp().sum(rd, true).log().add(m).reshape(reducedShape(shape, reduced, keepDim));
    }

    /**
     * ⟨x, softmax(x)⟩ along dim, a composite: its gradient, softmax(x)·(1 + x − ⟨x, softmax x⟩),
     * follows from mul, softmax and sum.
     */
    static Tensor softmaxWeightedMean(Tensor t, int dim, boolean keepDim) {
        Tensor x = floating(t);
        return x.mul(x.softmax(dim)).sum(dim, keepDim);
    }

    static Tensor softmax(Tensor t, int dim) {
        boolean[] reduced = single("softmax", dim, t.shape.length);
        Tensor x = floating(t);
        int[] rd = dimsOf(reduced);
        int rank = x.shape.length;
        if (rank > 0 && reduced[rank - 1] && x.numel() > 0) return softmaxLastDim(x, rd);
        Tensor xd = x.detach();
        Tensor e = xd.sub(stableShift("softmax", xd, reduced)).exp();
        Tensor out = e.div(e.sum(rd, true));
        // softmax's Jacobian is symmetric: the forward-mode rule is its reverse-mode derivative.
        return Tensor.record("softmax", out, new Tensor[] {x}, new Tensor[] {out},
                (n, g) -> new Tensor[] {softmaxDerivative(n.saved(0), g, rd)},
                dt -> softmaxDerivative(out, dt[0], rd));
    }

    /**
     * softmax over the last dimension in one pass per row: e^(log-softmax) from the fused log-softmax
     * kernel (Math.exp, so the bits never depend on the JIT), and a fused backward y·(g − Σ g·y)
     * unless the backward pass is itself recorded (createGraph).
     */
    private static Tensor softmaxLastDim(Tensor x, int[] rd) {
        DType dtype = x.dtype();
        int cols = x.shape[x.shape.length - 1], rows = x.numel() / cols, n = rows * cols;
        Tensor xc = x.rawContiguous(dtype);
        Tensor out = Tensor.empty(dtype, x.shape);
        TypedKernels.logSoftmaxRows(xc.storage, xc.offset, out.storage, 0, rows, cols);
        if (dtype == DType.FLOAT32) {
            float[] o = out.storage.f;
            for (int i = 0; i < n; i++) o[i] = (float) Math.exp(o[i]);
        } else {
            double[] o = out.storage.d;
            for (int i = 0; i < n; i++) o[i] = Math.exp(o[i]);
        }
        return Tensor.recordWithFastPath("softmax", out, new Tensor[] {x}, new Tensor[] {out},
                (nd, g) -> new Tensor[] {softmaxDerivative(nd.saved(0), g, rd)},
                (nd, g) -> new Tensor[] {softmaxBackwardRows(nd.saved(0), g, rows, cols)},
                dt -> softmaxDerivative(out, dt[0], rd));
    }

    /** The fast form of {@link #softmaxDerivative}: y·(g − Σ g·y) row by row, the dot in double. */
    private static Tensor softmaxBackwardRows(Tensor y, Tensor g, int rows, int cols) {
        DType dtype = y.dtype();
        Tensor gc = g.rawContiguous(dtype);
        Tensor dx = Tensor.empty(dtype, y.shape);
        for (int r = 0; r < rows; r++) {
            int b = r * cols, gb = gc.offset + b;
            if (dtype == DType.FLOAT32) {
                float[] yv = y.storage.f, gv = gc.storage.f, d = dx.storage.f;
                double dot = 0;
                for (int j = 0; j < cols; j++) dot += (double) gv[gb + j] * yv[b + j];
                for (int j = 0; j < cols; j++) d[b + j] = (float) (yv[b + j] * (gv[gb + j] - dot));
            } else {
                double[] yv = y.storage.d, gv = gc.storage.d, d = dx.storage.d;
                double dot = 0;
                for (int j = 0; j < cols; j++) dot += gv[gb + j] * yv[b + j];
                for (int j = 0; j < cols; j++) d[b + j] = yv[b + j] * (gv[gb + j] - dot);
            }
        }
        return dx;
    }

    static Tensor logSoftmax(Tensor t, int dim) {
        boolean[] reduced = single("logSoftmax", dim, t.shape.length);
        Tensor x = floating(t);
        int[] rd = dimsOf(reduced);
        int rank = x.shape.length;
        if (rank > 0 && reduced[rank - 1] && x.numel() > 0) return logSoftmaxLastDim(x, rd);
        Tensor xd = x.detach();
        Tensor z = xd.sub(stableShift("logSoftmax", xd, reduced));
        Tensor out = z.sub(z.exp().sum(rd, true).log());
        return Tensor.record("logSoftmax", out, new Tensor[] {x}, new Tensor[] {out},
                (n, g) -> new Tensor[] {logSoftmaxDerivative(n.saved(0), g, rd)},
                dt -> logSoftmaxTangent(out, dt[0], rd));
    }

    /**
     * logSoftmax over the last dimension in one fused pass per row (max, Σexp, shift), instead of six
     * ops and their temporaries. The backward is fused too (g − e^out·Σg) unless the backward pass is
     * itself recorded (createGraph), where it is composed from ops so that it can be differentiated.
     */
    private static Tensor logSoftmaxLastDim(Tensor x, int[] rd) {
        DType dtype = x.dtype();
        int cols = x.shape[x.shape.length - 1], rows = x.numel() / cols;
        Tensor xc = x.rawContiguous(dtype);
        Tensor out = Tensor.empty(dtype, x.shape);
        TypedKernels.logSoftmaxRows(xc.storage, xc.offset, out.storage, 0, rows, cols);
        return Tensor.recordWithFastPath("logSoftmax", out, new Tensor[] {x}, new Tensor[] {out},
                (n, g) -> new Tensor[] {logSoftmaxDerivative(n.saved(0), g, rd)},
                (n, g) -> new Tensor[] {logSoftmaxBackwardRows(n.saved(0), g, rows, cols)},
                dt -> logSoftmaxTangent(out, dt[0], rd));
    }

    /** The fast form of {@link #logSoftmaxDerivative} over last-dimension rows: one kernel pass. */
    static Tensor logSoftmaxBackwardRows(Tensor logp, Tensor g, int rows, int cols) {
        DType dtype = logp.dtype();
        Tensor gc = g.rawContiguous(dtype);
        Tensor dx = Tensor.empty(dtype, logp.shape);
        TypedKernels.logSoftmaxBackwardRows(gc.storage, gc.offset, logp.storage, logp.offset, dx.storage, 0, rows, cols);
        return dx;
    }

    /**
     * The derivative of softmax, written once: the Jacobian yᵢ(δᵢⱼ − yⱼ) applied to g is
     * y·(g − Σ g·y), summed over the softmax dimensions {@code rd}.
     */
    static Tensor softmaxDerivative(Tensor y, Tensor g, int[] rd) {
        return y.mul(g.sub(g.mul(y).sum(rd, true)));
    }

    /**
     * The derivative of log-softmax, written once: ∂(xᵢ − lse)/∂xⱼ = δᵢⱼ − softmaxⱼ applied to g is
     * g − softmax·Σg, with softmax = e^logp.
     */
    static Tensor logSoftmaxDerivative(Tensor logp, Tensor g, int[] rd) {
        return g.sub(logp.exp().mul(g.sum(rd, true)));
    }

    /** The forward-mode rule of log-softmax: the Jacobian δᵢⱼ − softmaxⱼ applied to a tangent, ẋ − Σ softmax·ẋ. */
    static Tensor logSoftmaxTangent(Tensor logp, Tensor dx, int[] rd) {
        return dx.sub(logp.exp().mul(dx).sum(rd, true));
    }

    // ---------------------------------------------------------------- norms

    /**
     * The p-norm (Σ|x|ᵖ)^(1/p) over the given dimensions; p = ∞ gives max |x|, p = −∞ min |x|, p = 0
     * the number of non-zero elements (gradient 0), as torch.linalg.vector_norm.
     */
    static Tensor norm(Tensor t, double p, int[] dims, boolean keepDim) {
        boolean[] reduced = mask("norm", dims, t.shape.length);
        if (Double.isNaN(p) || (p < 0 && p != Double.NEGATIVE_INFINITY)) {
            throw new IllegalArgumentException("norm: p must be >= 0, ∞ or −∞, got " + p);
        }
        Tensor x = floating(t);
        int[] rd = dimsOf(reduced);
        int[] shape = x.shape;
        if (p == 1) return x.abs().sum(rd, keepDim);
        if (Double.isInfinite(p)) return extreme("norm", x.abs(), reduced, keepDim, p > 0);
        if (p == 0) {
            Tensor nonZero = x.detach().ne(0).sum(rd, keepDim);
            return Tensor.record("norm", nonZero, new Tensor[] {x}, Tensor.NONE, (n, g) -> new Tensor[] {Tensor.zeros(n.inputDType(0), n.inputShape(0))},
                    dt -> Tensor.zerosLike(nonZero));
        }
        Tensor ax = x.detach().abs();
        // ‖x‖ = m·‖x/m‖ with m the largest |x|: |x|ᵖ can then neither overflow nor underflow to 0.
        Tensor m = count(shape, reduced) == 0 ? Tensor.ones(x.dtype(), reducedShape(shape, reduced, true))
                : extremesRaw("norm", ax, reduced, true).values();
        int groups = m.numel();
        for (int i = 0; i < groups; i++) {
            double v = m.storage.get(i);
            if (v == 0 || !Double.isFinite(v)) m.storage.set(i, 1);
        }
        Tensor scaled = ax.div(m);
        Tensor powered = p == 2 ? scaled.mul(scaled) : scaled.pow(p);
        Tensor root = p == 2 ? powered.sum(rd, true).sqrt() : powered.sum(rd, true).pow(1 / p);
        Tensor out = root.mul(m).reshape(reducedShape(shape, reduced, keepDim));
        // ∂‖x‖/∂xᵢ = sign(xᵢ)·|xᵢ|^(p−1) / ‖x‖^(p−1) (= xᵢ/‖x‖ for p = 2). A zero norm means x = 0:
        // dividing by 1 there gives the gradient 0 rather than 0/0.
        return Tensor.record("norm", out, new Tensor[] {x}, new Tensor[] {x, out}, (n, g) -> {
            Tensor x0 = n.saved(0), y = n.saved(1);
            Tensor safe = Tensor.where(y.eq(0), Tensor.onesLike(y), y);
            Tensor local;
            if (p == 2) {
                local = x0;
            } else {
                local = x0.sign().mul(x0.abs().pow(p - 1));
                // For p < 1, |x|^(p−1) is ∞ at 0; the subgradient taken there is 0.
                if (p < 1) local = Tensor.where(x0.eq(0), Tensor.zerosLike(x0), local);
            }
            Tensor scale = p == 2 ? g.div(safe) : g.div(safe.pow(p - 1));
            return new Tensor[] {expandBack(scale, shape, reduced).mul(local)};
        }, dt -> {
            Tensor y = out.reshape(reducedShape(shape, reduced, true));
            Tensor safe = Tensor.where(y.eq(0), Tensor.onesLike(y), y);
            Tensor local = p == 2 ? x : x.sign().mul(x.abs().pow(p - 1));
            if (p != 2 && p < 1) local = Tensor.where(x.eq(0), Tensor.zerosLike(x), local);
            Tensor dot = local.mul(dt[0]).sum(rd, true);
            return (p == 2 ? dot.div(safe) : dot.div(safe.pow(p - 1))).reshape(out.shape);
        });
    }
}
