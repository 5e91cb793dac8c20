package org.jgrad.nn.init;

import java.util.Objects;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;

/**
 * Weight initializers, as PyTorch's {@code torch.nn.init}. Each fills a tensor in place, without
 * recording (so it works on parameters that require grad), draws its random numbers from the given
 * seeded {@link Generator} in row-major order, and returns the tensor. The samples are computed in
 * float64 and rounded to the tensor's type.
 *
 * <p>Fans are PyTorch's: for a weight of shape [out, in, k₁, k₂, ...], fanIn = in·k₁·k₂·… and
 * fanOut = out·k₁·k₂·… (the product of the kernel sizes is the receptive field of a convolution).
 *
 * <p><b>Default generator.</b> Layers constructed without a generator take
 * {@link #newDefaultGenerator()}: a fresh generator seeded from one global stream, itself seeded with
 * {@link #DEFAULT_SEED} when the class loads. So a program that builds its layers in the same order
 * gets the same weights on every run, and {@link #manualSeed(long)} restarts the stream (as
 * {@code torch.manual_seed}). Pass an explicit generator where results must not depend on what
 * else was constructed before.
 */
public final class Init {
    private Init() {}

    /** The seed of the global stream behind {@link #newDefaultGenerator()} until {@link #manualSeed(long)}. */
    public static final long DEFAULT_SEED = 42;

    private static Generator global = new Generator(DEFAULT_SEED);

    /**
     * Seeds the global stream behind {@link #newDefaultGenerator()}, as {@code torch.manual_seed}: after
     * two calls with the same seed, the same sequence of layers built without a generator
     * ({@code new Linear(in, out)}, {@code Models.fashionMlp()}, {@code new Dropout(p)}, ...) gets the
     * same weights and masks. Generators handed out earlier are not affected; explicit generators
     * never are.
     */
    public static synchronized void manualSeed(long seed) {
        global = new Generator(seed);
    }

    /** A new generator seeded with the next number of the global stream (thread-safe). */
    public static synchronized Generator newDefaultGenerator() {
        return new Generator(global.nextLong());
    }

    // ------------------------------------------------------------ fans and gains

    /** fanIn and fanOut of a weight tensor of rank ≥ 2. */
    public record Fans(int fanIn, int fanOut) {}

    public static Fans calculateFanInAndFanOut(Tensor t) {
        int[] s = t.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("calculateFanInAndFanOut: fan in and fan out need a tensor with at least"
                    + " 2 dimensions, got shape " + java.util.Arrays.toString(s));
        }
        int receptive = 1;
        for (int d = 2; d < s.length; d++) receptive *= s[d];
        return new Fans(s[1] * receptive, s[0] * receptive);
    }

    /**
     * The recommended gain for a nonlinearity (PyTorch's table): 1 for linear, conv and sigmoid, 5/3
     * for tanh, √2 for ReLU, √(2/(1+slope²)) for leaky ReLU with {@code param} the negative slope,
     * 3/4 for SELU.
     */
    public static double calculateGain(Nonlinearity nonlinearity, double param) {
        return switch (nonlinearity) {
            case LINEAR, CONV, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1 + param * param));
            case SELU -> 3.0 / 4;
        };
    }

    /** As {@link #calculateGain(Nonlinearity, double)} with PyTorch's default leaky-ReLU slope 0.01. */
    public static double calculateGain(Nonlinearity nonlinearity) {
        return calculateGain(nonlinearity, 0.01);
    }

    private static int fan(Tensor t, FanMode mode) {
        Fans f = calculateFanInAndFanOut(t);
        return mode == FanMode.FAN_IN ? f.fanIn() : f.fanOut();
    }

    // ------------------------------------------------------------ basic fills

    /** Samples from U(low, high). */
    public static Tensor uniform(Tensor t, double low, double high, Generator gen) {
        Objects.requireNonNull(gen, "uniform: generator");
        if (!(low <= high)) throw new IllegalArgumentException("uniform: expected low <= high, got " + low + " and " + high);
        return fill(t, Tensor.uniform(gen, DType.FLOAT64, low, high, t.shape()));
    }

    /** Samples from N(mean, std²). */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        Objects.requireNonNull(gen, "normal: generator");
        if (!(std >= 0)) throw new IllegalArgumentException("normal: expected std >= 0, got " + std);
        return fill(t, Tensor.normal(gen, DType.FLOAT64, mean, std, t.shape()));
    }

    public static Tensor constant(Tensor t, double value) {
        try (var _ = Autograd.noGrad()) {
            return t.fillInPlace(value);
        }
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    private static Tensor fill(Tensor t, Tensor values) {
        try (var _ = Autograd.noGrad()) {
            return t.copyInPlace(values);
        }
    }

    // ------------------------------------------------------------ Glorot (Xavier)

    /** U(−b, b) with b = gain·√(6/(fanIn+fanOut)) (Glorot and Bengio, 2010). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        Fans f = calculateFanInAndFanOut(t);
        double bound = gain * Math.sqrt(6.0 / (f.fanIn() + f.fanOut()));
        return uniform(t, -bound, bound, gen);
    }

    public static Tensor xavierUniform(Tensor t, Generator gen) {
        return xavierUniform(t, 1, gen);
    }

    /** N(0, σ²) with σ = gain·√(2/(fanIn+fanOut)). */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        Fans f = calculateFanInAndFanOut(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut())), gen);
    }

    public static Tensor xavierNormal(Tensor t, Generator gen) {
        return xavierNormal(t, 1, gen);
    }

    // ------------------------------------------------------------ He (Kaiming)

    /**
     * U(−b, b) with b = √3·gain/√fan, gain = {@link #calculateGain(Nonlinearity, double)
     * calculateGain(nonlinearity, a)} (He et al., 2015); {@code a} is the negative slope of a leaky ReLU.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform(t, -bound, bound, gen);
    }

    /** PyTorch's defaults: a = 0, fan in, leaky ReLU (so the ReLU gain √2). */
    public static Tensor kaimingUniform(Tensor t, Generator gen) {
        return kaimingUniform(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
    }

    /** N(0, σ²) with σ = gain/√fan. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        return normal(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode)), gen);
    }

    public static Tensor kaimingNormal(Tensor t, Generator gen) {
        return kaimingNormal(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
    }

    // ------------------------------------------------------------ orthogonal

    /**
     * A (semi-)orthogonal matrix times {@code gain} (Saxe et al., 2013): the tensor, viewed as
     * [shape[0], rest], gets orthonormal rows (if it has no more rows than columns) or orthonormal
     * columns. As PyTorch: QR of a standard normal matrix, with the signs fixed so R has a positive
     * diagonal, which makes the result uniform over orthogonal matrices.
     */
    public static Tensor orthogonal(Tensor t, double gain, Generator gen) {
        Objects.requireNonNull(gen, "orthogonal: generator");
        int[] s = t.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("orthogonal: needs a tensor with at least 2 dimensions, got shape "
                    + java.util.Arrays.toString(s));
        }
        int rows = s[0];
        int cols = rows == 0 ? 0 : t.numel() / rows;
        if (rows == 0 || cols == 0) return t;
        boolean wide = rows < cols;
        int m = wide ? cols : rows, n = wide ? rows : cols;
        // a[j] is column j of the m×n matrix whose QR we take (the transpose of the sample when wide).
        double[][] a = new double[n][m];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = gen.nextGaussian();
                if (wide) a[i][j] = v; else a[j][i] = v;
            }
        }
        gramSchmidt(a);
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) out[i * cols + j] = gain * (wide ? a[i][j] : a[j][i]);
        }
        return fill(t, Tensor.of(out, s));
    }

    public static Tensor orthogonal(Tensor t, Generator gen) {
        return orthogonal(t, 1, gen);
    }

    /**
     * Orthonormalizes the columns in place: the Q of a thin QR whose R has a positive diagonal.
     * Modified Gram–Schmidt, each projection done twice ("twice is enough"), keeps QᵀQ = I to
     * rounding even for nearly dependent columns.
     */
    private static void gramSchmidt(double[][] cols) {
        for (int j = 0; j < cols.length; j++) {
            double[] v = cols[j];
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double[] q = cols[k];
                    double dot = 0;
                    for (int i = 0; i < v.length; i++) dot += q[i] * v[i];
                    for (int i = 0; i < v.length; i++) v[i] -= dot * q[i];
                }
            }
            double norm = 0;
            for (double x : v) norm += x * x;
            norm = Math.sqrt(norm);
            if (norm == 0) throw new IllegalStateException("orthogonal: the random sample was rank deficient");
            for (int i = 0; i < v.length; i++) v[i] /= norm;
        }
    }
}
