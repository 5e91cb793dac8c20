package org.jgrad.kernels;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Optional native matrix products: the two {@code gemm} methods call OpenBLAS's
 * {@code cblas_sgemm}/{@code cblas_dgemm} through the FFM API ({@code java.lang.foreign}), passing the
 * heap arrays without copying; every other kernel stays the Java one ({@link Kernels#withProducts}).
 * Pure Java stays the default; this is for users who have OpenBLAS installed and want its matrix
 * products.
 *
 * <h2>Switching it on</h2>
 * <ul>
 *   <li>Install the library, e.g. {@code apt-get install libopenblas0-pthread}. Use the pthread
 *       build: the OpenMP build brings its own thread runtime, which competes with the JVM's.</li>
 *   <li>Run with {@code -Djgrad.blas=openblas} (or environment variable {@code JGRAD_BLAS=openblas}).
 *       Any other value, or none, keeps the pure-Java gemm.</li>
 *   <li>Let jgrad call native code: {@code --enable-native-access=ALL-UNNAMED} on the command line
 *       when jgrad is on the class path (the build's surefire {@code argLine} has it), or
 *       {@code Enable-Native-Access: ALL-UNNAMED} in an executable jar's manifest; on the module path
 *       {@code --enable-native-access=org.jgrad}. Without it JDK 25 prints a warning, and refuses under
 *       {@code --illegal-native-access=deny}, in which case jgrad falls back to pure Java.</li>
 * </ul>
 *
 * <p>The library is looked up as {@code -Djgrad.blas.library=/path/to/libopenblas.so} when given,
 * else as Debian's {@value NativeBlas#DEBIAN_PTHREAD_PATH}, else as {@value NativeBlas#SONAME}
 * through the dynamic loader's search path. {@code -Djgrad.blas.threads=N} (or
 * {@code JGRAD_BLAS_THREADS}) sets OpenBLAS's thread count; otherwise OpenBLAS's own default
 * ({@code OPENBLAS_NUM_THREADS}, else one per core) applies. When loading fails, the reason (every
 * path tried and why it failed) is logged and the pure-Java kernels are used.
 *
 * <p>OpenBLAS picks its kernels by CPU model. Debian 12's OpenBLAS 0.3.21 does not know AMD Zen 5
 * and falls back to its AVX2 ("Haswell") kernels at half the speed; {@code OPENBLAS_CORETYPE=SkylakeX}
 * in the environment selects the AVX-512 ones ({@code OPENBLAS_VERBOSE=2} prints the choice).
 *
 * <p>Layouts BLAS rejects (a leading dimension smaller than a row, as in a zero-stride broadcast)
 * and empty inner dimensions go to the base kernels, so results never depend on what BLAS would do
 * with them.
 */
final class NativeBlasProducts implements MatrixProducts {
    private static final System.Logger LOG = System.getLogger("org.jgrad.kernels");

    private final MatrixProducts base;
    private final NativeBlas blas;

    NativeBlasProducts(MatrixProducts base, NativeBlas blas) {
        this.base = base;
        this.blas = blas;
    }

    /** Whether the user asked for native BLAS: {@code jgrad.blas=openblas} or {@code JGRAD_BLAS=openblas}. */
    static boolean requested() {
        return "openblas".equals(setting("jgrad.blas", "JGRAD_BLAS"));
    }

    /**
     * The base kernels with OpenBLAS gemm ({@link Kernels#withProducts}), or empty when the library
     * cannot be loaded; the reason is logged at INFO. Never throws for a missing or broken library.
     */
    static Optional<Kernels> tryWrap(Kernels base) {
        return tryWrap(base, why -> LOG.log(Level.INFO, "jgrad blas: {0}; using {1} gemm", why, base.name()));
    }

    /** As {@link #tryWrap(Kernels)}, handing the reason for an empty result to {@code whyNot}. */
    static Optional<Kernels> tryWrap(Kernels base, Consumer<? super String> whyNot) {
        Optional<NativeBlas> loaded = NativeBlas.load(System.getProperty("jgrad.blas.library"), whyNot);
        if (loaded.isEmpty()) return Optional.empty();
        NativeBlas blas = loaded.get();
        String threads = setting("jgrad.blas.threads", "JGRAD_BLAS_THREADS");
        if (threads != null) {
            try {
                int t = Integer.parseInt(threads);
                if (t < 1) throw new NumberFormatException();
                if (!blas.setThreads(t)) {
                    LOG.log(Level.INFO, "jgrad blas: {0} has no openblas_set_num_threads; ignoring jgrad.blas.threads",
                            blas.library());
                }
            } catch (NumberFormatException e) {
                whyNot.accept("jgrad.blas.threads must be a positive integer, got '" + threads + "'");
                return Optional.empty();
            }
        }
        return Optional.of(Kernels.withProducts(base, new NativeBlasProducts(base, blas)));
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) v = System.getenv(env);
        return v == null || v.isBlank() ? null : v.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String name() {
        return "openblas gemm";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int ao, int lda, float[] b, int bo, int ldb,
                     float[] c, int co, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) return;
        int la = blasLd(transA ? k : m, transA ? m : k, lda);
        int lb = blasLd(transB ? n : k, transB ? k : n, ldb);
        int lc = blasLd(m, n, ldc);
        if (k == 0 || la < 0 || lb < 0 || lc < 0) {
            base.gemm(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, accumulate);
            return;
        }
        blas.sgemm(transA, transB, m, n, k,
                a, ao, extent(transA ? k : m, transA ? m : k, la),
                la, b, bo, extent(transB ? n : k, transB ? k : n, lb), lb,
                c, co, extent(m, n, lc), lc, accumulate ? 1f : 0f);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int ao, int lda, double[] b, int bo, int ldb,
                     double[] c, int co, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) return;
        int la = blasLd(transA ? k : m, transA ? m : k, lda);
        int lb = blasLd(transB ? n : k, transB ? k : n, ldb);
        int lc = blasLd(m, n, ldc);
        if (k == 0 || la < 0 || lb < 0 || lc < 0) {
            base.gemm(transA, transB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, accumulate);
            return;
        }
        blas.dgemm(transA, transB, m, n, k,
                a, ao, extent(transA ? k : m, transA ? m : k, la),
                la, b, bo, extent(transB ? n : k, transB ? k : n, lb), lb,
                c, co, extent(m, n, lc), lc, accumulate ? 1.0 : 0.0);
    }

    /**
     * The leading dimension to hand BLAS for a stored rows×cols matrix, or -1 when BLAS would reject
     * it. BLAS demands ld ≥ max(1, cols) even for a single row, where ld is never used, so that case
     * is repaired rather than refused.
     */
    static int blasLd(int rows, int cols, int ld) {
        int min = Math.max(1, cols);
        if (ld >= min) return ld;
        return rows <= 1 ? min : -1;
    }

    /** Elements spanned by a stored rows×cols matrix with leading dimension ld (rows, cols ≥ 1). */
    private static long extent(int rows, int cols, int ld) {
        return (long) (rows - 1) * ld + cols;
    }
}
