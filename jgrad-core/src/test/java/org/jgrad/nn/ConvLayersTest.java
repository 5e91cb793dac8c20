package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.Autograd;
import org.jgrad.Conv;
import org.jgrad.DType;
import org.jgrad.GradCheck;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class ConvLayersTest {

    static Tensor randn64(Generator gen, int... shape) {
        return Tensor.randn(gen, shape).to(DType.FLOAT64);
    }

    /** GradCheck of a module (converted to float64) with respect to its parameters and its input. */
    static void gradCheck(Module m, Tensor x) {
        m.to(DType.FLOAT64);
        List<Tensor> inputs = new ArrayList<>(m.parameters());
        Tensor in = x.to(DType.FLOAT64).detach().requiresGrad(true);
        inputs.add(in);
        int last = inputs.size() - 1;
        GradCheck.check(args -> m.call(args.get(last)), inputs.toArray(Tensor[]::new));
    }

    static void assertClose(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    // ------------------------------------------------------------ naive references

    /** Direct 2-D cross-correlation, one output element at a time, zeros outside the input. */
    static double[] naiveConv2d(Tensor x, Tensor w, Tensor b, int[] s, int[] p, int[] d, int groups) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int o = w.size(0), cg = w.size(1), kh = w.size(2), kw = w.size(3), og = o / groups;
        int oh = (h + 2 * p[0] - d[0] * (kh - 1) - 1) / s[0] + 1, ow = (wd + 2 * p[1] - d[1] * (kw - 1) - 1) / s[1] + 1;
        double[] out = new double[n * o * oh * ow];
        for (int ni = 0; ni < n; ni++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = b == null ? 0 : b.get(oc);
                        for (int ci = 0; ci < cg; ci++) {
                            for (int a = 0; a < kh; a++) {
                                for (int bb = 0; bb < kw; bb++) {
                                    int y = i * s[0] - p[0] + a * d[0], z = j * s[1] - p[1] + bb * d[1];
                                    if (y < 0 || y >= h || z < 0 || z >= wd) continue;
                                    sum += w.get(oc, ci, a, bb) * x.get(ni, g * cg + ci, y, z);
                                }
                            }
                        }
                        out[((ni * o + oc) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return out;
    }

    /** Transposed convolution as a scatter: every input element adds its weighted kernel into the output. */
    static double[] naiveConvTranspose2d(Tensor x, Tensor w, Tensor b, int[] s, int[] p, int[] op, int[] d, int groups,
                                         int[] outShape) {
        int n = x.size(0), cin = x.size(1), h = x.size(2), wd = x.size(3);
        int og = w.size(1), kh = w.size(2), kw = w.size(3), cig = cin / groups;
        int cout = outShape[1], oh = outShape[2], ow = outShape[3];
        assertEquals((h - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + op[0] + 1, oh, "reference output height");
        assertEquals((wd - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + op[1] + 1, ow, "reference output width");
        double[] out = new double[n * cout * oh * ow];
        for (int ni = 0; ni < n; ni++) {
            for (int oc = 0; oc < cout; oc++) {
                double bias = b == null ? 0 : b.get(oc);
                for (int t = 0; t < oh * ow; t++) out[(ni * cout + oc) * oh * ow + t] = bias;
            }
            for (int ci = 0; ci < cin; ci++) {
                int g = ci / cig;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        double v = x.get(ni, ci, i, j);
                        for (int o = 0; o < og; o++) {
                            for (int a = 0; a < kh; a++) {
                                for (int bb = 0; bb < kw; bb++) {
                                    int y = i * s[0] - p[0] + a * d[0], z = j * s[1] - p[1] + bb * d[1];
                                    if (y < 0 || y >= oh || z < 0 || z >= ow) continue;
                                    out[((ni * cout + g * og + o) * oh + y) * ow + z] += v * w.get(ci, o, a, bb);
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------ Conv2d

    /** {stride, padding, dilation} per axis and groups, in / out channels, input H, W: odd sizes throughout. */
    private static final int[][] CONV_CASES = {
        // sH sW pH pW dH dW groups in out H W kH kW
        {1, 1, 0, 0, 1, 1, 1, 3, 4, 7, 5, 3, 3},
        {1, 1, 1, 1, 1, 1, 1, 1, 2, 5, 5, 3, 3},
        {2, 2, 1, 1, 1, 1, 1, 2, 3, 7, 9, 3, 3},
        {2, 3, 0, 2, 1, 1, 1, 2, 2, 9, 8, 3, 2},
        {1, 1, 2, 1, 2, 3, 1, 2, 3, 7, 7, 3, 3},
        {1, 2, 1, 0, 1, 1, 2, 4, 6, 6, 7, 2, 3},
        {2, 1, 1, 1, 2, 1, 3, 3, 3, 9, 5, 3, 3},   // depthwise
        {1, 1, 0, 0, 1, 1, 1, 3, 5, 4, 6, 1, 1},   // pointwise
    };

    private static Conv2d conv2dCase(int[] c, boolean bias, long seed) {
        return new Conv2d(c[7], c[8], new int[] {c[11], c[12]}, new int[] {c[0], c[1]}, new int[] {c[2], c[3]},
                new int[] {c[4], c[5]}, c[6], bias, new Generator(seed));
    }

    @Test
    void conv2dMatchesNaiveDirectConvolution() {
        for (int k = 0; k < CONV_CASES.length; k++) {
            int[] c = CONV_CASES[k];
            for (boolean bias : new boolean[] {true, false}) {
                Conv2d conv = conv2dCase(c, bias, 100 + k);
                conv.to(DType.FLOAT64);
                Tensor x = randn64(new Generator(200 + k), 2, c[7], c[9], c[10]);
                Tensor y = conv.call(x);
                double[] ref = naiveConv2d(x, conv.weight(), conv.bias(), new int[] {c[0], c[1]},
                        new int[] {c[2], c[3]}, new int[] {c[4], c[5]}, c[6]);
                assertEquals(ref.length, y.numel(), "case " + k);
                assertClose(ref, y.toDoubleArray(), 1e-12);
                // Float32 layer: same values to float precision.
                Conv2d conv32 = conv2dCase(c, bias, 100 + k);
                assertEquals(DType.FLOAT32, conv32.call(x.to(DType.FLOAT32)).dtype());
                assertClose(ref, conv32.call(x.to(DType.FLOAT32)).toDoubleArray(), 1e-5);
            }
        }
    }

    @Test
    void conv2dGradCheckForSeveralSettings() {
        for (int k = 0; k < CONV_CASES.length; k++) {
            int[] c = CONV_CASES[k];
            Conv2d conv = conv2dCase(c, k % 2 == 0, 300 + k);
            gradCheck(conv, Tensor.randn(new Generator(400 + k), 2, c[7], c[9], c[10]));
        }
    }

    @Test
    void conv2dLargeBatchInChunksMatchesNaiveAndIsTheSameWithAnyThreadCount() {
        // 21 images run as chunks of 3 spread over the threads; the weight gradient is summed per chunk.
        Conv2d conv = new Conv2d(3, 5, 3, 2, 1, new Generator(7));
        Tensor x = Tensor.randn(new Generator(8), 21, 3, 9, 8);
        Tensor gy = Tensor.randn(new Generator(9), 21, 5, 5, 4);
        int before = org.jgrad.Parallelism.getNumThreads();
        List<float[]> runs = new ArrayList<>();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                org.jgrad.Parallelism.setNumThreads(threads);
                conv.zeroGrad();
                Tensor xin = x.detach().requiresGrad(true);
                Tensor y = conv.call(xin);
                y.backward(gy);
                if (threads == 1) {
                    double[] ref = naiveConv2d(x, conv.weight(), conv.bias(), new int[] {2, 2}, new int[] {1, 1},
                            new int[] {1, 1}, 1);
                    assertClose(ref, y.toDoubleArray(), 1e-5);
                }
                runs.add(conv.weight().grad().toFloatArray());
                runs.add(xin.grad().toFloatArray());
                runs.add(y.toFloatArray());
            }
        } finally {
            org.jgrad.Parallelism.setNumThreads(before);
        }
        for (int r = 3; r < runs.size(); r++) assertArrayEquals(runs.get(r % 3), runs.get(r), "run " + r / 3 + ", tensor " + r % 3);
        // And the weight gradient is right: Σ over images and positions of gy · x-window (checked in float64).
        Conv2d c64 = new Conv2d(3, 5, 3, 2, 1, new Generator(7));
        c64.to(DType.FLOAT64);
        c64.call(x.to(DType.FLOAT64)).backward(gy.to(DType.FLOAT64));
        assertClose(c64.weight().grad().toDoubleArray(), toDouble(runs.get(0)), 1e-4);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Test
    void conv2dUnbatchedInputIsABatchOfOne() {
        Conv2d conv = new Conv2d(2, 3, 3, 2, 1, new Generator(1));
        Tensor x = Tensor.randn(new Generator(2), 2, 5, 6);
        Tensor y = conv.call(x);
        assertArrayEquals(new int[] {3, 3, 3}, y.shape());
        assertArrayEquals(conv.call(x.unsqueeze(0)).toFloatArray(), y.toFloatArray());
    }

    @Test
    void conv2dDefaultInitIsUniformWithinOneOverSqrtFanIn() {
        // fanIn = in/groups·kH·kW = 32/2·3·5 = 240.
        Conv2d conv = new Conv2d(32, 64, new int[] {3, 5}, new int[] {1}, new int[] {0}, new int[] {1}, 2, true,
                new Generator(3));
        assertArrayEquals(new int[] {64, 16, 3, 5}, conv.weight().shape());
        double bound = 1 / Math.sqrt(240);
        double max = 0, sumSq = 0;
        double[] w = conv.weight().toDoubleArray();
        for (double v : w) {
            max = Math.max(max, Math.abs(v));
            sumSq += v * v;
        }
        assertTrue(max <= bound && max > 0.99 * bound, max + " vs bound " + bound);
        assertEquals(bound * bound / 3, sumSq / w.length, 0.05 * bound * bound / 3);
        double bmax = 0;
        for (double v : conv.bias().toDoubleArray()) bmax = Math.max(bmax, Math.abs(v));
        assertTrue(bmax <= bound && bmax > 0.5 * bound, "bias within ±" + bound + ", got max " + bmax);
        // Seeded.
        assertArrayEquals(w, new Conv2d(32, 64, new int[] {3, 5}, new int[] {1}, new int[] {0}, new int[] {1}, 2, true,
                new Generator(3)).weight().toDoubleArray());
    }

    @Test
    void conv2dStateDictNamesParameterCountsAndToString() {
        Conv2d conv = new Conv2d(1, 32, 3, 1, 1, new Generator(1));
        assertEquals(List.of("weight", "bias"), new ArrayList<>(conv.stateDict().keySet()));
        assertEquals(32 * 1 * 3 * 3 + 32, conv.parameterCount());
        assertEquals("Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", conv.toString());
        Conv2d plain = new Conv2d(3, 6, 5);
        assertEquals("Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))", plain.toString());
        Conv2d full = new Conv2d(4, 8, new int[] {3, 1}, new int[] {2, 1}, new int[] {1, 0}, new int[] {2}, 2, false,
                new Generator(1));
        assertEquals("Conv2d(4, 8, kernel_size=(3, 1), stride=(2, 1), padding=(1, 0), dilation=(2, 2), groups=2,"
                + " bias=False)", full.toString());
        assertEquals(List.of("weight"), new ArrayList<>(full.stateDict().keySet()));
        assertEquals(8 * 2 * 3 * 1, full.parameterCount());
    }

    @Test
    void conv2dShapeErrorsNameTheLayerAndTheShapes() {
        Conv2d conv = new Conv2d(1, 32, 3, 1, 1, new Generator(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.call(Tensor.zeros(8, 3, 28, 28)));
        String m = e.getMessage();
        assertTrue(m.startsWith("Conv2d(1, 32, kernel_size=(3, 3)") && m.contains("[N, 1, H, W]")
                && m.contains("[8, 3, 28, 28]"), m);
        e = assertThrows(IllegalArgumentException.class, () -> conv.call(Tensor.zeros(8, 784)));
        assertTrue(e.getMessage().contains("[8, 784]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(6, 4, new int[] {3}, new int[] {1},
                new int[] {0}, new int[] {1}, 4, true, new Generator(1)));
        assertTrue(e.getMessage().contains("Conv2d") && e.getMessage().contains("groups=4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 2, 0));
        assertTrue(e.getMessage().contains("Conv2d") && e.getMessage().contains("kernelSize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 2, 3, 1, -1));
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
        // Input smaller than the kernel: the functional op names the sizes.
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 2, 5).call(Tensor.zeros(1, 1, 3, 3)));
        assertTrue(e.getMessage().contains("[1, 1, 3, 3]"), e.getMessage());
    }

    // ------------------------------------------------------------ Conv1d

    @Test
    void conv1dMatchesNaiveLoopAndGradChecks() {
        // {stride, padding, dilation, groups, in, out, L, K}
        int[][] cases = {{1, 0, 1, 1, 3, 2, 9, 3}, {2, 1, 1, 1, 2, 4, 8, 3}, {1, 2, 2, 2, 4, 2, 7, 3}, {3, 0, 1, 1, 1, 1, 10, 2}};
        for (int k = 0; k < cases.length; k++) {
            int[] c = cases[k];
            Conv1d conv = new Conv1d(c[4], c[5], c[7], c[0], c[1], c[2], c[3], k != 1, new Generator(k));
            conv.to(DType.FLOAT64);
            Tensor x = randn64(new Generator(50 + k), 2, c[4], c[6]);
            Tensor y = conv.call(x);
            // conv1d is conv2d of height 1: the naive 2-D reference with a 1-row kernel.
            double[] ref = naiveConv2d(x.unsqueeze(2), conv.weight().unsqueeze(2), conv.bias(), new int[] {1, c[0]},
                    new int[] {0, c[1]}, new int[] {1, c[2]}, c[3]);
            assertEquals(3, y.dim());
            assertClose(ref, y.toDoubleArray(), 1e-12);
            gradCheck(conv, x);
        }
        Conv1d conv = new Conv1d(4, 8, 3, 2, 1);
        assertEquals("Conv1d(4, 8, kernel_size=(3,), stride=(2,), padding=(1,))", conv.toString());
        assertArrayEquals(new int[] {8, 4, 3}, conv.weight().shape());
        assertEquals(8 * 4 * 3 + 8, conv.parameterCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.call(Tensor.zeros(2, 3, 10)));
        assertTrue(e.getMessage().startsWith("Conv1d(4, 8") && e.getMessage().contains("[2, 3, 10]"), e.getMessage());
        assertArrayEquals(new int[] {8, 5}, conv.call(Tensor.zeros(4, 10)).shape());
    }

    // ------------------------------------------------------------ ConvTranspose2d

    @Test
    void convTranspose2dMatchesNaiveScatterAndGradChecks() {
        // {s, p, outputPadding, d, groups, in, out, H, W, k}
        int[][] cases = {{1, 0, 0, 1, 1, 2, 3, 4, 5, 3}, {2, 1, 1, 1, 1, 3, 2, 3, 4, 3}, {2, 0, 0, 2, 1, 2, 2, 3, 3, 2},
            {3, 1, 2, 1, 2, 4, 6, 3, 2, 3}};
        for (int k = 0; k < cases.length; k++) {
            int[] c = cases[k];
            ConvTranspose2d ct = new ConvTranspose2d(c[5], c[6], new int[] {c[9]}, new int[] {c[0]}, new int[] {c[1]},
                    new int[] {c[2]}, new int[] {c[3]}, c[4], k != 2, new Generator(k));
            ct.to(DType.FLOAT64);
            assertArrayEquals(new int[] {c[5], c[6] / c[4], c[9], c[9]}, ct.weight().shape());
            Tensor x = randn64(new Generator(60 + k), 2, c[5], c[7], c[8]);
            Tensor y = ct.call(x);
            double[] ref = naiveConvTranspose2d(x, ct.weight(), ct.bias(), new int[] {c[0], c[0]}, new int[] {c[1], c[1]},
                    new int[] {c[2], c[2]}, new int[] {c[3], c[3]}, c[4], y.shape());
            assertClose(ref, y.toDoubleArray(), 1e-12);
            gradCheck(ct, x);
        }
        ConvTranspose2d ct = new ConvTranspose2d(16, 8, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1},
                new int[] {1}, 1, true, new Generator(1));
        assertEquals("ConvTranspose2d(16, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))",
                ct.toString());
        // It undoes the size change of the matching strided Conv2d: 7 → 14.
        assertArrayEquals(new int[] {1, 8, 14, 14}, ct.call(Tensor.zeros(1, 16, 7, 7)).shape());
        // PyTorch's fan-in for this layout: weight.size(1)·k·k = 8·9.
        double bound = 1 / Math.sqrt(8 * 9);
        for (double v : ct.bias().toDoubleArray()) assertTrue(Math.abs(v) <= bound);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ct.call(Tensor.zeros(1, 8, 7, 7)));
        assertTrue(e.getMessage().startsWith("ConvTranspose2d(16, 8") && e.getMessage().contains("[1, 8, 7, 7]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(2, 2, new int[] {3}, new int[] {2},
                new int[] {0}, new int[] {2}, new int[] {1}, 1, true, new Generator(1)));
    }

    // ------------------------------------------------------------ pooling and upsampling

    @Test
    void maxPool2dMatchesNaiveLoopAndGradChecks() {
        Tensor x = randn64(new Generator(70), 2, 3, 7, 9);
        // {k, s, p, d}: non-overlapping, overlapping, padded, dilated.
        int[][] cases = {{2, 2, 0, 1}, {3, 2, 1, 1}, {3, 1, 0, 2}, {2, 3, 1, 1}};
        for (int[] c : cases) {
            MaxPool2d pool = new MaxPool2d(new int[] {c[0]}, new int[] {c[1]}, new int[] {c[2]}, new int[] {c[3]});
            Tensor y = pool.call(x);
            int h = (7 + 2 * c[2] - c[3] * (c[0] - 1) - 1) / c[1] + 1, w = (9 + 2 * c[2] - c[3] * (c[0] - 1) - 1) / c[1] + 1;
            assertArrayEquals(new int[] {2, 3, h, w}, y.shape());
            double[] out = y.toDoubleArray();
            for (int pl = 0; pl < 6; pl++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double best = Double.NEGATIVE_INFINITY;
                        for (int a = 0; a < c[0]; a++) {
                            for (int b = 0; b < c[0]; b++) {
                                int r = i * c[1] - c[2] + a * c[3], q = j * c[1] - c[2] + b * c[3];
                                if (r >= 0 && r < 7 && q >= 0 && q < 9) best = Math.max(best, x.get(pl / 3, pl % 3, r, q));
                            }
                        }
                        assertEquals(best, out[(pl * h + i) * w + j], 0);
                    }
                }
            }
            gradCheck(pool, x);
        }
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                new MaxPool2d(2).toString());
        assertEquals(0, new MaxPool2d(2).parameterCount());
        assertTrue(new MaxPool2d(2).stateDict().isEmpty());
        assertArrayEquals(new int[] {3, 3, 4}, new MaxPool2d(2).call(x.select(0, 0)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).call(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().startsWith("MaxPool2d(") && e.getMessage().contains("[4, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2));
    }

    @Test
    void avgPool2dMatchesWindowMeansAndGradChecks() {
        Tensor x = randn64(new Generator(71), 2, 2, 5, 7);
        AvgPool2d pool = new AvgPool2d(3, 2, 1);
        Tensor y = pool.call(x);
        assertArrayEquals(new int[] {2, 2, 3, 4}, y.shape());
        double[] out = y.toDoubleArray();
        for (int pl = 0; pl < 4; pl++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    double sum = 0;
                    for (int a = 0; a < 3; a++) {
                        for (int b = 0; b < 3; b++) {
                            int r = i * 2 - 1 + a, q = j * 2 - 1 + b;
                            if (r >= 0 && r < 5 && q >= 0 && q < 7) sum += x.get(pl / 2, pl % 2, r, q);
                        }
                    }
                    // countIncludePad: every window divides by 9, padding counted.
                    assertEquals(sum / 9, out[(pl * 3 + i) * 4 + j], 1e-12);
                }
            }
        }
        gradCheck(pool, x);
        AvgPool2d excl = new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, false);
        assertArrayEquals(Conv.avgPool2d(x, new int[] {3}, new int[] {2}, new int[] {1}, false).toDoubleArray(),
                excl.call(x).toDoubleArray(), 0);
        // The corner window holds 4 input elements.
        assertEquals((x.get(0, 0, 0, 0) + x.get(0, 0, 0, 1) + x.get(0, 0, 1, 0) + x.get(0, 0, 1, 1)) / 4,
                excl.call(x).get(0, 0, 0, 0), 1e-12);
        gradCheck(excl, x);
        assertEquals("AvgPool2d(kernel_size=3, stride=2, padding=1)", pool.toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=2, padding=1, count_include_pad=False)", excl.toString());
    }

    @Test
    void adaptiveAvgPool2dAndUpsample() {
        Tensor x = randn64(new Generator(72), 2, 3, 5, 7);
        AdaptiveAvgPool2d global = new AdaptiveAvgPool2d(1);
        assertArrayEquals(x.mean(new int[] {2, 3}, true).toDoubleArray(), global.call(x).toDoubleArray(), 1e-12);
        assertEquals("AdaptiveAvgPool2d(output_size=1)", global.toString());
        AdaptiveAvgPool2d ad = new AdaptiveAvgPool2d(2, 3);
        assertEquals("AdaptiveAvgPool2d(output_size=(2, 3))", ad.toString());
        // Row windows of 5 → 2: [0, 3), [2, 5); column windows of 7 → 3: [0, 3), [2, 5), [4, 7).
        Tensor y = ad.call(x);
        double s = 0;
        for (int r = 2; r < 5; r++) for (int q = 2; q < 5; q++) s += x.get(1, 2, r, q);
        assertEquals(s / 9, y.get(1, 2, 1, 1), 1e-12);
        gradCheck(ad, x);

        Upsample up = new Upsample(2, 3);
        Tensor u = up.call(x);
        assertArrayEquals(new int[] {2, 3, 10, 21}, u.shape());
        for (int r = 0; r < 10; r++) for (int q = 0; q < 21; q++) assertEquals(x.get(1, 1, r / 2, q / 3), u.get(1, 1, r, q), 0);
        gradCheck(up, x);
        assertEquals("Upsample(scale_factor=2.0, mode='nearest')", new Upsample(2).toString());
        assertThrows(IllegalArgumentException.class, () -> new Upsample(0));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(0));
    }

    // ------------------------------------------------------------ BatchNorm2d

    @Test
    void batchNorm2dTrainNormalizesEachChannelOverBatchAndSpace() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.to(DType.FLOAT64);
        try (var _ = Autograd.noGrad()) {
            bn.weight().copyInPlace(Tensor.of(1.5, -2.0, 0.5));
            bn.bias().copyInPlace(Tensor.of(0.1, 0.2, 0.3));
        }
        int n = 4, h = 3, w = 5, m = n * h * w;
        Tensor x = randn64(new Generator(80), n, 3, h, w).mul(3).add(1);
        Tensor y = bn.call(x);
        double[] gamma = {1.5, -2.0, 0.5}, beta = {0.1, 0.2, 0.3};
        for (int c = 0; c < 3; c++) {
            double mean = 0, var = 0;
            for (int i = 0; i < n; i++) for (int r = 0; r < h; r++) for (int q = 0; q < w; q++) mean += x.get(i, c, r, q);
            mean /= m;
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < h; r++) for (int q = 0; q < w; q++) var += Math.pow(x.get(i, c, r, q) - mean, 2);
            }
            double biased = var / m, unbiased = var / (m - 1);
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < h; r++) {
                    for (int q = 0; q < w; q++) {
                        double expect = gamma[c] * (x.get(i, c, r, q) - mean) / Math.sqrt(biased + 1e-5) + beta[c];
                        assertEquals(expect, y.get(i, c, r, q), 1e-10);
                    }
                }
            }
            assertEquals(0.1 * mean, bn.runningMean().get(c), 1e-12);
            assertEquals(0.9 + 0.1 * unbiased, bn.runningVar().get(c), 1e-12);
        }
        assertEquals(1, bn.numBatchesTracked());
        // Evaluation: the running statistics, and no update.
        bn.eval();
        Tensor ye = bn.call(x);
        for (int c = 0; c < 3; c++) {
            double rm = bn.runningMean().get(c), rv = bn.runningVar().get(c);
            assertEquals(gamma[c] * (x.get(2, c, 1, 4) - rm) / Math.sqrt(rv + 1e-5) + beta[c], ye.get(2, c, 1, 4), 1e-10);
        }
        assertEquals(1, bn.numBatchesTracked());
    }

    @Test
    void batchNorm2dGradCheckTrainAndEvalStateDictAndErrors() {
        BatchNorm2d bn = new BatchNorm2d(2);
        try (var _ = Autograd.noGrad()) {
            bn.weight().copyInPlace(Tensor.of(new float[] {1.3f, -0.6f}, 2));
        }
        gradCheck(bn, Tensor.randn(new Generator(81), 3, 2, 3, 5));
        bn.eval();
        gradCheck(bn, Tensor.randn(new Generator(82), 3, 2, 3, 5));
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                new ArrayList<>(bn.stateDict().keySet()));
        assertEquals(DType.INT64, bn.stateDict().get("num_batches_tracked").dtype());
        assertEquals(4, bn.parameterCount());
        assertEquals("BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
                new BatchNorm2d(2).toString());
        BatchNorm2d plain = new BatchNorm2d(2, 1e-3, 0.25, false);
        assertEquals(0, plain.parameterCount());
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"),
                new ArrayList<>(plain.stateDict().keySet()));
        assertEquals("BatchNorm2d(2, eps=0.001, momentum=0.25, affine=False, track_running_stats=True)", plain.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(3, 4, 2, 2)));
        assertTrue(e.getMessage().startsWith("BatchNorm2d(2") && e.getMessage().contains("[N, 2, H, W]")
                && e.getMessage().contains("[3, 4, 2, 2]"), e.getMessage());
        BatchNorm2d tr = new BatchNorm2d(2);
        assertThrows(IllegalArgumentException.class, () -> tr.call(Tensor.zeros(1, 2, 1, 1)));
    }

    // ------------------------------------------------------------ Dropout2d

    @Test
    void dropout2dDropsWholeChannelsAndIsIdentityInEval() {
        Dropout2d d = new Dropout2d(0.3, new Generator(90));
        Tensor x = Tensor.full(DType.FLOAT64, 2.0, 50, 40, 3, 4);
        Tensor y = d.call(x);
        int dropped = 0;
        for (int i = 0; i < 50; i++) {
            for (int c = 0; c < 40; c++) {
                double first = y.get(i, c, 0, 0);
                assertTrue(first == 0 || Math.abs(first - 2.0 / 0.7) < 1e-12, "value " + first);
                for (int r = 0; r < 3; r++) for (int q = 0; q < 4; q++) assertEquals(first, y.get(i, c, r, q), 0);
                if (first == 0) dropped++;
            }
        }
        // Binomial(2000, 0.3): standard deviation ≈ 20.
        assertEquals(600, dropped, 80);
        // Seeded: the same seed, the same channels.
        assertArrayEquals(y.toDoubleArray(), new Dropout2d(0.3, new Generator(90)).call(x).toDoubleArray(), 0);
        assertFalse(java.util.Arrays.equals(y.toDoubleArray(), new Dropout2d(0.3, new Generator(91)).call(x).toDoubleArray()));
        d.eval();
        assertSame(x, d.call(x));
        assertEquals(0, new Dropout2d(1, new Generator(1)).call(x).abs().sum().item(), 0);
        assertArrayEquals(new int[] {40, 3, 4}, new Dropout2d(0.5, new Generator(1)).call(x.select(0, 0)).shape());
        assertEquals("Dropout2d(p=0.5, inplace=False)", new Dropout2d().toString());
        assertThrows(IllegalArgumentException.class, () -> new Dropout2d(-0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dropout2d(0.5, new Generator(1)).call(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().startsWith("Dropout2d") && e.getMessage().contains("[4, 5]"), e.getMessage());
    }

    @Test
    void dropout2dGradCheckWithFixedMask() {
        Tensor x = randn64(new Generator(92), 2, 4, 3, 3).requiresGrad(true);
        GradCheck.check(in -> new Dropout2d(0.4, new Generator(93)).call(in.get(0)), x);
        Tensor mask = new Dropout2d(0.4, new Generator(93)).call(Tensor.ones(DType.FLOAT64, 2, 4, 3, 3));
        new Dropout2d(0.4, new Generator(93)).call(x).sum().backward();
        assertArrayEquals(mask.toDoubleArray(), x.grad().toDoubleArray(), 1e-12);
    }

    // ------------------------------------------------------------ the standard CNN

    @Test
    void fashionCnnShapesParameterCountAndNames() {
        Sequential cnn = Models.fashionCnn(new Generator(1));
        assertArrayEquals(new int[] {3, 10}, cnn.call(Tensor.randn(new Generator(2), 3, 1, 28, 28)).shape());
        long expected = (32L * 1 * 9 + 32) + (64L * 32 * 9 + 64) + (3136L * 128 + 128) + (128L * 10 + 10);
        assertEquals(expected, cnn.parameterCount());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias"),
                new ArrayList<>(cnn.stateDict().keySet()));
        assertEquals(784L * 256 + 256 + 256L * 128 + 128 + 128L * 10 + 10, Models.fashionMlp(new Generator(1)).parameterCount());
        assertTrue(cnn.toString().contains("(0): Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))"),
                cnn.toString());
        // Seeded: the same generator seed, the same network.
        assertArrayEquals(cnn.stateDict().get("3.weight").toFloatArray(),
                Models.fashionCnn(new Generator(1)).stateDict().get("3.weight").toFloatArray());
    }
}
