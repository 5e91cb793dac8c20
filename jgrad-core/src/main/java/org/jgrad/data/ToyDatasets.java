package org.jgrad.data;

import org.jgrad.Generator;
import org.jgrad.Tensor;

/**
 * Small 2-D data sets for trying models: TensorFlow Playground's circle, XOR, Gaussian and spiral,
 * scikit-learn's moons and blobs, and a noisy sine for regression. Features are float32 [n, 2]
 * (regression: [n, 1]); class labels are int64 [n]. Each is generated from a seed and a noise level,
 * follows its original's recipe (sizes, radii, which side gets the noise) with labels 0/1 instead of
 * ±1, and lists its examples class by class (a {@link DataLoader} shuffles them). Angles go through
 * {@link StrictMath}, so a seed gives the same points on every JVM.
 */
public final class ToyDatasets {
    private ToyDatasets() {}

    /**
     * Playground "circle": half the points uniform in radius within 0..2.5 of the origin (class 1),
     * half at radius 3.5..5 (class 0). As in the Playground, noise perturbs the position used to
     * decide the label (uniform ±5·noise per axis), not the stored point, so noise flips labels near
     * the boundary.
     */
    public static TensorDataset circle(int n, double noise, long seed) {
        check("circle", n, noise);
        Generator g = new Generator(seed);
        double radius = 5;
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            boolean inside = i < n / 2;
            double r = inside ? uniform(g, 0, radius * 0.5) : uniform(g, radius * 0.7, radius);
            double angle = uniform(g, 0, 2 * Math.PI);
            double px = r * StrictMath.sin(angle), py = r * StrictMath.cos(angle);
            double nx = uniform(g, -radius, radius) * noise, ny = uniform(g, -radius, radius) * noise;
            put(x, i, px, py);
            y[i] = StrictMath.hypot(px + nx, py + ny) < radius * 0.5 ? 1 : 0;
        }
        return dataset(x, y, n);
    }

    /**
     * Playground "XOR": points uniform in [-5, 5]², pushed 0.3 away from the axes; class 1 where
     * x·y ≥ 0 (computed on the point plus uniform ±5·noise per axis, as in the Playground).
     */
    public static TensorDataset xor(int n, double noise, long seed) {
        check("xor", n, noise);
        Generator g = new Generator(seed);
        float[] x = new float[2 * n];
        long[] y = new long[n];
        double padding = 0.3;
        for (int i = 0; i < n; i++) {
            double px = uniform(g, -5, 5);
            px += px > 0 ? padding : -padding;
            double py = uniform(g, -5, 5);
            py += py > 0 ? padding : -padding;
            double nx = uniform(g, -5, 5) * noise, ny = uniform(g, -5, 5) * noise;
            put(x, i, px, py);
            y[i] = (px + nx) * (py + ny) >= 0 ? 1 : 0;
        }
        return dataset(x, y, n);
    }

    /**
     * Playground "Gaussian": two normal clusters at (2, 2) (class 1) and (-2, -2) (class 0) whose
     * variance grows linearly from 0.5 at noise 0 to 4 at noise 0.5.
     */
    public static TensorDataset gaussian(int n, double noise, long seed) {
        check("gaussian", n, noise);
        Generator g = new Generator(seed);
        double sd = Math.sqrt(0.5 + noise * (4 - 0.5) / 0.5);
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            boolean positive = i < n / 2;
            double c = positive ? 2 : -2;
            put(x, i, c + sd * g.nextGaussian(), c + sd * g.nextGaussian());
            y[i] = positive ? 1 : 0;
        }
        return dataset(x, y, n);
    }

    /**
     * Playground "spiral": two interleaved spirals. Point i of each arm (m points) is at radius
     * 5·i/m and angle 1.75·2π·i/m + δ, with δ = 0 for class 1 and π for class 0, plus uniform
     * ±noise per axis.
     */
    public static TensorDataset spiral(int n, double noise, long seed) {
        check("spiral", n, noise);
        Generator g = new Generator(seed);
        float[] x = new float[2 * n];
        long[] y = new long[n];
        int half = n / 2;
        for (int i = 0; i < n; i++) {
            boolean positive = i < half;
            int m = positive ? half : n - half;
            int j = positive ? i : i - half;
            double r = 5.0 * j / m;
            double t = 1.75 * j / m * 2 * Math.PI + (positive ? 0 : Math.PI);
            put(x, i, r * StrictMath.sin(t) + uniform(g, -1, 1) * noise, r * StrictMath.cos(t) + uniform(g, -1, 1) * noise);
            y[i] = positive ? 1 : 0;
        }
        return dataset(x, y, n);
    }

    /**
     * scikit-learn's make_moons: an upper half circle of radius 1 around (0, 0) (class 0, n/2 points
     * evenly spaced in angle) and a lower one around (1, 0.5) (class 1), plus N(0, noise²) per axis.
     */
    public static TensorDataset moons(int n, double noise, long seed) {
        check("moons", n, noise);
        Generator g = new Generator(seed);
        int out = n / 2, in = n - out;
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            boolean outer = i < out;
            int j = outer ? i : i - out;
            int m = outer ? out : in;
            double t = m == 1 ? 0 : Math.PI * j / (m - 1);
            double px = outer ? StrictMath.cos(t) : 1 - StrictMath.cos(t);
            double py = outer ? StrictMath.sin(t) : 0.5 - StrictMath.sin(t);
            put(x, i, px + noise * g.nextGaussian(), py + noise * g.nextGaussian());
            y[i] = outer ? 0 : 1;
        }
        return dataset(x, y, n);
    }

    /**
     * scikit-learn's make_blobs: {@code centers} normal clusters of standard deviation {@code std}
     * around centres drawn uniformly in [-10, 10]²; the first n mod centers clusters get one extra point.
     */
    public static TensorDataset blobs(int n, int centers, double std, long seed) {
        check("blobs", n, std);
        if (centers < 1) throw new IllegalArgumentException("blobs: centers must be >= 1, got " + centers);
        Generator g = new Generator(seed);
        double[] cx = new double[centers], cy = new double[centers];
        for (int c = 0; c < centers; c++) {
            cx[c] = uniform(g, -10, 10);
            cy[c] = uniform(g, -10, 10);
        }
        float[] x = new float[2 * n];
        long[] y = new long[n];
        int i = 0;
        for (int c = 0; c < centers; c++) {
            int count = n / centers + (c < n % centers ? 1 : 0);
            for (int k = 0; k < count; k++, i++) {
                put(x, i, cx[c] + std * g.nextGaussian(), cy[c] + std * g.nextGaussian());
                y[i] = c;
            }
        }
        return dataset(x, y, n);
    }

    /**
     * Regression: x uniform in [-π, π], target sin(x) + N(0, noise²). Features float32 [n, 1],
     * targets float32 [n, 1].
     */
    public static TensorDataset sine(int n, double noise, long seed) {
        check("sine", n, noise);
        Generator g = new Generator(seed);
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            double v = uniform(g, -Math.PI, Math.PI);
            x[i] = (float) v;
            y[i] = (float) (StrictMath.sin(v) + noise * g.nextGaussian());
        }
        return new TensorDataset(Tensor.of(x, n, 1), Tensor.of(y, n, 1));
    }

    private static void check(String op, int n, double noise) {
        if (n < 1) throw new IllegalArgumentException(op + ": n must be >= 1, got " + n);
        if (!(noise >= 0)) throw new IllegalArgumentException(op + ": noise must be >= 0, got " + noise);
    }

    private static double uniform(Generator g, double lo, double hi) {
        return lo + (hi - lo) * g.nextDouble();
    }

    private static void put(float[] x, int i, double a, double b) {
        x[2 * i] = (float) a;
        x[2 * i + 1] = (float) b;
    }

    private static TensorDataset dataset(float[] x, long[] y, int n) {
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }
}
