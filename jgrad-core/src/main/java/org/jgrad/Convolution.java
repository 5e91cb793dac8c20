package org.jgrad;

import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgrad.kernels.Kernels;
import org.jgrad.kernels.Threads;

/**
 * Convolution lowered to matrix products (im2col + gemm), and its two adjoints.
 *
 * <p>For an input x [N, C, H, W] and a weight w [O, C/groups, kH, kW] the convolution y = F(x, w)
 * [N, O, oH, oW] is bilinear, and so are its two derivatives:
 * <ul>
 *   <li>{@code backwardInput}  B_in(gy, w) = ∂⟨F(x, w), gy⟩/∂x — the transposed convolution;
 *   <li>{@code backwardWeight} B_w(x, gy) = ∂⟨F(x, w), gy⟩/∂w.
 * </ul>
 * Since ⟨F(x, w), y⟩ = ⟨x, B_in(y, w)⟩ = ⟨w, B_w(x, y)⟩, the derivatives of each of the three are
 * the other two (see the backward rules below). All three are recorded ops, so gradients of every
 * order exist and cost one convolution-sized product each.
 *
 * <p>The lowering: for a chunk of images, im2col copies every receptive field into a column buffer
 * cols [C·kH·kW, chunk·oH·oW]; then, per group, y_g = w_g · cols_g, gw_g += gy_g · cols_gᵀ and
 * dcols_g = w_gᵀ · gy_g (the transposes are gemm flags, never copies), and col2im adds dcols back
 * into the overlapping windows of the input gradient. The chunk is sized so the column buffer stays
 * under {@link #SCRATCH_BYTES}; the buffers are reused per thread.
 */
final class Convolution {
    private Convolution() {}

    /** Upper bound on the column buffer plus the chunk's output buffer, per thread. */
    static final long SCRATCH_BYTES = 32L << 20;

    /** The bound in use: tests lower it to make small inputs run in several chunks. */
    static volatile long scratchBytes = SCRATCH_BYTES;

    /**
     * The sizes of one convolution, always in the forward (conv2d) direction: the input [n, c, h, w],
     * the weight [o, c/groups, kh, kw], the output [n, o, oh, ow]. The output size is stored, not
     * recomputed, so a transposed convolution with output padding uses the same geometry.
     */
    record Geometry(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw,
                    int dh, int dw, int groups, int oh, int ow) {
        int[] inputShape() { return new int[] {n, c, h, w}; }
        int[] weightShape() { return new int[] {o, c / groups, kh, kw}; }
        int[] outputShape() { return new int[] {n, o, oh, ow}; }
        /** Rows of one group's column block: its input channels times the kernel positions. */
        int rowsPerGroup() { return c / groups * kh * kw; }
        /** A 1×1 convolution with stride 1 and no padding: the input already is its column matrix. */
        boolean pointwise() { return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && oh == h && ow == w; }
    }

    // ------------------------------------------------------------ the three recorded ops

    /** y = F(x, w) (+ bias over the channel dimension). */
    static Tensor forward(Geometry geo, Tensor x, Tensor w, Tensor bias) {
        DType dt = computeType(x, w, bias);
        Tensor out = forwardRaw(geo, x.rawContiguous(dt), w.rawContiguous(dt),
                bias == null ? null : bias.rawContiguous(dt), dt);
        Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        int count = inputs.length;
        return Tensor.record("conv2d", out, inputs, new Tensor[] {x, w}, (n, g) -> grads(count,
                n.needsGrad(0) ? backwardInput("conv2dBackwardInput", geo, g, n.saved(1), null) : null,
                n.needsGrad(1) ? backwardWeight(geo, n.saved(0), g) : null,
                count > 2 && n.needsGrad(2) ? biasGrad(g) : null),
                // F is bilinear: (F(x, w) + b)˙ = F(ẋ, w) + F(x, ẇ) + ḃ.
                tn -> forward(geo, tn[0], w, count > 2 ? tn[2] : null).add(forward(geo, x, tn[1], null)));
    }

    /** B_in(gy, w): the gradient of F with respect to its input; convTranspose2d is this op. */
    static Tensor backwardInput(String op, Geometry geo, Tensor gy, Tensor w, Tensor bias) {
        DType dt = computeType(gy, w, bias);
        Tensor out = backwardInputRaw(geo, gy.rawContiguous(dt), w.rawContiguous(dt),
                bias == null ? null : bias.rawContiguous(dt), dt);
        Tensor[] inputs = bias == null ? new Tensor[] {gy, w} : new Tensor[] {gy, w, bias};
        int count = inputs.length;
        // ⟨B_in(y, w), z⟩ = ⟨y, F(z, w)⟩ = ⟨w, B_w(z, y)⟩.
        return Tensor.record(op, out, inputs, new Tensor[] {gy, w}, (n, g) -> grads(count,
                n.needsGrad(0) ? forward(geo, g, n.saved(1), null) : null,
                n.needsGrad(1) ? backwardWeight(geo, g, n.saved(0)) : null,
                count > 2 && n.needsGrad(2) ? biasGrad(g) : null),
                tn -> backwardInput(op, geo, tn[0], w, count > 2 ? tn[2] : null).add(backwardInput(op, geo, gy, tn[1], null)));
    }

    /** B_w(x, gy): the gradient of F with respect to its weight. */
    static Tensor backwardWeight(Geometry geo, Tensor x, Tensor gy) {
        DType dt = computeType(x, gy, null);
        Tensor out = backwardWeightRaw(geo, x.rawContiguous(dt), gy.rawContiguous(dt), dt);
        // ⟨B_w(x, y), v⟩ = ⟨y, F(x, v)⟩ = ⟨x, B_in(y, v)⟩.
        return Tensor.record("conv2dBackwardWeight", out, new Tensor[] {x, gy}, new Tensor[] {x, gy}, (n, g) -> new Tensor[] {
            n.needsGrad(0) ? backwardInput("conv2dBackwardInput", geo, n.saved(1), g, null) : null,
            n.needsGrad(1) ? forward(geo, n.saved(0), g, null) : null},
            tn -> backwardWeight(geo, tn[0], gy).add(backwardWeight(geo, x, tn[1])));
    }

    private static Tensor biasGrad(Tensor g) {
        return g.sum(new int[] {0, 2, 3}, false);
    }

    private static Tensor[] grads(int count, Tensor a, Tensor b, Tensor c) {
        return count == 2 ? new Tensor[] {a, b} : new Tensor[] {a, b, c};
    }

    private static DType computeType(Tensor a, Tensor b, Tensor c) {
        DType t = Elementwise.arithmeticType(a, b);
        if (c != null) t = DType.promote(t, c.dtype() == DType.INT64 ? t : c.dtype());
        return t;
    }

    // ------------------------------------------------------------ raw forward and adjoints

    private static Tensor forwardRaw(Geometry g, Tensor x, Tensor w, Tensor bias, DType dt) {
        Tensor y = Tensor.empty(dt, g.outputShape());
        int n = g.n, o = g.o, groups = g.groups, og = o / groups, k = g.rowsPerGroup();
        int l = g.oh * g.ow, hw = g.h * g.w, cg = g.c / groups;
        if (y.numel() == 0) return y;
        Object xa = data(x), wa = data(w), ya = data(y), ba = bias == null ? null : data(bias);
        int xo = x.offset, wo = w.offset, bo = bias == null ? 0 : bias.offset;
        boolean acc = bias != null;
        if (g.pointwise()) {
            for (int i = 0; i < n; i++) {
                for (int gi = 0; gi < groups; gi++) {
                    int yOff = (i * o + gi * og) * l;
                    if (acc) fillRows(ya, yOff, og, l, l, ba, bo + gi * og);
                    gemm(false, false, og, l, cg, wa, wo + gi * og * cg, cg,
                            xa, xo + (i * g.c + gi * cg) * hw, hw, ya, yOff, l, acc);
                }
            }
            return y;
        }
        int chunk = chunkSize(g, Math.max(o, 1), dt);
        forChunks(n, chunk, ci -> {
            int n0 = ci * chunk, b = Math.min(chunk, n - n0), ld = b * l;
            Object cols = Scratch.get(0, dt, (long) g.c * g.kh * g.kw * ld);
            Object tmp = b > 1 ? Scratch.get(1, dt, (long) o * ld) : null;
            im2col(g, xa, xo + n0 * g.c * hw, b, cols, ld);
            // One image writes straight into y; several go through [O, b·L] and are scattered back.
            Object out = b > 1 ? tmp : ya;
            int outOff = b > 1 ? 0 : n0 * o * l;
            for (int gi = 0; gi < groups; gi++) {
                if (acc) fillRows(out, outOff + gi * og * ld, og, ld, ld, ba, bo + gi * og);
                gemm(false, false, og, ld, k, wa, wo + gi * og * k, k, cols, gi * k * ld, ld,
                        out, outOff + gi * og * ld, ld, acc);
            }
            if (b > 1) chunkToBatch(tmp, ya, n0, b, o, l);
        });
        return y;
    }

    private static Tensor backwardInputRaw(Geometry g, Tensor gy, Tensor w, Tensor bias, DType dt) {
        Tensor gx = Tensor.empty(dt, g.inputShape());
        int n = g.n, o = g.o, groups = g.groups, og = o / groups, k = g.rowsPerGroup();
        int l = g.oh * g.ow, hw = g.h * g.w, cg = g.c / groups;
        if (gx.numel() == 0) return gx;
        Object ga = data(gy), wa = data(w), xa = data(gx);
        int go = gy.offset, wo = w.offset;
        boolean acc = bias != null;
        if (acc) { // col2im and the gemms below add onto the bias
            for (int i = 0; i < n; i++) fillRows(xa, i * g.c * hw, g.c, hw, hw, data(bias), bias.offset);
        }
        if (g.pointwise()) {
            for (int i = 0; i < n; i++) {
                for (int gi = 0; gi < groups; gi++) {
                    gemm(true, false, cg, l, og, wa, wo + gi * og * cg, cg,
                            ga, go + (i * o + gi * og) * l, l, xa, (i * g.c + gi * cg) * hw, hw, acc);
                }
            }
            return gx;
        }
        if (k == 0 || o == 0) return gx;
        int chunk = chunkSize(g, Math.max(o, 1), dt);
        forChunks(n, chunk, ci -> {
            int n0 = ci * chunk, b = Math.min(chunk, n - n0), ld = b * l;
            Object cols = Scratch.get(0, dt, (long) g.c * g.kh * g.kw * ld);
            Object src = ga;
            int srcOff = go + n0 * o * l;
            if (b > 1) {
                Object tmp = Scratch.get(1, dt, (long) o * ld);
                batchToChunk(ga, go, tmp, n0, b, o, l);
                src = tmp;
                srcOff = 0;
            }
            for (int gi = 0; gi < groups; gi++) {
                gemm(true, false, k, ld, og, wa, wo + gi * og * k, k, src, srcOff + gi * og * ld, ld,
                        cols, gi * k * ld, ld, false);
            }
            col2im(g, cols, ld, xa, n0 * g.c * hw, b);
        });
        return gx;
    }

    private static Tensor backwardWeightRaw(Geometry g, Tensor x, Tensor gy, DType dt) {
        Tensor gw = Tensor.empty(dt, g.weightShape());
        int n = g.n, o = g.o, groups = g.groups, og = o / groups, k = g.rowsPerGroup();
        int l = g.oh * g.ow, hw = g.h * g.w, cg = g.c / groups;
        if (gw.numel() == 0 || n == 0 || l == 0) return gw;
        Object xa = data(x), ga = data(gy), wa = data(gw);
        int xo = x.offset, go = gy.offset;
        if (g.pointwise()) {
            for (int i = 0; i < n; i++) {
                for (int gi = 0; gi < groups; gi++) {
                    gemm(false, true, og, cg, l, ga, go + (i * o + gi * og) * l, l,
                            xa, xo + (i * g.c + gi * cg) * hw, hw, wa, gi * og * cg, cg, true);
                }
            }
            return gw;
        }
        int chunk = chunkSize(g, o, dt), chunks = Math.ceilDiv(n, chunk), size = o * k;
        // Each chunk's sum goes to its own slot and the slots are added in chunk order afterwards, so
        // the result does not depend on which thread ran which chunk.
        Object partial = chunks == 1 ? wa : dt == DType.FLOAT32 ? new float[chunks * size] : new double[chunks * size];
        forChunks(n, chunk, ci -> {
            int n0 = ci * chunk, b = Math.min(chunk, n - n0), ld = b * l;
            Object cols = Scratch.get(0, dt, (long) g.c * g.kh * g.kw * ld);
            im2col(g, xa, xo + n0 * g.c * hw, b, cols, ld);
            Object src = ga;
            int srcOff = go + n0 * o * l;
            if (b > 1) {
                Object tmp = Scratch.get(1, dt, (long) o * ld);
                batchToChunk(ga, go, tmp, n0, b, o, l);
                src = tmp;
                srcOff = 0;
            }
            int dst = chunks == 1 ? 0 : ci * size;
            for (int gi = 0; gi < groups; gi++) {
                gemm(false, true, og, k, ld, src, srcOff + gi * og * ld, ld, cols, gi * k * ld, ld,
                        partial, dst + gi * og * k, k, false);
            }
        });
        if (chunks > 1) sumSlots(partial, chunks, size, wa);
        return gw;
    }

    /**
     * Chunks per batch when the batch is large enough: enough to keep every thread busy (chunks are
     * claimed one at a time, which also evens out a machine that is busy with other work), few enough
     * that each product stays large.
     */
    static final int TARGET_CHUNKS = 8;

    /**
     * Images per chunk: as many as fit the scratch budget (column buffer plus [O, chunk·L] buffer),
     * and at most ⌈n / TARGET_CHUNKS⌉. It depends on the geometry only, never on the thread count, so
     * the weight gradient (summed chunk by chunk) is the same with any number of threads.
     */
    private static int chunkSize(Geometry g, int o, DType dt) {
        long perImage = (long) Math.max(g.c * g.kh * g.kw, 1) * g.oh * g.ow + (long) o * g.oh * g.ow;
        long budget = scratchBytes / (dt == DType.FLOAT32 ? 4 : 8);
        long byBudget = Math.max(1, Math.min(g.n, budget / Math.max(perImage, 1)));
        return (int) Math.max(1, Math.min(byBudget, Math.ceilDiv(g.n, TARGET_CHUNKS)));
    }

    /**
     * Runs body(c) for every chunk c of ⌈n / chunk⌉, spread over the kernel threads, each taking the
     * next unclaimed chunk. Chunks write disjoint outputs, so the order does not matter. With one
     * chunk (or one thread) the body runs here and its products use the threads instead.
     */
    private static void forChunks(int n, int chunk, java.util.function.IntConsumer body) {
        int chunks = Math.ceilDiv(n, chunk);
        int tasks = Math.min(chunks, Threads.get());
        if (tasks <= 1) {
            for (int c = 0; c < chunks; c++) body.accept(c);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Threads.parallelFor(tasks, t -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) body.accept(c);
        });
    }

    /** dst[i] = Σ over slots s, in order, of src[s·size + i]. */
    private static void sumSlots(Object src, int slots, int size, Object dst) {
        if (dst instanceof float[] d) {
            float[] a = (float[]) src;
            System.arraycopy(a, 0, d, 0, size);
            for (int s = 1; s < slots; s++) for (int i = 0, o = s * size; i < size; i++) d[i] += a[o + i];
        } else {
            double[] d = (double[]) dst, a = (double[]) src;
            System.arraycopy(a, 0, d, 0, size);
            for (int s = 1; s < slots; s++) for (int i = 0, o = s * size; i < size; i++) d[i] += a[o + i];
        }
    }

    /** [O, b·L] (image-major within each row) → images n0..n0+b of [N, O, L]: runs of L. */
    private static void chunkToBatch(Object src, Object dst, int n0, int b, int o, int l) {
        int ld = b * l;
        for (int bi = 0; bi < b; bi++) {
            for (int c = 0; c < o; c++) System.arraycopy(src, c * ld + bi * l, dst, ((n0 + bi) * o + c) * l, l);
        }
    }

    /** Images n0..n0+b of [N, O, L] (at offset off) → [O, b·L]. */
    private static void batchToChunk(Object src, int off, Object dst, int n0, int b, int o, int l) {
        int ld = b * l;
        for (int bi = 0; bi < b; bi++) {
            for (int c = 0; c < o; c++) System.arraycopy(src, off + ((n0 + bi) * o + c) * l, dst, c * ld + bi * l, l);
        }
    }

    /** Row r of the rows×len block at off (row stride ld) := bias[bo + r]. */
    private static void fillRows(Object a, int off, int rows, int len, int ld, Object bias, int bo) {
        if (a instanceof float[] f) {
            float[] bf = (float[]) bias;
            for (int r = 0; r < rows; r++) Arrays.fill(f, off + r * ld, off + r * ld + len, bf[bo + r]);
        } else {
            double[] d = (double[]) a, bd = (double[]) bias;
            for (int r = 0; r < rows; r++) Arrays.fill(d, off + r * ld, off + r * ld + len, bd[bo + r]);
        }
    }

    private static void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int ao, int lda,
                             Object b, int bo, int ldb, Object c, int co, int ldc, boolean acc) {
        if (m == 0 || n == 0) return;
        // gemm (like BLAS) wants every leading dimension ≥ 1 even when a matrix is empty.
        lda = Math.max(lda, 1);
        ldb = Math.max(ldb, 1);
        if (c instanceof float[] cf) {
            Kernels.get().gemm(ta, tb, m, n, k, (float[]) a, ao, lda, (float[]) b, bo, ldb, cf, co, ldc, acc);
        } else {
            Kernels.get().gemm(ta, tb, m, n, k, (double[]) a, ao, lda, (double[]) b, bo, ldb, (double[]) c, co, ldc, acc);
        }
    }

    static Object data(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? t.storage.f : t.storage.d;
    }

    // ------------------------------------------------------------ im2col and col2im

    /**
     * The output columns whose input column iw = ow·sw + off lies in [0, w): [lo, hi) with
     * lo ≤ hi. Computing the range once lets the copy loops run without bounds tests.
     */
    private static int validLo(int off, int stride, int out) {
        return Math.min(out, Math.max(0, Math.ceilDiv(-off, stride)));
    }

    private static int validHi(int off, int stride, int size, int out, int lo) {
        return Math.max(lo, Math.min(out, Math.ceilDiv(size - off, stride)));
    }

    /** cols[(c·kH + i)·kW + j][b·L + oh·oW + ow] = x[b, c, oh·sh − ph + i·dh, ow·sw − pw + j·dw] (0 outside). */
    private static void im2col(Geometry g, Object x, int xo, int b, Object cols, int ld) {
        if (x instanceof float[] xf) im2col(g, xf, xo, b, (float[]) cols, ld);
        else im2col(g, (double[]) x, xo, b, (double[]) cols, ld);
    }

    private static void col2im(Geometry g, Object cols, int ld, Object x, int xo, int b) {
        if (x instanceof float[] xf) col2im(g, (float[]) cols, ld, xf, xo, b);
        else col2im(g, (double[]) cols, ld, (double[]) x, xo, b);
    }

    private static void im2col(Geometry g, float[] x, int xo, int b, float[] cols, int ld) {
        int c = g.c, h = g.h, w = g.w, kh = g.kh, kw = g.kw, oh = g.oh, ow = g.ow, sw = g.sw;
        int l = oh * ow, hw = h * w;
        for (int bi = 0; bi < b; bi++) {
            for (int ci = 0; ci < c; ci++) {
                int plane = xo + (bi * c + ci) * hw;
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int base = ((ci * kh + i) * kw + j) * ld + bi * l;
                        int off = j * g.dw - g.pw;
                        int lo = validLo(off, sw, ow), hi = validHi(off, sw, w, ow, lo);
                        for (int r = 0; r < oh; r++) {
                            int ih = r * g.sh - g.ph + i * g.dh;
                            int dst = base + r * ow;
                            if (ih < 0 || ih >= h) {
                                Arrays.fill(cols, dst, dst + ow, 0f);
                                continue;
                            }
                            Arrays.fill(cols, dst, dst + lo, 0f);
                            Arrays.fill(cols, dst + hi, dst + ow, 0f);
                            int src = plane + ih * w + lo * sw + off;
                            if (sw == 1) {
                                System.arraycopy(x, src, cols, dst + lo, hi - lo);
                            } else {
                                for (int q = lo; q < hi; q++, src += sw) cols[dst + q] = x[src];
                            }
                        }
                    }
                }
            }
        }
    }

    private static void im2col(Geometry g, double[] x, int xo, int b, double[] cols, int ld) {
        int c = g.c, h = g.h, w = g.w, kh = g.kh, kw = g.kw, oh = g.oh, ow = g.ow, sw = g.sw;
        int l = oh * ow, hw = h * w;
        for (int bi = 0; bi < b; bi++) {
            for (int ci = 0; ci < c; ci++) {
                int plane = xo + (bi * c + ci) * hw;
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int base = ((ci * kh + i) * kw + j) * ld + bi * l;
                        int off = j * g.dw - g.pw;
                        int lo = validLo(off, sw, ow), hi = validHi(off, sw, w, ow, lo);
                        for (int r = 0; r < oh; r++) {
                            int ih = r * g.sh - g.ph + i * g.dh;
                            int dst = base + r * ow;
                            if (ih < 0 || ih >= h) {
                                Arrays.fill(cols, dst, dst + ow, 0.0);
                                continue;
                            }
                            Arrays.fill(cols, dst, dst + lo, 0.0);
                            Arrays.fill(cols, dst + hi, dst + ow, 0.0);
                            int src = plane + ih * w + lo * sw + off;
                            if (sw == 1) {
                                System.arraycopy(x, src, cols, dst + lo, hi - lo);
                            } else {
                                for (int q = lo; q < hi; q++, src += sw) cols[dst + q] = x[src];
                            }
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of im2col: every column entry is added back to the input element it was copied from. */
    private static void col2im(Geometry g, float[] cols, int ld, float[] x, int xo, int b) {
        int c = g.c, h = g.h, w = g.w, kh = g.kh, kw = g.kw, oh = g.oh, ow = g.ow, sw = g.sw;
        int l = oh * ow, hw = h * w;
        for (int bi = 0; bi < b; bi++) {
            for (int ci = 0; ci < c; ci++) {
                int plane = xo + (bi * c + ci) * hw;
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int base = ((ci * kh + i) * kw + j) * ld + bi * l;
                        int off = j * g.dw - g.pw;
                        int lo = validLo(off, sw, ow), hi = validHi(off, sw, w, ow, lo);
                        for (int r = 0; r < oh; r++) {
                            int ih = r * g.sh - g.ph + i * g.dh;
                            if (ih < 0 || ih >= h) continue;
                            int src = base + r * ow;
                            int dst = plane + ih * w + lo * sw + off;
                            if (sw == 1) {
                                for (int q = lo; q < hi; q++) x[dst + q - lo] += cols[src + q];
                            } else {
                                for (int q = lo; q < hi; q++, dst += sw) x[dst] += cols[src + q];
                            }
                        }
                    }
                }
            }
        }
    }

    private static void col2im(Geometry g, double[] cols, int ld, double[] x, int xo, int b) {
        int c = g.c, h = g.h, w = g.w, kh = g.kh, kw = g.kw, oh = g.oh, ow = g.ow, sw = g.sw;
        int l = oh * ow, hw = h * w;
        for (int bi = 0; bi < b; bi++) {
            for (int ci = 0; ci < c; ci++) {
                int plane = xo + (bi * c + ci) * hw;
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int base = ((ci * kh + i) * kw + j) * ld + bi * l;
                        int off = j * g.dw - g.pw;
                        int lo = validLo(off, sw, ow), hi = validHi(off, sw, w, ow, lo);
                        for (int r = 0; r < oh; r++) {
                            int ih = r * g.sh - g.ph + i * g.dh;
                            if (ih < 0 || ih >= h) continue;
                            int src = base + r * ow;
                            int dst = plane + ih * w + lo * sw + off;
                            if (sw == 1) {
                                for (int q = lo; q < hi; q++) x[dst + q - lo] += cols[src + q];
                            } else {
                                for (int q = lo; q < hi; q++, dst += sw) x[dst] += cols[src + q];
                            }
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------ per-thread scratch buffers

    /**
     * Column buffers reused across calls on the same thread: a training step allocates tens of
     * megabytes of columns per layer otherwise, which the collector handles as humongous objects.
     * Softly referenced, so an idle thread's buffers go when memory is short.
     */
    static final class Scratch {
        private static final ThreadLocal<SoftReference<?>[]> SLOTS = ThreadLocal.withInitial(() -> new SoftReference<?>[4]);

        static Object get(int slot, DType dt, long length) {
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("convolution: a column buffer of " + length + " elements is too large");
            }
            int n = (int) length;
            SoftReference<?>[] slots = SLOTS.get();
            int i = slot * 2 + (dt == DType.FLOAT32 ? 0 : 1);
            Object cached = slots[i] == null ? null : slots[i].get();
            if (cached != null && java.lang.reflect.Array.getLength(cached) >= n) return cached;
            Object fresh = dt == DType.FLOAT32 ? new float[n] : new double[n];
            slots[i] = new SoftReference<>(fresh);
            return fresh;
        }
    }

    // ------------------------------------------------------------ argument checks and geometry

    /** A 1- or 2-element size argument as {height, width}; a single value applies to both. */
    static int[] pair(String op, String what, int[] v) {
        if (v == null || v.length < 1 || v.length > 2) {
            throw new IllegalArgumentException(op + ": " + what + " must have 1 or 2 elements, got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    static void checkPositive(String op, String what, int[] v) {
        for (int s : v) {
            if (s <= 0) throw new IllegalArgumentException(op + ": " + what + " must be positive, got " + Arrays.toString(v));
        }
    }

    static void checkNonNegative(String op, String what, int[] v) {
        for (int s : v) {
            if (s < 0) throw new IllegalArgumentException(op + ": " + what + " must be non-negative, got " + Arrays.toString(v));
        }
    }

    static void checkRank(String op, String name, Tensor t, int rank, String layout) {
        if (t == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        if (t.shape.length != rank) {
            throw new IllegalArgumentException(op + ": expected " + name + " of shape " + layout + ", got "
                    + Shapes.str(t.shape));
        }
    }

    private static void checkFloat(String op, String name, Tensor t) {
        if (t != null && !t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": " + name + " must be float32 or float64, got " + t.dtype()
                    + " (shape " + Shapes.str(t.shape) + ")");
        }
    }

    /**
     * Checks a convolution's arguments (spatial rank 1 or 2, as the user passed them) and returns its
     * geometry in 2-D terms. {@code stride} etc. have one entry per spatial dimension.
     */
    static Geometry convGeometry(String op, Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding,
                                 int[] dilation, int groups) {
        int d = stride.length;
        String layout = d == 1 ? "[N, C, L]" : "[N, C, H, W]";
        String wLayout = d == 1 ? "[O, C/groups, K]" : "[O, C/groups, kH, kW]";
        checkRank(op, "input", x, d + 2, layout);
        checkRank(op, "weight", w, d + 2, wLayout);
        checkFloat(op, "input", x);
        checkFloat(op, "weight", w);
        checkFloat(op, "bias", bias);
        checkPositive(op, "stride", stride);
        checkPositive(op, "dilation", dilation);
        checkNonNegative(op, "padding", padding);
        int c = x.shape[1], o = w.shape[0];
        if (groups <= 0) throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        if (c % groups != 0) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " has " + c
                    + " channels, not divisible by groups=" + groups);
        }
        if (o % groups != 0) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(w.shape) + " has " + o
                    + " output channels, not divisible by groups=" + groups);
        }
        if ((long) w.shape[1] * groups != c) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " has " + c
                    + " channels but weight " + Shapes.str(w.shape) + " expects " + (long) w.shape[1] * groups
                    + " (groups=" + groups + ")");
        }
        checkBias(op, bias, o, w);
        int[] out = new int[d];
        for (int i = 0; i < d; i++) {
            int size = x.shape[2 + i], k = w.shape[2 + i];
            if (k <= 0) throw new IllegalArgumentException(op + ": weight " + Shapes.str(w.shape) + " has an empty kernel");
            long eff = (long) dilation[i] * (k - 1) + 1, padded = size + 2L * padding[i];
            if (eff > padded) {
                throw new IllegalArgumentException(op + ": kernel " + Shapes.str(Arrays.copyOfRange(w.shape, 2, d + 2))
                        + (eff == k ? "" : " (dilated to " + eff + " along dimension " + (2 + i) + ")")
                        + " is larger than the padded input: input " + Shapes.str(x.shape) + " with padding "
                        + Arrays.toString(padding) + " is " + padded + " along dimension " + (2 + i));
            }
            out[i] = (int) ((padded - eff) / stride[i] + 1);
        }
        return d == 1
                ? new Geometry(x.shape[0], c, 1, x.shape[2], o, 1, w.shape[2], 1, stride[0], 0, padding[0],
                        1, dilation[0], groups, 1, out[0])
                : new Geometry(x.shape[0], c, x.shape[2], x.shape[3], o, w.shape[2], w.shape[3], stride[0], stride[1],
                        padding[0], padding[1], dilation[0], dilation[1], groups, out[0], out[1]);
    }

    /**
     * The geometry of the convolution whose input-gradient convTranspose2d computes: that
     * convolution maps convTranspose2d's output [N, Cout, H', W'] to its input [N, Cin, H, W].
     */
    static Geometry transposedGeometry(String op, Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding,
                                       int[] outputPadding, int[] dilation, int groups) {
        checkRank(op, "input", x, 4, "[N, Cin, H, W]");
        checkRank(op, "weight", w, 4, "[Cin, Cout/groups, kH, kW]");
        checkFloat(op, "input", x);
        checkFloat(op, "weight", w);
        checkFloat(op, "bias", bias);
        checkPositive(op, "stride", stride);
        checkPositive(op, "dilation", dilation);
        checkNonNegative(op, "padding", padding);
        checkNonNegative(op, "outputPadding", outputPadding);
        if (groups <= 0) throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        int cin = x.shape[1];
        if (w.shape[0] != cin) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " has " + cin
                    + " channels but weight " + Shapes.str(w.shape) + " expects " + w.shape[0] + " (groups=" + groups + ")");
        }
        if (cin % groups != 0) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " has " + cin
                    + " channels, not divisible by groups=" + groups);
        }
        long cout = (long) w.shape[1] * groups;
        checkBias(op, bias, (int) cout, w);
        int[] out = new int[2];
        for (int i = 0; i < 2; i++) {
            int k = w.shape[2 + i];
            if (k <= 0) throw new IllegalArgumentException(op + ": weight " + Shapes.str(w.shape) + " has an empty kernel");
            if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                throw new IllegalArgumentException(op + ": outputPadding " + Arrays.toString(outputPadding)
                        + " must be smaller than either stride " + Arrays.toString(stride) + " or dilation "
                        + Arrays.toString(dilation));
            }
            long size = (long) (x.shape[2 + i] - 1) * stride[i] - 2L * padding[i] + (long) dilation[i] * (k - 1)
                    + outputPadding[i] + 1;
            if (size <= 0 || size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape) + " with weight "
                        + Shapes.str(w.shape) + ", stride " + Arrays.toString(stride) + ", padding "
                        + Arrays.toString(padding) + " gives output size " + size + " along dimension " + (2 + i));
            }
            out[i] = (int) size;
        }
        return new Geometry(x.shape[0], (int) cout, out[0], out[1], cin, w.shape[2], w.shape[3], stride[0], stride[1],
                padding[0], padding[1], dilation[0], dilation[1], groups, x.shape[2], x.shape[3]);
    }

    private static void checkBias(String op, Tensor bias, int channels, Tensor w) {
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != channels)) {
            throw new IllegalArgumentException(op + ": bias of shape " + Shapes.str(bias.shape) + " does not match weight "
                    + Shapes.str(w.shape) + " (expected [" + channels + "])");
        }
    }
}
