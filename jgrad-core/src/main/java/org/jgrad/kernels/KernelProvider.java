package org.jgrad.kernels;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the kernels once, at class initialization: the Vector API implementation when the
 * incubator module is in the boot layer and the JIT can compile it to SIMD, else the plain-Java one.
 * The system property {@code jgrad.kernels} (or environment variable {@code JGRAD_KERNELS}) set to
 * {@code scalar} or {@code vector} forces a choice. One log line says which and why.
 */
final class KernelProvider {
    // Declared before INSTANCE: static fields initialize in order, and choose() logs.
    private static final System.Logger LOG = System.getLogger("org.jgrad.kernels");

    static final Kernels INSTANCE = withOptionalBlas(choose());

    private KernelProvider() {}

    private static Kernels choose() {
        String forced = setting("jgrad.kernels", "JGRAD_KERNELS");
        if ("scalar".equals(forced)) {
            return log(new ScalarKernels(), "forced by jgrad.kernels=scalar");
        }
        String whyNot = vectorUnavailableReason();
        if (whyNot == null) {
            try {
                // Loaded by name so that this class never links against jdk.incubator.vector itself.
                Class<?> c = Class.forName("org.jgrad.kernels.VectorKernels");
                Kernels k = (Kernels) c.getDeclaredConstructor().newInstance();
                return log(k, forced == null ? "jdk.incubator.vector is available" : "forced by jgrad.kernels=vector");
            } catch (ReflectiveOperationException | LinkageError e) {
                whyNot = "loading the Vector API kernels failed: " + e;
            }
        }
        if ("vector".equals(forced)) {
            throw new IllegalStateException("jgrad.kernels=vector was requested but " + whyNot);
        }
        return log(new ScalarKernels(), whyNot + " (run with --add-modules jdk.incubator.vector for SIMD)");
    }

    /**
     * With {@code jgrad.blas=openblas} (or {@code JGRAD_BLAS=openblas}) matrix products go to OpenBLAS
     * through the FFM API, everything else stays with the Java kernels; without the library the
     * Java kernels are kept, and the log says why.
     */
    private static Kernels withOptionalBlas(Kernels base) {
        if (!NativeBlasProducts.requested()) return base;
        String[] reason = new String[1];
        Kernels k = NativeBlasProducts.tryWrap(base, why -> reason[0] = why).orElse(null);
        if (k == null) {
            LOG.log(Level.WARNING, "jgrad.blas=openblas was requested but OpenBLAS could not be used: {0};"
                    + " matrix products stay with the {1} kernels", reason[0], base.name());
            return base;
        }
        return log(k, "jgrad.blas=openblas: gemm through OpenBLAS, the rest " + base.name());
    }

    private static String vectorUnavailableReason() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "module jdk.incubator.vector is not in the boot layer";
        }
        String vm = System.getProperty("java.vm.name", "").toLowerCase(Locale.ROOT);
        if (vm.contains("client")) return "the client JIT does not compile the Vector API to SIMD";
        return null;
    }

    private static Kernels log(Kernels k, String why) {
        LOG.log(Level.INFO, "jgrad kernels: {0} ({1})", k.name(), why);
        return k;
    }

    static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) v = System.getenv(env);
        return v == null || v.isBlank() ? null : v.trim().toLowerCase(Locale.ROOT);
    }
}
