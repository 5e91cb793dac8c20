package org.jgrad.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Downcalls into a CBLAS library (OpenBLAS) through the FFM API: {@code cblas_sgemm},
 * {@code cblas_dgemm} and, when exported, {@code openblas_set_num_threads}. Only the binding lives
 * here; {@link NativeBlasProducts} decides when to use it.
 *
 * <p>Small and medium products pass the heap arrays to C without copying: those handles are linked
 * with {@link Linker.Option#critical(boolean) critical(true)}, which lets a heap segment (and a
 * slice of one, i.e. an array plus an offset) stand for a pointer. Such a call must not call back
 * into Java (BLAS never does) and should be short, because the JVM cannot reach a safepoint until
 * it returns; large products are therefore copied into a confined arena and run as ordinary
 * downcalls (see {@link #critical}).
 */
final class NativeBlas {
    private static final System.Logger LOG = System.getLogger("org.jgrad.kernels");

    /** Debian/Ubuntu's pthread build: OpenMP builds bring a runtime that fights the JVM's threads. */
    static final String DEBIAN_PTHREAD_PATH = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0";
    static final String SONAME = "libopenblas.so.0";

    // CBLAS enum values (cblas.h).
    static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    private final String library;
    /**
     * Multiply-adds up to which the arrays are passed in place (see {@link #critical}): 512³, about a
     * millisecond for OpenBLAS on two cores. The MLP's products (128·256·784) were copied below the old
     * bound of 256³, and the copies made jgrad's step slower than PyTorch's on the same library.
     */
    static final long CRITICAL_MAX_MACS = 1L << 27;

    private final MethodHandle sgemmCritical, dgemmCritical; // heap segments allowed
    private final MethodHandle sgemm, dgemm;                 // off-heap segments only
    private final MethodHandle setNumThreads; // null when the library does not export it

    private NativeBlas(String library, MethodHandle sgemmCritical, MethodHandle dgemmCritical,
                       MethodHandle sgemm, MethodHandle dgemm, MethodHandle setNumThreads) {
        this.library = library;
        this.sgemmCritical = sgemmCritical;
        this.dgemmCritical = dgemmCritical;
        this.sgemm = sgemm;
        this.dgemm = dgemm;
        this.setNumThreads = setNumThreads;
    }

    /** Where the library was found: a path or a soname. */
    String library() {
        return library;
    }

    /**
     * Loads the library named by {@code explicit} when non-null, else the Debian pthread build, else
     * {@code libopenblas.so.0} through the dynamic loader's search path. Each failed attempt is
     * logged at DEBUG; when all fail, {@code whyNot} receives one line naming every path tried.
     */
    static Optional<NativeBlas> load(String explicit, Consumer<? super String> whyNot) {
        List<String> candidates = explicit != null ? List.of(explicit) : List.of(DEBIAN_PTHREAD_PATH, SONAME);
        List<String> failures = new ArrayList<>();
        for (String candidate : candidates) {
            try {
                NativeBlas blas = bind(candidate);
                LOG.log(System.Logger.Level.DEBUG, "jgrad blas: loaded {0}", candidate);
                return Optional.of(blas);
            } catch (IllegalArgumentException | UnsupportedOperationException | IllegalCallerException
                     | LinkageError e) {
                // IllegalArgumentException: dlopen failed or a symbol is missing.
                // IllegalCallerException: native access is not enabled for this module.
                String why = candidate + ": " + e.getMessage();
                LOG.log(System.Logger.Level.DEBUG, "jgrad blas: cannot use {0}", why);
                failures.add(why);
                if (e instanceof IllegalCallerException) break; // every candidate would fail the same way
            }
        }
        whyNot.accept("no usable OpenBLAS (" + String.join("; ", failures) + ")");
        return Optional.empty();
    }

    @SuppressWarnings("restricted") // the JVM is told with --enable-native-access; without it we fail over
    private static NativeBlas bind(String library) {
        // libraryLookup treats a name with a slash as a path; check it first so the reason is plain.
        if (library.indexOf('/') >= 0 && !Files.isRegularFile(Path.of(library))) {
            throw new IllegalArgumentException("no such file");
        }
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        Linker.Option critical = Linker.Option.critical(true);
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
        FunctionDescriptor sDesc = FunctionDescriptor.ofVoid(i32, i32, i32, i32, i32, i32,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, i32, ValueLayout.ADDRESS, i32,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, i32);
        FunctionDescriptor dDesc = FunctionDescriptor.ofVoid(i32, i32, i32, i32, i32, i32,
                ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, i32, ValueLayout.ADDRESS, i32,
                ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, i32);
        MemorySegment s = symbol(lookup, "cblas_sgemm"), d = symbol(lookup, "cblas_dgemm");
        MethodHandle threads = lookup.find("openblas_set_num_threads")
                .map(addr -> linker.downcallHandle(addr, FunctionDescriptor.ofVoid(i32)))
                .orElse(null);
        return new NativeBlas(library, linker.downcallHandle(s, sDesc, critical), linker.downcallHandle(d, dDesc, critical),
                linker.downcallHandle(s, sDesc), linker.downcallHandle(d, dDesc), threads);
    }

    private static MemorySegment symbol(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalArgumentException("symbol " + name + " not found"));
    }

    /** Sets OpenBLAS's own thread count; returns false when the library has no such function. */
    boolean setThreads(int threads) {
        if (setNumThreads == null) return false;
        try {
            setNumThreads.invokeExact(threads);
            return true;
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    /**
     * Row-major cblas_sgemm with alpha 1 on a[ao..ao+aLen), b[bo..bo+bLen), c[co..co+cLen). The
     * caller has made the leading dimensions legal for BLAS; the ranges are bounds-checked here by
     * {@code asSlice}, so a bad offset becomes an exception rather than a stray read in C.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int ao, long aLen, int lda, float[] b, int bo, long bLen, int ldb,
               float[] c, int co, long cLen, int ldc, float beta) {
        MemorySegment as = MemorySegment.ofArray(a).asSlice(4L * ao, 4L * aLen);
        MemorySegment bs = MemorySegment.ofArray(b).asSlice(4L * bo, 4L * bLen);
        MemorySegment cs = MemorySegment.ofArray(c).asSlice(4L * co, 4L * cLen);
        int ta = transA ? TRANS : NO_TRANS, tb = transB ? TRANS : NO_TRANS;
        try {
            if (critical(m, n, k)) {
                sgemmCritical.invokeExact(ROW_MAJOR, ta, tb, m, n, k, 1f, as, lda, bs, ldb, beta, cs, ldc);
                return;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment nc = offHeap(arena, cs);
                sgemm.invokeExact(ROW_MAJOR, ta, tb, m, n, k,
                        1f, offHeap(arena, as), lda, offHeap(arena, bs), ldb, beta, nc, ldc);
                cs.copyFrom(nc);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void dgemm(boolean transA, boolean transB, int m, int n, int k,
               double[] a, int ao, long aLen, int lda, double[] b, int bo, long bLen, int ldb,
               double[] c, int co, long cLen, int ldc, double beta) {
        MemorySegment as = MemorySegment.ofArray(a).asSlice(8L * ao, 8L * aLen);
        MemorySegment bs = MemorySegment.ofArray(b).asSlice(8L * bo, 8L * bLen);
        MemorySegment cs = MemorySegment.ofArray(c).asSlice(8L * co, 8L * cLen);
        int ta = transA ? TRANS : NO_TRANS, tb = transB ? TRANS : NO_TRANS;
        try {
            if (critical(m, n, k)) {
                dgemmCritical.invokeExact(ROW_MAJOR, ta, tb, m, n, k, 1.0, as, lda, bs, ldb, beta, cs, ldc);
                return;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment nc = offHeap(arena, cs);
                dgemm.invokeExact(ROW_MAJOR, ta, tb, m, n, k,
                        1.0, offHeap(arena, as), lda, offHeap(arena, bs), ldb, beta, nc, ldc);
                cs.copyFrom(nc);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Whether to hand BLAS the heap arrays directly. A critical call holds up every safepoint (GC,
     * deoptimization) in the JVM until it returns, so only products that finish in about a
     * millisecond go that way; above that, copying the operands off-heap costs a few percent of the
     * product (O(n²) against O(n³)) and keeps other threads' pauses short.
     */
    static boolean critical(int m, int n, int k) {
        return (long) m * n * k <= CRITICAL_MAX_MACS;
    }

    private static MemorySegment offHeap(Arena arena, MemorySegment heap) {
        // C's padding between rows is copied in too, so copying the whole range back leaves it as it was.
        return arena.allocate(heap.byteSize(), 64).copyFrom(heap);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native gemm failed", t);
    }
}
