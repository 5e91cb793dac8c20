package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * Batch normalization (Ioffe and Szegedy, 2015) per channel (dimension 1), over every other
 * dimension; the subclasses say which input ranks they accept, as PyTorch's {@code _BatchNorm} does
 * for {@code BatchNorm1d} and {@code BatchNorm2d}.
 *
 * <p>In training, each channel is normalized with the batch mean and the biased variance (divide by
 * n), and the running statistics move by {@code momentum}: running = (1 − m)·running + m·batch, with
 * the unbiased variance (divide by n − 1) for {@code running_var}; {@code num_batches_tracked}
 * counts the updates. In evaluation, the running statistics normalize. Then, if affine, y = γ·x̂ + β
 * with γ ({@code weight}) initialized to ones and β ({@code bias}) to zeros. Defaults: eps 1e-5,
 * momentum 0.1, affine.
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final boolean affine;

    BatchNorm(int numFeatures, double eps, double momentum, boolean affine) {
        String name = getClass().getSimpleName();
        if (numFeatures <= 0) throw new IllegalArgumentException(name + ": expected numFeatures > 0, got " + numFeatures);
        if (!(eps >= 0)) throw new IllegalArgumentException(name + ": expected eps >= 0, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(name + ": expected 0 <= momentum <= 1, got " + momentum);
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

    /** Throws, naming the layer and the shapes, unless this layer accepts an input of shape {@code s}. */
    abstract void checkInputShape(int[] s);

    public int numFeatures() {
        return numFeatures;
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
        checkInputShape(s);
        // Statistics over every dimension but the channel; per-channel vectors broadcast as [1, C, 1, ...].
        int[] reduced = new int[s.length - 1];
        int[] channelShape = new int[s.length];
        Arrays.fill(channelShape, 1);
        channelShape[1] = numFeatures;
        for (int d = 0, k = 0; d < s.length; d++) if (d != 1) reduced[k++] = d;
        Tensor mean, var;
        if (isTraining()) {
            int n = x.numel() / numFeatures;
            if (n <= 1) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": training needs more than 1 value per"
                        + " channel, got input " + Arrays.toString(s) + " (use eval() for single samples)");
            }
            mean = x.mean(reduced, true);
            var = x.var(reduced, true, 0);
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
