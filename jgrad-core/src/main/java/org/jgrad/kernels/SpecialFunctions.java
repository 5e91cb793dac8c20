package org.jgrad.kernels;

/** Functions that java.lang.Math lacks. */
public final class SpecialFunctions {
    private SpecialFunctions() {}

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    /**
     * The error function to ~1e-15, from the series erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3···(2n+1)),
     * whose terms are all positive (no cancellation); beyond |x| = 6, erf(x) = ±1 in double.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax >= 6.0) return Math.signum(x);
        double x2 = ax * ax;
        double term = ax;
        double sum = ax;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        double r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        return x < 0 ? -r : r;
    }

    /** The standard normal CDF Φ(x) = (1 + erf(x/√2)) / 2. */
    public static double normalCdf(double x) {
        return 0.5 * (1.0 + erf(x * 0.7071067811865476));
    }

    /** Numerically stable log(1 + eˣ). */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    public static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }
}
