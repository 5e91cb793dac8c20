package org.jgrad.nn;

import java.util.Arrays;
import java.util.Objects;
import org.jgrad.DType;
import org.jgrad.Function;
import org.jgrad.Tensor;
import org.jgrad.internal.FusedOps;

/**
 * Loss functions on tensors, in functional form as {@code torch.nn.functional}: each returns a
 * tensor recorded in the autograd graph, so {@code loss.backward()} reaches the inputs (and the
 * targets, where the loss is differentiable in them).
 *
 * <p>The common call is short — {@code Losses.crossEntropy(logits, targets)}, {@code Losses.mse(y, t)}
 * — and averages ({@link Reduction#MEAN}). A {@link Reduction} argument or an options record
 * ({@link CrossEntropyOptions}, {@link NllOptions}, {@link BceOptions}, {@link KlDivOptions}) chooses
 * the rest, e.g. {@code crossEntropy(logits, targets, CrossEntropyOptions.defaults().labelSmoothing(0.1))}.
 *
 * <p>Elementwise losses require the input and the target to have the same shape: PyTorch broadcasts
 * them with a warning, and an input [N, 1] against a target [N] silently becomes an [N, N] loss —
 * almost always a bug, so here it is an error.
 *
 * <p>Every loss is written with tensor ops, except the probability form of binary cross-entropy,
 * whose backward follows PyTorch's bounded formula; second derivatives therefore work too.
 */
public final class Losses {
    private Losses() {}

    /** PyTorch clamps the logarithms in binary cross-entropy to this, so p = 0 or 1 gives a finite loss. */
    private static final double LOG_FLOOR = -100;
    /** PyTorch bounds the denominator p·(1 − p) of the binary cross-entropy gradient by this. */
    private static final double BCE_GRAD_EPS = 1e-12;
    /** Keeps soft F1 finite when there are neither predicted nor true positives (F1 is then 0). */
    private static final double F1_EPS = 1e-8;

    // ================================================================ regression

    /** Mean squared error, (input − target)², averaged. */
    public static Tensor mse(Tensor input, Tensor target) {
        return mse(input, target, Reduction.MEAN);
    }

    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        sameShape("mse", input, target);
        Tensor d = input.sub(target);
        return reduce(d.mul(d), reduction);
    }

    /** Mean absolute error, |input − target|, averaged (the gradient at 0 is 0, as PyTorch). */
    public static Tensor l1(Tensor input, Tensor target) {
        return l1(input, target, Reduction.MEAN);
    }

    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        sameShape("l1", input, target);
        return reduce(input.sub(target).abs(), reduction);
    }

    /** Huber loss with δ = 1 (equal to {@link #smoothL1} with β = 1), averaged. */
    public static Tensor huber(Tensor input, Tensor target) {
        return huber(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Huber loss as torch.nn.functional.huber_loss: ½d² where |d| &lt; δ, else δ·(|d| − ½δ), with
     * d = input − target. Quadratic near 0, linear (slope δ) beyond, continuous in value and slope.
     */
    public static Tensor huber(Tensor input, Tensor target, double delta, Reduction reduction) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("huber: delta must be positive and finite, got " + delta);
        }
        sameShape("huber", input, target);
        Tensor d = input.sub(target);
        Tensor a = d.abs();
        Tensor quadratic = d.mul(d).mul(0.5);
        Tensor linear = a.sub(0.5 * delta).mul(delta);
        return reduce(Tensor.where(a.lt(delta), quadratic, linear), reduction);
    }

    /** Smooth L1 loss with β = 1, averaged. */
    public static Tensor smoothL1(Tensor input, Tensor target) {
        return smoothL1(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Smooth L1 loss as torch.nn.functional.smooth_l1_loss: ½d²/β where |d| &lt; β, else |d| − ½β.
     * It is Huber divided by β (slope 1 beyond β); β = 0 gives the L1 loss.
     */
    public static Tensor smoothL1(Tensor input, Tensor target, double beta, Reduction reduction) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("smoothL1: beta must be >= 0 and finite, got " + beta);
        }
        sameShape("smoothL1", input, target);
        Tensor d = input.sub(target);
        Tensor a = d.abs();
        if (beta == 0) return reduce(a, reduction);
        Tensor quadratic = d.mul(d).mul(0.5 / beta);
        Tensor linear = a.sub(0.5 * beta);
        return reduce(Tensor.where(a.lt(beta), quadratic, linear), reduction);
    }

    /**
     * Symmetric mean absolute percentage error: |ŷ − y| / (|ŷ| + |y|) per element, averaged, so each
     * term lies in [0, 1] (some texts double it to [0, 2]; this one does not). Where ŷ = y = 0 the
     * term is 0/0, defined as 0 (a perfect prediction), with gradient 0.
     */
    public static Tensor smape(Tensor input, Tensor target) {
        return smape(input, target, Reduction.MEAN);
    }

    public static Tensor smape(Tensor input, Tensor target, Reduction reduction) {
        sameShape("smape", input, target);
        Tensor denominator = input.abs().add(target.abs());
        // Where the denominator is 0 so is the numerator; dividing by 1 there gives the defined 0
        // and keeps 0/0 out of the gradient too.
        Tensor safe = Tensor.where(denominator.eq(0), Tensor.scalar(denominator.dtype(), 1), denominator);
        return reduce(input.sub(target).abs().div(safe), reduction);
    }

    // ================================================================ binary classification

    /**
     * Optional arguments of {@link #bce} and {@link #bceWithLogits}: {@code weight} rescales each
     * element's loss (broadcast to the input's shape); {@code posWeight} multiplies the loss of
     * positive targets (broadcast, typically one value per class along the last dimension; only
     * {@code bceWithLogits}); either may be null.
     */
    public record BceOptions(Tensor weight, Tensor posWeight, Reduction reduction) {
        public BceOptions {
            Objects.requireNonNull(reduction, "BceOptions: reduction");
        }

        public static BceOptions defaults() {
            return new BceOptions(null, null, Reduction.MEAN);
        }

        public BceOptions weight(Tensor weight) {
            return new BceOptions(weight, posWeight, reduction);
        }

        public BceOptions posWeight(Tensor posWeight) {
            return new BceOptions(weight, posWeight, reduction);
        }

        public BceOptions reduction(Reduction reduction) {
            return new BceOptions(weight, posWeight, reduction);
        }
    }

    /** Binary cross-entropy of probabilities, averaged. */
    public static Tensor bce(Tensor probabilities, Tensor target) {
        return bce(probabilities, target, BceOptions.defaults());
    }

    /**
     * Binary cross-entropy of probabilities p ∈ [0, 1] (after a sigmoid), as
     * torch.nn.functional.binary_cross_entropy: −w·(y·log p + (1 − y)·log(1 − p)) with each log clamped
     * to ≥ −100, so p = 0 or 1 gives a finite loss. The gradient is PyTorch's w·(p − y) / max(p(1 − p), 1e-12).
     * Prefer {@link #bceWithLogits} on the logits: it is exact where the sigmoid has saturated.
     */
    public static Tensor bce(Tensor probabilities, Tensor target, BceOptions options) {
        String op = "bce";
        sameShape(op, probabilities, target);
        if (options.posWeight() != null) {
            throw new IllegalArgumentException("bce: posWeight is only supported by bceWithLogits");
        }
        double[] p = probabilities.toDoubleArray();
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("bce: input must hold probabilities in [0, 1], found " + p[i]
                        + " at flat index " + i + " of shape " + str(probabilities)
                        + " (for logits use bceWithLogits)");
            }
        }
        Tensor loss = new BinaryCrossEntropy().apply(probabilities, target);
        return reduce(weighted(op, loss, options.weight()), options.reduction());
    }

    /** Binary cross-entropy of logits, averaged. */
    public static Tensor bceWithLogits(Tensor logits, Tensor target) {
        return bceWithLogits(logits, target, BceOptions.defaults());
    }

    /**
     * Binary cross-entropy of logits z, as torch.nn.functional.binary_cross_entropy_with_logits:
     * −w·(pw·y·log σ(z) + (1 − y)·log(1 − σ(z))), computed without forming σ(z) as
     * (1 − y)·z + (1 + (pw − 1)·y)·softplus(−z). With pw = 1 this is the familiar
     * max(z, 0) − z·y + log(1 + e^(−|z|)); it stays finite (and so does its gradient) for any z.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target, BceOptions options) {
        String op = "bceWithLogits";
        sameShape(op, logits, target);
        Tensor softplusNeg = logits.neg().softplus();
        Tensor logWeight = options.posWeight() == null
                ? null
                : target.mul(broadcastable(op, "posWeight", options.posWeight(), logits).sub(1)).add(1);
        Tensor loss = target.neg().add(1).mul(logits)
                .add(logWeight == null ? softplusNeg : logWeight.mul(softplusNeg));
        return reduce(weighted(op, loss, options.weight()), options.reduction());
    }

    /** Logistic loss for ±1 labels, averaged. */
    public static Tensor logistic(Tensor scores, Tensor labels) {
        return logistic(scores, labels, Reduction.MEAN);
    }

    /**
     * Logistic loss for labels y ∈ {−1, +1}: −log σ(y·z) = softplus(−y·z) = log(1 + e^(−y·z)), stable
     * for any score z. PyTorch calls it soft_margin_loss. For 0/1 labels use {@link #bceWithLogits}
     * (the same loss with y' = 2y − 1).
     */
    public static Tensor logistic(Tensor scores, Tensor labels, Reduction reduction) {
        Tensor y = signLabels("logistic", scores, labels);
        return reduce(scores.mul(y).neg().softplus(), reduction);
    }

    /** Hinge loss for ±1 labels, averaged. */
    public static Tensor hinge(Tensor scores, Tensor labels) {
        return hinge(scores, labels, Reduction.MEAN);
    }

    /**
     * Hinge loss for labels y ∈ {−1, +1}: max(0, 1 − y·z), the loss of a linear SVM (gradient 0 at the
     * kink, as relu).
     */
    public static Tensor hinge(Tensor scores, Tensor labels, Reduction reduction) {
        Tensor y = signLabels("hinge", scores, labels);
        return reduce(scores.mul(y).neg().add(1).relu(), reduction);
    }

    /**
     * Soft F1 loss, 1 − F1, for binary targets y ∈ [0, 1] and probabilities p of the same shape, all
     * elements pooled. F1 comes from a soft confusion matrix — the probabilities are not rounded, so
     * the loss is differentiable: TP = Σp·y, FP = Σp·(1 − y), FN = Σ(1 − p)·y,
     * F1 = 2TP / (2TP + FP + FN + ε) with ε = 1e-8 (so F1 = 0, loss 1, when p and y are all 0).
     * Returns a scalar.
     */
    public static Tensor softF1(Tensor probabilities, Tensor target) {
        sameShape("softF1", probabilities, target);
        return softF1Score(probabilities, target, null).neg().add(1);
    }

    /**
     * Macro soft F1 loss, 1 − mean over classes of the soft F1 (see {@link #softF1}) of each class, for
     * probabilities [N, C] (a softmax, or independent sigmoids) and one-hot (or multi-label) targets
     * [N, C]. Each class counts equally however rare it is. Returns a scalar.
     */
    public static Tensor softF1Macro(Tensor probabilities, Tensor target) {
        sameShape("softF1Macro", probabilities, target);
        if (probabilities.dim() != 2) {
            throw new IllegalArgumentException("softF1Macro: expected probabilities and targets of shape [N, C], got "
                    + str(probabilities));
        }
        return softF1Score(probabilities, target, new int[] {0}).mean().neg().add(1);
    }

    private static Tensor softF1Score(Tensor p, Tensor y, int[] dims) {
        Tensor notY = y.neg().add(1);
        Tensor tp = sum(p.mul(y), dims);
        Tensor fp = sum(p.mul(notY), dims);
        Tensor fn = sum(p.neg().add(1).mul(y), dims);
        Tensor twoTp = tp.mul(2);
        return twoTp.div(twoTp.add(fp).add(fn).add(F1_EPS));
    }

    private static Tensor sum(Tensor t, int[] dims) {
        return dims == null ? t.sum() : t.sum(dims, false);
    }

    // ================================================================ multi-class

    /**
     * Optional arguments of {@link #crossEntropy}, as torch.nn.functional.cross_entropy:
     * {@code weight} [C] rescales each class (null: all 1); targets equal to {@code ignoreIndex} add
     * nothing and do not count in the mean (class-index targets only); {@code labelSmoothing} ε ∈ [0, 1]
     * mixes the target with the uniform distribution, (1 − ε)·target + ε/C.
     */
    public record CrossEntropyOptions(Tensor weight, long ignoreIndex, double labelSmoothing, Reduction reduction) {
        public CrossEntropyOptions {
            Objects.requireNonNull(reduction, "CrossEntropyOptions: reduction");
            if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
                throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
            }
        }

        /** No weights, ignoreIndex −100, no smoothing, mean. */
        public static CrossEntropyOptions defaults() {
            return new CrossEntropyOptions(null, -100, 0, Reduction.MEAN);
        }

        public CrossEntropyOptions weight(Tensor weight) {
            return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
        }

        public CrossEntropyOptions ignoreIndex(long ignoreIndex) {
            return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
        }

        public CrossEntropyOptions labelSmoothing(double labelSmoothing) {
            return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
        }

        public CrossEntropyOptions reduction(Reduction reduction) {
            return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
        }
    }

    /** Optional arguments of {@link #nll}: class {@code weight} [C] (or null), {@code ignoreIndex}, reduction. */
    public record NllOptions(Tensor weight, long ignoreIndex, Reduction reduction) {
        public NllOptions {
            Objects.requireNonNull(reduction, "NllOptions: reduction");
        }

        /** No weights, ignoreIndex −100, mean. */
        public static NllOptions defaults() {
            return new NllOptions(null, -100, Reduction.MEAN);
        }

        public NllOptions weight(Tensor weight) {
            return new NllOptions(weight, ignoreIndex, reduction);
        }

        public NllOptions ignoreIndex(long ignoreIndex) {
            return new NllOptions(weight, ignoreIndex, reduction);
        }

        public NllOptions reduction(Reduction reduction) {
            return new NllOptions(weight, ignoreIndex, reduction);
        }
    }

    /** Cross-entropy of logits against class indices or class probabilities, averaged. */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, targets, CrossEntropyOptions.defaults());
    }

    /**
     * Cross-entropy from logits, as torch.nn.functional.cross_entropy, computed through
     * {@link Tensor#logSoftmax} so it stays finite for any logits. Logits are [N, C], or [N, C, d1, ...]
     * with the classes in dimension 1 (or [C] for one sample). Targets are either
     * <ul>
     *   <li>int64 class indices of shape [N] (or [N, d1, ...], or [] for one sample): the loss of an
     *       element is −w[t]·log softmax(z)[t]; with smoothing ε it is
     *       (1 − ε)·(that) + (ε/C)·Σ_c −w[c]·log softmax(z)[c]. {@link Reduction#MEAN} divides the sum
     *       by Σ w[t] over the targets that are not {@code ignoreIndex} (their count without weights);
     *       if all are ignored that is 0/0 = NaN, as in PyTorch;</li>
     *   <li>or floating class probabilities of the logits' shape: −Σ_c w[c]·q[c]·log softmax(z)[c] with
     *       q smoothed as above; {@link Reduction#MEAN} divides by the number of samples (N·d1·…) and
     *       {@code ignoreIndex} does not apply. These targets are differentiable.</li>
     * </ul>
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, CrossEntropyOptions options) {
        String op = "crossEntropy";
        floating(op, "logits", logits);
        if (logits.dim() == 1) {
            // One sample: treat it as a batch of one, then drop the batch dimension again.
            boolean indices = targets.dtype() == DType.INT64;
            if (indices ? targets.dim() != 0 : !Arrays.equals(targets.shape(), logits.shape())) {
                throw new IllegalArgumentException(op + ": logits " + str(logits) + " (one sample) need a class"
                        + " index target of shape [] (int64) or class probabilities of shape " + str(logits)
                        + ", got " + targets.dtype() + " " + str(targets));
            }
            Tensor out = crossEntropy(logits.unsqueeze(0), targets.unsqueeze(0), options);
            return options.reduction() == Reduction.NONE ? out.squeeze(0) : out;
        }
        if (logits.dim() < 2) {
            throw new IllegalArgumentException(op + ": logits must have shape [N, C] or [N, C, d1, ...] (or [C]"
                    + " for one sample), got " + str(logits));
        }
        int classes = logits.size(1);
        Tensor weight = classWeight(op, "logits", options.weight(), logits);
        double eps = options.labelSmoothing();
        if (logits.dim() == 2 && weight == null && options.reduction() != Reduction.NONE && targets.dtype() == DType.INT64
                && targets.dim() == 1 && targets.size(0) == logits.size(0)) {
            // The training step's case: one fused op instead of log-softmax, gather, smoothing and mean.
            return FusedOps.crossEntropy(logits, targets, eps, options.ignoreIndex(), options.reduction() == Reduction.MEAN);
        }
        Tensor logp = logits.logSoftmax(1);
        if (targets.dtype() != DType.INT64) {
            if (!Arrays.equals(targets.shape(), logits.shape())) {
                throw new IllegalArgumentException(op + ": targets " + str(targets) + " are " + targets.dtype()
                        + "; class indices must be int64 (class probabilities must have the logits' shape "
                        + str(logits) + ")");
            }
            Tensor q = eps > 0 ? targets.mul(1 - eps).add(eps / classes) : targets;
            Tensor term = logp.mul(q);
            if (weight != null) term = term.mul(weight);
            return reduce(term.sum(1, false).neg(), options.reduction());
        }
        return classIndexLoss(op, "logits", logp, targets, weight, options.ignoreIndex(), eps, options.reduction());
    }

    /** Negative log-likelihood of log-probabilities against class indices, averaged. */
    public static Tensor nll(Tensor logProbabilities, Tensor targets) {
        return nll(logProbabilities, targets, NllOptions.defaults());
    }

    /**
     * Negative log-likelihood, as torch.nn.functional.nll_loss: −w[t]·input[t] for log-probabilities
     * [N, C] (or [N, C, d1, ...], or [C]; e.g. from {@link Tensor#logSoftmax}) and int64 class indices
     * [N] (or [N, d1, ...], or []). {@link Reduction#MEAN} divides by Σ w[t] over non-ignored targets.
     * {@code nll(x.logSoftmax(1), t)} equals {@code crossEntropy(x, t)}.
     */
    public static Tensor nll(Tensor logProbabilities, Tensor targets, NllOptions options) {
        String op = "nll";
        floating(op, "input", logProbabilities);
        if (targets.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": targets must be int64 class indices, got "
                    + targets.dtype() + " " + str(targets));
        }
        if (logProbabilities.dim() == 1) {
            if (targets.dim() != 0) {
                throw new IllegalArgumentException(op + ": input " + str(logProbabilities) + " (one sample) needs a"
                        + " target of shape [], got " + str(targets));
            }
            Tensor out = nll(logProbabilities.unsqueeze(0), targets.unsqueeze(0), options);
            return options.reduction() == Reduction.NONE ? out.squeeze(0) : out;
        }
        if (logProbabilities.dim() < 2) {
            throw new IllegalArgumentException(op + ": input must have shape [N, C] or [N, C, d1, ...] (or [C]"
                    + " for one sample), got " + str(logProbabilities));
        }
        Tensor weight = classWeight(op, "input", options.weight(), logProbabilities);
        return classIndexLoss(op, "input", logProbabilities, targets, weight, options.ignoreIndex(), 0,
                options.reduction());
    }

    /**
     * The loss of log-probabilities [N, C, ...] against int64 indices [N, ...]; weight is null or
     * already shaped [1, C, 1, ...].
     */
    private static Tensor classIndexLoss(String op, String inputName, Tensor logp, Tensor targets, Tensor weight,
            long ignoreIndex, double eps, Reduction reduction) {
        Objects.requireNonNull(reduction, op + ": reduction");
        int[] ls = logp.shape(), ts = targets.shape();
        if (ts.length != ls.length - 1) {
            int[] expected = withoutClassDim(ls);
            throw new IllegalArgumentException(op + ": " + inputName + " " + Arrays.toString(ls) + " need int64 class"
                    + " index targets of shape " + Arrays.toString(expected) + ", got " + Arrays.toString(ts));
        }
        if (ts[0] != ls[0]) {
            throw new IllegalArgumentException(op + ": " + inputName + " " + Arrays.toString(ls) + " and targets "
                    + Arrays.toString(ts) + " disagree on the batch size");
        }
        for (int k = 1; k < ts.length; k++) {
            if (ts[k] != ls[k + 1]) {
                throw new IllegalArgumentException(op + ": " + inputName + " " + Arrays.toString(ls) + " and targets "
                        + Arrays.toString(ts) + " disagree on the dimensions after the classes: targets should be "
                        + Arrays.toString(withoutClassDim(ls)));
            }
        }
        int classes = ls[1];
        long[] t = targets.toLongArray();
        long[] safe = new long[t.length];
        double[] keep = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            if (t[i] == ignoreIndex) continue; // safe index 0, weight 0
            if (t[i] < 0 || t[i] >= classes) {
                throw new IllegalArgumentException(op + ": target " + t[i] + " (at flat index " + i + " of targets "
                        + Arrays.toString(ts) + ") is out of range for " + classes + " classes (expected 0 ≤ target < "
                        + classes + ", or ignoreIndex " + ignoreIndex + ")");
            }
            safe[i] = t[i];
            keep[i] = 1;
        }
        Tensor index = Tensor.of(safe, ts);
        Tensor kept = Tensor.of(keep, ts).to(logp.dtype());
        Tensor picked = logp.gather(1, index.unsqueeze(1)).squeeze(1);
        // The weight of each target's class, 0 for ignored ones; its sum is the weighted mean's divisor.
        Tensor targetWeight = weight == null
                ? kept
                : weight.reshape(classes).indexSelect(0, index.flatten()).reshape(ts).mul(kept);
        Tensor loss = picked.mul(targetWeight).neg();
        if (eps > 0) {
            Tensor all = weight == null ? logp : logp.mul(weight);
            Tensor smooth = all.sum(1, false).neg().mul(kept);
            loss = loss.mul(1 - eps).add(smooth.mul(eps / classes));
        }
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.sum().div(targetWeight.sum());
        };
    }

    private static int[] withoutClassDim(int[] shape) {
        int[] out = new int[shape.length - 1];
        out[0] = shape[0];
        System.arraycopy(shape, 2, out, 1, shape.length - 2);
        return out;
    }

    /** The class weight [C] checked and shaped [1, C, 1, ...] to broadcast against input; null stays null. */
    private static Tensor classWeight(String op, String inputName, Tensor weight, Tensor input) {
        if (weight == null) return null;
        int classes = input.size(1);
        if (!weight.dtype().isFloatingPoint() || weight.dim() != 1 || weight.size(0) != classes) {
            throw new IllegalArgumentException(op + ": weight must be a floating tensor of shape [" + classes
                    + "] (one per class of " + inputName + " " + str(input) + "), got " + weight.dtype() + " " + str(weight));
        }
        int[] shape = new int[input.dim()];
        Arrays.fill(shape, 1);
        shape[1] = classes;
        return weight.reshape(shape);
    }

    // ================================================================ distributions

    /** How {@link #klDiv} reduces: as PyTorch's kl_div, with {@code batchmean} besides the usual three. */
    public enum KlDivReduction {
        /** Average over all elements — PyTorch's default, but not the KL divergence of the rows. */
        MEAN,
        /** Sum divided by the batch size (dimension 0): the mean KL divergence per sample. */
        BATCH_MEAN,
        SUM,
        NONE
    }

    /**
     * Optional arguments of {@link #klDiv}: the reduction and whether the target holds log-probabilities
     * ({@code logTarget}) rather than probabilities.
     */
    public record KlDivOptions(KlDivReduction reduction, boolean logTarget) {
        public KlDivOptions {
            Objects.requireNonNull(reduction, "KlDivOptions: reduction");
        }

        /** Elementwise mean, probability target (PyTorch's defaults). */
        public static KlDivOptions defaults() {
            return new KlDivOptions(KlDivReduction.MEAN, false);
        }

        public KlDivOptions reduction(KlDivReduction reduction) {
            return new KlDivOptions(reduction, logTarget);
        }

        public KlDivOptions logTarget(boolean logTarget) {
            return new KlDivOptions(reduction, logTarget);
        }
    }

    /** KL divergence of log-probabilities against probabilities, averaged over all elements (as PyTorch). */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return klDiv(input, target, KlDivOptions.defaults());
    }

    /**
     * Kullback–Leibler divergence KL(target ‖ model) as torch.nn.functional.kl_div: the input holds the
     * model's log-probabilities, the target probabilities q (or log-probabilities with
     * {@code logTarget}). Per element q·(log q − input), with 0·log 0 = 0; with logTarget
     * e^t·(t − input). {@link KlDivReduction#BATCH_MEAN} gives the true mean KL per sample. The loss is
     * differentiable in the target too.
     */
    public static Tensor klDiv(Tensor input, Tensor target, KlDivOptions options) {
        String op = "klDiv";
        sameShape(op, input, target);
        Tensor pointwise;
        if (options.logTarget()) {
            pointwise = target.exp().mul(target.sub(input));
        } else {
            // q·log q with 0·log 0 = 0: log is taken of 1 where q = 0, which also keeps the gradient finite.
            Tensor safe = Tensor.where(target.eq(0), Tensor.scalar(target.dtype(), 1), target);
            pointwise = target.mul(safe.log().sub(input));
        }
        return switch (options.reduction()) {
            case NONE -> pointwise;
            case SUM -> pointwise.sum();
            case MEAN -> pointwise.mean();
            case BATCH_MEAN -> input.dim() == 0 ? pointwise.sum() : pointwise.sum().div(input.size(0));
        };
    }

    // ================================================================ helpers

    private static Tensor reduce(Tensor perElement, Reduction reduction) {
        return switch (Objects.requireNonNull(reduction, "reduction")) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
        };
    }

    private static void floating(String op, String name, Tensor t) {
        Objects.requireNonNull(t, op + ": " + name);
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": " + name + " must be floating point, got " + t.dtype() + " "
                    + str(t));
        }
    }

    private static void sameShape(String op, Tensor input, Tensor target) {
        floating(op, "input", input);
        floating(op, "target", target);
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input " + str(input) + " and target " + str(target)
                    + " must have the same shape (broadcasting a loss is almost always a bug; reshape one of them)");
        }
    }

    /** ±1 labels for scores' dtype; anything else is an error, since 0/1 labels silently break these losses. */
    private static Tensor signLabels(String op, Tensor scores, Tensor labels) {
        floating(op, "scores", scores);
        Objects.requireNonNull(labels, op + ": labels");
        if (!Arrays.equals(scores.shape(), labels.shape())) {
            throw new IllegalArgumentException(op + ": scores " + str(scores) + " and labels " + str(labels)
                    + " must have the same shape");
        }
        double[] y = labels.toDoubleArray();
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 1 && y[i] != -1) {
                throw new IllegalArgumentException(op + ": labels must be -1 or +1, found " + y[i] + " at flat index "
                        + i + " of shape " + str(labels) + " (for 0/1 labels pass 2·y − 1, or use bceWithLogits)");
            }
        }
        return labels.dtype().isFloatingPoint() ? labels : labels.to(scores.dtype());
    }

    private static Tensor weighted(String op, Tensor loss, Tensor weight) {
        return weight == null ? loss : loss.mul(broadcastable(op, "weight", weight, loss));
    }

    /** Checks that {@code t} broadcasts to {@code like}'s shape without enlarging it. */
    private static Tensor broadcastable(String op, String name, Tensor t, Tensor like) {
        floating(op, name, t);
        int[] s = t.shape(), target = like.shape();
        boolean ok = s.length <= target.length;
        for (int k = 1; ok && k <= s.length; k++) {
            int a = s[s.length - k], b = target[target.length - k];
            ok = a == b || a == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": " + name + " " + str(t) + " does not broadcast to the input's"
                    + " shape " + str(like));
        }
        return t;
    }

    private static String str(Tensor t) {
        return Arrays.toString(t.shape());
    }

    /**
     * Binary cross-entropy of probabilities per element, with PyTorch's clamped logs in the forward and
     * its bounded gradient (p − y)/max(p(1 − p), 1e-12): differentiating the clamped logs would give
     * 1/p, which overflows float32 near p = 0 and is 0·∞ = NaN at p = 0. Its forward-mode rule
     * uses the same bounded derivatives.
     */
    private static final class BinaryCrossEntropy extends Function {
        @Override
        protected String name() {
            return "bce";
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor p = in[0], y = in[1];
            ctx.saveForBackward(p, y);
            Tensor oneMinusP = p.neg().add(1);
            return y.mul(clampedLog(p)).add(y.neg().add(1).mul(clampedLog(oneMinusP))).neg();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor p = ctx.savedTensors()[0], y = ctx.savedTensors()[1];
            Tensor oneMinusP = p.neg().add(1);
            Tensor gp = null, gy = null;
            if (ctx.needsInputGrad(0)) {
                Tensor denominator = p.mul(oneMinusP).clamp(BCE_GRAD_EPS, Double.POSITIVE_INFINITY);
                gp = g.mul(p.sub(y)).div(denominator);
            }
            if (ctx.needsInputGrad(1)) {
                gy = g.mul(clampedLog(oneMinusP).sub(clampedLog(p)));
            }
            return new Tensor[] {gp, gy};
        }

        /** The tangent along the same bounded derivatives as backward: ṗ·(p − y)/max(p(1 − p), 1e-12) + ẏ·(log(1 − p) − log p). */
        @Override
        protected Tensor jvp(Context ctx, Tensor... tangents) {
            Tensor p = ctx.savedTensors()[0], y = ctx.savedTensors()[1];
            Tensor oneMinusP = p.neg().add(1);
            Tensor denominator = p.mul(oneMinusP).clamp(BCE_GRAD_EPS, Double.POSITIVE_INFINITY);
            return tangents[0].mul(p.sub(y)).div(denominator)
                    .add(tangents[1].mul(clampedLog(oneMinusP).sub(clampedLog(p))));
        }

        /** max(log x, −100) for x ≥ 0, with log 0 never formed (so no 0·∞ in its gradient either). */
        private static Tensor clampedLog(Tensor x) {
            Tensor positive = x.gt(0);
            Tensor safe = Tensor.where(positive, x, Tensor.scalar(x.dtype(), 1));
            return Tensor.where(positive, safe.log(), Tensor.scalar(x.dtype(), LOG_FLOOR))
                    .clamp(LOG_FLOOR, Double.POSITIVE_INFINITY);
        }
    }
}
