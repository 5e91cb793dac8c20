package org.jgrad;

import java.util.Arrays;

/**
 * Movement ops: new shapes and strides over the same storage, no copy (reshape copies only when
 * the strides make a view impossible). The backward of each is the inverse movement of the gradient.
 */
final class Views {
    private Views() {}

    /** A raw (unrecorded) view of t's storage. */
    static Tensor as(Tensor t, int[] shape, int[] strides, int offset) {
        return new Tensor(t.storage, shape, strides, offset);
    }

    /** Records a movement op; its forward-mode rule is the same movement of the tangent. */
    private static Tensor recordView(String op, Tensor out, Tensor in, Node.Derivative backward, ForwardAD.Rule tangentRule) {
        return Tensor.record(op, out, new Tensor[] {in}, Tensor.NONE, backward, tangentRule);
    }

    /** Resolves one -1 in a requested shape against numel. */
    static int[] inferShape(String op, int[] requested, int numel, int[] from) {
        int[] shape = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + Shapes.str(requested));
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + shape[i] + " in " + Shapes.str(requested));
            } else {
                known *= shape[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Shapes.str(requested) + " is invalid for input of shape "
                        + Shapes.str(from) + " (" + numel + " elements)");
            }
            shape[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(requested) + " is invalid for input of shape "
                    + Shapes.str(from) + " (" + numel + " elements)");
        }
        return shape;
    }

    /**
     * Strides that let {@code t} be viewed as {@code shape} without copying, or null if none exist.
     * Walks the old dimensions from the innermost, grouping those that are contiguous among
     * themselves; each group must be covered exactly by a run of new dimensions (PyTorch's rule).
     */
    static int[] viewStrides(Tensor t, int[] shape) {
        int[] oldShape = t.shape, oldStrides = t.strides;
        if (t.numel() == 0 || oldShape.length == 0 || t.isContiguous()) return Shapes.contiguousStrides(shape);
        int[] newStrides = new int[shape.length];
        int viewD = shape.length - 1;
        long chunkBaseStride = oldStrides[oldShape.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            tensorNumel *= oldShape[d];
            boolean chunkEnds = d == 0
                    || (oldShape[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBaseStride);
            if (chunkEnds) {
                while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBaseStride);
                    viewNumel *= shape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBaseStride = oldStrides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    static Tensor view(Tensor t, int[] requested) {
        int[] shape = inferShape("view", requested, t.numel(), t.shape);
        int[] strides = viewStrides(t, shape);
        if (strides == null) {
            throw new IllegalArgumentException("view: a tensor of shape " + Shapes.str(t.shape) + " with strides "
                    + Shapes.str(t.strides) + " cannot be viewed as " + Shapes.str(shape)
                    + " without copying; use reshape (which copies) or call contiguous() first");
        }
        int[] from = t.shape;
        return recordView("view", as(t, shape, strides, t.offset), t, (n, g) -> new Tensor[] {g.reshape(from)},
                dt -> dt[0].reshape(shape));
    }

    static Tensor reshape(Tensor t, int[] requested) {
        int[] shape = inferShape("reshape", requested, t.numel(), t.shape);
        int[] strides = viewStrides(t, shape);
        int[] from = t.shape;
        Tensor out = strides != null ? as(t, shape, strides, t.offset) : as(t.rawClone(), shape, Shapes.contiguousStrides(shape), 0);
        return recordView("reshape", out, t, (n, g) -> new Tensor[] {g.reshape(from)}, dt -> dt[0].reshape(shape));
    }

    static Tensor transpose(Tensor t, int dim0, int dim1) {
        int r = t.shape.length;
        int a = Shapes.dim("transpose", dim0, r), b = Shapes.dim("transpose", dim1, r);
        if (r == 0) return t;
        int[] shape = t.shape.clone(), strides = t.strides.clone();
        shape[a] = t.shape[b];
        shape[b] = t.shape[a];
        strides[a] = t.strides[b];
        strides[b] = t.strides[a];
        return recordView("transpose", as(t, shape, strides, t.offset), t, (n, g) -> new Tensor[] {g.transpose(a, b)},
                dt -> dt[0].transpose(a, b));
    }

    static Tensor permute(Tensor t, int[] dims) {
        int r = t.shape.length;
        if (dims.length != r) {
            throw new IllegalArgumentException("permute: " + dims.length + " dimensions " + Arrays.toString(dims)
                    + " for a tensor of rank " + r + " (shape " + Shapes.str(t.shape) + ")");
        }
        int[] perm = new int[r];
        boolean[] seen = new boolean[r];
        int[] shape = new int[r], strides = new int[r];
        for (int i = 0; i < r; i++) {
            int d = Shapes.dim("permute", dims[i], r);
            if (seen[d]) throw new IllegalArgumentException("permute: dimension " + d + " repeated in " + Arrays.toString(dims));
            seen[d] = true;
            perm[i] = d;
            shape[i] = t.shape[d];
            strides[i] = t.strides[d];
        }
        int[] inverse = new int[r];
        for (int i = 0; i < r; i++) inverse[perm[i]] = i;
        return recordView("permute", as(t, shape, strides, t.offset), t, (n, g) -> new Tensor[] {g.permute(inverse)},
                dt -> dt[0].permute(perm));
    }

    static Tensor slice(Tensor t, int dim, int start, int end, int step) {
        int r = t.shape.length;
        if (r == 0) throw new IllegalArgumentException("slice: cannot slice a scalar (shape [])");
        int d = Shapes.dim("slice", dim, r);
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int size = t.shape[d];
        int s = start < 0 ? start + size : start;
        int e = end < 0 ? end + size : end;
        s = Math.max(0, Math.min(s, size));
        e = Math.max(s, Math.min(e, size));
        int len = (e - s + step - 1) / step;
        int[] shape = t.shape.clone(), strides = t.strides.clone();
        shape[d] = len;
        strides[d] = t.strides[d] * step;
        int from = s;
        int[] inShape = t.shape;
        DType dtype = t.dtype();
        return recordView("slice", as(t, shape, strides, t.offset + s * t.strides[d]), t,
                (n, g) -> new Tensor[] {sliceScatter(g, inShape, dtype, d, from, step)},
                dt -> dt[0].slice(d, from, from + (len - 1) * step + 1, step));
    }

    /** Zeros of {@code shape} with g written into the slice (from, step) along dim: slice's backward. */
    static Tensor sliceScatter(Tensor g, int[] shape, DType dtype, int dim, int start, int step) {
        Tensor out = Tensor.empty(dtype, shape);
        int[] strides = out.strides.clone();
        strides[dim] *= step;
        Tensor window = as(out, g.shape.clone(), strides, start * out.strides[dim]);
        Strided.copy(g, window);
        int len = g.shape[dim];
        return Tensor.record("sliceBackward", out, new Tensor[] {g}, Tensor.NONE,
                (n, gg) -> new Tensor[] {gg.slice(dim, start, start + (len - 1) * step + 1, step)},
                dt -> sliceScatter(dt[0], shape, dtype, dim, start, step));
    }

    static Tensor select(Tensor t, int dim, int index) {
        int r = t.shape.length;
        if (r == 0) throw new IllegalArgumentException("select: cannot select from a scalar (shape [])");
        int d = Shapes.dim("select", dim, r);
        int size = t.shape[d];
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("select: index " + index + " out of range for dimension " + d
                    + " of size " + size + " (shape " + Shapes.str(t.shape) + ")");
        }
        int[] shape = new int[r - 1], strides = new int[r - 1];
        for (int k = 0, j = 0; k < r; k++) {
            if (k == d) continue;
            shape[j] = t.shape[k];
            strides[j++] = t.strides[k];
        }
        int[] inShape = t.shape;
        DType dtype = t.dtype();
        return recordView("select", as(t, shape, strides, t.offset + i * t.strides[d]), t,
                (n, g) -> new Tensor[] {sliceScatter(g.unsqueeze(d), inShape, dtype, d, i, 1)},
                dt -> dt[0].select(d, i));
    }

    static Tensor expand(Tensor t, int[] requested) {
        int r = requested.length;
        if (r < t.shape.length) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(t.shape) + " to "
                    + Shapes.str(requested) + " (fewer dimensions)");
        }
        int lead = r - t.shape.length;
        int[] shape = new int[r], strides = new int[r];
        for (int i = 0; i < r; i++) {
            int want = requested[i];
            if (i < lead) {
                if (want < 0) throw new IllegalArgumentException("expand: -1 is not allowed for a new leading dimension in " + Shapes.str(requested));
                shape[i] = want;
                strides[i] = 0;
                continue;
            }
            int have = t.shape[i - lead];
            if (want == -1) want = have;
            if (want < 0) throw new IllegalArgumentException("expand: invalid size " + want + " in " + Shapes.str(requested));
            if (want != have && have != 1) {
                throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(t.shape) + " to "
                        + Shapes.str(requested) + " (dimension " + i + " has size " + have + ", not 1)");
            }
            shape[i] = want;
            strides[i] = want != have ? 0 : t.strides[i - lead];
        }
        if (Arrays.equals(shape, t.shape)) return t;
        int[] from = t.shape;
        return recordView("expand", as(t, shape, strides, t.offset), t, (n, g) -> new Tensor[] {g.sumToShape(from)},
                dt -> dt[0].expand(shape));
    }

    static Tensor squeeze(Tensor t) {
        int n = 0;
        for (int s : t.shape) if (s != 1) n++;
        int[] shape = new int[n], strides = new int[n];
        for (int k = 0, j = 0; k < t.shape.length; k++) {
            if (t.shape[k] == 1) continue;
            shape[j] = t.shape[k];
            strides[j++] = t.strides[k];
        }
        int[] from = t.shape;
        return recordView("squeeze", as(t, shape, strides, t.offset), t, (nd, g) -> new Tensor[] {g.reshape(from)},
                dt -> dt[0].reshape(shape));
    }

    static Tensor squeeze(Tensor t, int dim) {
        int d = Shapes.dim("squeeze", dim, t.shape.length);
        if (t.shape.length == 0 || t.shape[d] != 1) return t;
        int r = t.shape.length;
        int[] shape = new int[r - 1], strides = new int[r - 1];
        for (int k = 0, j = 0; k < r; k++) {
            if (k == d) continue;
            shape[j] = t.shape[k];
            strides[j++] = t.strides[k];
        }
        int[] from = t.shape;
        return recordView("squeeze", as(t, shape, strides, t.offset), t, (n, g) -> new Tensor[] {g.reshape(from)},
                dt -> dt[0].reshape(shape));
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int r = t.shape.length;
        int d = Shapes.dim("unsqueeze", dim, r + 1);
        int[] shape = new int[r + 1], strides = new int[r + 1];
        for (int k = 0, j = 0; k <= r; k++) {
            if (k == d) {
                shape[k] = 1;
                strides[k] = d < r ? t.strides[d] * t.shape[d] : 1;
            } else {
                shape[k] = t.shape[j];
                strides[k] = t.strides[j++];
            }
        }
        int[] from = t.shape;
        return recordView("unsqueeze", as(t, shape, strides, t.offset), t, (n, g) -> new Tensor[] {g.reshape(from)},
                dt -> dt[0].reshape(shape));
    }

    static Tensor flatten(Tensor t, int startDim, int endDim) {
        int r = t.shape.length;
        if (r == 0) return t.reshape(1);
        int s = Shapes.dim("flatten", startDim, r), e = Shapes.dim("flatten", endDim, r);
        if (s > e) throw new IllegalArgumentException("flatten: startDim " + startDim + " comes after endDim " + endDim);
        int[] shape = new int[r - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) shape[k++] = t.shape[i];
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= t.shape[i];
        shape[k++] = merged;
        for (int i = e + 1; i < r; i++) shape[k++] = t.shape[i];
        return t.reshape(shape);
    }
}
