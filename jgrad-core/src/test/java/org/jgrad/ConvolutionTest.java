package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvolutionTest {

    // ------------------------------------------------------------ independent references

    /** conv2d from its definition: 7 nested loops over batch, output channel, output position, input channel, kernel. */
    static Tensor naiveConv2d(Tensor x, Tensor w, Tensor b, int[] s, int[] p, int[] d, int groups) {
        int[] xs = x.shape(), ws = w.shape();
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        int oh = (h + 2 * p[0] - d[0] * (kh - 1) - 1) / s[0] + 1;
        int ow = (wd + 2 * p[1] - d[1] * (kw - 1) - 1) / s[1] + 1;
        assertEquals(c, cg * groups, "reference: channels");
        int og = o / groups;
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), out = new double[n * o * oh * ow];
        for (int ni = 0; ni < n; ni++) {
            for (int oi = 0; oi < o; oi++) {
                int g = oi / og;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = b == null ? 0 : b.get(oi);
                        for (int ci = 0; ci < cg; ci++) {
                            for (int pi = 0; pi < kh; pi++) {
                                for (int qi = 0; qi < kw; qi++) {
                                    int ih = i * s[0] - p[0] + pi * d[0], iw = j * s[1] - p[1] + qi * d[1];
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    sum += wv[((oi * cg + ci) * kh + pi) * kw + qi]
                                            * xv[((ni * c + g * cg + ci) * h + ih) * wd + iw];
                                }
                            }
                        }
                        out[((ni * o + oi) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return Tensor.of(out, n, o, oh, ow);
    }

    /** convTranspose2d in scatter form: every input element adds weight·value into its output window. */
    static Tensor naiveConvTranspose2d(Tensor x, Tensor w, Tensor b, int[] s, int[] p, int[] op, int[] d, int groups) {
        int[] xs = x.shape(), ws = w.shape();
        int n = xs[0], cin = xs[1], h = xs[2], wd = xs[3], coutG = ws[1], kh = ws[2], kw = ws[3];
        int cout = coutG * groups, cinG = cin / groups;
        int oh = (h - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + op[0] + 1;
        int ow = (wd - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + op[1] + 1;
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), out = new double[n * cout * oh * ow];
        for (int ni = 0; ni < n; ni++) {
            for (int co = 0; co < cout; co++) {
                for (int k = 0; k < oh * ow; k++) out[(ni * cout + co) * oh * ow + k] = b == null ? 0 : b.get(co);
            }
            for (int ci = 0; ci < cin; ci++) {
                int g = ci / cinG;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        double v = xv[((ni * cin + ci) * h + i) * wd + j];
                        for (int co = 0; co < coutG; co++) {
                            for (int pi = 0; pi < kh; pi++) {
                                for (int qi = 0; qi < kw; qi++) {
                                    int y = i * s[0] - p[0] + pi * d[0], z = j * s[1] - p[1] + qi * d[1];
                                    if (y < 0 || y >= oh || z < 0 || z >= ow) continue;
                                    out[((ni * cout + g * coutG + co) * oh + y) * ow + z] +=
                                            v * wv[((ci * coutG + co) * kh + pi) * kw + qi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor.of(out, n, cout, oh, ow);
    }

    static Tensor naiveConv1d(Tensor x, Tensor w, Tensor b, int s, int p, int d, int groups) {
        int n = x.size(0), c = x.size(1), len = x.size(2), o = w.size(0), cg = w.size(1), k = w.size(2);
        int out = (len + 2 * p - d * (k - 1) - 1) / s + 1, og = o / groups;
        double[] r = new double[n * o * out];
        for (int ni = 0; ni < n; ni++) {
            for (int oi = 0; oi < o; oi++) {
                for (int t = 0; t < out; t++) {
                    double sum = b == null ? 0 : b.get(oi);
                    for (int ci = 0; ci < cg; ci++) {
                        for (int q = 0; q < k; q++) {
                            int i = t * s - p + q * d;
                            if (i >= 0 && i < len) sum += w.get(oi, ci, q) * x.get(ni, oi / og * cg + ci, i);
                        }
                    }
                    r[(ni * o + oi) * out + t] = sum;
                }
            }
        }
        return Tensor.of(r, n, o, out);
    }

    static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), "element " + i + " of shape " + Arrays.toString(expected.shape()));
        }
    }

    static double dot(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        assertEquals(x.length, y.length);
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    static Tensor randn(Generator gen, int... shape) {
        return Tensor.normal(gen, DType.FLOAT64, 0, 1, shape);
    }

    /** One convolution's sizes and arguments. */
    record Setting(int n, int c, int h, int w, int o, int kh, int kw, int[] s, int[] p, int[] d, int groups) {
        static Setting of(int n, int c, int h, int w, int o, int kh, int kw, int s, int p, int d, int groups) {
            return new Setting(n, c, h, w, o, kh, kw, new int[] {s, s}, new int[] {p, p}, new int[] {d, d}, groups);
        }

        Tensor conv(Tensor x, Tensor wt, Tensor b) {
            return Conv.conv2d(x, wt, b, s, p, d, groups);
        }

        @Override
        public String toString() {
            return "x [" + n + ", " + c + ", " + h + ", " + w + "], weight [" + o + ", " + c / groups + ", " + kh + ", " + kw
                    + "], stride " + Arrays.toString(s) + ", padding " + Arrays.toString(p) + ", dilation "
                    + Arrays.toString(d) + ", groups " + groups;
        }
    }

    static final List<Setting> SETTINGS = List.of(
            Setting.of(2, 4, 7, 5, 6, 3, 2, 2, 1, 2, 2),     // odd sizes, everything at once
            Setting.of(1, 3, 5, 5, 2, 3, 3, 1, 0, 1, 1),     // one image: written straight into the output
            Setting.of(3, 2, 6, 7, 4, 1, 1, 1, 0, 1, 1),     // 1×1: the input is its own column matrix
            Setting.of(2, 3, 5, 5, 2, 1, 1, 2, 0, 1, 1),     // 1×1 with stride: not pointwise
            Setting.of(2, 6, 5, 4, 6, 3, 3, 1, 1, 1, 3),     // groups with padding
            Setting.of(1, 4, 5, 6, 4, 3, 3, 1, 1, 1, 4),     // depthwise
            Setting.of(2, 2, 4, 4, 3, 4, 4, 1, 2, 1, 1),     // padding of half the kernel, kernel = input
            new Setting(2, 3, 8, 7, 4, 3, 2, new int[] {2, 1}, new int[] {0, 2}, new int[] {1, 3}, 1),
            new Setting(2, 2, 9, 6, 2, 2, 3, new int[] {3, 2}, new int[] {1, 0}, new int[] {2, 1}, 2));

    // ------------------------------------------------------------ conv2d forward

    @Test
    void conv2dMatchesDirectDefinition() {
        Generator gen = new Generator(1);
        for (Setting st : SETTINGS) {
            Tensor x = randn(gen, st.n, st.c, st.h, st.w), w = randn(gen, st.o, st.c / st.groups, st.kh, st.kw);
            Tensor b = randn(gen, st.o);
            assertClose(naiveConv2d(x, w, b, st.s, st.p, st.d, st.groups), st.conv(x, w, b), 1e-12);
            assertClose(naiveConv2d(x, w, null, st.s, st.p, st.d, st.groups), st.conv(x, w, null), 1e-12);
        }
    }

    @Test
    void conv2dMatchesPyTorch() {
        // Expected values printed by PyTorch 1.13 (float64):
        //   x = torch.sin(torch.arange(280.)*0.37).reshape(2,4,7,5); w = torch.cos(torch.arange(72.)*0.23).reshape(6,2,3,2)
        //   F.conv2d(x, w, b, stride=2, padding=1, dilation=2, groups=2) with b = [0.1,-0.2,0.3,-0.4,0.5,-0.6]
        Tensor x = Tensor.arange(DType.FLOAT64, 0, 280, 1).mul(0.37).sin().reshape(2, 4, 7, 5);
        Tensor w = Tensor.arange(DType.FLOAT64, 0, 72, 1).mul(0.23).cos().reshape(6, 2, 3, 2);
        Tensor b = Tensor.of(new double[] {0.1, -0.2, 0.3, -0.4, 0.5, -0.6}, 6);
        Tensor y = Conv.conv2d(x, w, b, new int[] {2}, new int[] {1}, new int[] {2}, 2);
        assertArrayEquals(new int[] {2, 6, 3, 3}, y.shape());
        double[] torch00 = {0.3072004818555666, 0.2699953438392906, 0.07888502774993507, 0.940391447226762,
            1.5186460649593203, 0.546659197140303, -0.13441583993009576, -0.10547382101133512, 0.13515527446644568};
        double[] torch15 = {-0.5636447998298958, -0.19587378494198177, -0.22056531762606862, -0.16437041116331375,
            -0.5496412438994064, -0.9800098199055967, -0.7364409428434843, -1.1073150806162846, -0.9922696085892836};
        assertArrayEquals(torch00, y.select(0, 0).select(0, 0).flatten().toDoubleArray(), 1e-12);
        assertArrayEquals(torch15, y.select(0, 1).select(0, 5).flatten().toDoubleArray(), 1e-12);
    }

    @Test
    void conv2dInChunksMatchesOneChunk() {
        Generator gen = new Generator(2);
        long saved = Convolution.scratchBytes;
        for (Setting st : List.of(Setting.of(5, 4, 6, 5, 6, 3, 3, 1, 1, 1, 2), Setting.of(5, 3, 7, 7, 2, 2, 2, 2, 0, 1, 1))) {
            Tensor x = randn(gen, st.n, st.c, st.h, st.w).requiresGrad(true);
            Tensor w = randn(gen, st.o, st.c / st.groups, st.kh, st.kw).requiresGrad(true);
            Tensor b = randn(gen, st.o).requiresGrad(true);
            Tensor gy = randn(gen, naiveConv2d(x, w, null, st.s, st.p, st.d, st.groups).shape());
            Tensor[] ref = null;
            // Whole batch in one chunk, then two images per chunk (5 = 2 + 2 + 1), then one per chunk.
            for (long bytes : new long[] {saved, 2L * 8 * (st.c * st.kh * st.kw + st.o) * outArea(st), 1}) {
                try {
                    Convolution.scratchBytes = bytes;
                    x.zeroGrad();
                    w.zeroGrad();
                    b.zeroGrad();
                    Tensor y = st.conv(x, w, b);
                    y.backward(gy);
                    Tensor[] got = {y.detach(), x.grad(), w.grad(), b.grad()};
                    if (ref == null) {
                        ref = got;
                        assertClose(naiveConv2d(x, w, b, st.s, st.p, st.d, st.groups), y, 1e-12);
                    } else {
                        for (int i = 0; i < 4; i++) assertClose(ref[i], got[i], 1e-12);
                    }
                } finally {
                    Convolution.scratchBytes = saved;
                }
            }
        }
    }

    private static int outArea(Setting st) {
        return ((st.h + 2 * st.p[0] - st.d[0] * (st.kh - 1) - 1) / st.s[0] + 1)
                * ((st.w + 2 * st.p[1] - st.d[1] * (st.kw - 1) - 1) / st.s[1] + 1);
    }

    @Test
    void conv2dReadsNonContiguousInputs() {
        Generator gen = new Generator(3);
        Tensor base = randn(gen, 2, 3, 6, 5);
        Tensor x = base.transpose(2, 3);                    // [2, 3, 5, 6], not contiguous
        Tensor w = randn(gen, 3, 4, 2, 2).permute(1, 0, 2, 3); // [4, 3, 2, 2], not contiguous
        Tensor y = Conv.conv2d(x, w, null, 1, 1);
        assertClose(naiveConv2d(x.contiguous(), w.contiguous(), null, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, 1), y, 1e-12);
    }

    @Test
    void float32AgreesWithFloat64() {
        Generator gen = new Generator(4);
        for (Setting st : SETTINGS) {
            Tensor x = randn(gen, st.n, st.c, st.h, st.w), w = randn(gen, st.o, st.c / st.groups, st.kh, st.kw);
            Tensor b = randn(gen, st.o);
            Tensor x32 = x.to(DType.FLOAT32).requiresGrad(true), w32 = w.to(DType.FLOAT32).requiresGrad(true);
            Tensor b32 = b.to(DType.FLOAT32).requiresGrad(true);
            Tensor x64 = x.requiresGrad(true), w64 = w.requiresGrad(true), b64 = b.requiresGrad(true);
            Tensor y32 = st.conv(x32, w32, b32), y64 = st.conv(x64, w64, b64);
            assertEquals(DType.FLOAT32, y32.dtype());
            assertClose(y64, y32, 1e-5);
            Tensor gy = randn(gen, y64.shape());
            y32.backward(gy.to(DType.FLOAT32));
            y64.backward(gy);
            assertEquals(DType.FLOAT32, x32.grad().dtype());
            assertClose(x64.grad(), x32.grad(), 1e-5);
            assertClose(w64.grad(), w32.grad(), 1e-5);
            assertClose(b64.grad(), b32.grad(), 1e-5);
        }
    }

    @Test
    void mixedPrecisionComputesInFloat64AndReturnsGradientsInTheInputsType() {
        Generator gen = new Generator(5);
        Tensor x = randn(gen, 1, 2, 4, 4).to(DType.FLOAT32).requiresGrad(true);
        Tensor w = randn(gen, 3, 2, 3, 3).requiresGrad(true);
        Tensor y = Conv.conv2d(x, w, null, 1, 0);
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertEquals(DType.FLOAT64, w.grad().dtype());
    }

    @Test
    void recordsOnlyWhenSomethingRequiresGrad() {
        Generator gen = new Generator(6);
        Tensor x = randn(gen, 1, 1, 3, 3), w = randn(gen, 1, 1, 2, 2);
        assertNull(Conv.conv2d(x, w, null, 1, 0).gradFnName());
        assertEquals("conv2d", Conv.conv2d(x, w.requiresGrad(true), null, 1, 0).gradFnName());
        assertEquals("convTranspose2d", Conv.convTranspose2d(x, w, null, 1, 0).gradFnName());
        try (var _ = Autograd.noGrad()) {
            assertNull(Conv.conv2d(x, w, null, 1, 0).gradFnName());
        }
    }

    @Test
    void emptyBatch() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 0, 2, 5, 5).requiresGrad(true);
        Tensor w = Tensor.ones(DType.FLOAT64, 3, 2, 3, 3).requiresGrad(true);
        Tensor y = Conv.conv2d(x, w, null, 1, 1);
        assertArrayEquals(new int[] {0, 3, 5, 5}, y.shape());
        y.sum().backward();
        assertArrayEquals(new double[54], w.grad().toDoubleArray());
    }

    // ------------------------------------------------------------ conv2d gradients

    @Test
    void conv2dGradCheck() {
        Generator gen = new Generator(7);
        for (Setting st : SETTINGS) {
            Tensor x = randn(gen, st.n, st.c, st.h, st.w).requiresGrad(true);
            Tensor w = randn(gen, st.o, st.c / st.groups, st.kh, st.kw).requiresGrad(true);
            Tensor b = randn(gen, st.o).requiresGrad(true);
            try {
                GradCheck.check(in -> st.conv(in.get(0), in.get(1), in.get(2)), x, w, b);
                GradCheck.check(in -> st.conv(in.get(0), in.get(1), null), x, w);
            } catch (GradCheckException e) {
                throw new AssertionError(st + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void conv2dSecondOrder() {
        Generator gen = new Generator(8);
        for (Setting st : List.of(
                new Setting(2, 4, 5, 4, 4, 3, 2, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 2}, 2),
                Setting.of(1, 2, 3, 3, 2, 1, 1, 1, 0, 1, 1))) {
            Tensor x = randn(gen, st.n, st.c, st.h, st.w).requiresGrad(true);
            Tensor w = randn(gen, st.o, st.c / st.groups, st.kh, st.kw).requiresGrad(true);
            Tensor b = randn(gen, st.o).requiresGrad(true);
            // tanh makes the x–x and w–w blocks of the Hessian non-zero; the x–w block exists anyway.
            GradCheck.checkSecondOrder(in -> st.conv(in.get(0), in.get(1), in.get(2)).tanh(), x, w, b);
        }
    }

    @Test
    void gradientPenaltyThroughConv2d() {
        // d/dw ‖∂L/∂x‖², the pattern of WGAN-GP, against central differences of that same scalar.
        Generator gen = new Generator(9);
        Tensor x = randn(gen, 1, 2, 4, 4).requiresGrad(true);
        Tensor w = randn(gen, 3, 2, 2, 2).requiresGrad(true);
        GradCheck.check(in -> {
            Tensor loss = Conv.conv2d(in.get(0), in.get(1), null, 1, 0).sin().sum();
            Tensor gx = Autograd.grad(loss, List.of(in.get(0)), true).get(0);
            return gx.pow(2).sum();
        }, x, w);
    }

    // ------------------------------------------------------------ conv1d

    @Test
    void conv1dMatchesDirectDefinitionAndGradChecks() {
        Generator gen = new Generator(10);
        int[][] settings = { // n, c, len, o, k, stride, padding, dilation, groups
            {2, 4, 9, 6, 3, 2, 1, 2, 2}, {1, 3, 5, 2, 5, 1, 2, 1, 1}, {3, 2, 6, 4, 1, 1, 0, 1, 1}, {2, 3, 7, 3, 2, 3, 0, 1, 3}};
        for (int[] s : settings) {
            Tensor x = randn(gen, s[0], s[1], s[2]).requiresGrad(true);
            Tensor w = randn(gen, s[3], s[1] / s[8], s[4]).requiresGrad(true);
            Tensor b = randn(gen, s[3]).requiresGrad(true);
            assertClose(naiveConv1d(x, w, b, s[5], s[6], s[7], s[8]), Conv.conv1d(x, w, b, s[5], s[6], s[7], s[8]), 1e-12);
            GradCheck.check(in -> Conv.conv1d(in.get(0), in.get(1), in.get(2), s[5], s[6], s[7], s[8]), x, w, b);
        }
        Tensor x = randn(gen, 2, 2, 5).requiresGrad(true), w = randn(gen, 2, 1, 3).requiresGrad(true);
        GradCheck.checkSecondOrder(in -> Conv.conv1d(in.get(0), in.get(1), null, 2, 1, 1, 2).tanh(), x, w);
    }

    // ------------------------------------------------------------ convTranspose2d

    @Test
    void convTranspose2dMatchesScatterDefinition() {
        Generator gen = new Generator(11);
        // n, cin, h, w, coutPerGroup, kh, kw, stride h/w, padding h/w, outputPadding h/w, dilation h/w, groups
        int[][] settings = {
            {2, 4, 3, 4, 3, 3, 2, 2, 1, 1, 0, 1, 0, 1, 2, 2},
            {1, 3, 4, 4, 2, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1},
            {2, 2, 3, 3, 2, 2, 2, 2, 2, 0, 0, 1, 1, 1, 1, 1},
            {1, 2, 5, 4, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1},   // 1×1: pointwise
            {1, 2, 3, 3, 1, 1, 1, 1, 1, 0, 0, 1, 0, 2, 1, 1},   // 1×1 with output padding from the dilation
            {2, 6, 3, 2, 1, 3, 3, 3, 2, 1, 1, 2, 1, 1, 2, 3}};
        for (int[] s : settings) {
            int[] st = {s[7], s[8]}, pd = {s[9], s[10]}, op = {s[11], s[12]}, dl = {s[13], s[14]};
            Tensor x = randn(gen, s[0], s[1], s[2], s[3]), w = randn(gen, s[1], s[4], s[5], s[6]);
            Tensor b = randn(gen, s[4] * s[15]);
            assertClose(naiveConvTranspose2d(x, w, b, st, pd, op, dl, s[15]),
                    Conv.convTranspose2d(x, w, b, st, pd, op, dl, s[15]), 1e-12);
            Tensor xg = x.requiresGrad(true), wg = w.requiresGrad(true), bg = b.requiresGrad(true);
            GradCheck.check(in -> Conv.convTranspose2d(in.get(0), in.get(1), in.get(2), st, pd, op, dl, s[15]), xg, wg, bg);
        }
    }

    @Test
    void convTranspose2dMatchesPyTorch() {
        // PyTorch 1.13: F.conv_transpose2d(x, wt, None, stride=2, padding=1, output_padding=1, groups=2)
        // with x as in conv2dMatchesPyTorch and wt = torch.cos(torch.arange(72.)*0.31).reshape(4,3,3,2).
        Tensor x = Tensor.arange(DType.FLOAT64, 0, 280, 1).mul(0.37).sin().reshape(2, 4, 7, 5);
        Tensor w = Tensor.arange(DType.FLOAT64, 0, 72, 1).mul(0.31).cos().reshape(4, 3, 3, 2);
        Tensor z = Conv.convTranspose2d(x, w, null, new int[] {2}, new int[] {1}, new int[] {1}, new int[] {1}, 2);
        assertArrayEquals(new int[] {2, 6, 14, 9}, z.shape());
        assertArrayEquals(new double[] {0.36470208658794717, 0.9762346476276047, 0.8829495567438844, 1.4473462675991036,
            1.2816939464981525, 1.7225663600593426, 1.5069670732920069, 1.7646451766096471, 1.5282792762179092},
                z.select(0, 0).select(0, 0).select(0, 0).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1.8261179109676335, 1.761965340763111, 1.4854332866749878, 1.3826662320573457,
            0.9437022355134373, 0.8162297352231289, 0.2742455138824572, 0.13932037283324727, -0.4323290515086482},
                z.select(0, 1).select(0, 5).select(0, 3).toDoubleArray(), 1e-12);
    }

    @Test
    void convTranspose2dIsTheAdjointOfConv2d() {
        Generator gen = new Generator(12);
        for (Setting st : SETTINGS) {
            Tensor x = randn(gen, st.n, st.c, st.h, st.w), w = randn(gen, st.o, st.c / st.groups, st.kh, st.kw);
            Tensor y = randn(gen, st.conv(x, w, null).shape());
            // The output padding that maps the conv's output size back to exactly its input size.
            int[] op = {(st.h + 2 * st.p[0] - st.d[0] * (st.kh - 1) - 1) % st.s[0],
                (st.w + 2 * st.p[1] - st.d[1] * (st.kw - 1) - 1) % st.s[1]};
            Tensor xt = Conv.convTranspose2d(y, w, null, st.s, st.p, op, st.d, st.groups);
            assertArrayEquals(x.shape(), xt.shape(), st.toString());
            double lhs = dot(st.conv(x, w, null), y), rhs = dot(x, xt);
            assertEquals(lhs, rhs, 1e-10 * (1 + Math.abs(lhs)), st.toString());
        }
    }

    @Test
    void convTranspose2dSecondOrder() {
        Generator gen = new Generator(13);
        Tensor x = randn(gen, 2, 4, 3, 2).requiresGrad(true);
        Tensor w = randn(gen, 4, 1, 2, 3).requiresGrad(true);
        Tensor b = randn(gen, 2).requiresGrad(true);
        GradCheck.checkSecondOrder(in -> Conv.convTranspose2d(in.get(0), in.get(1), in.get(2),
                new int[] {2, 1}, new int[] {0, 1}, new int[] {1, 0}, new int[] {1}, 2).tanh(), x, w, b);
    }

    // ------------------------------------------------------------ errors

    private static String error(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void errorsNameTheOpAndTheShapes() {
        assertEquals("conv2d: input [8, 3, 28, 28] has 3 channels but weight [32, 1, 3, 3] expects 1 (groups=1)",
                error(() -> Conv.conv2d(Tensor.zeros(8, 3, 28, 28), Tensor.zeros(32, 1, 3, 3), null, 1, 0)));
        String m = error(() -> Conv.conv2d(Tensor.zeros(1, 1, 2, 2), Tensor.zeros(1, 1, 3, 3), null, 1, 0));
        assertTrue(m.startsWith("conv2d: kernel [3, 3] is larger than the padded input: input [1, 1, 2, 2]"), m);
        m = error(() -> Conv.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), null,
                new int[] {1}, new int[] {0}, new int[] {3}, 1));
        assertTrue(m.contains("dilated to 7") && m.contains("larger than the padded input"), m);
        assertEquals("conv2d: input [1, 3, 5, 5] has 3 channels, not divisible by groups=2",
                error(() -> Conv.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(4, 1, 3, 3), null,
                        new int[] {1}, new int[] {0}, new int[] {1}, 2)));
        assertEquals("conv2d: weight [3, 2, 3, 3] has 3 output channels, not divisible by groups=2",
                error(() -> Conv.conv2d(Tensor.zeros(1, 4, 5, 5), Tensor.zeros(3, 2, 3, 3), null,
                        new int[] {1}, new int[] {0}, new int[] {1}, 2)));
        assertEquals("conv2d: stride must be positive, got [0, 1]",
                error(() -> Conv.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), null,
                        new int[] {0, 1}, new int[] {0}, new int[] {1}, 1)));
        assertEquals("conv2d: padding must be non-negative, got [-1, -1]",
                error(() -> Conv.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), null, 1, -1)));
        assertEquals("conv2d: groups must be positive, got 0",
                error(() -> Conv.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), null,
                        new int[] {1}, new int[] {0}, new int[] {1}, 0)));
        assertEquals("conv2d: expected input of shape [N, C, H, W], got [3, 28, 28]",
                error(() -> Conv.conv2d(Tensor.zeros(3, 28, 28), Tensor.zeros(4, 3, 3, 3), null, 1, 0)));
        assertEquals("conv2d: bias of shape [3] does not match weight [4, 3, 3, 3] (expected [4])",
                error(() -> Conv.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(4, 3, 3, 3), Tensor.zeros(3), 1, 0)));
        assertEquals("conv2d: stride must have 1 or 2 elements, got [1, 1, 1]",
                error(() -> Conv.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), null,
                        new int[] {1, 1, 1}, new int[] {0}, new int[] {1}, 1)));
        assertEquals("conv2d: input must be float32 or float64, got int64 (shape [1, 1, 2, 2])",
                error(() -> Conv.conv2d(Tensor.of(new long[4], 1, 1, 2, 2), Tensor.zeros(1, 1, 1, 1), null, 1, 0)));
        assertEquals("conv1d: input [2, 3, 10] has 3 channels but weight [4, 2, 3] expects 2 (groups=1)",
                error(() -> Conv.conv1d(Tensor.zeros(2, 3, 10), Tensor.zeros(4, 2, 3), null, 1, 0)));
        assertEquals("conv1d: expected weight of shape [O, C/groups, K], got [4, 3, 3, 3]",
                error(() -> Conv.conv1d(Tensor.zeros(2, 3, 10), Tensor.zeros(4, 3, 3, 3), null, 1, 0)));
        assertEquals("convTranspose2d: input [1, 3, 4, 4] has 3 channels but weight [4, 2, 3, 3] expects 4 (groups=1)",
                error(() -> Conv.convTranspose2d(Tensor.zeros(1, 3, 4, 4), Tensor.zeros(4, 2, 3, 3), null, 1, 0)));
        assertEquals("convTranspose2d: outputPadding [2, 2] must be smaller than either stride [2, 2] or dilation [1, 1]",
                error(() -> Conv.convTranspose2d(Tensor.zeros(1, 3, 4, 4), Tensor.zeros(3, 2, 3, 3), null,
                        new int[] {2}, new int[] {0}, new int[] {2}, new int[] {1}, 1)));
        m = error(() -> Conv.convTranspose2d(Tensor.zeros(1, 1, 1, 1), Tensor.zeros(1, 1, 1, 1), null, 1, 1));
        assertTrue(m.startsWith("convTranspose2d: input [1, 1, 1, 1] with weight [1, 1, 1, 1]") && m.contains("output size -1"), m);
    }
}
