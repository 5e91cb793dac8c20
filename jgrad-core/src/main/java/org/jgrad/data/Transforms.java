package org.jgrad.data;

import java.util.Arrays;
import java.util.Objects;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;

/**
 * Image transforms and augmentation. Each takes an image [C, H, W] or a batch [B, C, H, W] and returns
 * a new tensor of the same dtype; random ones draw, image after image, from the generator they are
 * given, so a seed reproduces them exactly. Nothing is recorded for autograd: these prepare data.
 */
public final class Transforms {
    private Transforms() {}

    /** Applies the transforms in order. */
    public static Transform compose(Transform... transforms) {
        Transform[] ts = transforms.clone();
        for (int i = 0; i < ts.length; i++) Objects.requireNonNull(ts[i], "compose: transform " + i);
        return (x, gen) -> {
            for (Transform t : ts) x = t.apply(x, gen);
            return x;
        };
    }

    /**
     * (x − mean[c]) / std[c] for each channel c, as torchvision's Normalize. One value for mean and
     * std applies it to every channel. Fashion-MNIST scaled to [0, 1] has mean 0.2860 and std 0.3530.
     */
    public static Transform normalize(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalize: expected as many means as stds (at least one), got "
                    + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (!(s > 0)) throw new IllegalArgumentException("normalize: std must be > 0, got " + Arrays.toString(std));
        }
        double[] m = mean.clone(), sd = std.clone();
        return (x, gen) -> {
            Images im = Images.of("normalize", x);
            if (m.length != 1 && m.length != im.channels) {
                throw new IllegalArgumentException("normalize: " + m.length + " means for images with " + im.channels
                        + " channels (shape " + Arrays.toString(x.shape()) + ")");
            }
            double[] v = im.values;
            int plane = im.height * im.width;
            for (int i = 0; i < im.count; i++) {
                for (int c = 0; c < im.channels; c++) {
                    double mu = m[m.length == 1 ? 0 : c], s = sd[sd.length == 1 ? 0 : c];
                    int base = (i * im.channels + c) * plane;
                    for (int p = 0; p < plane; p++) v[base + p] = (v[base + p] - mu) / s;
                }
            }
            return im.toTensor(v);
        };
    }

    public static Transform normalize(double mean, double std) {
        return normalize(new double[] {mean}, new double[] {std});
    }

    /**
     * Mirrors each image left–right with probability {@code p} (torchvision's RandomHorizontalFlip).
     */
    public static Transform randomHorizontalFlip(double p) {
        checkProbability("randomHorizontalFlip", p);
        return (x, gen) -> {
            Images im = Images.of("randomHorizontalFlip", x);
            double[] v = im.values;
            int w = im.width;
            for (int i = 0; i < im.count; i++) {
                if (gen.nextDouble() >= p) continue;
                for (int row = 0; row < im.channels * im.height; row++) {
                    int base = i * im.imageSize() + row * w;
                    for (int a = base, b = base + w - 1; a < b; a++, b--) {
                        double t = v[a];
                        v[a] = v[b];
                        v[b] = t;
                    }
                }
            }
            return im.toTensor(v);
        };
    }

    /** Mirrors every image left–right: {@code horizontalFlip()} twice is the identity. */
    public static Transform horizontalFlip() {
        return randomHorizontalFlip(1);
    }

    /**
     * Pads each image with {@code padding} zeros on every side, then cuts a random
     * {@code height × width} window (torchvision's RandomCrop with padding). With a size equal to the
     * input's, this shifts the image by up to ±padding pixels.
     */
    public static Transform randomCrop(int height, int width, int padding) {
        if (height < 1 || width < 1 || padding < 0) {
            throw new IllegalArgumentException("randomCrop: expected size >= 1 and padding >= 0, got " + height + "x" + width
                    + " with padding " + padding);
        }
        return (x, gen) -> {
            Images im = Images.of("randomCrop", x);
            int ph = im.height + 2 * padding, pw = im.width + 2 * padding;
            if (height > ph || width > pw) {
                throw new IllegalArgumentException("randomCrop: a " + height + "x" + width + " crop does not fit in a "
                        + im.height + "x" + im.width + " image padded by " + padding + " (" + ph + "x" + pw + ")");
            }
            double[] out = new double[im.count * im.channels * height * width];
            for (int i = 0; i < im.count; i++) {
                int top = gen.nextInt(ph - height + 1) - padding;
                int left = gen.nextInt(pw - width + 1) - padding;
                copyWindow(im, i, top, left, height, width, out);
            }
            return im.toTensor(out, height, width);
        };
    }

    public static Transform randomCrop(int size, int padding) {
        return randomCrop(size, size, padding);
    }

    /**
     * Moves each image by a random whole number of pixels, up to ±maxShift in each direction, filling
     * the uncovered border with zeros; the size does not change.
     */
    public static Transform randomShift(int maxShift) {
        if (maxShift < 0) throw new IllegalArgumentException("randomShift: maxShift must be >= 0, got " + maxShift);
        return (x, gen) -> {
            Images im = Images.of("randomShift", x);
            double[] out = new double[im.values.length];
            for (int i = 0; i < im.count; i++) {
                int dy = gen.nextInt(2 * maxShift + 1) - maxShift;
                int dx = gen.nextInt(2 * maxShift + 1) - maxShift;
                // Shifting the content by (dy, dx) is reading the window that starts at (-dy, -dx).
                copyWindow(im, i, -dy, -dx, im.height, im.width, out);
            }
            return im.toTensor(out);
        };
    }

    /** Adds independent N(0, std²) noise to every element (any shape, not only images). */
    public static Transform gaussianNoise(double std) {
        if (!(std >= 0)) throw new IllegalArgumentException("gaussianNoise: std must be >= 0, got " + std);
        return (x, gen) -> {
            if (!x.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("gaussianNoise: expected floating-point features, got " + x.dtype());
            }
            return x.add(Tensor.normal(gen, x.dtype(), 0, std, x.shape()));
        };
    }

    private static void checkProbability(String op, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(op + ": p must be in [0, 1], got " + p);
    }

    /** Copies image i's window at (top, left) of size h × w into out, reading zeros outside the image. */
    private static void copyWindow(Images im, int i, int top, int left, int h, int w, double[] out) {
        for (int c = 0; c < im.channels; c++) {
            int src = (i * im.channels + c) * im.height * im.width;
            int dst = (i * im.channels + c) * h * w;
            for (int y = 0; y < h; y++) {
                int sy = top + y;
                if (sy < 0 || sy >= im.height) continue;
                for (int xx = 0; xx < w; xx++) {
                    int sx = left + xx;
                    if (sx >= 0 && sx < im.width) out[dst + y * w + xx] = im.values[src + sy * im.width + sx];
                }
            }
        }
    }

    /** An image or a batch of images as a flat array, with its layout. */
    private record Images(int[] shape, DType dtype, int count, int channels, int height, int width, double[] values) {
        static Images of(String op, Tensor x) {
            int[] s = x.shape();
            if (s.length != 3 && s.length != 4) {
                throw new IllegalArgumentException(op + ": expected an image [C, H, W] or a batch [B, C, H, W], got shape "
                        + Arrays.toString(s));
            }
            if (!x.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(op + ": expected floating-point images, got " + x.dtype());
            }
            int b = s.length == 4 ? s[0] : 1;
            int o = s.length - 3;
            return new Images(s, x.dtype(), b, s[o], s[o + 1], s[o + 2], x.toDoubleArray());
        }

        int imageSize() {
            return channels * height * width;
        }

        Tensor toTensor(double[] v) {
            return toTensor(v, height, width);
        }

        Tensor toTensor(double[] v, int h, int w) {
            int[] out = shape.clone();
            out[out.length - 2] = h;
            out[out.length - 1] = w;
            return Tensor.of(v, out).to(dtype);
        }
    }
}
