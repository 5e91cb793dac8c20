package org.jgrad;

/**
 * Loops over strided layouts. The outer dimensions are walked with an odometer; the innermost
 * dimension is a run handed to a tight loop or a kernel.
 */
final class Strided {
    private Strided() {}

    /** Strides of {@code t} viewed with the broadcast shape {@code shape}: 0 where t is broadcast. */
    static int[] broadcastStrides(Tensor t, int[] shape) {
        int[] s = new int[shape.length];
        int lead = shape.length - t.shape.length;
        for (int i = 0; i < t.shape.length; i++) {
            s[lead + i] = t.shape[i] == 1 && shape[lead + i] != 1 ? 0 : t.strides[i];
        }
        return s;
    }

    /**
     * The same walk with fewer, longer dimensions: size-1 dimensions are dropped and neighbours that
     * every layout steps through as one (outer stride = inner stride × inner size) are merged. A
     * [4096, 1] column or a contiguous [B, C, H, W] plus a [C, 1, 1] bias then runs over long
     * innermost runs instead of many short ones. Returns {shape, strides of each layout}.
     */
    static int[][] coalesce(int[] shape, int[]... strides) {
        int k = strides.length;
        int[][] out = new int[k + 1][shape.length];
        int n = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            boolean merge = n > 0;
            for (int j = 0; j < k && merge; j++) merge = out[j + 1][n - 1] == strides[j][d] * shape[d];
            if (merge) {
                out[0][n - 1] *= shape[d];
                for (int j = 0; j < k; j++) out[j + 1][n - 1] = strides[j][d];
            } else {
                out[0][n] = shape[d];
                for (int j = 0; j < k; j++) out[j + 1][n] = strides[j][d];
                n++;
            }
        }
        for (int j = 0; j <= k; j++) out[j] = java.util.Arrays.copyOf(out[j], n);
        return out;
    }

    /** Stride of the innermost dimension (1 for rank 0, whose single run has length 1). */
    static int innerStride(int[] strides) {
        return strides.length == 0 ? 1 : strides[strides.length - 1];
    }

    /** Visits each run of the innermost dimension: offsets of up to three layouts over one shape. */
    interface RunVisitor {
        void run(int o0, int o1, int o2, int length);
    }

    static void forEachRun(int[] shape, int base0, int[] s0, int base1, int[] s1, int base2, int[] s2,
                           RunVisitor visitor) {
        int rank = shape.length;
        int n = Shapes.numel(shape);
        if (n == 0) return;
        if (rank == 0) {
            visitor.run(base0, base1, base2, 1);
            return;
        }
        int inner = shape[rank - 1];
        int outer = n / inner;
        int[] idx = new int[rank];
        int o0 = base0, o1 = base1, o2 = base2;
        for (int r = 0; r < outer; r++) {
            visitor.run(o0, o1, o2, inner);
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                o0 += s0[d];
                o1 += s1 == null ? 0 : s1[d];
                o2 += s2 == null ? 0 : s2[d];
                if (idx[d] < shape[d]) break;
                o0 -= s0[d] * shape[d];
                o1 -= s1 == null ? 0 : s1[d] * shape[d];
                o2 -= s2 == null ? 0 : s2[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /**
     * Copies {@code src} (broadcast to dst's shape) into {@code dst}, whatever the strides of either
     * and converting the element type if they differ.
     */
    static void copy(Tensor src, Tensor dst) {
        int[] shape = dst.shape;
        int[] ss = broadcastStrides(src, shape);
        int[] ds = dst.strides;
        int rank = shape.length;
        int sInner = rank == 0 ? 1 : ss[rank - 1];
        int dInner = rank == 0 ? 1 : ds[rank - 1];
        Storage a = src.storage, c = dst.storage;
        if (a.dtype == c.dtype && a.dtype == DType.FLOAT32) {
            float[] x = a.f, y = c.f;
            forEachRun(shape, src.offset, ss, dst.offset, ds, 0, null, (so, dOff, unused, len) -> {
                if (sInner == 1 && dInner == 1) {
                    System.arraycopy(x, so, y, dOff, len);
                } else {
                    for (int i = 0; i < len; i++) y[dOff + i * dInner] = x[so + i * sInner];
                }
            });
        } else if (a.dtype == c.dtype && a.dtype == DType.FLOAT64) {
            double[] x = a.d, y = c.d;
            forEachRun(shape, src.offset, ss, dst.offset, ds, 0, null, (so, dOff, unused, len) -> {
                if (sInner == 1 && dInner == 1) {
                    System.arraycopy(x, so, y, dOff, len);
                } else {
                    for (int i = 0; i < len; i++) y[dOff + i * dInner] = x[so + i * sInner];
                }
            });
        } else {
            forEachRun(shape, src.offset, ss, dst.offset, ds, 0, null, (so, dOff, unused, len) -> {
                for (int i = 0; i < len; i++) c.set(dOff + i * dInner, a.get(so + i * sInner));
            });
        }
    }
}
