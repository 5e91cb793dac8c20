package org.jgrad.kernels;

import java.util.Objects;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Vector API (the {@code jdk.incubator.vector} module), loaded by name by
 * {@link KernelProvider} so that nothing else links against the incubator module.
 *
 * <p>Elementwise kernels run whole vectors of the preferred species and hand the tail (and the ops
 * without a vector form) to {@link ScalarKernels}. The matrix product is BLIS-style: A is packed into
 * slivers of {@code MR} rows and B into slivers of two vectors' width ({@code NR}), both in the order
 * the micro-kernel reads them; the packed panels are sized for the caches (KC×MC of A in L2, KC×NR of
 * B in L1); transposed operands are handled while packing, so no transpose is ever materialized.
 * The micro-kernel keeps an MR×NR tile of C in vector registers and runs one {@code fma} per vector
 * per k: 4×NR (8 registers) with 256-bit vectors, where a taller tile (6×16) made C2 spill
 * accumulators to the 16 AVX2 registers' stack and ran at half the speed; 8×NR (16 of AVX-512's 32
 * registers) with 512-bit vectors, 6–17% faster there than 4×NR on one thread.
 */
final class VectorKernels implements Kernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final int DL = D.length();

    /** Rows of the float64 micro-kernel tile. */
    static final int MR = 4;
    /**
     * Rows of the float32 micro-kernel tile: 8 with 512-bit vectors (16 accumulators of the 32 vector
     * registers AVX-512 has), 4 with narrower ones (AVX2 has 16 registers; a 6-row tile spilled).
     */
    static final int MRF = FL >= 16 ? 8 : 4;
    /** MRF floats: one k step of a packed sliver of A (128 or 256 bits). */
    private static final VectorSpecies<Float> FA = VectorSpecies.of(float.class, VectorShape.forBitSize(32 * MRF));
    /** Columns of the micro-kernel tile: two vectors (16 floats, 8 doubles with 256-bit vectors). */
    static final int NRF = 2 * FL;
    static final int NRD = 2 * DL;
    /** Depth of a packed panel: KC×NR of B stays in L1 across the slivers of A. */
    static final int KC = 256;
    /** Rows of A packed at once: MC×KC floats (96 KB) sit in L2. */
    static final int MC = 96;
    /** Columns of B packed at once; a multiple of NRF and NRD. */
    static final int NC = 4080;

    private static final ScalarKernels SCALAR = new ScalarKernels();

    VectorKernels() {
        // Narrower vectors than this are not worth the Vector API's overhead (Lucene makes the same cut).
        if (F.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("preferred vector size is " + F.vectorBitSize() + " bits");
        }
    }

    @Override
    public String name() {
        return "vector(" + F.vectorBitSize() + " bit)";
    }

    // ---------------------------------------------------------------- unary

    /**
     * Elementwise runs at least this long are split among the kernel threads: one core cannot keep
     * enough cache misses in flight to reach the memory bandwidth (a 10⁷-float add ran at 0.73× an
     * arraycopy's bandwidth on one core of a Zen 5), and 2¹⁸ floats (1 MB) take long enough (~50 µs)
     * that the hand-off (a few µs) does not show. Each element is computed by one thread, so the
     * split does not change any result.
     */
    static final int PARALLEL_MIN_ELEMENTS = 1 << 18;

    /** A piece [start, start + length) of an elementwise run. */
    @FunctionalInterface
    private interface Piece {
        void run(int start, int length);
    }

    /** True when a run of n elements stays on the calling thread (the common, small case: no lambda, no hand-off). */
    private static boolean serial(int n) {
        return n < PARALLEL_MIN_ELEMENTS || Threads.get() <= 1;
    }

    /** Runs body over [0, n) in vector-aligned pieces on the kernel threads. */
    private static void split(int n, Piece body) {
        int threads = Threads.get();
        int tasks = Math.min(threads, n / (PARALLEL_MIN_ELEMENTS / 2));
        int chunk = (n / tasks + 63) & ~63; // whole vectors for every species
        WorkerPool.run(tasks, t -> {
            int start = Math.min(n, t * chunk), end = t == tasks - 1 ? n : Math.min(n, start + chunk);
            if (end > start) body.run(start, end - start);
        });
    }

    @Override
    public void unary(UnaryOp op, float[] a, int ao, float[] c, int co, int n, double p, double q) {
        Objects.checkFromIndexSize(ao, n, a.length);
        Objects.checkFromIndexSize(co, n, c.length);
        if (serial(n)) unaryRun(op, a, ao, c, co, n, p, q);
        else split(n, (start, len) -> unaryRun(op, a, ao + start, c, co + start, len, p, q));
    }

    private static void unaryRun(UnaryOp op, float[] a, int ao, float[] c, int co, int n, double p, double q) {
        float pf = (float) p, qf = (float) q;
        int ub = F.loopBound(n);
        int i = 0;
        switch (op) {
            case NEG -> { for (; i < ub; i += FL) FloatVector.fromArray(F, a, ao + i).neg().intoArray(c, co + i); }
            case SQRT -> { for (; i < ub; i += FL) FloatVector.fromArray(F, a, ao + i).sqrt().intoArray(c, co + i); }
            case EXP -> { for (; i < ub; i += FL) exp(FloatVector.fromArray(F, a, ao + i)).intoArray(c, co + i); }
            case LOG -> { for (; i < ub; i += FL) log(FloatVector.fromArray(F, a, ao + i)).intoArray(c, co + i); }
            case TANH -> { for (; i < ub; i += FL) tanh(FloatVector.fromArray(F, a, ao + i)).intoArray(c, co + i); }
            case SIGMOID -> {
                // e = exp(-|x|) never overflows: σ(x) = 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0.
                FloatVector one = FloatVector.broadcast(F, 1f);
                for (; i < ub; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector e = exp(x.abs().neg());
                    one.blend(e, x.lt(0f)).div(e.add(1f)).intoArray(c, co + i);
                }
            }
            // max(x, 0) propagates NaN and maps -0 to +0, like the scalar x <= 0 ? 0 : x.
            case RELU -> { for (; i < ub; i += FL) FloatVector.fromArray(F, a, ao + i).max(0f).intoArray(c, co + i); }
            case CLAMP -> { for (; i < ub; i += FL) FloatVector.fromArray(F, a, ao + i).max(pf).min(qf).intoArray(c, co + i); }
            // mul then add, not fma: the same rounding as the scalar kernel.
            case AFFINE -> { for (; i < ub; i += FL) FloatVector.fromArray(F, a, ao + i).mul(pf).add(qf).intoArray(c, co + i); }
            case DIV_SCALAR -> { for (; i < ub; i += FL) FloatVector.fromArray(F, a, ao + i).div(pf).intoArray(c, co + i); }
            case POW -> {
                if (p == 2) {
                    for (; i < ub; i += FL) { FloatVector x = FloatVector.fromArray(F, a, ao + i); x.mul(x).intoArray(c, co + i); }
                } else if (p == 1) {
                    System.arraycopy(a, ao, c, co, ub);
                    i = ub;
                } else if (p == 0.5) {
                    for (; i < ub; i += FL) FloatVector.fromArray(F, a, ao + i).sqrt().intoArray(c, co + i);
                } else if (p == -1) {
                    FloatVector one = FloatVector.broadcast(F, 1f);
                    for (; i < ub; i += FL) one.div(FloatVector.fromArray(F, a, ao + i)).intoArray(c, co + i);
                }
            }
            default -> { } // no vector form: everything goes to the scalar loop below
        }
        if (i < n) SCALAR.unary(op, a, ao + i, c, co + i, n - i, p, q);
    }

    @Override
    public void unary(UnaryOp op, double[] a, int ao, double[] c, int co, int n, double p, double q) {
        Objects.checkFromIndexSize(ao, n, a.length);
        Objects.checkFromIndexSize(co, n, c.length);
        int ub = D.loopBound(n);
        int i = 0;
        switch (op) {
            case NEG -> { for (; i < ub; i += DL) DoubleVector.fromArray(D, a, ao + i).neg().intoArray(c, co + i); }
            case SQRT -> { for (; i < ub; i += DL) DoubleVector.fromArray(D, a, ao + i).sqrt().intoArray(c, co + i); }
            // EXP, LOG, TANH and SIGMOID go to the scalar loop: the Vector API's lanewise forms give other
            // bits before C2 compiles them than after (see exp(FloatVector)), and float64 is for checks.
            case RELU -> { for (; i < ub; i += DL) DoubleVector.fromArray(D, a, ao + i).max(0.0).intoArray(c, co + i); }
            case CLAMP -> { for (; i < ub; i += DL) DoubleVector.fromArray(D, a, ao + i).max(p).min(q).intoArray(c, co + i); }
            case AFFINE -> { for (; i < ub; i += DL) DoubleVector.fromArray(D, a, ao + i).mul(p).add(q).intoArray(c, co + i); }
            case DIV_SCALAR -> { for (; i < ub; i += DL) DoubleVector.fromArray(D, a, ao + i).div(p).intoArray(c, co + i); }
            case POW -> {
                if (p == 2) {
                    for (; i < ub; i += DL) { DoubleVector x = DoubleVector.fromArray(D, a, ao + i); x.mul(x).intoArray(c, co + i); }
                } else if (p == 1) {
                    System.arraycopy(a, ao, c, co, ub);
                    i = ub;
                } else if (p == 0.5) {
                    for (; i < ub; i += DL) DoubleVector.fromArray(D, a, ao + i).sqrt().intoArray(c, co + i);
                } else if (p == -1) {
                    DoubleVector one = DoubleVector.broadcast(D, 1.0);
                    for (; i < ub; i += DL) one.div(DoubleVector.fromArray(D, a, ao + i)).intoArray(c, co + i);
                }
            }
            default -> { }
        }
        if (i < n) SCALAR.unary(op, a, ao + i, c, co + i, n - i, p, q);
    }

    // ---------------------------------------------------------------- exp, log and tanh

    /*
     * exp, log and tanh from basic arithmetic, not lanewise(EXP/LOG/TANH): those are computed by one algorithm
     * while the loop runs interpreted and by another (Intel's SVML) once C2 has compiled it, so the
     * same call gave other bits early in a run than later, and a seeded run did not repeat exactly.
     * Additions, multiplications and fma are IEEE-exact in both, so these give the same bits always.
     * Polynomials: Cephes' expf, logf and tanhf (about 1 ulp in float).
     */
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** Adding and subtracting 1.5·2²³ rounds a float of magnitude below 2²² to the nearest integer. */
    private static final float ROUND_MAGIC = 12582912f;
    /** Above this exp overflows to ∞, below the other it is below the smallest subnormal float. */
    private static final float EXP_MAX = 88.72283905206835f, EXP_MIN = -103.972077f;
    private static final FloatVector E0 = FloatVector.broadcast(F, 1.9875691500e-4f), E1 = FloatVector.broadcast(F, 1.3981999507e-3f),
            E2 = FloatVector.broadcast(F, 8.3334519073e-3f), E3 = FloatVector.broadcast(F, 4.1665795894e-2f),
            E4 = FloatVector.broadcast(F, 1.6666665459e-1f), E5 = FloatVector.broadcast(F, 5.0000001201e-1f);
    private static final FloatVector T0 = FloatVector.broadcast(F, -5.70498872745e-3f), T1 = FloatVector.broadcast(F, 2.06390887954e-2f),
            T2 = FloatVector.broadcast(F, -5.37397155531e-2f), T3 = FloatVector.broadcast(F, 1.33314422036e-1f),
            T4 = FloatVector.broadcast(F, -3.33332819422e-1f);

    /** e^x lane by lane: x = n·ln 2 + r with |r| ≤ ln2/2, e^r by a polynomial, times 2ⁿ built from bits. */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX); // NaN stays NaN
        FloatVector n = xc.mul(LOG2E).add(ROUND_MAGIC).sub(ROUND_MAGIC);
        // r = x − n·ln 2, with ln 2 in two parts so that n·LN2_HI is exact.
        FloatVector r = n.mul(-LN2_HI).add(xc).add(n.mul(-LN2_LO));
        FloatVector z = r.mul(r);
        FloatVector p = E0.fma(r, E1).fma(r, E2).fma(r, E3).fma(r, E4).fma(r, E5);
        FloatVector y = p.mul(z).add(r).add(1f);
        // 2ⁿ as two factors 2^(n/2)·2^(n − n/2): n reaches −150, beyond a single float's exponent.
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1), n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        y = y.mul(s1).mul(s2);
        y = y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
        return y.blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
    }

    private static final FloatVector L0 = FloatVector.broadcast(F, 7.0376836292e-2f), L1 = FloatVector.broadcast(F, -1.1514610310e-1f),
            L2 = FloatVector.broadcast(F, 1.1676998740e-1f), L3 = FloatVector.broadcast(F, -1.2420140846e-1f),
            L4 = FloatVector.broadcast(F, 1.4249322787e-1f), L5 = FloatVector.broadcast(F, -1.6668057665e-1f),
            L6 = FloatVector.broadcast(F, 2.0000714765e-1f), L7 = FloatVector.broadcast(F, -2.4999993993e-1f),
            L8 = FloatVector.broadcast(F, 3.3333331174e-1f);

    /**
     * log x lane by lane: x = m·2ᵉ with m in [√½, √2), log(1 + (m − 1)) by a polynomial, plus e·ln 2
     * (ln 2 in two parts). Subnormal inputs are scaled by 2²³ first; 0 gives −∞, negatives NaN.
     */
    static FloatVector log(FloatVector x) {
        var subnormal = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(8388608f), subnormal); // 2²³
        IntVector bits = xs.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126);
        e = e.blend(e.sub(23), subnormal.cast(e.species()));
        FloatVector m = bits.and(0x807fffff).or(0x3f000000).reinterpretAsFloats(); // [0.5, 1)
        var low = m.compare(VectorOperators.LT, 0.707106781186547524f);
        e = e.blend(e.sub(1), low.cast(e.species()));
        m = m.blend(m.add(m), low).sub(1f);
        FloatVector ef = (FloatVector) e.convert(VectorOperators.I2F, 0);
        FloatVector z = m.mul(m);
        FloatVector y = L0.fma(m, L1).fma(m, L2).fma(m, L3).fma(m, L4).fma(m, L5).fma(m, L6).fma(m, L7).fma(m, L8)
                .mul(m).mul(z);
        y = y.add(ef.mul(LN2_LO)).sub(z.mul(0.5f));
        FloatVector r = m.add(y).add(ef.mul(LN2_HI));
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        r = r.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        return r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.test(VectorOperators.IS_NAN)));
    }

    /** tanh x: an odd polynomial below |x| = 0.625, else sign(x)·(1 − 2/(e^(2|x|) + 1)). */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector z = x.mul(x);
        FloatVector small = T0.fma(z, T1).fma(z, T2).fma(z, T3).fma(z, T4).mul(z).mul(x).add(x);
        FloatVector e = exp(ax.add(ax));
        FloatVector large = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(e.add(1f)));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        // x itself for NaN and for ±0, whose sign the polynomial's x + (+0) would lose.
        return large.blend(small, ax.compare(VectorOperators.LT, 0.625f))
                .blend(x, x.test(VectorOperators.IS_NAN).or(x.compare(VectorOperators.EQ, 0f)));
    }

    // ---------------------------------------------------------------- binary

    /** The operand at i: a broadcast scalar when its stride is 0 (the test is loop-invariant). */
    private static FloatVector ld(float[] a, int o, int s, int i, FloatVector scalar) {
        return s == 0 ? scalar : FloatVector.fromArray(F, a, o + i);
    }

    private static DoubleVector ld(double[] a, int o, int s, int i, DoubleVector scalar) {
        return s == 0 ? scalar : DoubleVector.fromArray(D, a, o + i);
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] c, int co, int n) {
        if (n <= 0) return;
        checkStride(as, bs);
        Objects.checkFromIndexSize(ao, as == 0 ? 1 : n, a.length);
        Objects.checkFromIndexSize(bo, bs == 0 ? 1 : n, b.length);
        Objects.checkFromIndexSize(co, n, c.length);
        if (serial(n)) binaryRun(op, a, ao, as, b, bo, bs, c, co, n);
        else split(n, (start, len) -> binaryRun(op, a, ao + as * start, as, b, bo + bs * start, bs, c, co + start, len));
    }

    private static void binaryRun(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] c, int co, int n) {
        // Both broadcast: one value, nothing to vectorize.
        int ub = as == 0 && bs == 0 ? 0 : F.loopBound(n);
        FloatVector sa = FloatVector.broadcast(F, a[ao]), sb = FloatVector.broadcast(F, b[bo]);
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        int i = 0;
        switch (op) {
            case ADD -> { for (; i < ub; i += FL) ld(a, ao, as, i, sa).add(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case SUB -> { for (; i < ub; i += FL) ld(a, ao, as, i, sa).sub(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case MUL -> { for (; i < ub; i += FL) ld(a, ao, as, i, sa).mul(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case DIV -> { for (; i < ub; i += FL) ld(a, ao, as, i, sa).div(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case MAX -> { for (; i < ub; i += FL) ld(a, ao, as, i, sa).max(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case MIN -> { for (; i < ub; i += FL) ld(a, ao, as, i, sa).min(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case GT -> { for (; i < ub; i += FL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.GT, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case GE -> { for (; i < ub; i += FL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.GE, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case LT -> { for (; i < ub; i += FL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.LT, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case LE -> { for (; i < ub; i += FL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.LE, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case EQ -> { for (; i < ub; i += FL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.EQ, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case NE -> { for (; i < ub; i += FL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.NE, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case RELU_GRAD -> { for (; i < ub; i += FL) zero.blend(ld(a, ao, as, i, sa), ld(b, bo, bs, i, sb).compare(VectorOperators.GT, zero)).intoArray(c, co + i); }
            default -> { }
        }
        if (i < n) SCALAR.binary(op, a, ao + i * as, as, b, bo + i * bs, bs, c, co + i, n - i);
    }

    @Override
    public void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] c, int co, int n) {
        if (n <= 0) return;
        checkStride(as, bs);
        Objects.checkFromIndexSize(ao, as == 0 ? 1 : n, a.length);
        Objects.checkFromIndexSize(bo, bs == 0 ? 1 : n, b.length);
        Objects.checkFromIndexSize(co, n, c.length);
        int ub = as == 0 && bs == 0 ? 0 : D.loopBound(n);
        DoubleVector sa = DoubleVector.broadcast(D, a[ao]), sb = DoubleVector.broadcast(D, b[bo]);
        DoubleVector zero = DoubleVector.zero(D), one = DoubleVector.broadcast(D, 1.0);
        int i = 0;
        switch (op) {
            case ADD -> { for (; i < ub; i += DL) ld(a, ao, as, i, sa).add(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case SUB -> { for (; i < ub; i += DL) ld(a, ao, as, i, sa).sub(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case MUL -> { for (; i < ub; i += DL) ld(a, ao, as, i, sa).mul(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case DIV -> { for (; i < ub; i += DL) ld(a, ao, as, i, sa).div(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case MAX -> { for (; i < ub; i += DL) ld(a, ao, as, i, sa).max(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case MIN -> { for (; i < ub; i += DL) ld(a, ao, as, i, sa).min(ld(b, bo, bs, i, sb)).intoArray(c, co + i); }
            case GT -> { for (; i < ub; i += DL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.GT, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case GE -> { for (; i < ub; i += DL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.GE, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case LT -> { for (; i < ub; i += DL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.LT, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case LE -> { for (; i < ub; i += DL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.LE, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case EQ -> { for (; i < ub; i += DL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.EQ, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case NE -> { for (; i < ub; i += DL) zero.blend(one, ld(a, ao, as, i, sa).compare(VectorOperators.NE, ld(b, bo, bs, i, sb))).intoArray(c, co + i); }
            case RELU_GRAD -> { for (; i < ub; i += DL) zero.blend(ld(a, ao, as, i, sa), ld(b, bo, bs, i, sb).compare(VectorOperators.GT, zero)).intoArray(c, co + i); }
            default -> { }
        }
        if (i < n) SCALAR.binary(op, a, ao + i * as, as, b, bo + i * bs, bs, c, co + i, n - i);
    }

    private static void checkStride(int as, int bs) {
        if ((as | bs) >>> 1 != 0) {
            throw new IllegalArgumentException("binary kernel: strides must be 0 or 1, got " + as + " and " + bs);
        }
    }

    // ---------------------------------------------------------------- sum

    @Override
    public double sum(float[] a, int off, int n) {
        Objects.checkFromIndexSize(off, n, a.length);
        // Widen to double before adding, as the scalar kernel does; four accumulators hide the add latency.
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        if (FL == 2 * DL) {
            int ub = n - 2 * FL + 1;
            for (; i < ub; i += 2 * FL) {
                FloatVector x = FloatVector.fromArray(F, a, off + i);
                FloatVector y = FloatVector.fromArray(F, a, off + i + FL);
                s0 = s0.add((DoubleVector) x.convertShape(VectorOperators.F2D, D, 0));
                s1 = s1.add((DoubleVector) x.convertShape(VectorOperators.F2D, D, 1));
                s2 = s2.add((DoubleVector) y.convertShape(VectorOperators.F2D, D, 0));
                s3 = s3.add((DoubleVector) y.convertShape(VectorOperators.F2D, D, 1));
            }
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        return s + SCALAR.sum(a, off + i, n - i);
    }

    @Override
    public void axpy(double alpha, float[] x, int xo, float[] y, int yo, int n) {
        Objects.checkFromIndexSize(xo, n, x.length);
        Objects.checkFromIndexSize(yo, n, y.length);
        if (serial(n)) axpyRun(alpha, x, xo, y, yo, n);
        else split(n, (start, len) -> axpyRun(alpha, x, xo + start, y, yo + start, len));
    }

    private static void axpyRun(double alpha, float[] x, int xo, float[] y, int yo, int n) {
        float a = (float) alpha;
        int ub = F.loopBound(n), i = 0;
        for (; i < ub; i += FL) FloatVector.fromArray(F, y, yo + i).add(FloatVector.fromArray(F, x, xo + i).mul(a)).intoArray(y, yo + i);
        if (i < n) SCALAR.axpy(alpha, x, xo + i, y, yo + i, n - i);
    }

    @Override
    public void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        Objects.checkFromIndexSize(xo, n, x.length);
        Objects.checkFromIndexSize(yo, n, y.length);
        int ub = D.loopBound(n), i = 0;
        for (; i < ub; i += DL) {
            DoubleVector.fromArray(D, y, yo + i).add(DoubleVector.fromArray(D, x, xo + i).mul(alpha)).intoArray(y, yo + i);
        }
        if (i < n) SCALAR.axpy(alpha, x, xo + i, y, yo + i, n - i);
    }

    @Override
    public double sum(double[] a, int off, int n) {
        Objects.checkFromIndexSize(off, n, a.length);
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        int ub = n - 4 * DL + 1;
        for (; i < ub; i += 4 * DL) {
            s0 = s0.add(DoubleVector.fromArray(D, a, off + i));
            s1 = s1.add(DoubleVector.fromArray(D, a, off + i + DL));
            s2 = s2.add(DoubleVector.fromArray(D, a, off + i + 2 * DL));
            s3 = s3.add(DoubleVector.fromArray(D, a, off + i + 3 * DL));
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        return s + SCALAR.sum(a, off + i, n - i);
    }

    // ---------------------------------------------------------------- gemm

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int ao, int lda, float[] b, int bo, int ldb,
                     float[] c, int co, int ldc, boolean accumulate) {
        Gemm.checkArgs(transA, transB, m, n, k, a.length, ao, lda, b.length, bo, ldb, c.length, co, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0f);
            return;
        }
        Gemm.split(m, n, k, MRF, NRF, (i0, i1, j0, j1) -> GemmF.run(transA, transB, i1 - i0, j1 - j0, k,
                a, ao + (transA ? i0 : i0 * lda), lda,
                b, bo + (transB ? j0 * ldb : j0), ldb,
                c, co + i0 * ldc + j0, ldc, accumulate));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int ao, int lda, double[] b, int bo, int ldb,
                     double[] c, int co, int ldc, boolean accumulate) {
        Gemm.checkArgs(transA, transB, m, n, k, a.length, ao, lda, b.length, bo, ldb, c.length, co, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0.0);
            return;
        }
        Gemm.split(m, n, k, MR, NRD, (i0, i1, j0, j1) -> GemmD.run(transA, transB, i1 - i0, j1 - j0, k,
                a, ao + (transA ? i0 : i0 * lda), lda,
                b, bo + (transB ? j0 * ldb : j0), ldb,
                c, co + i0 * ldc + j0, ldc, accumulate));
    }

    /** Packing buffers per thread, grown on demand: workers live long, so they are reused. */
    private static final class Buffers {
        float[] af = new float[0], bf = new float[0], tf = new float[MRF * NRF];
        double[] ad = new double[0], bd = new double[0], td = new double[MR * NRD];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** The float32 product on one thread. */
    static final class GemmF {
        private GemmF() {}

        static void run(boolean transA, boolean transB, int m, int n, int k,
                        float[] a, int ao, int lda, float[] b, int bo, int ldb,
                        float[] c, int co, int ldc, boolean accumulate) {
            Buffers buf = BUFFERS.get();
            int kcMax = depthBlock(k);
            int aNeed = kcMax * roundUp(Math.min(m, MC), MRF);
            int bNeed = kcMax * roundUp(Math.min(n, NC), NRF);
            if (buf.af.length < aNeed) buf.af = new float[aNeed];
            if (buf.bf.length < bNeed) buf.bf = new float[bNeed];
            float[] ap = buf.af, bp = buf.bf, tile = buf.tf;
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    boolean overwrite = pc == 0 && !accumulate;
                    packB(transB, b, bo, ldb, pc, kc, jc, nc, bp);
                    for (int ic = 0; ic < m; ic += MC) {
                        int mc = Math.min(MC, m - ic);
                        packA(transA, a, ao, lda, ic, mc, pc, kc, ap);
                        for (int jr = 0; jr < nc; jr += NRF) {
                            int cols = Math.min(NRF, nc - jr);
                            for (int ir = 0; ir < mc; ir += MRF) {
                                int rows = Math.min(MRF, mc - ir);
                                kernel(kc, ap, ir * kc, bp, jr * kc, c, co + (ic + ir) * ldc + jc + jr, ldc,
                                        rows, cols, overwrite, tile);
                            }
                        }
                    }
                }
            }
        }

        /**
         * The depth of the k blocks: at most KC, and equal blocks (784 = 4 × 196, not 3 × 256 + 16) so
         * that no block is a short, inefficient tail. It depends on k alone, so each element of C is
         * summed in the same order whatever block of C a thread is given.
         */
        static int depthBlock(int k) {
            int blocks = (k + KC - 1) / KC;
            return (k + blocks - 1) / blocks;
        }

        /** Rows ic..ic+mc, depth pc..pc+kc of op(A) into slivers of MRF rows, k-major, zero-padded. */
        private static void packA(boolean transA, float[] a, int ao, int lda, int ic, int mc, int pc, int kc, float[] ap) {
            for (int ir = 0; ir < mc; ir += MRF) {
                int base = ir * kc;
                int rows = Math.min(MRF, mc - ir);
                if (transA && rows == MRF) {
                    // op(A)(i, p) = a[p·lda + i]: the MRF values of one k are adjacent, one short vector.
                    for (int p = 0; p < kc; p++) {
                        FloatVector.fromArray(FA, a, ao + (pc + p) * lda + ic + ir).intoArray(ap, base + p * MRF);
                    }
                } else if (transA) {
                    for (int p = 0; p < kc; p++) {
                        int src = ao + (pc + p) * lda + ic + ir;
                        int dst = base + p * MRF;
                        for (int r = 0; r < rows; r++) ap[dst + r] = a[src + r];
                        for (int r = rows; r < MRF; r++) ap[dst + r] = 0f;
                    }
                } else {
                    for (int r = 0; r < MRF; r++) {
                        if (r < rows) {
                            int src = ao + (ic + ir + r) * lda + pc;
                            for (int p = 0; p < kc; p++) ap[base + p * MRF + r] = a[src + p];
                        } else {
                            for (int p = 0; p < kc; p++) ap[base + p * MRF + r] = 0f;
                        }
                    }
                }
            }
        }

        /** Depth pc..pc+kc, columns jc..jc+nc of op(B) into slivers of NR columns, k-major, zero-padded. */
        private static void packB(boolean transB, float[] b, int bo, int ldb, int pc, int kc, int jc, int nc, float[] bp) {
            for (int jr = 0; jr < nc; jr += NRF) {
                int base = jr * kc;
                int cols = Math.min(NRF, nc - jr);
                if (transB) {
                    // op(B)(p, j) = b[j·ldb + p]: read each column of op(B) contiguously.
                    for (int j = 0; j < NRF; j++) {
                        if (j < cols) {
                            int src = bo + (jc + jr + j) * ldb + pc;
                            for (int p = 0; p < kc; p++) bp[base + p * NRF + j] = b[src + p];
                        } else {
                            for (int p = 0; p < kc; p++) bp[base + p * NRF + j] = 0f;
                        }
                    }
                } else if (cols == NRF) {
                    for (int p = 0; p < kc; p++) {
                        int src = bo + (pc + p) * ldb + jc + jr;
                        int dst = base + p * NRF;
                        FloatVector.fromArray(F, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(F, b, src + FL).intoArray(bp, dst + FL);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int src = bo + (pc + p) * ldb + jc + jr;
                        int dst = base + p * NRF;
                        for (int j = 0; j < cols; j++) bp[dst + j] = b[src + j];
                        for (int j = cols; j < NRF; j++) bp[dst + j] = 0f;
                    }
                }
            }
        }

        /** C[0..rows, 0..cols] (+)= the MRF×NR product of one sliver of A and one of B over kc. */
        private static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
                                   int rows, int cols, boolean overwrite, float[] tile) {
            // MRF is a constant, so the JIT keeps only one of the two calls.
            if (MRF == 8) kernel8(kc, ap, ai, bp, bi, c, ci, ldc, rows, cols, overwrite, tile);
            else kernel4(kc, ap, ai, bp, bi, c, ci, ldc, rows, cols, overwrite, tile);
        }

        /**
         * The 8×NR tile (512-bit vectors): 16 accumulators, so each k step issues 16 fma against 2 loads
         * of B and 8 broadcasts of A, and the fma latency is hidden twice over.
         */
        private static void kernel8(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
                                    int rows, int cols, boolean overwrite, float[] tile) {
            FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00,
                    c20 = c00, c21 = c00, c30 = c00, c31 = c00,
                    c40 = c00, c41 = c00, c50 = c00, c51 = c00,
                    c60 = c00, c61 = c00, c70 = c00, c71 = c00;
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(F, bp, bi);
                FloatVector b1 = FloatVector.fromArray(F, bp, bi + FL);
                FloatVector x = FloatVector.broadcast(F, ap[ai]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(F, ap[ai + 1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(F, ap[ai + 2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(F, ap[ai + 3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(F, ap[ai + 4]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(F, ap[ai + 5]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
                x = FloatVector.broadcast(F, ap[ai + 6]);
                c60 = x.fma(b0, c60);
                c61 = x.fma(b1, c61);
                x = FloatVector.broadcast(F, ap[ai + 7]);
                c70 = x.fma(b0, c70);
                c71 = x.fma(b1, c71);
                ai += 8;
                bi += NRF;
            }
            if (rows == 8 && cols == NRF) {
                // Written out rather than through store(): with 16 live vectors C2 stopped inlining that
                // helper once it had compiled it on its own, and every vector passed to it was boxed (6x slower).
                if (!overwrite) {
                    c00 = c00.add(FloatVector.fromArray(F, c, ci));
                    c01 = c01.add(FloatVector.fromArray(F, c, ci + FL));
                    c10 = c10.add(FloatVector.fromArray(F, c, ci + ldc));
                    c11 = c11.add(FloatVector.fromArray(F, c, ci + ldc + FL));
                    c20 = c20.add(FloatVector.fromArray(F, c, ci + 2 * ldc));
                    c21 = c21.add(FloatVector.fromArray(F, c, ci + 2 * ldc + FL));
                    c30 = c30.add(FloatVector.fromArray(F, c, ci + 3 * ldc));
                    c31 = c31.add(FloatVector.fromArray(F, c, ci + 3 * ldc + FL));
                    c40 = c40.add(FloatVector.fromArray(F, c, ci + 4 * ldc));
                    c41 = c41.add(FloatVector.fromArray(F, c, ci + 4 * ldc + FL));
                    c50 = c50.add(FloatVector.fromArray(F, c, ci + 5 * ldc));
                    c51 = c51.add(FloatVector.fromArray(F, c, ci + 5 * ldc + FL));
                    c60 = c60.add(FloatVector.fromArray(F, c, ci + 6 * ldc));
                    c61 = c61.add(FloatVector.fromArray(F, c, ci + 6 * ldc + FL));
                    c70 = c70.add(FloatVector.fromArray(F, c, ci + 7 * ldc));
                    c71 = c71.add(FloatVector.fromArray(F, c, ci + 7 * ldc + FL));
                }
                c00.intoArray(c, ci);
                c01.intoArray(c, ci + FL);
                c10.intoArray(c, ci + ldc);
                c11.intoArray(c, ci + ldc + FL);
                c20.intoArray(c, ci + 2 * ldc);
                c21.intoArray(c, ci + 2 * ldc + FL);
                c30.intoArray(c, ci + 3 * ldc);
                c31.intoArray(c, ci + 3 * ldc + FL);
                c40.intoArray(c, ci + 4 * ldc);
                c41.intoArray(c, ci + 4 * ldc + FL);
                c50.intoArray(c, ci + 5 * ldc);
                c51.intoArray(c, ci + 5 * ldc + FL);
                c60.intoArray(c, ci + 6 * ldc);
                c61.intoArray(c, ci + 6 * ldc + FL);
                c70.intoArray(c, ci + 7 * ldc);
                c71.intoArray(c, ci + 7 * ldc + FL);
                return;
            }
            c00.intoArray(tile, 0);
            c01.intoArray(tile, FL);
            c10.intoArray(tile, NRF);
            c11.intoArray(tile, NRF + FL);
            c20.intoArray(tile, 2 * NRF);
            c21.intoArray(tile, 2 * NRF + FL);
            c30.intoArray(tile, 3 * NRF);
            c31.intoArray(tile, 3 * NRF + FL);
            c40.intoArray(tile, 4 * NRF);
            c41.intoArray(tile, 4 * NRF + FL);
            c50.intoArray(tile, 5 * NRF);
            c51.intoArray(tile, 5 * NRF + FL);
            c60.intoArray(tile, 6 * NRF);
            c61.intoArray(tile, 6 * NRF + FL);
            c70.intoArray(tile, 7 * NRF);
            c71.intoArray(tile, 7 * NRF + FL);
            storeEdge(tile, c, ci, ldc, rows, cols, overwrite);
        }

        /** The 4×NR tile (narrower vectors): 8 accumulators. */
        private static void kernel4(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
                                    int rows, int cols, boolean overwrite, float[] tile) {
            FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00,
                    c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(F, bp, bi);
                FloatVector b1 = FloatVector.fromArray(F, bp, bi + FL);
                FloatVector x = FloatVector.broadcast(F, ap[ai]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(F, ap[ai + 1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(F, ap[ai + 2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(F, ap[ai + 3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                ai += 4;
                bi += NRF;
            }
            if (rows == 4 && cols == NRF) {
                store(c00, c01, c, ci, overwrite);
                store(c10, c11, c, ci + ldc, overwrite);
                store(c20, c21, c, ci + 2 * ldc, overwrite);
                store(c30, c31, c, ci + 3 * ldc, overwrite);
                return;
            }
            // Edge tile: the padded product goes through a scratch tile; only the valid part reaches C.
            c00.intoArray(tile, 0);
            c01.intoArray(tile, FL);
            c10.intoArray(tile, NRF);
            c11.intoArray(tile, NRF + FL);
            c20.intoArray(tile, 2 * NRF);
            c21.intoArray(tile, 2 * NRF + FL);
            c30.intoArray(tile, 3 * NRF);
            c31.intoArray(tile, 3 * NRF + FL);
            storeEdge(tile, c, ci, ldc, rows, cols, overwrite);
        }

        /** An edge tile: the padded product went to a scratch tile; only its valid part reaches C. */
        private static void storeEdge(float[] tile, float[] c, int ci, int ldc, int rows, int cols, boolean overwrite) {
            for (int r = 0; r < rows; r++) {
                int row = ci + r * ldc;
                for (int j = 0; j < cols; j++) {
                    float v = tile[r * NRF + j];
                    c[row + j] = overwrite ? v : c[row + j] + v;
                }
            }
        }

        private static void store(FloatVector lo, FloatVector hi, float[] c, int ci, boolean overwrite) {
            if (!overwrite) {
                lo = lo.add(FloatVector.fromArray(F, c, ci));
                hi = hi.add(FloatVector.fromArray(F, c, ci + FL));
            }
            lo.intoArray(c, ci);
            hi.intoArray(c, ci + FL);
        }
    }

    /** The float64 product on one thread; the same algorithm as {@link GemmF}. */
    static final class GemmD {
        private GemmD() {}

        static void run(boolean transA, boolean transB, int m, int n, int k,
                        double[] a, int ao, int lda, double[] b, int bo, int ldb,
                        double[] c, int co, int ldc, boolean accumulate) {
            Buffers buf = BUFFERS.get();
            int kcMax = Math.min(k, KC);
            int aNeed = kcMax * roundUp(Math.min(m, MC), MR);
            int bNeed = kcMax * roundUp(Math.min(n, NC), NRD);
            if (buf.ad.length < aNeed) buf.ad = new double[aNeed];
            if (buf.bd.length < bNeed) buf.bd = new double[bNeed];
            double[] ap = buf.ad, bp = buf.bd, tile = buf.td;
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    boolean overwrite = pc == 0 && !accumulate;
                    packB(transB, b, bo, ldb, pc, kc, jc, nc, bp);
                    for (int ic = 0; ic < m; ic += MC) {
                        int mc = Math.min(MC, m - ic);
                        packA(transA, a, ao, lda, ic, mc, pc, kc, ap);
                        for (int jr = 0; jr < nc; jr += NRD) {
                            int cols = Math.min(NRD, nc - jr);
                            for (int ir = 0; ir < mc; ir += MR) {
                                int rows = Math.min(MR, mc - ir);
                                kernel(kc, ap, ir * kc, bp, jr * kc, c, co + (ic + ir) * ldc + jc + jr, ldc,
                                        rows, cols, overwrite, tile);
                            }
                        }
                    }
                }
            }
        }

        private static void packA(boolean transA, double[] a, int ao, int lda, int ic, int mc, int pc, int kc, double[] ap) {
            for (int ir = 0; ir < mc; ir += MR) {
                int base = ir * kc;
                int rows = Math.min(MR, mc - ir);
                if (transA) {
                    for (int p = 0; p < kc; p++) {
                        int src = ao + (pc + p) * lda + ic + ir;
                        int dst = base + p * MR;
                        for (int r = 0; r < rows; r++) ap[dst + r] = a[src + r];
                        for (int r = rows; r < MR; r++) ap[dst + r] = 0.0;
                    }
                } else {
                    for (int r = 0; r < MR; r++) {
                        if (r < rows) {
                            int src = ao + (ic + ir + r) * lda + pc;
                            for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p];
                        } else {
                            for (int p = 0; p < kc; p++) ap[base + p * MR + r] = 0.0;
                        }
                    }
                }
            }
        }

        private static void packB(boolean transB, double[] b, int bo, int ldb, int pc, int kc, int jc, int nc, double[] bp) {
            for (int jr = 0; jr < nc; jr += NRD) {
                int base = jr * kc;
                int cols = Math.min(NRD, nc - jr);
                if (transB) {
                    for (int j = 0; j < NRD; j++) {
                        if (j < cols) {
                            int src = bo + (jc + jr + j) * ldb + pc;
                            for (int p = 0; p < kc; p++) bp[base + p * NRD + j] = b[src + p];
                        } else {
                            for (int p = 0; p < kc; p++) bp[base + p * NRD + j] = 0.0;
                        }
                    }
                } else if (cols == NRD) {
                    for (int p = 0; p < kc; p++) {
                        int src = bo + (pc + p) * ldb + jc + jr;
                        int dst = base + p * NRD;
                        DoubleVector.fromArray(D, b, src).intoArray(bp, dst);
                        DoubleVector.fromArray(D, b, src + DL).intoArray(bp, dst + DL);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int src = bo + (pc + p) * ldb + jc + jr;
                        int dst = base + p * NRD;
                        for (int j = 0; j < cols; j++) bp[dst + j] = b[src + j];
                        for (int j = cols; j < NRD; j++) bp[dst + j] = 0.0;
                    }
                }
            }
        }

        private static void kernel(int kc, double[] ap, int ai, double[] bp, int bi, double[] c, int ci, int ldc,
                                   int rows, int cols, boolean overwrite, double[] tile) {
            DoubleVector c00 = DoubleVector.zero(D), c01 = c00, c10 = c00, c11 = c00,
                    c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            for (int p = 0; p < kc; p++) {
                DoubleVector b0 = DoubleVector.fromArray(D, bp, bi);
                DoubleVector b1 = DoubleVector.fromArray(D, bp, bi + DL);
                DoubleVector x = DoubleVector.broadcast(D, ap[ai]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = DoubleVector.broadcast(D, ap[ai + 1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = DoubleVector.broadcast(D, ap[ai + 2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = DoubleVector.broadcast(D, ap[ai + 3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                ai += MR;
                bi += NRD;
            }
            if (rows == MR && cols == NRD) {
                store(c00, c01, c, ci, overwrite);
                store(c10, c11, c, ci + ldc, overwrite);
                store(c20, c21, c, ci + 2 * ldc, overwrite);
                store(c30, c31, c, ci + 3 * ldc, overwrite);
                return;
            }
            c00.intoArray(tile, 0);
            c01.intoArray(tile, DL);
            c10.intoArray(tile, NRD);
            c11.intoArray(tile, NRD + DL);
            c20.intoArray(tile, 2 * NRD);
            c21.intoArray(tile, 2 * NRD + DL);
            c30.intoArray(tile, 3 * NRD);
            c31.intoArray(tile, 3 * NRD + DL);
            for (int r = 0; r < rows; r++) {
                int row = ci + r * ldc;
                for (int j = 0; j < cols; j++) {
                    double v = tile[r * NRD + j];
                    c[row + j] = overwrite ? v : c[row + j] + v;
                }
            }
        }

        private static void store(DoubleVector lo, DoubleVector hi, double[] c, int ci, boolean overwrite) {
            if (!overwrite) {
                lo = lo.add(DoubleVector.fromArray(D, c, ci));
                hi = hi.add(DoubleVector.fromArray(D, c, ci + DL));
            }
            lo.intoArray(c, ci);
            hi.intoArray(c, ci + DL);
        }
    }

    private static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
    // Rows of a log-softmax are short in the training step (10 classes), so the scalar loops serve;
    // a vectorized exp would pay off only for long rows (vocabularies).
    @Override
    public void logSoftmaxRows(float[] x, int xo, float[] out, int oo, int rows, int cols) {
        SCALAR.logSoftmaxRows(x, xo, out, oo, rows, cols);
    }

    @Override
    public void logSoftmaxRows(double[] x, int xo, double[] out, int oo, int rows, int cols) {
        SCALAR.logSoftmaxRows(x, xo, out, oo, rows, cols);
    }

    @Override
    public void logSoftmaxBackwardRows(float[] g, int go, float[] out, int oo, float[] dx, int dxo, int rows, int cols) {
        SCALAR.logSoftmaxBackwardRows(g, go, out, oo, dx, dxo, rows, cols);
    }

    @Override
    public void logSoftmaxBackwardRows(double[] g, int go, double[] out, int oo, double[] dx, int dxo, int rows, int cols) {
        SCALAR.logSoftmaxBackwardRows(g, go, out, oo, dx, dxo, rows, cols);
    }

    // ---------------------------------------------------------------- pooling

    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** Lanes 0, 2, 4, … and 1, 3, 5, … of two vectors read one after the other (the second through exceptional indexes). */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, i -> 2 * i), ODD = VectorShuffle.fromOp(F, i -> 2 * i + 1);
    private static final IntVector TWICE_LANE = IntVector.zero(I).addIndex(2);

    /**
     * FL windows at a time: the two input rows are split into their even and odd columns (one
     * two-vector permute each), then the four taps are compared in the scalar kernel's order with
     * masks instead of branches. Rows narrower than a vector (14 and 7 windows in the Fashion-MNIST
     * CNN, against 16 lanes of 512-bit floats) use masked loads and stores rather than the scalar loop.
     */
    @Override
    public void maxPool2x2(float[] x, int xo, float[] y, int yo, int[] idx, int planes, int h, int w) {
        int hw = h * w, oh = h / 2, ow = w / 2, l = oh * ow;
        Objects.checkFromIndexSize(xo, planes * hw, x.length);
        Objects.checkFromIndexSize(yo, planes * l, y.length);
        Objects.checkFromIndexSize(yo, planes * l, idx.length);
        for (int q = 0; q < ow; q += FL) {
            // The masks depend only on the column block: lanes past the row's last window are off.
            var in0 = F.indexInRange(2 * q, 2 * ow);
            var in1 = F.indexInRange(2 * q + FL, 2 * ow);
            var out = F.indexInRange(q, ow);
            var outI = out.cast(I);
            for (int pl = 0; pl < planes; pl++) {
                int xb = xo + pl * hw, yb = yo + pl * l;
                for (int r = 0; r < oh; r++) {
                    int a0 = 2 * r * w + 2 * q, yr = yb + r * ow + q;
                    FloatVector t0 = FloatVector.fromArray(F, x, xb + a0, in0), t1 = FloatVector.fromArray(F, x, xb + a0 + FL, in1);
                    FloatVector b0 = FloatVector.fromArray(F, x, xb + a0 + w, in0), b1 = FloatVector.fromArray(F, x, xb + a0 + w + FL, in1);
                    IntVector arg = TWICE_LANE.add(a0);
                    FloatVector max = t0.rearrange(EVEN, t1);
                    FloatVector v = t0.rearrange(ODD, t1);
                    var take = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
                    max = max.blend(v, take);
                    IntVector result = arg.blend(arg.add(1), take.cast(I));
                    v = b0.rearrange(EVEN, b1);
                    take = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
                    max = max.blend(v, take);
                    result = result.blend(arg.add(w), take.cast(I));
                    v = b0.rearrange(ODD, b1);
                    take = v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
                    max = max.blend(v, take);
                    result = result.blend(arg.add(w + 1), take.cast(I));
                    max.intoArray(y, yr, out);
                    result.intoArray(idx, yr, outI);
                }
            }
        }
    }
}
