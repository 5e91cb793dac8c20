package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Native gemm against the plain-Java reference. The comparisons run only where OpenBLAS can be
 * loaded (they are skipped, with the loader's reason, elsewhere); the failure paths run everywhere.
 */
class NativeBlasTest {
    private static final ScalarKernels REF = new ScalarKernels();

    private static String whyNot = "";
    private static final Optional<Kernels> NATIVE = NativeBlasProducts.tryWrap(REF, why -> whyNot = why);

    private static Kernels nativeKernels() {
        Assumptions.assumeTrue(NATIVE.isPresent(), () -> "OpenBLAS not available: " + whyNot);
        return NATIVE.get();
    }

    /** One random problem: layout, offsets and padding drawn at random, C pre-filled for accumulate. */
    private record Problem(boolean ta, boolean tb, int m, int n, int k, int ao, int lda, int bo, int ldb,
                           int co, int ldc, boolean acc, double[] a, double[] b, double[] c) {
        static Problem random(SplittableRandom r, boolean ta, boolean tb, int maxDim) {
            int m = 1 + r.nextInt(maxDim), n = 1 + r.nextInt(maxDim), k = 1 + r.nextInt(maxDim);
            int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
            int lda = aCols + pad(r), ldb = bCols + pad(r), ldc = n + pad(r);
            int ao = r.nextInt(5), bo = r.nextInt(5), co = r.nextInt(5);
            double[] a = fill(r, ao + aRows * lda + r.nextInt(3));
            double[] b = fill(r, bo + bRows * ldb + r.nextInt(3));
            double[] c = fill(r, co + m * ldc + r.nextInt(3));
            return new Problem(ta, tb, m, n, k, ao, lda, bo, ldb, co, ldc, r.nextBoolean(), a, b, c);
        }

        private static int pad(SplittableRandom r) {
            return r.nextBoolean() ? 0 : r.nextInt(1, 4);
        }

        private static double[] fill(SplittableRandom r, int len) {
            double[] x = new double[len];
            for (int i = 0; i < len; i++) x[i] = r.nextDouble(-1, 1);
            return x;
        }

        double aAt(int i, int p) { return ta ? a[ao + p * lda + i] : a[ao + i * lda + p]; }

        double bAt(int p, int j) { return tb ? b[bo + j * ldb + p] : b[bo + p * ldb + j]; }

        /**
         * Σ|a_ip·b_pj| + |c0_ij|: the error of any summation order of the dot product in precision u is
         * at most about (k+1)·u times this, so two correct implementations differ by at most twice that.
         */
        double magnitude(int i, int j) {
            double s = acc ? Math.abs(c[co + i * ldc + j]) : 0;
            for (int p = 0; p < k; p++) s += Math.abs(aAt(i, p) * bAt(p, j));
            return s;
        }
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    private static void compareFloat(Kernels blas, Problem p) {
        float[] a = toFloat(p.a), b = toFloat(p.b);
        float[] want = toFloat(p.c), got = toFloat(p.c);
        REF.gemm(p.ta, p.tb, p.m, p.n, p.k, a, p.ao, p.lda, b, p.bo, p.ldb, want, p.co, p.ldc, p.acc);
        blas.gemm(p.ta, p.tb, p.m, p.n, p.k, a, p.ao, p.lda, b, p.bo, p.ldb, got, p.co, p.ldc, p.acc);
        double u = Math.ulp(1f) / 2;
        for (int idx = 0; idx < got.length; idx++) {
            int rel = idx - p.co, i = Math.floorDiv(rel, p.ldc), j = rel - i * p.ldc;
            boolean inC = rel >= 0 && i < p.m && j < p.n;
            if (!inC) {
                if (Float.floatToIntBits((float) p.c[idx]) != Float.floatToIntBits(got[idx])) {
                    fail("element " + idx + " outside C was written: " + p);
                }
                continue;
            }
            double tol = 2 * (p.k + 2) * u * p.magnitude(i, j);
            if (Math.abs(got[idx] - want[idx]) > tol) {
                fail("float C[" + i + "][" + j + "] = " + got[idx] + ", reference " + want[idx] + ", tol " + tol + ": " + p);
            }
        }
    }

    private static void compareDouble(Kernels blas, Problem p) {
        double[] want = p.c.clone(), got = p.c.clone();
        REF.gemm(p.ta, p.tb, p.m, p.n, p.k, p.a, p.ao, p.lda, p.b, p.bo, p.ldb, want, p.co, p.ldc, p.acc);
        blas.gemm(p.ta, p.tb, p.m, p.n, p.k, p.a, p.ao, p.lda, p.b, p.bo, p.ldb, got, p.co, p.ldc, p.acc);
        double u = Math.ulp(1.0) / 2;
        for (int idx = 0; idx < got.length; idx++) {
            int rel = idx - p.co, i = Math.floorDiv(rel, p.ldc), j = rel - i * p.ldc;
            boolean inC = rel >= 0 && i < p.m && j < p.n;
            if (!inC) {
                if (p.c[idx] != got[idx]) fail("element " + idx + " outside C was written: " + p);
                continue;
            }
            double tol = 2 * (p.k + 2) * u * p.magnitude(i, j);
            if (Math.abs(got[idx] - want[idx]) > tol) {
                fail("double C[" + i + "][" + j + "] = " + got[idx] + ", reference " + want[idx] + ", tol " + tol + ": " + p);
            }
        }
    }

    @Test
    void gemmMatchesScalarOnRandomLayoutsAllTransposes() {
        Kernels blas = nativeKernels();
        SplittableRandom r = new SplittableRandom(20250);
        for (int trial = 0; trial < 40; trial++) {
            for (int t = 0; t < 4; t++) {
                Problem p = Problem.random(r, (t & 1) != 0, (t & 2) != 0, 37);
                compareFloat(blas, p);
                compareDouble(blas, p);
            }
        }
    }

    @Test
    void gemmMatchesScalarOnShapesLargeEnoughForBlocking() {
        // Past OpenBLAS's small-matrix path and its cache blocking, so the packed and threaded code runs,
        // and past the size where the operands are copied off-heap instead of passed in place.
        Kernels blas = nativeKernels();
        assertTrue(!NativeBlas.critical(520, 521, 523) && NativeBlas.critical(257, 263, 301));
        SplittableRandom r = new SplittableRandom(7);
        for (int t = 0; t < 4; t++) {
            Problem p = Problem.random(r, (t & 1) != 0, (t & 2) != 0, 300);
            compareFloat(blas, p);
            compareDouble(blas, p);
        }
        Problem square = new Problem(false, false, 520, 521, 523, 3, 523, 1, 521, 2, 521, false,
                Problem.fill(r, 3 + 520 * 523), Problem.fill(r, 1 + 523 * 521), Problem.fill(r, 2 + 520 * 521));
        compareFloat(blas, square);
        compareDouble(blas, square);
    }

    @Test
    void layoutsBlasWouldRejectStillGiveTheReferenceAnswer() {
        Kernels blas = nativeKernels();
        SplittableRandom r = new SplittableRandom(3);
        // A single row of A with lda 0: BLAS insists on lda >= k, though lda is never read.
        compareFloat(blas, new Problem(false, false, 1, 5, 4, 0, 0, 0, 5, 0, 5, false,
                Problem.fill(r, 4), Problem.fill(r, 20), Problem.fill(r, 5)));
        // Every row of B the same (ldb 0, a broadcast): BLAS refuses, the base kernels take it.
        compareDouble(blas, new Problem(false, false, 3, 4, 6, 1, 6, 0, 0, 0, 4, true,
                Problem.fill(r, 19), Problem.fill(r, 4), Problem.fill(r, 12)));
        // k = 0: C becomes zero, or stays as it was when accumulating.
        float[] c = {1, 2, 3, 4};
        blas.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, true);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c);
        blas.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[4], c);
    }

    @Test
    void outOfRangeOffsetsThrowInsteadOfReadingPastTheArray() {
        Kernels blas = nativeKernels();
        float[] a = new float[6], b = new float[6], c = new float[4];
        assertThrows(IndexOutOfBoundsException.class,
                () -> blas.gemm(false, false, 2, 2, 3, a, 1, 3, b, 0, 2, c, 0, 2, false));
        assertThrows(IndexOutOfBoundsException.class,
                () -> blas.gemm(true, false, 2, 2, 3, a, 0, 2, b, 0, 2, c, 1, 2, false));
        double[] ad = new double[6];
        assertThrows(IndexOutOfBoundsException.class,
                () -> blas.gemm(false, true, 2, 2, 3, ad, 0, 3, new double[5], 0, 3, new double[4], 0, 2, false));
        int big = 300; // the off-heap copying path checks too
        assertThrows(IndexOutOfBoundsException.class, () -> blas.gemm(false, false, big, big, big,
                new float[big * big], 0, big, new float[big * big], 0, big, new float[big * big - 1], 0, big, false));
        assertThrows(IndexOutOfBoundsException.class, () -> blas.gemm(true, true, big, big, big,
                new double[big * big], 1, big, new double[big * big], 0, big, new double[big * big], 0, big, true));
    }

    @Test
    void everythingButGemmIsTheBaseKernels() {
        Kernels blas = nativeKernels();
        assertTrue(blas.name().contains("openblas") && blas.name().contains(REF.name()), blas.name());
        float[] x = {-1.5f, 0.25f, 2f, -0f, 3f};
        float[] got = new float[5], want = new float[5];
        blas.unary(UnaryOp.RELU, x, 0, got, 0, 5, 0, 0);
        REF.unary(UnaryOp.RELU, x, 0, want, 0, 5, 0, 0);
        assertArrayEquals(want, got);
        double[] y = {1, 2, 3, 4};
        double[] gd = new double[3], wd = new double[3];
        blas.binary(BinaryOp.SUB, y, 1, 1, y, 0, 0, gd, 0, 3);
        REF.binary(BinaryOp.SUB, y, 1, 1, y, 0, 0, wd, 0, 3);
        assertArrayEquals(wd, gd);
        assertEquals(REF.sum(x, 1, 4), blas.sum(x, 1, 4));
        assertEquals(REF.sum(y, 0, 4), blas.sum(y, 0, 4));
    }

    @Test
    void threadCountSettingIsAppliedOrRejected() {
        nativeKernels();
        withProperty("jgrad.blas.threads", "1", () -> {
            Optional<Kernels> k = NativeBlasProducts.tryWrap(REF, why -> fail(why));
            assertTrue(k.isPresent());
            compareFloat(k.get(), Problem.random(new SplittableRandom(1), true, false, 90));
        });
        withProperty("jgrad.blas.threads", "none", () -> {
            StringBuilder why = new StringBuilder();
            assertTrue(NativeBlasProducts.tryWrap(REF, why::append).isEmpty());
            assertTrue(why.toString().contains("jgrad.blas.threads"), why.toString());
        });
    }

    @Test
    void bogusLibraryPathGivesEmptyWithAReason() {
        String bogus = "/nonexistent/jgrad-test/libopenblas.so.0";
        withProperty("jgrad.blas.library", bogus, () -> {
            StringBuilder why = new StringBuilder();
            Optional<Kernels> k = NativeBlasProducts.tryWrap(REF, why::append);
            assertTrue(k.isEmpty());
            assertTrue(why.toString().contains(bogus), why.toString());
            // The logging overload must not throw either.
            assertTrue(NativeBlasProducts.tryWrap(REF).isEmpty());
        });
    }

    @Test
    void libraryWithoutCblasGivesEmptyWithAReason() {
        // A real shared library that is not a BLAS: loading succeeds, finding cblas_sgemm does not.
        String libm = "/lib/x86_64-linux-gnu/libm.so.6";
        Assumptions.assumeTrue(Files.isRegularFile(Path.of(libm)), libm + " not present on this system");
        withProperty("jgrad.blas.library", libm, () -> {
            StringBuilder why = new StringBuilder();
            assertTrue(NativeBlasProducts.tryWrap(REF, why::append).isEmpty());
            assertTrue(why.toString().contains(libm) && why.toString().contains("cblas_sgemm"), why.toString());
        });
    }

    @Test
    void requestedOnlyByJgradBlasOpenblas() {
        Assumptions.assumeTrue(System.getenv("JGRAD_BLAS") == null, "JGRAD_BLAS is set in the environment");
        withProperty("jgrad.blas", null, () -> assertTrue(!NativeBlasProducts.requested()));
        withProperty("jgrad.blas", "OpenBLAS", () -> assertTrue(NativeBlasProducts.requested()));
        withProperty("jgrad.blas", "mkl", () -> assertTrue(!NativeBlasProducts.requested()));
    }

    private static void withProperty(String key, String value, Runnable body) {
        String old = System.getProperty(key);
        try {
            if (value == null) System.clearProperty(key);
            else System.setProperty(key, value);
            body.run();
        } finally {
            if (old == null) System.clearProperty(key);
            else System.setProperty(key, old);
        }
    }
}
