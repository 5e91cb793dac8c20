package org.jgrad.nn.estimators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.init.Init;
import org.jgrad.optim.Adam;
import org.jgrad.optim.LBFGS;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.SGD;

/**
 * What {@link MLPClassifier} and {@link MLPRegressor} share: a fully connected network
 * in → hidden… → out with the chosen activation between layers, built and fitted by {@code fit} as
 * scikit-learn does it — Glorot-uniform initial weights and biases, mini-batches in a fresh random
 * order each epoch, an L2 penalty on the weights, and stopping after {@code nIterNoChange} epochs
 * without a {@code tol} improvement. Each {@code fit} starts from scratch; one {@code randomState}
 * gives one result.
 */
public abstract sealed class MLPEstimator permits MLPClassifier, MLPRegressor {
    private final MLPOptions options;
    private Sequential network;
    private int nFeaturesIn;
    private int nIter;
    private final List<Double> lossCurve = new ArrayList<>();
    private final List<Double> validationScores = new ArrayList<>();
    private double bestValidationScore = Double.NaN;
    private long[] validationIndices = new long[0];

    MLPEstimator(MLPOptions options) {
        this.options = Objects.requireNonNull(options, name() + ": options");
    }

    /** The data loss (mean over the batch) of the network's outputs [m, outputs] against prepared targets. */
    abstract Tensor dataLoss(Tensor output, Tensor target);

    /** Accuracy or R² of outputs against prepared targets; higher is better. */
    abstract double validationScore(Tensor output, Tensor target);

    final String name() {
        return getClass().getSimpleName();
    }

    public final MLPOptions options() {
        return options;
    }

    /** Training loss (data loss plus penalty) after each epoch: for SGD and Adam the mean over its batches. */
    public final List<Double> lossCurve() {
        requireFitted("lossCurve");
        return List.copyOf(lossCurve);
    }

    /** Epochs run by the last fit. */
    public final int nIter() {
        requireFitted("nIter");
        return nIter;
    }

    /** With early stopping: the held-out score after each epoch; empty otherwise. */
    public final List<Double> validationScores() {
        requireFitted("validationScores");
        return List.copyOf(validationScores);
    }

    /** With early stopping: the best held-out score (the kept weights score it); NaN otherwise. */
    public final double bestValidationScore() {
        requireFitted("bestValidationScore");
        return bestValidationScore;
    }

    /** Which rows of x the last fit held out for early stopping (for tests). */
    final long[] validationIndices() {
        return validationIndices.clone();
    }

    /** The weight matrix of each layer, [out, in] as in {@link Linear} (live tensors). */
    public final List<Tensor> coefs() {
        requireFitted("coefs");
        List<Tensor> w = new ArrayList<>();
        for (var m : network) if (m instanceof Linear l) w.add(l.weight());
        return w;
    }

    /** The bias of each layer, [out] (live tensors). */
    public final List<Tensor> intercepts() {
        requireFitted("intercepts");
        List<Tensor> b = new ArrayList<>();
        for (var m : network) if (m instanceof Linear l) b.add(l.bias());
        return b;
    }

    /** The fitted network (Linear and activation layers in a Sequential). */
    public final Sequential network() {
        requireFitted("network");
        return network;
    }

    final void requireFitted(String op) {
        if (network == null) throw new IllegalStateException(name() + "." + op + ": call fit first");
    }

    /** Checks x is [n, features] floating point with n ≥ 1 (at fit) or the fitted feature count (after). */
    final void checkInput(String op, Tensor x) {
        Objects.requireNonNull(x, name() + "." + op + ": x");
        if (x.dim() != 2 || !x.dtype().isFloatingPoint() || x.size(0) == 0) {
            throw new IllegalArgumentException(name() + "." + op + ": expected x as floating-point [n, features] with n >= 1, got "
                    + x.dtype() + " " + Arrays.toString(x.shape()));
        }
        if (network != null && !op.equals("fit") && x.size(1) != nFeaturesIn) {
            throw new IllegalArgumentException(name() + "." + op + ": expected x of shape [n, " + nFeaturesIn + "] (as at fit), got "
                    + Arrays.toString(x.shape()));
        }
    }

    /** The network's output, without recording. */
    final Tensor output(Tensor x) {
        try (var _ = Autograd.noGrad()) {
            return network.call(x.to(dtype()));
        }
    }

    final DType dtype() {
        return coefs().get(0).dtype();
    }

    final void fitNetwork(Tensor x, Tensor target, int outputs) {
        MLPOptions o = options;
        Generator gen = new Generator(o.randomState());
        int n = x.size(0);
        nFeaturesIn = x.size(1);
        network = build(nFeaturesIn, outputs, gen);
        network.to(x.dtype());
        lossCurve.clear();
        validationScores.clear();
        bestValidationScore = Double.NaN;
        validationIndices = new long[0];
        nIter = 0;

        Tensor trainX = x, trainT = target, valX = null, valT = null;
        if (o.earlyStopping()) {
            int nVal = (int) Math.ceil(o.validationFraction() * n);
            if (n - nVal < 1) {
                throw new IllegalArgumentException(name() + ".fit: early stopping holds out " + nVal + " of " + n
                        + " examples and leaves none to train on");
            }
            long[] perm = permutation(n, gen);
            validationIndices = Arrays.copyOfRange(perm, 0, nVal);
            Tensor val = Tensor.of(validationIndices, nVal);
            Tensor train = Tensor.of(Arrays.copyOfRange(perm, nVal, n), n - nVal);
            valX = x.indexSelect(0, val);
            valT = target.indexSelect(0, val);
            trainX = x.indexSelect(0, train);
            trainT = target.indexSelect(0, train);
        }

        Optimizer<?> optimizer = switch (o.solver()) {
            case SGD -> new SGD(network.parameters(),
                    SGD.Options.of(o.learningRateInit()).withMomentum(0.9).withNesterov(true));
            case ADAM -> new Adam(network.parameters(), o.learningRateInit());
            case LBFGS -> new LBFGS(network.parameters(), LBFGS.Options.of(1).withMaxIter(1).withMaxEval(25)
                    .withLineSearch(LBFGS.LineSearch.STRONG_WOLFE));
        };

        double bestLoss = Double.POSITIVE_INFINITY;
        double bestScore = Double.NEGATIVE_INFINITY;
        List<Tensor> bestWeights = null;
        int noChange = 0;
        for (int epoch = 1; epoch <= o.maxIter(); epoch++) {
            double loss = optimizer instanceof LBFGS lbfgs
                    ? lbfgsIteration(lbfgs, trainX, trainT)
                    : miniBatchEpoch(optimizer, trainX, trainT, gen);
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException(name() + ".fit: the loss became " + loss + " at epoch " + epoch
                        + "; lower learningRateInit");
            }
            lossCurve.add(loss);
            nIter = epoch;
            if (o.earlyStopping()) {
                double score = validationScore(output(valX), valT);
                validationScores.add(score);
                noChange = score < bestScore + o.tol() ? noChange + 1 : 0;
                if (score > bestScore) {
                    bestScore = score;
                    bestWeights = network.parameters().stream().map(Tensor::copy).toList();
                }
            } else {
                noChange = loss > bestLoss - o.tol() ? noChange + 1 : 0;
                bestLoss = Math.min(bestLoss, loss);
            }
            if (noChange > o.nIterNoChange()) break;
        }
        if (o.earlyStopping()) {
            bestValidationScore = bestScore;
            // the weights of the best epoch, not of the last one the patience let through
            try (var _ = Autograd.noGrad()) {
                List<Tensor> params = network.parameters();
                for (int i = 0; i < params.size(); i++) params.get(i).copyInPlace(bestWeights.get(i));
            }
        }
        for (Tensor p : network.parameters()) p.zeroGrad();
    }

    private Sequential build(int in, int out, Generator gen) {
        Sequential net = new Sequential();
        int[] hidden = options.hiddenLayerSizes();
        int prev = in;
        for (int i = 0; i <= hidden.length; i++) {
            int next = i < hidden.length ? hidden[i] : out;
            Linear layer = new Linear(prev, next, gen);
            // Glorot uniform, scikit-learn's variant: the same bound for the biases, 2 instead of 6 for logistic
            double bound = Math.sqrt((options.activation() == Activation.LOGISTIC ? 2.0 : 6.0) / (prev + next));
            Init.uniform(layer.weight(), -bound, bound, gen);
            Init.uniform(layer.bias(), -bound, bound, gen);
            net.add(layer);
            if (i < hidden.length) net.add(options.activation().module());
            prev = next;
        }
        return net;
    }

    private Tensor objective(Tensor x, Tensor target) {
        Tensor loss = dataLoss(network.call(x), target);
        if (options.alpha() == 0) return loss;
        Tensor squares = null;
        for (Tensor w : coefs()) {
            Tensor s = w.pow(2).sum();
            squares = squares == null ? s : squares.add(s);
        }
        return loss.add(squares.mul(options.alpha() / (2.0 * x.size(0))));
    }

    private double miniBatchEpoch(Optimizer<?> optimizer, Tensor x, Tensor target, Generator gen) {
        int n = x.size(0);
        int batch = Math.min(options.batchSize() == 0 ? 200 : options.batchSize(), n);
        long[] perm = permutation(n, gen);
        double total = 0;
        for (int start = 0; start < n; start += batch) {
            int m = Math.min(batch, n - start);
            Tensor idx = Tensor.of(Arrays.copyOfRange(perm, start, start + m), m);
            optimizer.zeroGrad();
            Tensor loss = objective(x.indexSelect(0, idx), target.indexSelect(0, idx));
            loss.backward();
            optimizer.step();
            total += loss.item() * m;
        }
        return total / n;
    }

    private double lbfgsIteration(LBFGS lbfgs, Tensor x, Tensor target) {
        Supplier<Tensor> closure = () -> {
            lbfgs.zeroGrad();
            Tensor loss = objective(x, target);
            loss.backward();
            return loss;
        };
        lbfgs.step(closure);
        try (var _ = Autograd.noGrad()) {
            return objective(x, target).item();
        }
    }

    /** Fisher–Yates from the estimator's generator. */
    private static long[] permutation(int n, Generator gen) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = gen.nextInt(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Override
    public String toString() {
        return name() + "(" + options + ")";
    }
}
