package org.jgrad.internal;

import org.jgrad.Tensor;

/**
 * The fused ops of {@code org.jgrad.Fused} for jgrad's own {@code nn} package: {@code Linear} and
 * {@code Sequential} call {@link #linear}, {@code Losses.crossEntropy} calls {@link #crossEntropy}.
 * They are an implementation of public API, not API themselves, and Java has no modifier for "public
 * to the packages of this module only"; so {@code org.jgrad} installs them here, in a package that
 * module-info does not export (the JDK's SharedSecrets pattern).
 */
public final class FusedOps {

    /** What {@code org.jgrad} installs: the two fused ops, with {@code org.jgrad.Fused}'s contracts. */
    public interface Ops {
        Tensor linear(Tensor x, Tensor weight, Tensor bias, boolean relu);

        Tensor crossEntropy(Tensor logits, Tensor targets, double labelSmoothing, long ignoreIndex, boolean mean);
    }

    private static volatile Ops ops;

    private FusedOps() {}

    /** Called once, by {@code org.jgrad.FusedOpsInstaller} when it is initialized. */
    public static void install(Ops implementation) {
        if (ops != null) throw new IllegalStateException("FusedOps.install: already installed");
        ops = implementation;
    }

    /** x·Wᵀ + b for x [N, in], then ReLU when {@code relu}, as one op ({@code org.jgrad.Fused.linear}). */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, boolean relu) {
        return ops().linear(x, weight, bias, relu);
    }

    /** Cross-entropy of logits [N, C] against class indices [N] as one op ({@code org.jgrad.Fused.crossEntropy}). */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, double labelSmoothing, long ignoreIndex,
                                      boolean mean) {
        return ops().crossEntropy(logits, targets, labelSmoothing, ignoreIndex, mean);
    }

    private static Ops ops() {
        Ops o = ops;
        if (o != null) return o;
        try {
            // The installer is package-private in org.jgrad: initializing it by name runs its install call.
            Class.forName("org.jgrad.FusedOpsInstaller", true, FusedOps.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("org.jgrad.FusedOpsInstaller is missing from jgrad-core", e);
        }
        return ops;
    }
}
