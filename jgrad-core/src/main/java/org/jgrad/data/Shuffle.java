package org.jgrad.data;

import org.jgrad.Generator;

/** Seeded permutations and seed derivation, identical on every JVM (no java.util.Random, no hash order). */
final class Shuffle {
    private Shuffle() {}

    /** A uniformly random permutation of 0..n-1 by Fisher–Yates. */
    static int[] permutation(int n, Generator gen) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = gen.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * A seed for a sub-stream (an epoch, a batch) of {@code seed}. SplitMix64's finalizer makes
     * neighbouring inputs give unrelated outputs, so epoch 1 of seed 0 does not repeat epoch 0 of seed 1.
     */
    static long derive(long seed, long... path) {
        long h = mix(seed);
        for (long p : path) h = mix(h ^ mix(p + 0x9E3779B97F4A7C15L));
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
