package org.jgrad;

import static org.jgrad.ConvolutionTest.assertClose;
import static org.jgrad.ConvolutionTest.dot;
import static org.jgrad.ConvolutionTest.randn;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PoolingTest {

    // ------------------------------------------------------------ independent references

    /** Max over each window, first largest in row-major window order; argmax as flat index into x (−1: none). */
    static double[][] naiveMaxPool(Tensor x, int[] k, int[] s, int[] p, int[] d) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int oh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) / s[0] + 1, ow = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) / s[1] + 1;
        double[] xv = x.toDoubleArray(), out = new double[n * c * oh * ow], arg = new double[out.length];
        for (int pl = 0; pl < n * c; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double best = Double.NaN;
                    int at = -1;
                    for (int a = 0; a < k[0]; a++) {
                        for (int b = 0; b < k[1]; b++) {
                            int y = i * s[0] - p[0] + a * d[0], z = j * s[1] - p[1] + b * d[1];
                            if (y < 0 || y >= h || z < 0 || z >= w) continue;
                            double v = xv[(pl * h + y) * w + z];
                            if (at < 0 || v > best) {
                                best = v;
                                at = (pl * h + y) * w + z;
                            }
                        }
                    }
                    out[(pl * oh + i) * ow + j] = best;
                    arg[(pl * oh + i) * ow + j] = at;
                }
            }
        }
        return new double[][] {out, arg, {oh, ow}};
    }

    /** The mean over each window of the zero-padded input: k·k terms, or only the in-bounds ones. */
    static Tensor naiveAvgPool(Tensor x, int[] k, int[] s, int[] p, boolean countIncludePad) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int oh = (h + 2 * p[0] - k[0]) / s[0] + 1, ow = (w + 2 * p[1] - k[1]) / s[1] + 1;
        double[] out = new double[n * c * oh * ow];
        for (int ni = 0; ni < n; ni++) {
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = 0;
                        int count = 0;
                        for (int a = 0; a < k[0]; a++) {
                            for (int b = 0; b < k[1]; b++) {
                                int y = i * s[0] - p[0] + a, z = j * s[1] - p[1] + b;
                                if (y < 0 || y >= h || z < 0 || z >= w) continue;
                                sum += x.get(ni, ci, y, z);
                                count++;
                            }
                        }
                        out[((ni * c + ci) * oh + i) * ow + j] = sum / (countIncludePad ? k[0] * k[1] : count);
                    }
                }
            }
        }
        return Tensor.of(out, n, c, oh, ow);
    }

    /** PyTorch's adaptive windows, computed in floating point: [floor(i·H/out), ceil((i+1)·H/out)). */
    static Tensor naiveAdaptiveAvgPool(Tensor x, int outH, int outW) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        double[] out = new double[n * c * outH * outW];
        for (int ni = 0; ni < n; ni++) {
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < outH; i++) {
                    int y0 = (int) Math.floor((double) i * h / outH), y1 = (int) Math.ceil((double) (i + 1) * h / outH);
                    for (int j = 0; j < outW; j++) {
                        int z0 = (int) Math.floor((double) j * w / outW), z1 = (int) Math.ceil((double) (j + 1) * w / outW);
                        double sum = 0;
                        for (int y = y0; y < y1; y++) for (int z = z0; z < z1; z++) sum += x.get(ni, ci, y, z);
                        out[((ni * c + ci) * outH + i) * outW + j] = sum / ((y1 - y0) * (z1 - z0));
                    }
                }
            }
        }
        return Tensor.of(out, n, c, outH, outW);
    }

    static Tensor naiveUpsample(Tensor x, int sh, int sw) {
        int n = x.size(0), c = x.size(1), h = x.size(2) * sh, w = x.size(3) * sw;
        double[] out = new double[n * c * h * w];
        for (int ni = 0; ni < n; ni++)
            for (int ci = 0; ci < c; ci++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++) out[((ni * c + ci) * h + i) * w + j] = x.get(ni, ci, i / sh, j / sw);
        return Tensor.of(out, n, c, h, w);
    }

    /** float64 values that are a shuffled 0.1-spaced grid: no ties, and no max changes under a 1e-6 nudge. */
    static Tensor distinct(Generator gen, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = gen.nextInt(i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 0.1 * perm[i] - 0.05 * n;
        return Tensor.of(v, shape);
    }

    /** kernel, stride, padding, dilation, each {h, w}. */
    static final int[][][] MAX_SETTINGS = {
        {{2, 2}, {2, 2}, {0, 0}, {1, 1}},
        {{3, 2}, {2, 1}, {1, 1}, {1, 2}},
        {{3, 3}, {1, 1}, {1, 1}, {1, 1}},
        {{2, 3}, {1, 2}, {1, 0}, {2, 1}},
        {{1, 1}, {2, 3}, {0, 0}, {1, 1}}};

    // ------------------------------------------------------------ maxPool2d

    @Test
    void maxPoolMatchesNaive() {
        Generator gen = new Generator(21);
        for (int[][] st : MAX_SETTINGS) {
            Tensor x = randn(gen, 2, 3, 7, 6);
            double[][] ref = naiveMaxPool(x, st[0], st[1], st[2], st[3]);
            Tensor y = Conv.maxPool2d(x, st[0], st[1], st[2], st[3]);
            assertArrayEquals(new int[] {2, 3, (int) ref[2][0], (int) ref[2][1]}, y.shape());
            assertArrayEquals(ref[0], y.toDoubleArray());
            assertArrayEquals(ref[0], Conv.maxPool2d(x.to(DType.FLOAT32), st[0], st[1], st[2], st[3]).toDoubleArray(), 1e-6);
        }
    }

    @Test
    void maxPoolSendsTheGradientToTheFirstMaximum() {
        // Small integers make ties common; overlapping windows add up at a shared maximum.
        Generator gen = new Generator(22);
        for (int[][] st : MAX_SETTINGS) {
            double[] v = new double[2 * 2 * 6 * 5];
            for (int i = 0; i < v.length; i++) v[i] = gen.nextInt(3);
            Tensor x = Tensor.of(v, 2, 2, 6, 5).requiresGrad(true);
            Tensor y = Conv.maxPool2d(x, st[0], st[1], st[2], st[3]);
            Tensor gy = randn(gen, y.shape());
            y.backward(gy);
            double[][] ref = naiveMaxPool(x, st[0], st[1], st[2], st[3]);
            double[] expected = new double[v.length], g = gy.toDoubleArray();
            for (int t = 0; t < g.length; t++) expected[(int) ref[1][t]] += g[t];
            assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void maxPoolGradCheckAndSecondOrder() {
        Generator gen = new Generator(23);
        for (int[][] st : MAX_SETTINGS) {
            Tensor x = distinct(gen, 2, 2, 5, 6).requiresGrad(true);
            GradCheck.check(in -> Conv.maxPool2d(in.get(0), st[0], st[1], st[2], st[3]), x);
            // With the positions fixed the pool is linear: tanh afterwards gives a non-zero Hessian.
            GradCheck.checkSecondOrder(in -> Conv.maxPool2d(in.get(0), st[0], st[1], st[2], st[3]).tanh(), x);
        }
    }

    @Test
    void maxPoolNaNWins() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 3, 2}, 1, 1, 2, 2);
        assertTrue(Double.isNaN(Conv.maxPool2d(x, 2).item()));
    }

    @Test
    void maxPoolMatchesPyTorch() {
        // PyTorch 1.13: F.max_pool2d(x, kernel_size=(3,2), stride=(2,1), padding=1, dilation=(1,2))[0, 1]
        // with x = torch.sin(torch.arange(280.)*0.37).reshape(2,4,7,5).
        Tensor x = Tensor.arange(DType.FLOAT64, 0, 280, 1).mul(0.37).sin().reshape(2, 4, 7, 5);
        Tensor m = Conv.maxPool2d(x, new int[] {3, 2}, new int[] {2, 1}, new int[] {1}, new int[] {1, 2});
        assertArrayEquals(new int[] {2, 4, 4, 5}, m.shape());
        assertArrayEquals(new double[] {0.6842898458495511, 0.901675770066391, 0.9970241087570002, 0.9574299115788811,
            0.9970241087570002, 0.5123880037101151, 0.7882520673753163, 0.6892432612306632, 0.9046015706259687,
            0.6892432612306632, 0.9554405263552675, 0.9975263011148543, 0.9554405263552675, 0.9046015706259687,
            0.6892432612306632, -0.547062835324105, -0.20733642060675878, 0.027255395678052262, 0.3868920435136209,
            0.027255395678052262}, m.select(0, 0).select(0, 1).flatten().toDoubleArray(), 1e-12);
    }

    @Test
    void poolingDefaultsStrideToTheKernel() {
        Generator gen = new Generator(24);
        Tensor x = randn(gen, 1, 2, 6, 6);
        assertClose(Conv.maxPool2d(x, new int[] {3}, new int[] {3}, new int[] {0}), Conv.maxPool2d(x, new int[] {3}, null, new int[] {0}), 0);
        assertArrayEquals(new int[] {1, 2, 3, 3}, Conv.maxPool2d(x, 2).shape());
        assertClose(naiveAvgPool(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, true), Conv.avgPool2d(x, 2), 1e-12);
    }

    // ------------------------------------------------------------ avgPool2d

    /** kernel, stride, padding. */
    static final int[][][] AVG_SETTINGS = {
        {{2, 2}, {2, 2}, {0, 0}}, {{3, 3}, {2, 2}, {1, 1}}, {{3, 2}, {1, 2}, {1, 1}}, {{2, 3}, {3, 1}, {1, 0}}};

    @Test
    void avgPoolMatchesNaiveAndGradChecks() {
        Generator gen = new Generator(25);
        for (int[][] st : AVG_SETTINGS) {
            for (boolean include : new boolean[] {true, false}) {
                Tensor x = randn(gen, 2, 3, 7, 6).requiresGrad(true);
                Tensor y = Conv.avgPool2d(x, st[0], st[1], st[2], include);
                assertClose(naiveAvgPool(x, st[0], st[1], st[2], include), y, 1e-12);
                assertClose(y, Conv.avgPool2d(x.to(DType.FLOAT32), st[0], st[1], st[2], include), 1e-6);
                Tensor xs = randn(gen, 1, 2, 5, 4).requiresGrad(true);
                GradCheck.check(in -> Conv.avgPool2d(in.get(0), st[0], st[1], st[2], include), xs);
                GradCheck.checkSecondOrder(in -> Conv.avgPool2d(in.get(0), st[0], st[1], st[2], include).tanh(), xs);
            }
        }
    }

    @Test
    void avgPoolMatchesPyTorch() {
        // PyTorch 1.13: F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False)[0, 3], x as above.
        Tensor x = Tensor.arange(DType.FLOAT64, 0, 280, 1).mul(0.37).sin().reshape(2, 4, 7, 5);
        Tensor p = Conv.avgPool2d(x, new int[] {3}, new int[] {2}, new int[] {1}, false);
        assertArrayEquals(new int[] {2, 4, 4, 3}, p.shape());
        assertArrayEquals(new double[] {0.45620759711849335, 0.18388487752851654, -0.13445771795880904, -0.1394258172604331,
            -0.0911866404848611, -0.02012667531706012, 0.09347914866726849, 0.019069998575040943, -0.060111697142369115,
            -0.5147432707657175, -0.2757608795243404, 0.03223469879157312},
                p.select(0, 0).select(0, 3).flatten().toDoubleArray(), 1e-12);
    }

    // ------------------------------------------------------------ adaptiveAvgPool2d

    @Test
    void adaptiveAvgPoolMatchesNaiveForUnevenSizes() {
        Generator gen = new Generator(26);
        int[][] sizes = {{7, 5, 3, 4}, {5, 5, 2, 3}, {3, 2, 5, 4}, {6, 4, 1, 1}, {4, 6, 4, 6}};
        for (int[] s : sizes) {
            Tensor x = randn(gen, 2, 3, s[0], s[1]).requiresGrad(true);
            Tensor y = Conv.adaptiveAvgPool2d(x, s[2], s[3]);
            assertClose(naiveAdaptiveAvgPool(x, s[2], s[3]), y, 1e-12);
            assertClose(y, Conv.adaptiveAvgPool2d(x.to(DType.FLOAT32), s[2], s[3]), 1e-6);
            GradCheck.check(in -> Conv.adaptiveAvgPool2d(in.get(0), s[2], s[3]), x);
        }
        Tensor x = randn(gen, 1, 2, 5, 3).requiresGrad(true);
        GradCheck.checkSecondOrder(in -> Conv.adaptiveAvgPool2d(in.get(0), 2, 2).tanh(), x);
        // Global average pooling is the mean over the plane.
        Tensor g = randn(gen, 2, 3, 4, 5);
        assertClose(g.mean(new int[] {2, 3}, true), Conv.adaptiveAvgPool2d(g, 1, 1), 1e-12);
    }

    @Test
    void adaptiveAvgPoolMatchesPyTorch() {
        // PyTorch 1.13: F.adaptive_avg_pool2d(x, (3,4))[1, 2], x as above.
        Tensor x = Tensor.arange(DType.FLOAT64, 0, 280, 1).mul(0.37).sin().reshape(2, 4, 7, 5);
        Tensor a = Conv.adaptiveAvgPool2d(x, 3, 4);
        assertArrayEquals(new double[] {-0.13680152117079736, -0.14705133802286247, -0.13739844612254454, -0.10914931910478777,
            0.14460366995258392, 0.12515154935714043, 0.08876075366866977, 0.04035660636666072, -0.10847523297365519,
            -0.0652307279339341, -0.013157549879530273, 0.04069644082620912},
                a.select(0, 1).select(0, 2).flatten().toDoubleArray(), 1e-12);
    }

    // ------------------------------------------------------------ upsampleNearest2d

    @Test
    void upsampleNearestMatchesNaiveAndGradChecks() {
        Generator gen = new Generator(27);
        for (int[] sc : new int[][] {{2, 2}, {1, 3}, {3, 2}}) {
            Tensor x = randn(gen, 2, 2, 3, 4).requiresGrad(true);
            Tensor y = Conv.upsampleNearest2d(x, sc[0], sc[1]);
            assertClose(naiveUpsample(x, sc[0], sc[1]), y, 0);
            GradCheck.check(in -> Conv.upsampleNearest2d(in.get(0), sc[0], sc[1]), x);
            GradCheck.checkSecondOrder(in -> Conv.upsampleNearest2d(in.get(0), sc[0], sc[1]).tanh(), x);
        }
    }

    // ------------------------------------------------------------ shared properties

    @Test
    void backwardIsTheAdjointOfTheLinearPools() {
        // ⟨A x, y⟩ = ⟨x, Aᵀ y⟩ with Aᵀ y computed by backward, for every linear map here.
        Generator gen = new Generator(28);
        List<Function<Tensor, Tensor>> maps = List.of(
                t -> Conv.avgPool2d(t, new int[] {3}, new int[] {2}, new int[] {1}, false),
                t -> Conv.adaptiveAvgPool2d(t, 4, 3),
                t -> Conv.upsampleNearest2d(t, 2, 3),
                t -> Conv.maxPool2d(t, new int[] {3}, new int[] {1}, new int[] {1}));
        for (Function<Tensor, Tensor> a : maps) {
            Tensor x = randn(gen, 2, 3, 7, 5).requiresGrad(true);
            Tensor ax = a.apply(x);
            Tensor y = randn(gen, ax.shape());
            Tensor aty = Autograd.grad(ax, List.of(x), y, false, false).get(0);
            assertEquals(dot(ax, y), dot(x, aty), 1e-10);
        }
    }

    @Test
    void float32GradientsAgreeWithFloat64() {
        Generator gen = new Generator(29);
        List<Function<Tensor, Tensor>> ops = List.of(
                t -> Conv.maxPool2d(t, new int[] {3, 2}, new int[] {2, 1}, new int[] {1}, new int[] {1, 2}),
                t -> Conv.avgPool2d(t, new int[] {3}, new int[] {2}, new int[] {1}, true),
                t -> Conv.adaptiveAvgPool2d(t, 3, 2),
                t -> Conv.upsampleNearest2d(t, 2, 2));
        for (Function<Tensor, Tensor> op : ops) {
            Tensor x = distinct(gen, 2, 2, 6, 5);
            Tensor x32 = x.to(DType.FLOAT32).requiresGrad(true), x64 = x.requiresGrad(true);
            Tensor y64 = op.apply(x64), y32 = op.apply(x32);
            assertEquals(DType.FLOAT32, y32.dtype());
            Tensor gy = randn(gen, y64.shape());
            y64.backward(gy);
            y32.backward(gy.to(DType.FLOAT32));
            assertEquals(DType.FLOAT32, x32.grad().dtype());
            assertClose(y64, y32, 1e-6);
            assertClose(x64.grad(), x32.grad(), 1e-6);
        }
    }

    @Test
    void errorsNameTheOpAndTheShapes() {
        Tensor x = Tensor.zeros(1, 2, 4, 4);
        assertEquals("maxPool2d: padding [2, 2] must be at most half the kernel [3, 3]", assertThrows(
                IllegalArgumentException.class, () -> Conv.maxPool2d(x, new int[] {3}, null, new int[] {2})).getMessage());
        String m = assertThrows(IllegalArgumentException.class, () -> Conv.maxPool2d(x, 5)).getMessage();
        assertTrue(m.startsWith("maxPool2d: kernel [5, 5] is larger than the padded input: input [1, 2, 4, 4]"), m);
        assertEquals("maxPool2d: expected input of shape [N, C, H, W], got [2, 4, 4]", assertThrows(
                IllegalArgumentException.class, () -> Conv.maxPool2d(Tensor.zeros(2, 4, 4), 2)).getMessage());
        assertEquals("maxPool2d: stride must be positive, got [0, 1]", assertThrows(IllegalArgumentException.class,
                () -> Conv.maxPool2d(x, new int[] {2}, new int[] {0, 1}, new int[] {0})).getMessage());
        assertEquals("avgPool2d: kernel must be positive, got [0, 0]",
                assertThrows(IllegalArgumentException.class, () -> Conv.avgPool2d(x, 0)).getMessage());
        assertEquals("adaptiveAvgPool2d: output size must be positive, got [0, 2]",
                assertThrows(IllegalArgumentException.class, () -> Conv.adaptiveAvgPool2d(x, 0, 2)).getMessage());
        assertEquals("upsampleNearest2d: scale factors must be positive, got [2, 0]",
                assertThrows(IllegalArgumentException.class, () -> Conv.upsampleNearest2d(x, 2, 0)).getMessage());
    }
}
