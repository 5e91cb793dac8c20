package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * Batch normalization over the batch (and length) dimensions of [N, C] or [N, C, L] inputs (Ioffe
 * and Szegedy, 2015), as PyTorch's {@code BatchNorm1d}.
 *
 * <p>In training, each channel is normalized with the batch mean and the biased variance (divide by
 * n), and the running statistics move by {@code momentum}: running = (1 − m)·running + m·batch, with
 * the unbiased variance (divide by n − 1) for {@code running_var}; {@code num_batches_tracked}
 * counts the updates. In evaluation, the running statistics normalize. Then, if affine, y = γ·x̂ + β
 * with γ ({@code weight}) initialized to ones and β ({@code bias}) to zeros. Defaults: eps 1e-5,
 * momentum 0.1, affine.
 */
public final class BatchNorm1d extends Module {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final boolean affine;

    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine) {
        if (numFeatures <= 0) throw new IllegalArgumentException("BatchNorm1d: expected numFeatures > 0, got " + numFeatures);
        if (!(eps >= 0)) throw new IllegalArgumentException("BatchNorm1d: expected eps >= 0, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm1d: expected 0 <= momentum <= 1, got " + momentum);
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
        if ((s.length != 2 && s.length != 3) || s[1] != numFeatures) {
            throw new IllegalArgumentException("BatchNorm1d: expected input of shape [N, " + numFeatures + "] or [N, "
                    + numFeatures + ", L], got " + Arrays.toString(s));
        }
        int[] dims = s.length == 2 ? new int[] {0} : new int[] {0, 2};
        // Per-channel vectors broadcast against x as [1, C] or [1, C, 1].
        int[] channelShape = s.length == 2 ? new int[] {1, numFeatures} : new int[] {1, numFeatures, 1};
        Tensor mean, var;
        if (isTraining()) {
            int n = x.numel() / numFeatures;
            if (n <= 1) {
                throw new IllegalArgumentException("BatchNorm1d: training needs more than 1 value per channel, got input "
                        + Arrays.toString(s) + " (use eval() for single samples)");
            }
            mean = x.mean(dims, true);
            var = x.var(dims, true, 0);
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
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + affine;
    }
}
