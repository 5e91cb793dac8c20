package org.jgrad.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Models;
import org.jgrad.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterImagesTest {

    @Test
    void filtersPngHasTheGridSizeAndEachTileSpansBlackToWhite(@TempDir Path dir) throws IOException {
        Conv2d conv = new Conv2d(1, 32, 3, 1, 1, new Generator(1));
        Path png = dir.resolve("sub/filters.png");
        FilterImages.writePng(FilterImages.filters(conv.weight(), 16), png);
        assertTrue(Files.size(png) > 0);
        BufferedImage img = ImageIO.read(png.toFile());
        // 32 tiles → 6 columns, 6 rows of (3·16 + 1) pixels plus the outer border.
        assertEquals(6 * (3 * 16 + 1) + 1, img.getWidth());
        assertEquals(6 * (3 * 16 + 1) + 1, img.getHeight());
        // The first filter's largest weight is white and its smallest black, at their positions.
        float[] w = conv.weight().select(0, 0).contiguous().toFloatArray();
        int argMax = 0, argMin = 0;
        for (int i = 1; i < 9; i++) {
            if (w[i] > w[argMax]) argMax = i;
            if (w[i] < w[argMin]) argMin = i;
        }
        assertEquals(255, grey(img, 1 + (argMax % 3) * 16 + 8, 1 + (argMax / 3) * 16 + 8));
        assertEquals(0, grey(img, 1 + (argMin % 3) * 16 + 8, 1 + (argMin / 3) * 16 + 8));
        assertEquals(FilterImages.BORDER_RGB, img.getRGB(0, 0) & 0xFFFFFF, "border");
        assertEquals(FilterImages.BORDER_RGB, img.getRGB(1 + 3 * 16, 5) & 0xFFFFFF, "line between tiles");
    }

    @Test
    void featureMapsOfNonSquareCountAndConstantMap() {
        // 5 maps of 2×3: 3 columns, 2 rows; map 1 is constant and drawn black.
        float[] v = new float[5 * 6];
        for (int i = 0; i < v.length; i++) v[i] = i / 6 == 1 ? 7 : i % 6;
        BufferedImage img = FilterImages.featureMaps(Tensor.of(v, 5, 2, 3), 2);
        assertEquals(3 * (3 * 2 + 1) + 1, img.getWidth());
        assertEquals(2 * (2 * 2 + 1) + 1, img.getHeight());
        assertEquals(0, grey(img, 1, 1), "map 0, value 0");
        assertEquals(255, grey(img, 1 + 2 * 2, 1 + 2), "map 0, value 5 (its maximum)");
        assertEquals(0, grey(img, 1 + 7 + 3, 1 + 2), "constant map");
        assertThrows(IllegalArgumentException.class, () -> FilterImages.featureMaps(Tensor.zeros(4, 4), 1));
        assertThrows(IllegalArgumentException.class, () -> FilterImages.filters(Tensor.zeros(2, 3, 3), 1));
        assertThrows(IllegalArgumentException.class, () -> FilterImages.grid(Tensor.zeros(1, 2, 2), 0));
    }

    @Test
    void cnnProgramTrainsOnAFewImagesAndWritesItsPictures(@TempDir Path dir) throws IOException {
        // Smoke test on synthetic data: class k images are bright in row block k, so a few steps learn something.
        Generator gen = new Generator(5);
        int n = 64;
        Tensor x = Tensor.rand(gen, n, 1, 28, 28).mul(0.1);
        long[] labels = new long[n];
        float[] bright = new float[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int r = 0; r < 2; r++) for (int c = 0; c < 28; c++) bright[i * 784 + ((int) labels[i] * 2 + r + 4) * 28 + c] = 1;
        }
        x = x.add(Tensor.of(bright, n, 1, 28, 28));
        TensorDataset data = new TensorDataset(x, Tensor.of(labels, n));
        var out = new ByteArrayOutputStream();
        var config = new FashionCnn.Config(2, 0.05, 0.9, 16, 3, null, 0, null);
        FashionCnn.Result r = FashionCnn.train(config, data, data, new PrintStream(out, true));
        assertEquals(2, r.epochs().size());
        String log = out.toString();
        assertTrue(log.contains("parameters: 421,642") && log.contains("epoch 2  loss"), log);
        assertTrue(r.epochs().get(1).loss() < r.epochs().get(0).loss(), log);
        double acc = r.epochs().get(1).testAccuracy();
        assertEquals(acc, FashionCnn.accuracy(r.model(), data), 0);
        // Seeded: the same run gives the same first-epoch loss.
        FashionCnn.Result again = FashionCnn.train(new FashionCnn.Config(1, 0.05, 0.9, 16, 3, null, 0, null), data, data,
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(r.epochs().get(0).loss(), again.epochs().get(0).loss(), 0);

        List<Path> files = FashionCnn.writeImages(r.model(), x.select(0, 0), dir, new PrintStream(new ByteArrayOutputStream()));
        BufferedImage filters = ImageIO.read(files.get(0).toFile());
        BufferedImage sample = ImageIO.read(files.get(1).toFile());
        BufferedImage maps = ImageIO.read(files.get(2).toFile());
        assertEquals(6 * 49 + 1, filters.getWidth());
        assertEquals(28 * 8 + 2, sample.getWidth());
        assertEquals(28 * 8 + 2, sample.getHeight());
        assertEquals(6 * (28 * 4 + 1) + 1, maps.getWidth());
        assertEquals(6 * (28 * 4 + 1) + 1, maps.getHeight());
    }

    @Test
    void mlpVersusCnnParameterCounts() {
        // The figures of docs/cnn.md, from the library's own count.
        assertEquals(235_146, Models.fashionMlp(new Generator(1)).parameterCount());
        Sequential cnn = Models.fashionCnn(new Generator(1));
        assertEquals(421_642, cnn.parameterCount());
        assertEquals(320 + 18_496, cnn.get(0).parameterCount() + cnn.get(3).parameterCount());
    }

    /** The grey level of a tile pixel (its three channels are equal). */
    private static int grey(BufferedImage img, int x, int y) {
        int rgb = img.getRGB(x, y);
        int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
        assertTrue(r == g && g == b, "pixel (" + x + ", " + y + ") is not grey: " + Integer.toHexString(rgb));
        return b;
    }
}
