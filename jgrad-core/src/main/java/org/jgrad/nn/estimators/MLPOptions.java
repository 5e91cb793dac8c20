package org.jgrad.nn.estimators;

import java.util.Arrays;

/**
 * Hyper-parameters of {@link MLPClassifier} and {@link MLPRegressor}, named and defaulted as in
 * scikit-learn: {@code MLPOptions.defaults().withHiddenLayerSizes(16, 16).withSolver(Solver.LBFGS)}.
 *
 * @param hiddenLayerSizes units per hidden layer (default {100})
 * @param activation hidden activation (default RELU)
 * @param solver weight optimizer (default ADAM)
 * @param alpha L2 penalty on the weights (not the biases): (alpha / 2m)·Σ‖W‖² on a batch of m (default 1e-4)
 * @param batchSize mini-batch size for SGD and Adam; 0 means min(200, n) (default 0)
 * @param learningRateInit step of SGD and Adam (default 1e-3)
 * @param maxIter maximum epochs (L-BFGS: iterations) (default 200)
 * @param tol an epoch that does not improve the training loss (or, with early stopping, the
 *     validation score) by at least tol counts as no change (default 1e-4)
 * @param nIterNoChange stop after more than this many epochs in a row without change (default 10)
 * @param earlyStopping hold out validationFraction of the data and stop on its score instead of the
 *     training loss, keeping the best weights seen (default false)
 * @param validationFraction share held out for early stopping (default 0.1)
 * @param randomState seed for the initial weights, the validation split and the batch order (default 0)
 */
public record MLPOptions(int[] hiddenLayerSizes, Activation activation, Solver solver, double alpha, int batchSize,
        double learningRateInit, int maxIter, double tol, int nIterNoChange, boolean earlyStopping,
        double validationFraction, long randomState) {

    public MLPOptions {
        hiddenLayerSizes = hiddenLayerSizes.clone();
        check(hiddenLayerSizes.length > 0 && Arrays.stream(hiddenLayerSizes).allMatch(h -> h > 0),
                "hiddenLayerSizes must be one or more positive sizes, got " + Arrays.toString(hiddenLayerSizes));
        check(activation != null, "activation must not be null");
        check(solver != null, "solver must not be null");
        check(alpha >= 0 && Double.isFinite(alpha), "alpha must be finite and >= 0, got " + alpha);
        check(batchSize >= 0, "batchSize must be >= 0 (0: min(200, n)), got " + batchSize);
        check(learningRateInit > 0 && Double.isFinite(learningRateInit), "learningRateInit must be finite and > 0, got "
                + learningRateInit);
        check(maxIter >= 1, "maxIter must be >= 1, got " + maxIter);
        check(tol >= 0 && !Double.isNaN(tol), "tol must be >= 0, got " + tol);
        check(nIterNoChange >= 1, "nIterNoChange must be >= 1, got " + nIterNoChange);
        check(validationFraction > 0 && validationFraction < 1, "validationFraction must be in (0, 1), got "
                + validationFraction);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("MLPOptions: " + message);
    }

    public static MLPOptions defaults() {
        return new MLPOptions(new int[] {100}, Activation.RELU, Solver.ADAM, 1e-4, 0, 1e-3, 200, 1e-4, 10, false, 0.1, 0);
    }

    @Override
    public int[] hiddenLayerSizes() {
        return hiddenLayerSizes.clone();
    }

    public MLPOptions withHiddenLayerSizes(int... sizes) {
        return new MLPOptions(sizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol, nIterNoChange,
                earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withActivation(Activation activation) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withSolver(Solver solver) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withAlpha(double alpha) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withBatchSize(int batchSize) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withLearningRateInit(double learningRateInit) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withMaxIter(int maxIter) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withTol(double tol) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withNIterNoChange(int nIterNoChange) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withEarlyStopping(boolean earlyStopping) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withValidationFraction(double validationFraction) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    public MLPOptions withRandomState(long randomState) {
        return new MLPOptions(hiddenLayerSizes, activation, solver, alpha, batchSize, learningRateInit, maxIter, tol,
                nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MLPOptions m && Arrays.equals(hiddenLayerSizes, m.hiddenLayerSizes)
                && activation == m.activation && solver == m.solver && Double.compare(alpha, m.alpha) == 0
                && batchSize == m.batchSize && Double.compare(learningRateInit, m.learningRateInit) == 0
                && maxIter == m.maxIter && Double.compare(tol, m.tol) == 0 && nIterNoChange == m.nIterNoChange
                && earlyStopping == m.earlyStopping && Double.compare(validationFraction, m.validationFraction) == 0
                && randomState == m.randomState;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(hiddenLayerSizes) + java.util.Objects.hash(activation, solver, alpha, batchSize,
                learningRateInit, maxIter, tol, nIterNoChange, earlyStopping, validationFraction, randomState);
    }

    @Override
    public String toString() {
        return "MLPOptions[hiddenLayerSizes=" + Arrays.toString(hiddenLayerSizes) + ", activation=" + activation
                + ", solver=" + solver + ", alpha=" + alpha + ", batchSize=" + batchSize + ", learningRateInit="
                + learningRateInit + ", maxIter=" + maxIter + ", tol=" + tol + ", nIterNoChange=" + nIterNoChange
                + ", earlyStopping=" + earlyStopping + ", validationFraction=" + validationFraction + ", randomState="
                + randomState + "]";
    }
}
