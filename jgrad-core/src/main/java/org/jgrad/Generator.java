package org.jgrad;

import java.util.SplittableRandom;

/**
 * A seeded source of random numbers for tensor creation, dropout and initialization. The same seed
 * gives the same numbers on every JVM: SplittableRandom's algorithm is fixed by its specification,
 * and the normal samples use our own Box-Muller transform on {@link StrictMath} (Math's log, sin and
 * cos may be replaced by CPU-specific intrinsics that round differently; StrictMath's results are
 * specified bit for bit, and sqrt is exact in both).
 *
 * <p>Layers built without a generator draw from a default one: see
 * {@link org.jgrad.nn.init.Init#manualSeed(long)}.
 */
public final class Generator {
    private final SplittableRandom random;
    private double spareNormal = Double.NaN;

    public Generator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** Standard normal sample. */
    public double nextGaussian() {
        if (!Double.isNaN(spareNormal)) {
            double s = spareNormal;
            spareNormal = Double.NaN;
            return s;
        }
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: log stays finite
        double u2 = random.nextDouble();
        double r = Math.sqrt(-2.0 * StrictMath.log(u1));
        spareNormal = r * StrictMath.sin(2 * Math.PI * u2);
        return r * StrictMath.cos(2 * Math.PI * u2);
    }
}
