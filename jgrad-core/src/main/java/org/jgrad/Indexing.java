package org.jgrad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Joining, splitting, gathering and scattering, padding and sorting.
 *
 * <p>The index ops form a closed family under differentiation: the backward of gather is a
 * scatter-add, the backward of scatter-add (for its source) is a gather, index-select and sort
 * scatter-add their gradient back, pad's backward is a pad with the opposite widths. Because every
 * backward is itself one of these recorded ops, second derivatives come for free.
 *
 * <p>Index tensors are int64 and, as in PyTorch, must lie in {@code 0..size-1} (no negative
 * indices); out-of-range values throw {@link IndexOutOfBoundsException} naming the op, the value,
 * the dimension and its size.
 */
final class Indexing {
    private Indexing() {}

    // ------------------------------------------------------------ joining and splitting

    static Tensor cat(List<Tensor> tensors, int dim) {
        Objects.requireNonNull(tensors, "cat: tensors");
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: expected at least one tensor, got an empty list");
        Tensor first = Objects.requireNonNull(tensors.get(0), "cat: tensor 0 is null");
        int rank = first.shape.length;
        if (rank == 0) {
            throw new IllegalArgumentException("cat: tensor 0 is a scalar (shape []) and cannot be concatenated;"
                    + " use stack, or reshape it to [1]");
        }
        int d = Shapes.dim("cat", dim, rank);
        DType dtype = first.dtype();
        int total = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = Objects.requireNonNull(tensors.get(i), "cat: tensor " + i + " is null");
            boolean matches = t.shape.length == rank;
            for (int k = 0; matches && k < rank; k++) matches = k == d || t.shape[k] == first.shape[k];
            if (!matches) {
                throw new IllegalArgumentException("cat: tensor " + i + " has shape " + Shapes.str(t.shape)
                        + " but tensor 0 has shape " + Shapes.str(first.shape)
                        + "; all sizes must match except along dimension " + d);
            }
            total += t.shape[d];
            dtype = DType.promote(dtype, t.dtype());
        }
        int[] shape = first.shape.clone();
        shape[d] = total;
        Tensor out = Tensor.empty(dtype, shape);
        int n = tensors.size();
        int[] starts = new int[n + 1];
        Tensor[] inputs = new Tensor[n];
        DType[] dtypes = new DType[n];
        for (int i = 0; i < n; i++) {
            Tensor t = tensors.get(i);
            inputs[i] = t;
            dtypes[i] = t.dtype();
            starts[i + 1] = starts[i] + t.shape[d];
            Strided.copy(t, Views.as(out, t.shape.clone(), out.strides, starts[i] * out.strides[d]));
        }
        return Tensor.record("cat", out, inputs, Tensor.NONE, (nd, g) -> {
            Tensor[] grads = new Tensor[n];
            for (int i = 0; i < n; i++) {
                if (nd.needsGrad(i)) grads[i] = g.slice(d, starts[i], starts[i + 1]).to(dtypes[i]);
            }
            return grads;
        }, dt -> cat(java.util.Arrays.asList(dt), d));
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        Objects.requireNonNull(tensors, "stack: tensors");
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: expected at least one tensor, got an empty list");
        Tensor first = Objects.requireNonNull(tensors.get(0), "stack: tensor 0 is null");
        int d = Shapes.dim("stack", dim, first.shape.length + 1);
        List<Tensor> expanded = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = Objects.requireNonNull(tensors.get(i), "stack: tensor " + i + " is null");
            if (!Arrays.equals(t.shape, first.shape)) {
                throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shapes.str(t.shape)
                        + " but tensor 0 has shape " + Shapes.str(first.shape) + "; all shapes must be equal");
            }
            expanded.add(t.unsqueeze(d));
        }
        return cat(expanded, d);
    }

    static List<Tensor> split(Tensor t, int splitSize, int dim) {
        if (t.shape.length == 0) throw new IllegalArgumentException("split: cannot split a scalar (shape [])");
        int d = Shapes.dim("split", dim, t.shape.length);
        int size = t.shape[d];
        if (splitSize <= 0 && !(splitSize == 0 && size == 0)) {
            throw new IllegalArgumentException("split: splitSize must be positive, got " + splitSize
                    + " (dimension " + d + " of shape " + Shapes.str(t.shape) + ")");
        }
        // As PyTorch: an empty dimension still gives one (empty) piece.
        if (size == 0) return List.of(t.slice(d, 0, 0));
        List<Tensor> pieces = new ArrayList<>();
        for (int s = 0; s < size; s += splitSize) pieces.add(t.slice(d, s, Math.min(size, s + splitSize)));
        return pieces;
    }

    static List<Tensor> split(Tensor t, int[] sizes, int dim) {
        if (t.shape.length == 0) throw new IllegalArgumentException("split: cannot split a scalar (shape [])");
        int d = Shapes.dim("split", dim, t.shape.length);
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: negative size in " + Arrays.toString(sizes));
            sum += s;
        }
        if (sum != t.shape[d]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " sum to " + sum
                    + " but dimension " + d + " of shape " + Shapes.str(t.shape) + " has size " + t.shape[d]);
        }
        List<Tensor> pieces = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            pieces.add(t.slice(d, start, start + s));
            start += s;
        }
        return pieces;
    }

    // ------------------------------------------------------------ gather and scatter

    static Tensor gather(Tensor t, int dim, Tensor index) {
        checkIndexType("gather", index);
        int rank = t.shape.length;
        int d = Shapes.dim("gather", dim, rank);
        if (index.shape.length != rank) {
            throw new IllegalArgumentException("gather: index of shape " + Shapes.str(index.shape)
                    + " must have the same rank as the input of shape " + Shapes.str(t.shape));
        }
        for (int k = 0; k < rank; k++) {
            if (k != d && index.shape[k] > t.shape[k]) {
                throw new IllegalArgumentException("gather: index of shape " + Shapes.str(index.shape)
                        + " is larger than the input of shape " + Shapes.str(t.shape) + " in dimension " + k
                        + " (only dimension " + d + " may differ freely)");
            }
        }
        Tensor out = Tensor.empty(t.dtype(), index.shape);
        int size = rank == 0 ? 1 : t.shape[d];
        int step = rank == 0 ? 0 : t.strides[d];
        // The input walked at the index's positions with the gathered dimension pinned to 0; the
        // index value then moves along it.
        int[] ts = t.strides.clone();
        if (rank > 0) ts[d] = 0;
        int ii = inner(index.strides), ti = inner(ts), oi = inner(out.strides);
        long[] idx = index.storage.l;
        Storage src = t.storage, dst = out.storage;
        Strided.forEachRun(index.shape, index.offset, index.strides, t.offset, ts, 0, out.strides,
                (io, to, oo, len) -> {
                    for (int k = 0; k < len; k++) {
                        int j = checkRange("gather", idx[io + k * ii], d, size);
                        copyElement(src, to + k * ti + j * step, dst, oo + k * oi);
                    }
                });
        int[] inShape = t.shape;
        DType dtype = t.dtype();
        return Tensor.record("gather", out, new Tensor[] {t}, new Tensor[] {index},
                (n, g) -> new Tensor[] {Tensor.zeros(dtype, inShape).scatterAdd(d, n.saved(0), g)},
                dt -> dt[0].gather(d, index));
    }

    static Tensor scatterAdd(Tensor t, int dim, Tensor index, Tensor src) {
        checkIndexType("scatterAdd", index);
        int rank = t.shape.length;
        int d = Shapes.dim("scatterAdd", dim, rank);
        if (index.shape.length != rank || src.shape.length != rank) {
            throw new IllegalArgumentException("scatterAdd: input " + Shapes.str(t.shape) + ", index "
                    + Shapes.str(index.shape) + " and src " + Shapes.str(src.shape) + " must all have the same rank");
        }
        for (int k = 0; k < rank; k++) {
            if (index.shape[k] > src.shape[k] || (k != d && index.shape[k] > t.shape[k])) {
                throw new IllegalArgumentException("scatterAdd: index of shape " + Shapes.str(index.shape)
                        + " is larger in dimension " + k + " than src of shape " + Shapes.str(src.shape)
                        + " or (outside dimension " + d + ") the input of shape " + Shapes.str(t.shape));
            }
        }
        Tensor out = Tensor.empty(DType.promote(t.dtype(), src.dtype()), t.shape);
        Strided.copy(t, out);
        int size = rank == 0 ? 1 : t.shape[d];
        int step = rank == 0 ? 0 : out.strides[d];
        int[] os = out.strides.clone();
        if (rank > 0) os[d] = 0;
        int ii = inner(index.strides), si = inner(src.strides), oi = inner(os);
        long[] idx = index.storage.l;
        Storage from = src.storage, to = out.storage;
        Strided.forEachRun(index.shape, index.offset, index.strides, src.offset, src.strides, 0, os,
                (io, so, oo, len) -> {
                    for (int k = 0; k < len; k++) {
                        int j = checkRange("scatterAdd", idx[io + k * ii], d, size);
                        addElement(from, so + k * si, to, oo + k * oi + j * step);
                    }
                });
        int[] srcShape = src.shape, indexShape = index.shape;
        DType tType = t.dtype(), srcType = src.dtype();
        return Tensor.record("scatterAdd", out, new Tensor[] {t, src}, new Tensor[] {index}, (n, g) -> new Tensor[] {
            n.needsGrad(0) ? g.to(tType) : null,
            // Elements of src outside the index's extent were never added: their gradient is 0.
            n.needsGrad(1) ? padTo(g.gather(d, n.saved(0)), indexShape, srcShape).to(srcType) : null},
            dt -> dt[0].scatterAdd(d, index, dt[1]));
    }

    /** Zero-pads g (of {@code from}'s shape) at the end of each dimension up to {@code to}. */
    private static Tensor padTo(Tensor g, int[] from, int[] to) {
        if (Arrays.equals(from, to)) return g;
        int r = from.length;
        int[] padding = new int[2 * r];
        for (int k = 0; k < r; k++) padding[2 * (r - 1 - k) + 1] = to[k] - from[k];
        return g.pad(padding, 0);
    }

    static Tensor indexSelect(Tensor t, int dim, Tensor index) {
        checkIndexType("indexSelect", index);
        if (index.shape.length > 1) {
            throw new IllegalArgumentException("indexSelect: index must be 1-D, got shape " + Shapes.str(index.shape));
        }
        if (t.shape.length == 0) throw new IllegalArgumentException("indexSelect: cannot index a scalar (shape [])");
        int d = Shapes.dim("indexSelect", dim, t.shape.length);
        long[] idx = index.toLongArray();
        int n = idx.length;
        int[] shape = t.shape.clone();
        shape[d] = n;
        Tensor out = Tensor.empty(t.dtype(), shape);
        for (int k = 0; k < n; k++) {
            int j = checkRange("indexSelect", idx[k], d, t.shape[d]);
            Strided.copy(rawSelect(t, d, j), rawSelect(out, d, k));
        }
        int[] inShape = t.shape;
        DType dtype = t.dtype();
        int[] lineShape = new int[shape.length];
        Arrays.fill(lineShape, 1);
        lineShape[d] = n;
        // Index-add as a scatter-add whose index repeats each position across the other dimensions,
        // so duplicates accumulate and the double backward is a gather (= indexSelect again).
        return Tensor.record("indexSelect", out, new Tensor[] {t}, new Tensor[] {index}, (nd, g) -> new Tensor[] {
            Tensor.zeros(dtype, inShape).scatterAdd(d, nd.saved(0).reshape(lineShape).expand(g.shape), g)},
            dt -> dt[0].indexSelect(d, index));
    }

    private static Tensor rawSelect(Tensor t, int d, int i) {
        int r = t.shape.length;
        int[] shape = new int[r - 1], strides = new int[r - 1];
        for (int k = 0, j = 0; k < r; k++) {
            if (k == d) continue;
            shape[j] = t.shape[k];
            strides[j++] = t.strides[k];
        }
        return Views.as(t, shape, strides, t.offset + i * t.strides[d]);
    }

    // ------------------------------------------------------------ masking and padding

    static Tensor maskedFill(Tensor t, Tensor mask, double value) {
        int[] shape = Shapes.broadcast("maskedFill", t.shape, mask.shape);
        if (!Arrays.equals(shape, t.shape)) {
            throw new IllegalArgumentException("maskedFill: a mask of shape " + Shapes.str(mask.shape)
                    + " does not broadcast to the input's shape " + Shapes.str(t.shape));
        }
        Tensor out = t.rawClone();
        int[] ms = Strided.broadcastStrides(mask, shape);
        int mi = inner(ms), oi = inner(out.strides);
        Storage m = mask.storage, o = out.storage;
        Strided.forEachRun(shape, mask.offset, ms, 0, out.strides, 0, null, (mo, oo, unused, len) -> {
            for (int k = 0; k < len; k++) {
                // NaN != 0, so a NaN in the mask fills, as any non-zero value does.
                if (m.get(mo + k * mi) != 0) o.set(oo + k * oi, value);
            }
        });
        return Tensor.record("maskedFill", out, new Tensor[] {t}, new Tensor[] {mask},
                (n, g) -> new Tensor[] {g.maskedFill(n.saved(0), 0)},
                dt -> dt[0].maskedFill(mask, 0));
    }

    static Tensor pad(Tensor t, int[] padding, double value) {
        Objects.requireNonNull(padding, "pad: padding");
        int rank = t.shape.length;
        if (padding.length % 2 != 0) {
            throw new IllegalArgumentException("pad: padding " + Arrays.toString(padding)
                    + " must hold (before, after) pairs, got an odd length " + padding.length);
        }
        if (padding.length / 2 > rank) {
            throw new IllegalArgumentException("pad: padding " + Arrays.toString(padding) + " has " + padding.length / 2
                    + " pairs but the input of shape " + Shapes.str(t.shape) + " has only " + rank + " dimensions");
        }
        int[] shape = t.shape.clone();
        int[] region = t.shape.clone();
        int srcOffset = t.offset;
        int[] dstStart = new int[rank];
        for (int p = 0; p < padding.length / 2; p++) {
            int d = rank - 1 - p;
            int before = padding[2 * p], after = padding[2 * p + 1];
            long size = (long) t.shape[d] + before + after;
            if (size < 0 || size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pad: padding (" + before + ", " + after + ") of dimension " + d
                        + " (size " + t.shape[d] + ", shape " + Shapes.str(t.shape) + ") gives size " + size);
            }
            shape[d] = (int) size;
            // Negative widths crop: the copied window starts later in t and ends earlier.
            int from = Math.max(0, -before), to = t.shape[d] - Math.max(0, -after);
            region[d] = Math.max(0, to - from);
            srcOffset += from * t.strides[d];
            dstStart[d] = Math.max(0, before);
        }
        Tensor out = Tensor.full(t.dtype(), value, shape);
        if (Shapes.numel(region) > 0) {
            int dstOffset = 0;
            for (int d = 0; d < rank; d++) dstOffset += dstStart[d] * out.strides[d];
            Strided.copy(Views.as(t, region, t.strides, srcOffset), Views.as(out, region, out.strides, dstOffset));
        }
        int[] inverse = new int[padding.length];
        for (int i = 0; i < padding.length; i++) inverse[i] = -padding[i];
        return Tensor.record("pad", out, new Tensor[] {t}, Tensor.NONE, (n, g) -> new Tensor[] {g.pad(inverse, 0)},
                dt -> dt[0].pad(padding, 0));
    }

    // ------------------------------------------------------------ sorting

    /**
     * Stable sort along {@code dim}: equal values keep their original order, in both directions. NaN
     * counts as larger than every number (last when ascending, first when descending), and −0.0
     * equals 0.0, as in PyTorch.
     */
    static Tensor.ValuesAndIndices sort(Tensor t, int dim, boolean descending) {
        int rank = t.shape.length;
        int d = Shapes.dim("sort", dim, rank);
        if (rank == 0) {
            Tensor.ValuesAndIndices r = sort(t.reshape(1), 0, descending);
            return new Tensor.ValuesAndIndices(r.values().reshape(), r.indices().reshape());
        }
        int n = t.shape[d];
        Tensor values = Tensor.empty(t.dtype(), t.shape);
        Tensor indices = Tensor.empty(DType.INT64, t.shape);
        int[] lines = t.shape.clone();
        lines[d] = 1;
        int ts = t.strides[d], vs = values.strides[d];
        int ti = inner(t.strides), vi = inner(values.strides);
        boolean integer = t.dtype() == DType.INT64;
        double[] row = new double[n];
        long[] longRow = integer ? new long[n] : null;
        int[] perm = new int[n], tmp = new int[n];
        Storage in = t.storage, vals = values.storage;
        long[] ix = indices.storage.l;
        IndexComparator cmp = integer
                ? (a, b) -> descending ? Long.compare(longRow[b], longRow[a]) : Long.compare(longRow[a], longRow[b])
                : (a, b) -> descending ? compareNaNLast(row[b], row[a]) : compareNaNLast(row[a], row[b]);
        Strided.forEachRun(lines, t.offset, t.strides, 0, values.strides, 0, null, (to, vo, unused, len) -> {
            for (int k = 0; k < len; k++) {
                int tBase = to + k * ti, vBase = vo + k * vi;
                for (int i = 0; i < n; i++) {
                    perm[i] = i;
                    if (integer) longRow[i] = in.l[tBase + i * ts];
                    else row[i] = in.get(tBase + i * ts);
                }
                mergeSort(perm, tmp, 0, n, cmp);
                for (int i = 0; i < n; i++) {
                    int at = vBase + i * vs;
                    if (integer) vals.l[at] = longRow[perm[i]];
                    else vals.set(at, row[perm[i]]);
                    ix[at] = perm[i];
                }
            }
        });
        int[] inShape = t.shape;
        DType dtype = t.dtype();
        Tensor recorded = Tensor.record("sort", values, new Tensor[] {t}, new Tensor[] {indices},
                (nd, g) -> new Tensor[] {Tensor.zeros(dtype, inShape).scatterAdd(d, nd.saved(0), g)},
                dt -> dt[0].gather(d, indices));
        return new Tensor.ValuesAndIndices(recorded, indices);
    }

    @FunctionalInterface
    private interface IndexComparator {
        int compare(int a, int b);
    }

    private static int compareNaNLast(double a, double b) {
        if (a < b) return -1;
        if (a > b) return 1;
        boolean na = Double.isNaN(a), nb = Double.isNaN(b);
        return na == nb ? 0 : na ? 1 : -1;
    }

    /** Sorts perm[from, to) by cmp; ties keep their order because the merge takes from the left first. */
    private static void mergeSort(int[] perm, int[] tmp, int from, int to, IndexComparator cmp) {
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int v = perm[i], j = i - 1;
                while (j >= from && cmp.compare(perm[j], v) > 0) {
                    perm[j + 1] = perm[j];
                    j--;
                }
                perm[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(perm, tmp, from, mid, cmp);
        mergeSort(perm, tmp, mid, to, cmp);
        if (cmp.compare(perm[mid - 1], perm[mid]) <= 0) return;
        System.arraycopy(perm, from, tmp, from, to - from);
        for (int i = from, a = from, b = mid; i < to; i++) {
            perm[i] = b >= to || (a < mid && cmp.compare(tmp[a], tmp[b]) <= 0) ? tmp[a++] : tmp[b++];
        }
    }

    // ------------------------------------------------------------ helpers

    private static void checkIndexType(String op, Tensor index) {
        Objects.requireNonNull(index, op + ": index");
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be int64, got " + index.dtype()
                    + " (shape " + Shapes.str(index.shape) + ")");
        }
    }

    private static int checkRange(String op, long i, int dim, int size) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + i + " out of range for dimension " + dim
                    + " of size " + size);
        }
        return (int) i;
    }

    /** Stride of the innermost dimension (any value for a scalar, whose single run has length 1). */
    private static int inner(int[] strides) {
        return strides.length == 0 ? 0 : strides[strides.length - 1];
    }

    private static void copyElement(Storage src, int si, Storage dst, int di) {
        switch (dst.dtype) {
            case FLOAT32 -> dst.f[di] = src.f[si];
            case FLOAT64 -> dst.d[di] = src.d[si];
            case INT64 -> dst.l[di] = src.l[si];
        }
    }

    private static void addElement(Storage src, int si, Storage dst, int di) {
        switch (dst.dtype) {
            case FLOAT32 -> dst.f[di] += (float) src.get(si);
            case FLOAT64 -> dst.d[di] += src.get(si);
            case INT64 -> dst.l[di] += src.dtype == DType.INT64 ? src.l[si] : (long) src.get(si);
        }
    }
}
