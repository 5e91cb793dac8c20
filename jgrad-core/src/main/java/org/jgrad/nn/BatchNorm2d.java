package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * Batch normalization of [N, C, H, W] inputs per channel, over the batch and both spatial
 * dimensions, as PyTorch's {@code BatchNorm2d}: a convolution's channel is one feature seen at
 * every position, so all N·H·W values of a channel share one mean and variance (and one γ, β).
 *
 * <p>Same design as {@link BatchNorm1d}: in training the batch mean and biased variance normalize
 * and the running statistics move by {@code momentum} (running_var with the unbiased variance,
 * divide by N·H·W − 1), counting updates in {@code num_batches_tracked}; in evaluation the running
 * statistics normalize. Then y = γ·x̂ + β if affine (γ = {@code weight} starts at ones, β =
 * {@code bias} at zeros). Defaults: eps 1e-5, momentum 0.1, affine.
 */
public final class BatchNorm2d extends Module {
    private static final int[] REDUCED = {0, 2, 3};
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final boolean affine;

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine) {
        if (numFeatures <= 0) throw new IllegalArgumentException("BatchNorm2d: expected numFeatures > 0, got " + numFeatures);
        if (!(eps >= 0)) throw new IllegalArgumentException("BatchNorm2d: expected eps >= 0, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm2d: expected 0 <= momentum <= 1, got " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        if (affine) {
            registerParameter("weight", Tensor.ones(numFeatures));
            registerParameter("bias", Tensor.zeros(numFeatures));
        }
        registerBuffer("running_mean", Tensor.zeros(numFeatures));
        registerBuffer("running_var", Tensor.ones(numFeatures));
        registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
    }

    public Tensor weight() {
        return affine ? parameter("weight") : null;
    }

    public Tensor bias() {
        return affine ? parameter("bias") : null;
    }

    public Tensor runningMean() {
        return buffer("running_mean");
    }

    public Tensor runningVar() {
        return buffer("running_var");
    }

    public long numBatchesTracked() {
        return (long) buffer("num_batches_tracked").item();
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length != 4 || s[1] != numFeatures) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + numFeatures + ", H, W], got "
                    + Arrays.toString(s));
        }
        int[] channelShape = {1, numFeatures, 1, 1};
        Tensor mean, var;
        if (isTraining()) {
            int n = x.numel() / numFeatures;
            if (n <= 1) {
                throw new IllegalArgumentException("BatchNorm2d: training needs more than 1 value per channel, got input "
                        + Arrays.toString(s) + " (use eval() for single values)");
            }
            mean = x.mean(REDUCED, true);
            var = x.var(REDUCED, true, 0);
            try (var _ = Autograd.noGrad()) {
                Tensor rm = runningMean(), rv = runningVar();
                Tensor batchMean = mean.detach().reshape(numFeatures).to(rm.dtype());
                Tensor unbiased = var.detach().reshape(numFeatures).mul((double) n / (n - 1)).to(rv.dtype());
                rm.mulInPlace(1 - momentum).addInPlace(batchMean.mul(momentum));
                rv.mulInPlace(1 - momentum).addInPlace(unbiased.mul(momentum));
                Tensor count = buffer("num_batches_tracked");
                count.fillInPlace(count.item() + 1);
            }
        } else {
            mean = runningMean().reshape(channelShape);
            var = runningVar().reshape(channelShape);
        }
        Tensor y = x.sub(mean).div(var.add(eps).sqrt());
        if (affine) y = y.mul(weight().reshape(channelShape)).add(bias().reshape(channelShape));
        return y;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Repr.number(eps) + ", momentum=" + Repr.number(momentum) + ", affine="
                + Repr.bool(affine) + ", track_running_stats=True";
    }
}
