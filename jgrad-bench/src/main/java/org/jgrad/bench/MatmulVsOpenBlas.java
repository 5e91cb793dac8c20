package org.jgrad.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jgrad.Parallelism;
import org.jgrad.kernels.Kernels;

/**
 * jgrad's float32 gemm and OpenBLAS's {@code cblas_sgemm}, measured in one JVM in alternating
 * slices, so that both see the same state of a shared host.
 *
 * <p>Why: on the shared 2-vCPU machine a whole JMH fork sometimes runs at ~60% of its usual 2-thread
 * speed (both vCPUs apparently on one physical core for tens of seconds), and which of the two
 * programs of a back-to-back comparison falls into such a period decides the ratio. Here every round
 * measures each shape with jgrad and with OpenBLAS for {@value #SLICE_MILLIS} ms each (after
 * {@value #SETTLE_MILLIS} ms discarded, so that the other library's spinning threads have gone to
 * sleep), alternating which goes first; the medians over the rounds are compared.
 *
 * <p>OpenBLAS is the pthread build Debian installs ({@code libopenblas0-pthread}), called on off-heap
 * copies of the operands, with {@code openblas_set_num_threads}; its kernel choice follows
 * {@code OPENBLAS_CORETYPE} ({@code bench/openblas-env.sh} sets it). {@code bench/compare-matmul.sh}
 * runs this and, as an independent check of the reference, numpy's OpenBLAS.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp jgrad-bench/target/benchmarks.jar org.jgrad.bench.MatmulVsOpenBlas threads rounds shape...
 * </pre>
 * A shape is {@code MxNxK:XY} as in {@link MatmulBench}. Prints per shape the median GFLOPS of each
 * library over the rounds, their ratio, and the lowest and highest ratio of a single round.
 */
public final class MatmulVsOpenBlas {
    private MatmulVsOpenBlas() {}

    static final long SLICE_MILLIS = 300;
    static final long SETTLE_MILLIS = 150;
    static final String LIBRARY = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0";
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    public static void main(String[] args) throws Throwable {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: MatmulVsOpenBlas threads rounds MxNxK:XY...");
        }
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<Shape> shapes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) shapes.add(Shape.parse(args[i]));

        Linker linker = Linker.nativeLinker();
        SymbolLookup blas = SymbolLookup.libraryLookup(java.nio.file.Path.of(LIBRARY), Arena.global());
        var I = ValueLayout.JAVA_INT;
        var F = ValueLayout.JAVA_FLOAT;
        var P = ValueLayout.ADDRESS;
        MethodHandle sgemm = linker.downcallHandle(blas.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(I, I, I, I, I, I, F, P, I, P, I, F, P, I));
        MethodHandle setThreads = linker.downcallHandle(blas.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(I));
        setThreads.invokeExact(threads);
        Parallelism.setNumThreads(threads);
        Kernels kernels = Kernels.get();

        try (Arena arena = Arena.ofConfined()) {
            for (Shape s : shapes) s.allocate(arena);
            // Warm-up: C2 compiles jgrad's kernels; OpenBLAS starts its threads.
            for (Shape s : shapes) {
                time(() -> s.jgrad(kernels), 2000);
                time(() -> s.openblas(sgemm), 500);
                s.checkAgreement();
            }
            double[][] jg = new double[shapes.size()][rounds], ob = new double[shapes.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < shapes.size(); i++) {
                    Shape s = shapes.get(i);
                    Call j = () -> s.jgrad(kernels), o = () -> s.openblas(sgemm);
                    if (r % 2 == 0) {
                        jg[i][r] = s.gflops(sliceMedianNanos(j));
                        ob[i][r] = s.gflops(sliceMedianNanos(o));
                    } else {
                        ob[i][r] = s.gflops(sliceMedianNanos(o));
                        jg[i][r] = s.gflops(sliceMedianNanos(j));
                    }
                }
            }
            for (int i = 0; i < shapes.size(); i++) {
                double[] ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) ratios[r] = jg[i][r] / ob[i][r];
                Arrays.sort(ratios);
                double mj = median(jg[i]), mo = median(ob[i]);
                System.out.printf("%-18s threads=%d jgrad_gflops=%.1f openblas_gflops=%.1f ratio=%.2f"
                                + " round_ratios=%.2f..%.2f rounds=%d%n",
                        shapes.get(i).spec, threads, mj, mo, mj / mo, ratios[0], ratios[rounds - 1], rounds);
            }
        }
    }

    @FunctionalInterface
    interface Call {
        void run() throws Throwable;
    }

    /** Runs call for about millis ms; returns the median nanoseconds per call. */
    static long time(Call call, long millis) throws Throwable {
        long[] t = new long[1 << 16];
        int n = 0;
        long end = System.nanoTime() + millis * 1_000_000;
        while (true) {
            long start = System.nanoTime();
            call.run();
            long now = System.nanoTime();
            if (n < t.length) t[n++] = now - start;
            if (now >= end && n >= 5) break;
        }
        Arrays.sort(t, 0, n);
        return t[n / 2];
    }

    static long sliceMedianNanos(Call call) throws Throwable {
        time(call, SETTLE_MILLIS);
        return time(call, SLICE_MILLIS);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** C[M, N] = op(A)·op(B) with op(A) M×K, op(B) K×N; T: the operand is stored transposed. */
    static final class Shape {
        final String spec;
        final int m, n, k;
        final boolean ta, tb;
        float[] a, b, c;
        MemorySegment na, nb, nc;

        private Shape(String spec, int m, int n, int k, boolean ta, boolean tb) {
            this.spec = spec;
            this.m = m;
            this.n = n;
            this.k = k;
            this.ta = ta;
            this.tb = tb;
        }

        static Shape parse(String spec) {
            String[] p = spec.split("[x:]");
            if (p.length != 4 || p[3].length() != 2) {
                throw new IllegalArgumentException("shape must look like 128x256x784:NN, got " + spec);
            }
            return new Shape(spec, Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                    p[3].charAt(0) == 'T', p[3].charAt(1) == 'T');
        }

        /** The heap operands, filled from a fixed seed with values in [-0.5, 0.5). */
        void allocateHeap() {
            Random r = new Random(42);
            a = new float[m * k];
            b = new float[k * n];
            c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        }

        /** The heap operands and their off-heap copies for OpenBLAS. */
        void allocate(Arena arena) {
            allocateHeap();
            na = arena.allocate((long) a.length * 4, 64).copyFrom(MemorySegment.ofArray(a));
            nb = arena.allocate((long) b.length * 4, 64).copyFrom(MemorySegment.ofArray(b));
            nc = arena.allocate((long) c.length * 4, 64);
        }

        int lda() { return ta ? m : k; }
        int ldb() { return tb ? k : n; }

        void jgrad(Kernels kernels) {
            kernels.gemm(ta, tb, m, n, k, a, 0, lda(), b, 0, ldb(), c, 0, n, false);
        }

        void openblas(MethodHandle sgemm) throws Throwable {
            sgemm.invokeExact(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k,
                    1f, na, lda(), nb, ldb(), 0f, nc, n);
        }

        /** Both libraries computed the same product (operands in [-0.5, 0.5]: |error| ≪ 1e-3). */
        void checkAgreement() {
            float[] ref = nc.toArray(ValueLayout.JAVA_FLOAT);
            for (int i = 0; i < c.length; i++) {
                if (!(Math.abs(c[i] - ref[i]) <= 1e-3f)) {
                    throw new IllegalStateException(spec + ": jgrad and OpenBLAS differ at " + i + ": " + c[i] + " vs " + ref[i]);
                }
            }
        }

        double gflops(long nanos) {
            return 2.0 * m * n * k / nanos;
        }
    }
}
