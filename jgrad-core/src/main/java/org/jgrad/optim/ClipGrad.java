package org.jgrad.optim;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.Autograd;
import org.jgrad.Tensor;

/**
 * Gradient clipping, applied between {@code backward()} and {@code step()}. Parameters without a
 * gradient are skipped. Clipped gradients are new tensors set with {@link Tensor#setGrad}: a gradient
 * may share its storage with other tensors of the graph, so it is never changed in place.
 */
public final class ClipGrad {
    private ClipGrad() {}

    /** {@link #byNorm(Iterable, double, double)} with the Euclidean norm. */
    public static double byNorm(Iterable<Tensor> params, double maxNorm) {
        return byNorm(params, maxNorm, 2);
    }

    /**
     * Treats all gradients as one vector g and, when its p-norm exceeds {@code maxNorm} = c, rescales it
     * to g ← c·g/‖g‖ (direction kept, length c); below c nothing changes. {@code normType} is p ≥ 1 or
     * {@link Double#POSITIVE_INFINITY} (largest |gᵢ|). Returns ‖g‖ before clipping. When the norm is NaN
     * or infinite the gradients are left as they are (scaling would turn them all into NaN or 0) and the
     * norm is returned so that the caller can skip the step.
     */
    public static double byNorm(Iterable<Tensor> params, double maxNorm, double normType) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("ClipGrad.byNorm: maxNorm must be >= 0, got " + maxNorm);
        }
        if (!(normType >= 1)) {
            throw new IllegalArgumentException("ClipGrad.byNorm: normType must be >= 1 or infinity, got " + normType);
        }
        List<Tensor> withGrad = withGrad(params);
        try (var _ = Autograd.noGrad()) {
            double total = 0;
            boolean inf = normType == Double.POSITIVE_INFINITY;
            for (Tensor p : withGrad) {
                double n = p.grad().detach().norm(normType).item();
                total = inf ? Math.max(total, n) : total + Math.pow(n, normType);
            }
            if (!inf) total = Math.pow(total, 1 / normType);
            if (Double.isFinite(total) && total > maxNorm) {
                double scale = maxNorm / total;
                for (Tensor p : withGrad) p.setGrad(p.grad().detach().mul(scale));
            }
            return total;
        }
    }

    /** Clamps every gradient component into [−c, c]. */
    public static void byValue(Iterable<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("ClipGrad.byValue: clipValue must be >= 0, got " + clipValue);
        }
        try (var _ = Autograd.noGrad()) {
            for (Tensor p : withGrad(params)) p.setGrad(p.grad().detach().clamp(-clipValue, clipValue));
        }
    }

    private static List<Tensor> withGrad(Iterable<Tensor> params) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : params) if (p.grad() != null) out.add(p);
        return out;
    }
}
