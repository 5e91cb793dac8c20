package org.jgrad;

import java.util.Arrays;
import org.jgrad.kernels.Kernels;

/**
 * Pooling and nearest upsampling over the last two dimensions of [N, C, H, W].
 *
 * <p>Every op here is linear in its input once the max positions of maxPool2d are fixed: the output
 * is A·x for a sparse A. Each is recorded as a {@link LinearMap}, whose backward is the adjoint map
 * Aᵀ, itself recorded with A as its backward; so gradients of every order exist (for maxPool2d the
 * positions stay those of the forward pass, which makes its second derivative in x zero, as in
 * PyTorch). maxPool2d's A depends on the {@link TieRule}: one 1 per output at the window's first
 * maximum (FIRST, {@code Gather}), or 1/k (SPLIT) or 1 (ALL) at each of its k maxima ({@code
 * WeightedGather}); its output is the window max either way.
 *
 * <p>Average pooling, adaptive average pooling and nearest upsampling are one map: output (i, j)
 * is rowScale[i]·colScale[j] times the sum of the input rectangle [rowStart[i], rowEnd[i]) ×
 * [colStart[j], colEnd[j]). Only the rectangles and scales differ.
 */
final class Pooling {
    private Pooling() {}

    /** A linear map on tensors and its adjoint, both unrecorded; shapes are fixed by the map. */
    interface LinearMap {
        Tensor apply(Tensor x);

        Tensor adjoint(Tensor g);
    }

    /** Records out = A·x (or Aᵀ·x when {@code adjoint}) with the other direction as its backward. */
    static Tensor recordLinear(String op, String adjointOp, LinearMap map, Tensor x, Tensor out, boolean adjoint) {
        return Tensor.record(adjoint ? adjointOp : op, out, new Tensor[] {x}, Tensor.NONE,
                (n, g) -> new Tensor[] {applyLinear(op, adjointOp, map, g, !adjoint)},
                dt -> adjoint ? map.adjoint(dt[0]) : map.apply(dt[0])); // linear: the tangent goes through A
    }

    private static Tensor applyLinear(String op, String adjointOp, LinearMap map, Tensor x, boolean adjoint) {
        return recordLinear(op, adjointOp, map, x, adjoint ? map.adjoint(x) : map.apply(x), adjoint);
    }

    private static DType floatType(Tensor t) {
        return t.dtype().isFloatingPoint() ? t.dtype() : DType.FLOAT64;
    }

    // ------------------------------------------------------------ max pooling

    static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, TieRule ties) {
        String op = "maxPool2d";
        if (ties == null) throw new IllegalArgumentException(op + ": the tie rule is null; expected FIRST, SPLIT or ALL");
        int[] k = Convolution.pair(op, "kernel", kernel);
        int[] s = stride == null ? k.clone() : Convolution.pair(op, "stride", stride);
        int[] p = Convolution.pair(op, "padding", padding);
        int[] d = Convolution.pair(op, "dilation", dilation);
        Convolution.checkPositive(op, "dilation", d);
        int[] outHW = poolOutput(op, x, k, s, p, d);
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], oh = outHW[0], ow = outHW[1];
        DType dt = floatType(x);
        Tensor xc = x.rawContiguous(dt);
        Tensor out = Tensor.empty(dt, new int[] {n, c, oh, ow});
        int[] idx = new int[out.numel()];
        int planes = n * c;
        boolean pairs = k[0] == 2 && k[1] == 2 && s[0] == 2 && s[1] == 2 && p[0] == 0 && p[1] == 0
                && d[0] == 1 && d[1] == 1;
        forPlanes(planes, (long) n * c * h * w, (p0, p1) -> {
            if (dt == DType.FLOAT32) {
                if (pairs) Kernels.get().maxPool2x2(xc.storage.f, xc.offset + p0 * h * w, out.storage.f, p0 * oh * ow, idx, p1 - p0, h, w);
                else maxPoolPlanes(xc.storage.f, xc.offset, out.storage.f, idx, p0, p1, h, w, oh, ow, k, s, p, d);
            } else {
                maxPoolPlanes(xc.storage.d, xc.offset, out.storage.d, idx, p0, p1, h, w, oh, ow, k, s, p, d);
            }
        });
        // FIRST keeps one position per output; SPLIT and ALL weight every maximum of the window. Either
        // way the output is the window max computed above and the derivative is the map.
        LinearMap map = ties == TieRule.FIRST ? new Gather(idx, x.shape.clone(), out.shape.clone())
                : tiedMaxima(xc, out, ties, k, s, p, d);
        return recordLinear(op, op + "Backward", map, x, out, false);
    }

    /**
     * The maxima of every window as a {@code WeightedGather}: each position whose value equals the
     * window's max y (or is NaN when y is, since NaN wins) gets weight 1/m (SPLIT, m such positions)
     * or 1 (ALL). Padding is never a maximum. Single-threaded: only the non-default rules come here.
     */
    private static WeightedGather tiedMaxima(Tensor xc, Tensor out, TieRule ties, int[] k, int[] s, int[] p, int[] d) {
        int h = xc.shape[2], w = xc.shape[3], hw = h * w, oh = out.shape[2], ow = out.shape[3], l = oh * ow;
        int planes = out.shape[0] * out.shape[1], total = out.numel();
        int[][] rows = taps(h, oh, k[0], s[0], p[0], d[0]), cols = taps(w, ow, k[1], s[1], p[1], d[1]);
        int[] start = new int[total + 1];
        int[] pos = new int[Math.max(total, 1)];
        double[] weight = new double[pos.length];
        int count = 0;
        for (int pl = 0; pl < planes; pl++) {
            int xb = xc.offset + pl * hw;
            for (int r = 0; r < oh; r++) {
                int hs = r * s[0] - p[0];
                for (int q = 0; q < ow; q++) {
                    int ws = q * s[1] - p[1], t = pl * l + r * ow + q, first = count;
                    double max = out.storage.get(t);
                    for (int i = rows[0][r]; i < rows[1][r]; i++) {
                        int ih = hs + i * d[0];
                        for (int j = cols[0][q]; j < cols[1][q]; j++) {
                            int iw = ws + j * d[1];
                            double v = xc.storage.get(xb + ih * w + iw);
                            if (v == max || (max != max && v != v)) {
                                if (count == pos.length) {
                                    pos = Arrays.copyOf(pos, 2 * count);
                                    weight = Arrays.copyOf(weight, 2 * count);
                                }
                                pos[count++] = ih * w + iw;
                            }
                        }
                    }
                    double wt = ties == TieRule.SPLIT ? 1.0 / (count - first) : 1.0;
                    for (int e = first; e < count; e++) weight[e] = wt;
                    start[t + 1] = count;
                }
            }
        }
        return new WeightedGather(start, pos, weight, xc.shape.clone(), out.shape.clone());
    }

    /**
     * Takes the first largest value of each window (row-major within the window), as PyTorch does,
     * so ties send the whole gradient to one input; a NaN wins over everything.
     */
    private static void maxPoolPlanes(float[] x, int xo, float[] y, int[] idx, int p0, int p1, int h, int w,
                                      int oh, int ow, int[] k, int[] s, int[] p, int[] d) {
        int hw = h * w, l = oh * ow;
        int[][] rows = taps(h, oh, k[0], s[0], p[0], d[0]), cols = taps(w, ow, k[1], s[1], p[1], d[1]);
        for (int pl = p0; pl < p1; pl++) {
            int xb = xo + pl * hw, yb = pl * l;
            for (int r = 0; r < oh; r++) {
                int hs = r * s[0] - p[0];
                for (int q = 0; q < ow; q++) {
                    int ws = q * s[1] - p[1], j0 = cols[0][q], j1 = cols[1][q];
                    float max = Float.NEGATIVE_INFINITY;
                    int arg = -1;
                    for (int i = rows[0][r]; i < rows[1][r]; i++) {
                        int ih = hs + i * d[0];
                        for (int j = j0; j < j1; j++) {
                            int iw = ws + j * d[1];
                            float v = x[xb + ih * w + iw];
                            if (arg < 0 || v > max || v != v) {
                                max = v;
                                arg = ih * w + iw;
                            }
                        }
                    }
                    y[yb + r * ow + q] = max;
                    idx[yb + r * ow + q] = arg;
                }
            }
        }
    }

    private static void maxPoolPlanes(double[] x, int xo, double[] y, int[] idx, int p0, int p1, int h, int w,
                                      int oh, int ow, int[] k, int[] s, int[] p, int[] d) {
        int hw = h * w, l = oh * ow;
        int[][] rows = taps(h, oh, k[0], s[0], p[0], d[0]), cols = taps(w, ow, k[1], s[1], p[1], d[1]);
        for (int pl = p0; pl < p1; pl++) {
            int xb = xo + pl * hw, yb = pl * l;
            for (int r = 0; r < oh; r++) {
                int hs = r * s[0] - p[0];
                for (int q = 0; q < ow; q++) {
                    int ws = q * s[1] - p[1], j0 = cols[0][q], j1 = cols[1][q];
                    double max = Double.NEGATIVE_INFINITY;
                    int arg = -1;
                    for (int i = rows[0][r]; i < rows[1][r]; i++) {
                        int ih = hs + i * d[0];
                        for (int j = j0; j < j1; j++) {
                            int iw = ws + j * d[1];
                            double v = x[xb + ih * w + iw];
                            if (arg < 0 || v > max || v != v) {
                                max = v;
                                arg = ih * w + iw;
                            }
                        }
                    }
                    y[yb + r * ow + q] = max;
                    idx[yb + r * ow + q] = arg;
                }
            }
        }
    }

    /** The body of a parallel loop over a range of planes [p0, p1). */
    interface PlaneRange {
        void run(int p0, int p1);
    }

    /**
     * Splits planes into one contiguous range per kernel thread when there is enough work (each
     * plane's outputs are computed by exactly one thread, so results do not depend on the split).
     */
    static void forPlanes(int planes, long work, PlaneRange body) {
        int tasks = work < (1 << 16) ? 1 : Math.min(planes, org.jgrad.kernels.Threads.get());
        if (tasks <= 1) {
            body.run(0, planes);
            return;
        }
        org.jgrad.kernels.Threads.parallelFor(tasks, t -> body.run((int) ((long) planes * t / tasks),
                (int) ((long) planes * (t + 1) / tasks)));
    }

    /**
     * For each output position o along one axis, the kernel taps [lo, hi) that land inside the input:
     * o·stride − padding + tap·dilation ∈ [0, size). Found once, so the window loops need no bounds tests.
     */
    private static int[][] taps(int size, int out, int k, int s, int p, int d) {
        int[][] t = new int[2][out];
        for (int o = 0; o < out; o++) {
            int start = o * s - p, lo = 0, hi = k;
            while (lo < k && start + lo * d < 0) lo++;
            while (hi > lo && start + (hi - 1) * d >= size) hi--;
            t[0][o] = lo;
            t[1][o] = hi;
        }
        return t;
    }

    /**
     * out[plane, t] = x[plane, idx[plane·L + t]] for each output position t (L per plane); the
     * adjoint adds each output gradient back at its index. idx &lt; 0 marks a window with no input.
     */
    private record Gather(int[] idx, int[] inShape, int[] outShape) implements LinearMap {
        @Override
        public Tensor apply(Tensor x) {
            DType dt = floatType(x);
            Tensor xc = x.rawContiguous(dt), out = Tensor.empty(dt, outShape);
            int hw = inShape[2] * inShape[3], l = outShape[2] * outShape[3], xo = xc.offset;
            if (l == 0) return out;
            if (dt == DType.FLOAT32) {
                float[] a = xc.storage.f, c = out.storage.f;
                forPlanes(idx.length / l, idx.length, (p0, p1) -> {
                    for (int pl = p0; pl < p1; pl++) {
                        int base = xo + pl * hw;
                        for (int t = pl * l, e = t + l; t < e; t++) c[t] = idx[t] < 0 ? 0 : a[base + idx[t]];
                    }
                });
            } else {
                double[] a = xc.storage.d, c = out.storage.d;
                for (int t = 0; t < idx.length; t++) c[t] = idx[t] < 0 ? 0 : a[xo + t / l * hw + idx[t]];
            }
            return out;
        }

        @Override
        public Tensor adjoint(Tensor g) {
            DType dt = floatType(g);
            Tensor gc = g.rawContiguous(dt), out = Tensor.empty(dt, inShape);
            int hw = inShape[2] * inShape[3], l = outShape[2] * outShape[3], go = gc.offset;
            if (l == 0) return out;
            if (dt == DType.FLOAT32) {
                float[] a = gc.storage.f, c = out.storage.f;
                forPlanes(idx.length / l, idx.length, (p0, p1) -> {
                    for (int pl = p0; pl < p1; pl++) {
                        int base = pl * hw;
                        for (int t = pl * l, e = t + l; t < e; t++) if (idx[t] >= 0) c[base + idx[t]] += a[go + t];
                    }
                });
            } else {
                double[] a = gc.storage.d, c = out.storage.d;
                for (int t = 0; t < idx.length; t++) if (idx[t] >= 0) c[t / l * hw + idx[t]] += a[go + t];
            }
            return out;
        }
    }

    /**
     * out[plane, t] = Σ weight[e]·x[plane, pos[e]] over e in [start[t], start[t+1]) (L outputs per
     * plane, t counted over all planes); the adjoint adds weight[e]·g[t] back at each pos[e].
     */
    private record WeightedGather(int[] start, int[] pos, double[] weight, int[] inShape, int[] outShape)
            implements LinearMap {
        @Override
        public Tensor apply(Tensor x) {
            DType dt = floatType(x);
            Tensor xc = x.rawContiguous(dt), out = Tensor.empty(dt, outShape);
            int hw = inShape[2] * inShape[3], l = outShape[2] * outShape[3], total = start.length - 1;
            if (l == 0) return out;
            if (dt == DType.FLOAT32) {
                float[] a = xc.storage.f, c = out.storage.f;
                for (int t = 0; t < total; t++) {
                    int base = xc.offset + t / l * hw;
                    double sum = 0;
                    for (int e = start[t]; e < start[t + 1]; e++) sum += weight[e] * a[base + pos[e]];
                    c[t] = (float) sum;
                }
            } else {
                double[] a = xc.storage.d, c = out.storage.d;
                for (int t = 0; t < total; t++) {
                    int base = xc.offset + t / l * hw;
                    double sum = 0;
                    for (int e = start[t]; e < start[t + 1]; e++) sum += weight[e] * a[base + pos[e]];
                    c[t] = sum;
                }
            }
            return out;
        }

        @Override
        public Tensor adjoint(Tensor g) {
            DType dt = floatType(g);
            Tensor gc = g.rawContiguous(dt), out = Tensor.empty(dt, inShape);
            int hw = inShape[2] * inShape[3], l = outShape[2] * outShape[3], total = start.length - 1;
            if (l == 0) return out;
            if (dt == DType.FLOAT32) {
                float[] a = gc.storage.f, c = out.storage.f;
                for (int t = 0; t < total; t++) {
                    int base = t / l * hw;
                    for (int e = start[t]; e < start[t + 1]; e++) c[base + pos[e]] += (float) (weight[e] * a[gc.offset + t]);
                }
            } else {
                double[] a = gc.storage.d, c = out.storage.d;
                for (int t = 0; t < total; t++) {
                    int base = t / l * hw;
                    for (int e = start[t]; e < start[t + 1]; e++) c[base + pos[e]] += weight[e] * a[gc.offset + t];
                }
            }
            return out;
        }
    }

    // ------------------------------------------------------------ window sums: avg, adaptive, upsample

    static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        String op = "avgPool2d";
        int[] k = Convolution.pair(op, "kernel", kernel);
        int[] s = stride == null ? k.clone() : Convolution.pair(op, "stride", stride);
        int[] p = Convolution.pair(op, "padding", padding);
        int[] outHW = poolOutput(op, x, k, s, p, new int[] {1, 1});
        int[][] rows = avgAxis(x.shape[2], outHW[0], k[0], s[0], p[0], countIncludePad);
        int[][] cols = avgAxis(x.shape[3], outHW[1], k[1], s[1], p[1], countIncludePad);
        return windows(op, x, outHW, rows, cols);
    }

    /**
     * PyTorch's windows: start = o·s − p, end = min(start + k, size + p); the divisor counts the
     * padded window (countIncludePad) or only its part inside the input. The two axes' divisors
     * multiply, so each axis carries its own.
     */
    private static int[][] avgAxis(int size, int out, int k, int s, int p, boolean countIncludePad) {
        int[][] a = new int[3][out];
        for (int o = 0; o < out; o++) {
            int start = o * s - p, end = Math.min(start + k, size + p), padded = end - start;
            start = Math.max(start, 0);
            end = Math.min(end, size);
            a[0][o] = start;
            a[1][o] = Math.max(end, start);
            a[2][o] = countIncludePad ? padded : a[1][o] - start;
        }
        return a;
    }

    static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        String op = "adaptiveAvgPool2d";
        Convolution.checkRank(op, "input", x, 4, "[N, C, H, W]");
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(op + ": output size must be positive, got [" + outH + ", " + outW + "]");
        }
        if ((x.shape[2] == 0 || x.shape[3] == 0)) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " has an empty spatial dimension");
        }
        return windows(op, x, new int[] {outH, outW}, adaptiveAxis(x.shape[2], outH), adaptiveAxis(x.shape[3], outW));
    }

    /** PyTorch's adaptive windows: [floor(o·size/out), ceil((o+1)·size/out)), averaged over their length. */
    private static int[][] adaptiveAxis(int size, int out) {
        int[][] a = new int[3][out];
        for (int o = 0; o < out; o++) {
            a[0][o] = (int) ((long) o * size / out);
            a[1][o] = (int) (((long) (o + 1) * size + out - 1) / out);
            a[2][o] = a[1][o] - a[0][o];
        }
        return a;
    }

    static Tensor upsampleNearest2d(Tensor x, int scaleH, int scaleW) {
        String op = "upsampleNearest2d";
        Convolution.checkRank(op, "input", x, 4, "[N, C, H, W]");
        if (scaleH <= 0 || scaleW <= 0) {
            throw new IllegalArgumentException(op + ": scale factors must be positive, got [" + scaleH + ", " + scaleW + "]");
        }
        long oh = (long) x.shape[2] * scaleH, ow = (long) x.shape[3] * scaleW;
        Shapes.numel(new int[] {x.shape[0], x.shape[1], (int) Math.min(oh, Integer.MAX_VALUE), (int) Math.min(ow, Integer.MAX_VALUE)});
        return windows(op, x, new int[] {(int) oh, (int) ow}, nearestAxis((int) oh, scaleH), nearestAxis((int) ow, scaleW));
    }

    /** Output o reads input o / scale (PyTorch's floor(o · in/out) for an integer scale); divisor 1. */
    private static int[][] nearestAxis(int out, int scale) {
        int[][] a = new int[3][out];
        for (int o = 0; o < out; o++) {
            a[0][o] = o / scale;
            a[1][o] = o / scale + 1;
            a[2][o] = 1;
        }
        return a;
    }

    private static Tensor windows(String op, Tensor x, int[] outHW, int[][] rows, int[][] cols) {
        int[] outShape = {x.shape[0], x.shape[1], outHW[0], outHW[1]};
        Windows map = new Windows(x.shape.clone(), outShape, rows[0], rows[1], inverse(rows[2]), cols[0], cols[1], inverse(cols[2]));
        return recordLinear(op, op + "Backward", map, x, map.apply(x), false);
    }

    private static double[] inverse(int[] divisors) {
        double[] r = new double[divisors.length];
        for (int i = 0; i < r.length; i++) r[i] = divisors[i] == 0 ? 0 : 1.0 / divisors[i];
        return r;
    }

    /** out[i, j] = rowScale[i]·colScale[j]·Σ x over [rowStart[i], rowEnd[i]) × [colStart[j], colEnd[j]). */
    private record Windows(int[] inShape, int[] outShape, int[] rowStart, int[] rowEnd, double[] rowScale,
                           int[] colStart, int[] colEnd, double[] colScale) implements LinearMap {
        @Override
        public Tensor apply(Tensor x) {
            DType dt = floatType(x);
            Tensor xc = x.rawContiguous(dt), out = Tensor.empty(dt, outShape);
            int planes = inShape[0] * inShape[1];
            if (out.numel() == 0) return out;
            if (dt == DType.FLOAT32) forward(xc.storage.f, xc.offset, out.storage.f, planes);
            else forward(xc.storage.d, xc.offset, out.storage.d, planes);
            return out;
        }

        @Override
        public Tensor adjoint(Tensor g) {
            DType dt = floatType(g);
            Tensor gc = g.rawContiguous(dt), out = Tensor.empty(dt, inShape);
            int planes = inShape[0] * inShape[1];
            if (out.numel() == 0 || g.numel() == 0) return out;
            if (dt == DType.FLOAT32) backward(gc.storage.f, gc.offset, out.storage.f, planes);
            else backward(gc.storage.d, gc.offset, out.storage.d, planes);
            return out;
        }

        private void forward(float[] x, int xo, float[] y, int planes) {
            int w = inShape[3], hw = inShape[2] * w, oh = outShape[2], ow = outShape[3];
            for (int pl = 0; pl < planes; pl++) {
                int xb = xo + pl * hw, yb = pl * oh * ow;
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        int c0 = colStart[q], c1 = colEnd[q];
                        // Accumulate in double: a global average over a large plane loses digits in float.
                        double sum = 0;
                        for (int i = rowStart[r]; i < rowEnd[r]; i++) {
                            int row = xb + i * w;
                            for (int j = c0; j < c1; j++) sum += x[row + j];
                        }
                        y[yb + r * ow + q] = (float) (sum * rowScale[r] * colScale[q]);
                    }
                }
            }
        }

        private void forward(double[] x, int xo, double[] y, int planes) {
            int w = inShape[3], hw = inShape[2] * w, oh = outShape[2], ow = outShape[3];
            for (int pl = 0; pl < planes; pl++) {
                int xb = xo + pl * hw, yb = pl * oh * ow;
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        int c0 = colStart[q], c1 = colEnd[q];
                        double sum = 0;
                        for (int i = rowStart[r]; i < rowEnd[r]; i++) {
                            int row = xb + i * w;
                            for (int j = c0; j < c1; j++) sum += x[row + j];
                        }
                        y[yb + r * ow + q] = sum * rowScale[r] * colScale[q];
                    }
                }
            }
        }

        private void backward(float[] g, int go, float[] x, int planes) {
            int w = inShape[3], hw = inShape[2] * w, oh = outShape[2], ow = outShape[3];
            for (int pl = 0; pl < planes; pl++) {
                int xb = pl * hw, gb = go + pl * oh * ow;
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        float v = (float) (g[gb + r * ow + q] * rowScale[r] * colScale[q]);
                        int c0 = colStart[q], c1 = colEnd[q];
                        for (int i = rowStart[r]; i < rowEnd[r]; i++) {
                            int row = xb + i * w;
                            for (int j = c0; j < c1; j++) x[row + j] += v;
                        }
                    }
                }
            }
        }

        private void backward(double[] g, int go, double[] x, int planes) {
            int w = inShape[3], hw = inShape[2] * w, oh = outShape[2], ow = outShape[3];
            for (int pl = 0; pl < planes; pl++) {
                int xb = pl * hw, gb = go + pl * oh * ow;
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double v = g[gb + r * ow + q] * rowScale[r] * colScale[q];
                        int c0 = colStart[q], c1 = colEnd[q];
                        for (int i = rowStart[r]; i < rowEnd[r]; i++) {
                            int row = xb + i * w;
                            for (int j = c0; j < c1; j++) x[row + j] += v;
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------ shared checks

    /** Checks a pooling's arguments and returns the output [oH, oW] (PyTorch's floor mode). */
    private static int[] poolOutput(String op, Tensor x, int[] k, int[] s, int[] p, int[] d) {
        Convolution.checkRank(op, "input", x, 4, "[N, C, H, W]");
        Convolution.checkPositive(op, "kernel", k);
        Convolution.checkPositive(op, "stride", s);
        Convolution.checkNonNegative(op, "padding", p);
        int[] out = new int[2];
        for (int i = 0; i < 2; i++) {
            // Beyond half a kernel some windows would hold only padding.
            if (p[i] > k[i] / 2) {
                throw new IllegalArgumentException(op + ": padding " + Arrays.toString(p)
                        + " must be at most half the kernel " + Arrays.toString(k));
            }
            int size = x.shape[2 + i];
            long eff = (long) d[i] * (k[i] - 1) + 1, padded = size + 2L * p[i];
            if (eff > padded) {
                throw new IllegalArgumentException(op + ": kernel " + Arrays.toString(k)
                        + (eff == k[i] ? "" : " (dilated to " + eff + " along dimension " + (2 + i) + ")")
                        + " is larger than the padded input: input " + Shapes.str(x.shape) + " with padding "
                        + Arrays.toString(p) + " is " + padded + " along dimension " + (2 + i));
            }
            out[i] = (int) ((padded - eff) / s[i] + 1);
        }
        return out;
    }
}
