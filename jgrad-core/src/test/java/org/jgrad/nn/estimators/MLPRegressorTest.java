package org.jgrad.nn.estimators;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class MLPRegressorTest {

    static Tensor grid(int n) {
        return Tensor.linspace(-Math.PI, Math.PI, n).unsqueeze(1);
    }

    static double mse(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) s += (x[i] - y[i]) * (x[i] - y[i]);
        return s / x.length;
    }

    @Test
    void oneHiddenLayerApproximatesSine() {
        Tensor x = grid(200), y = x.sin().squeeze(1);
        var reg = new MLPRegressor(MLPOptions.defaults().withHiddenLayerSizes(20).withActivation(Activation.TANH)
                .withSolver(Solver.LBFGS).withAlpha(0).withMaxIter(500).withTol(1e-9).withRandomState(3)).fit(x, y);
        Tensor pred = reg.predict(x);
        assertArrayEquals(new int[] {200}, pred.shape());
        assertTrue(mse(pred, y) < 1e-3, "mse " + mse(pred, y));
        // between the training points too
        Tensor xs = Tensor.linspace(-Math.PI + 0.01, Math.PI - 0.01, 77).unsqueeze(1);
        assertTrue(mse(reg.predict(xs), xs.sin().squeeze(1)) < 1e-3);
        assertTrue(reg.score(x, y) > 0.998);
    }

    @Test
    void adamFitsSineToo() {
        Tensor x = grid(100), y = x.sin().squeeze(1);
        var reg = new MLPRegressor(MLPOptions.defaults().withHiddenLayerSizes(32).withActivation(Activation.TANH)
                .withLearningRateInit(0.05).withAlpha(0).withMaxIter(500).withTol(0).withNIterNoChange(500)
                .withRandomState(1)).fit(x, y);
        assertTrue(mse(reg.predict(x), y) < 1e-3, "mse " + mse(reg.predict(x), y));
    }

    @Test
    void lossIsHalfTheMseplusThePenaltyAndScoreIsR2() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 50, 3).to(DType.FLOAT64);
        Tensor y = Tensor.stack(List.of(x.select(1, 0).mul(2).sub(x.select(1, 1)), x.select(1, 2).pow(2)), 1);
        double alpha = 0.3;
        var reg = new MLPRegressor(MLPOptions.defaults().withHiddenLayerSizes(7, 5).withSolver(Solver.LBFGS)
                .withAlpha(alpha).withMaxIter(40)).fit(x, y);
        Tensor p = reg.predict(x);
        assertArrayEquals(new int[] {50, 2}, p.shape());
        double penalty = MLPClassifierTest.squaredNorm(reg) * alpha / (2 * 50);
        assertEquals(0.5 * mse(p, y) + penalty, reg.lossCurve().getLast(), 1e-10);
        // R² by hand, averaged over the two outputs
        double r2 = 0;
        for (int j = 0; j < 2; j++) {
            double mean = 0, res = 0, tot = 0;
            for (int i = 0; i < 50; i++) mean += y.get(i, j) / 50;
            for (int i = 0; i < 50; i++) {
                res += Math.pow(y.get(i, j) - p.get(i, j), 2);
                tot += Math.pow(y.get(i, j) - mean, 2);
            }
            r2 += (1 - res / tot) / 2;
        }
        assertEquals(r2, reg.score(x, y), 1e-12);
        assertTrue(r2 > 0.8, "R² " + r2);
    }

    @Test
    void sgdFitsALine() {
        Tensor x = Tensor.randn(new Generator(2), 100, 1);
        Tensor y = x.squeeze(1).mul(3).add(1);
        var reg = new MLPRegressor(MLPOptions.defaults().withHiddenLayerSizes(4).withActivation(Activation.IDENTITY)
                .withSolver(Solver.SGD).withLearningRateInit(0.01).withBatchSize(10).withMaxIter(100)).fit(x, y);
        assertTrue(reg.score(x, y) > 0.999, "R² " + reg.score(x, y));
    }

    @Test
    void earlyStoppingUsesR2() {
        Tensor x = Tensor.randn(new Generator(3), 100, 2);
        Tensor y = Tensor.randn(new Generator(4), 100); // noise: no R² to gain
        var reg = new MLPRegressor(MLPOptions.defaults().withHiddenLayerSizes(8).withEarlyStopping(true)
                .withNIterNoChange(4).withMaxIter(300)).fit(x, y);
        assertTrue(reg.nIter() < 300);
        assertEquals(reg.nIter(), reg.validationScores().size());
        for (double s : reg.validationScores()) assertTrue(s <= 1);
    }

    @Test
    void badInputsAreRefused() {
        var reg = new MLPRegressor();
        var e = assertThrows(IllegalArgumentException.class, () -> reg.fit(Tensor.zeros(3, 2), Tensor.of(new long[] {1, 2, 3}, 3)));
        assertTrue(e.getMessage().contains("MLPRegressor.fit") && e.getMessage().contains("int64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> reg.fit(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> reg.fit(Tensor.zeros(3, 2), Tensor.zeros(3, 1, 1)));
        assertThrows(IllegalStateException.class, () -> reg.score(Tensor.zeros(3, 2), Tensor.zeros(3)));
        var diverge = new MLPRegressor(MLPOptions.defaults().withSolver(Solver.SGD).withLearningRateInit(1e6).withMaxIter(50));
        var s = assertThrows(IllegalStateException.class, () -> diverge.fit(grid(20), grid(20).mul(100)));
        assertTrue(s.getMessage().contains("learningRateInit"), s.getMessage());
    }
}
