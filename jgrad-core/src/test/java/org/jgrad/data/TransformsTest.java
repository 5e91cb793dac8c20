package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class TransformsTest {
    /** A batch [b, c, h, w] whose value encodes its position: 1000·i + 100·c + 10·y + x + 1. */
    static Tensor coded(int b, int c, int h, int w) {
        float[] v = new float[b * c * h * w];
        int k = 0;
        for (int i = 0; i < b; i++) for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            v[k++] = 1000 * i + 100 * ch + 10 * y + x + 1;
        }
        return Tensor.of(v, b, c, h, w);
    }

    @Test
    void horizontalFlipMirrorsRowsAndTwiceIsIdentity() {
        Tensor x = coded(2, 2, 3, 4);
        Tensor f = Transforms.horizontalFlip().apply(x, new Generator(0));
        for (int i = 0; i < 2; i++) for (int c = 0; c < 2; c++) for (int y = 0; y < 3; y++) for (int xx = 0; xx < 4; xx++) {
            assertEquals(x.get(i, c, y, 3 - xx), f.get(i, c, y, xx));
        }
        assertArrayEquals(x.toFloatArray(), Transforms.horizontalFlip().apply(f, new Generator(1)).toFloatArray());
        Tensor single = coded(1, 1, 2, 5).select(0, 0);   // [C, H, W] works too
        assertArrayEquals(single.toFloatArray(),
                Transforms.horizontalFlip().andThen(Transforms.horizontalFlip()).apply(single, new Generator(0)).toFloatArray());
    }

    @Test
    void randomFlipFlipsAboutAFractionPAndIsSeeded() {
        Tensor x = coded(400, 1, 1, 3);
        Tensor a = Transforms.randomHorizontalFlip(0.3).apply(x, new Generator(11));
        Tensor b = Transforms.randomHorizontalFlip(0.3).apply(x, new Generator(11));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        int flipped = 0;
        for (int i = 0; i < 400; i++) {
            boolean same = a.get(i, 0, 0, 0) == x.get(i, 0, 0, 0);
            boolean mirrored = a.get(i, 0, 0, 0) == x.get(i, 0, 0, 2) && a.get(i, 0, 0, 2) == x.get(i, 0, 0, 0);
            assertTrue(same ^ mirrored);
            if (mirrored) flipped++;
        }
        assertTrue(flipped > 80 && flipped < 160, "about 30% of 400, got " + flipped);
        assertArrayEquals(x.toFloatArray(), Transforms.randomHorizontalFlip(0).apply(x, new Generator(1)).toFloatArray());
    }

    @Test
    void randomCropWithPaddingIsAShiftedWindowWithZeroBorders() {
        Tensor x = coded(50, 2, 6, 6);
        Tensor out = Transforms.randomCrop(4, 5, 2).apply(x, new Generator(3));
        assertArrayEquals(new int[] {50, 2, 4, 5}, out.shape());
        assertEquals(DType.FLOAT32, out.dtype());
        for (int i = 0; i < 50; i++) {
            // Find the offset from any non-zero value, then check the whole window against it.
            int top = Integer.MIN_VALUE, left = 0;
            for (int y = 0; y < 4 && top == Integer.MIN_VALUE; y++) for (int xx = 0; xx < 5; xx++) {
                double v = out.get(i, 0, y, xx);
                if (v != 0) {
                    int code = (int) v - 1 - 1000 * i;
                    top = code / 10 - y;
                    left = code % 10 - xx;
                    break;
                }
            }
            assertTrue(top >= -2 && top <= 2 + 6 - 4 && left >= -2 && left <= 2 + 6 - 5, "offset " + top + "," + left);
            for (int c = 0; c < 2; c++) for (int y = 0; y < 4; y++) for (int xx = 0; xx < 5; xx++) {
                int sy = top + y, sx = left + xx;
                double expected = sy >= 0 && sy < 6 && sx >= 0 && sx < 6 ? x.get(i, c, sy, sx) : 0;
                assertEquals(expected, out.get(i, c, y, xx), "image " + i + " channel " + c);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Transforms.randomCrop(11, 2).apply(x, new Generator(0)));
        assertArrayEquals(x.toFloatArray(), Transforms.randomCrop(6, 0).apply(x, new Generator(0)).toFloatArray());
    }

    @Test
    void randomShiftKeepsTheSizeAndMovesByAtMostMax() {
        Tensor x = Tensor.ones(200, 1, 5, 5);
        Tensor out = Transforms.randomShift(2).apply(x, new Generator(8));
        assertArrayEquals(x.shape(), out.shape());
        boolean[] seen = new boolean[5];
        for (int i = 0; i < 200; i++) {
            // Ones shifted by (dy, dx) leave (5-|dy|)·(5-|dx|) ones.
            double sum = out.select(0, i).sum().item();
            assertTrue(sum >= 9 && sum <= 25);
            int rowsOfOnes = 0;
            for (int y = 0; y < 5; y++) if (out.get(i, 0, y, 2) == 1 || out.get(i, 0, y, 0) == 1 || out.get(i, 0, y, 4) == 1) rowsOfOnes++;
            seen[5 - rowsOfOnes] = true;
        }
        assertTrue(seen[0] && seen[1] && seen[2] && !seen[3], Arrays.toString(seen));
        Tensor coded = coded(1, 1, 5, 5);
        for (long s = 0; s < 20; s++) {
            Tensor shifted = Transforms.randomShift(1).apply(coded, new Generator(s));
            Tensor back = shifted.get(0, 0, 2, 2) == 0 ? null : shifted;
            if (back == null) continue;
            int code = (int) shifted.get(0, 0, 2, 2) - 1;
            int dy = 2 - code / 10, dx = 2 - code % 10;
            assertTrue(Math.abs(dy) <= 1 && Math.abs(dx) <= 1);
            assertEquals(coded.get(0, 0, 1, 1), shifted.get(0, 0, 1 + dy, 1 + dx));
        }
    }

    @Test
    void normalizeGivesZeroMeanUnitStdPerChannel() {
        Tensor x = Tensor.normal(new Generator(4), 3, 2, 20000, 3, 4, 4);
        Tensor xs = x.mul(1.0);
        // Give channel 1 another mean and scale.
        float[] v = xs.toFloatArray();
        for (int i = 0; i < v.length; i++) if ((i / 16) % 3 == 1) v[i] = v[i] * 5 - 7;
        Tensor in = Tensor.of(v, 20000, 3, 4, 4);
        Tensor out = Transforms.normalize(new double[] {3, -7 + 5 * 3, 3}, new double[] {2, 10, 2}).apply(in, new Generator(0));
        for (int c = 0; c < 3; c++) {
            Tensor ch = out.select(1, c);
            assertEquals(0, ch.mean().item(), 0.01, "channel " + c);
            assertEquals(1, ch.std().item(), 0.01, "channel " + c);
        }
        Tensor one = Transforms.normalize(0.5, 0.25).apply(Tensor.full(1, 1, 1, 2, 2), new Generator(0));
        assertArrayEquals(new float[] {2, 2, 2, 2}, one.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Transforms.normalize(new double[] {0, 0}, new double[] {1, 1})
                .apply(in, new Generator(0)));
        assertThrows(IllegalArgumentException.class, () -> Transforms.normalize(0, 0));
    }

    @Test
    void gaussianNoiseIsSeededWithTheRightSpread() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 100, 100);
        Tensor a = Transforms.gaussianNoise(0.5).apply(x, new Generator(1));
        assertEquals(DType.FLOAT64, a.dtype());
        assertArrayEquals(a.toDoubleArray(), Transforms.gaussianNoise(0.5).apply(x, new Generator(1)).toDoubleArray());
        assertFalse(Arrays.equals(a.toDoubleArray(), Transforms.gaussianNoise(0.5).apply(x, new Generator(2)).toDoubleArray()));
        assertEquals(0.5, a.std().item(), 0.02);
        assertEquals(0, a.mean().item(), 0.02);
    }

    @Test
    void composeAppliesInOrderAndRejectsNonImages() {
        Tensor x = coded(1, 1, 2, 2);
        Tensor y = Transforms.compose(Transforms.horizontalFlip(), Transforms.normalize(1, 2)).apply(x, new Generator(0));
        assertArrayEquals(new float[] {(2 - 1) / 2f, (1 - 1) / 2f, (12 - 1) / 2f, (11 - 1) / 2f}, y.toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transforms.horizontalFlip().apply(Tensor.zeros(4, 784), new Generator(0)));
        assertTrue(e.getMessage().contains("randomHorizontalFlip") && e.getMessage().contains("[4, 784]"), e.getMessage());
    }
}
