package org.jgrad.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * Pictures of what a convolutional network learned: a grid of small grey tiles, one per filter of a
 * convolution's weight or one per feature map of an activation, written as PNG.
 *
 * <p>Each tile is scaled to its own range (its minimum black, its maximum white), because filters and
 * maps differ in magnitude and the pattern, not the scale, is what the eye compares. Tiles are
 * enlarged by an integer factor (nearest neighbour, so the pixels of a 3×3 filter stay visible) and
 * separated by a one-pixel blue border (a grey one would melt into the tiles).
 */
public final class FilterImages {
    private FilterImages() {}

    /** The colour of the lines between tiles, RGB. */
    public static final int BORDER_RGB = 0x2860A0;

    /**
     * The first input channel of every filter of a convolution weight [out, in, kH, kW] as a grid
     * (for the first layer of an image network, in = 1 and this is the whole filter).
     */
    public static BufferedImage filters(Tensor weight, int scale) {
        int[] s = weight.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("FilterImages.filters: expected a weight [out, in, kH, kW], got "
                    + Arrays.toString(s));
        }
        return grid(weight.select(1, 0), scale);
    }

    /** Every channel of one sample's feature maps [C, H, W] as a grid. */
    public static BufferedImage featureMaps(Tensor maps, int scale) {
        if (maps.dim() != 3) {
            throw new IllegalArgumentException("FilterImages.featureMaps: expected maps [C, H, W], got "
                    + Arrays.toString(maps.shape()));
        }
        return grid(maps, scale);
    }

    /**
     * Tiles [T, H, W] in a grid of ⌈√T⌉ columns; the image is cols·(W·scale + 1) + 1 wide and
     * rows·(H·scale + 1) + 1 high.
     */
    public static BufferedImage grid(Tensor tiles, int scale) {
        int[] s = tiles.shape();
        if (s.length != 3 || s[0] == 0 || s[1] == 0 || s[2] == 0) {
            throw new IllegalArgumentException("FilterImages.grid: expected non-empty tiles [T, H, W], got "
                    + Arrays.toString(s));
        }
        if (scale < 1) throw new IllegalArgumentException("FilterImages.grid: scale must be >= 1, got " + scale);
        int t = s[0], h = s[1], w = s[2];
        int cols = (int) Math.ceil(Math.sqrt(t)), rows = Math.ceilDiv(t, cols);
        int tw = w * scale + 1, th = h * scale + 1;
        BufferedImage img = new BufferedImage(cols * tw + 1, rows * th + 1, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, BORDER_RGB);
        double[] v = tiles.detach().to(DType.FLOAT64).contiguous().toDoubleArray();
        for (int i = 0; i < t; i++) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < h * w; j++) {
                min = Math.min(min, v[i * h * w + j]);
                max = Math.max(max, v[i * h * w + j]);
            }
            double range = max - min;
            int x0 = 1 + (i % cols) * tw, y0 = 1 + (i / cols) * th;
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    // A constant tile (a dead ReLU map) is drawn black rather than dividing by zero.
                    int grey = range > 0 ? (int) Math.round(255 * (v[(i * h + r) * w + c] - min) / range) : 0;
                    int rgb = grey << 16 | grey << 8 | grey;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) img.setRGB(x0 + c * scale + dx, y0 + r * scale + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    /** Writes {@code image} as a PNG file, creating the parent directories. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer for " + file);
    }
}
