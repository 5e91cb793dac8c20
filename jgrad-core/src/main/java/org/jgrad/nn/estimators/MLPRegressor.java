package org.jgrad.nn.estimators;

import java.util.Arrays;
import org.jgrad.Tensor;
import org.jgrad.nn.Losses;

/**
 * A multi-layer perceptron regressor in the manner of scikit-learn's: linear outputs trained on half
 * the mean squared error plus the L2 penalty (the loss scikit-learn reports).
 *
 * <pre>{@code
 * var reg = new MLPRegressor(MLPOptions.defaults().withHiddenLayerSizes(32).withSolver(Solver.LBFGS));
 * reg.fit(x, y);                   // x float [n, d], y float [n] or [n, k]
 * double r2 = reg.score(x, y);
 * }</pre>
 */
public final class MLPRegressor extends MLPEstimator {
    private boolean vectorTarget;

    public MLPRegressor() {
        this(MLPOptions.defaults());
    }

    public MLPRegressor(MLPOptions options) {
        super(options);
    }

    /** Fits to targets y, floating point [n] or [n, k]. */
    public MLPRegressor fit(Tensor x, Tensor y) {
        checkInput("fit", x);
        Tensor t = targets("fit", x, y);
        vectorTarget = y.dim() == 1;
        fitNetwork(x, t.to(x.dtype()), t.size(1));
        return this;
    }

    /** Predictions, [n] if fitted to [n] targets, else [n, k]. */
    public Tensor predict(Tensor x) {
        requireFitted("predict");
        checkInput("predict", x);
        Tensor out = output(x);
        return vectorTarget ? out.squeeze(1) : out;
    }

    /** The coefficient of determination R² = 1 − SS_res / SS_tot, averaged over the outputs. */
    public double score(Tensor x, Tensor y) {
        Tensor t = targets("score", x, y);
        return r2(predict(x).reshape(t.shape()), t);
    }

    @Override
    Tensor dataLoss(Tensor output, Tensor target) {
        return Losses.mse(output, target).mul(0.5);
    }

    @Override
    double validationScore(Tensor output, Tensor target) {
        return r2(output, target);
    }

    static double r2(Tensor prediction, Tensor target) {
        int n = target.size(0), k = target.size(1);
        double[] p = prediction.toDoubleArray(), y = target.toDoubleArray();
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += y[i * k + j] / n;
            double res = 0, tot = 0;
            for (int i = 0; i < n; i++) {
                res += Math.pow(y[i * k + j] - p[i * k + j], 2);
                tot += Math.pow(y[i * k + j] - mean, 2);
            }
            // scikit-learn's convention for a constant target: perfect (1) or not (0)
            sum += tot == 0 ? (res == 0 ? 1 : 0) : 1 - res / tot;
        }
        return sum / k;
    }

    private static Tensor targets(String op, Tensor x, Tensor y) {
        if (y == null || !y.dtype().isFloatingPoint() || (y.dim() != 1 && y.dim() != 2) || y.size(0) != x.size(0)) {
            throw new IllegalArgumentException("MLPRegressor." + op + ": expected y as floating-point [" + x.size(0) + "] or ["
                    + x.size(0) + ", k], got " + (y == null ? "null" : y.dtype() + " " + Arrays.toString(y.shape())));
        }
        return y.dim() == 1 ? y.unsqueeze(1) : y;
    }
}
