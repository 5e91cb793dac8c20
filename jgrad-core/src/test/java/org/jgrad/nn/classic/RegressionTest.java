package org.jgrad.nn.classic;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.Losses;
import org.junit.jupiter.api.Test;

class RegressionTest {

    /** Two overlapping Gaussian clouds, so the unpenalized optimum would also be finite. */
    static Tensor[] binaryData(long seed, int n) {
        Generator g = new Generator(seed);
        double[] x = new double[2 * n], y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            x[2 * i] = (y[i] == 1 ? 1 : -0.5) + g.nextGaussian();
            x[2 * i + 1] = (y[i] == 1 ? 0.5 : 0) + g.nextGaussian();
        }
        return new Tensor[] {Tensor.of(x, n, 2), Tensor.of(y, n)};
    }

    /** Newton's method (IRLS) on J = mean bce + (λ/2)‖w‖², by hand: returns (w1, w2, b). */
    static double[] newton(Tensor x, Tensor y, double lambda) {
        int n = x.size(0);
        double[][] xt = new double[n][];
        for (int i = 0; i < n; i++) xt[i] = new double[] {x.get(i, 0), x.get(i, 1), 1};
        double[] yy = y.toDoubleArray();
        double[] theta = new double[3];
        for (int it = 0; it < 30; it++) {
            double[] grad = new double[3];
            double[] hess = new double[9];
            for (int i = 0; i < n; i++) {
                double z = 0;
                for (int k = 0; k < 3; k++) z += theta[k] * xt[i][k];
                double p = 1 / (1 + Math.exp(-z));
                for (int k = 0; k < 3; k++) {
                    grad[k] += (p - yy[i]) * xt[i][k] / n;
                    for (int l = 0; l < 3; l++) hess[3 * k + l] += p * (1 - p) * xt[i][k] * xt[i][l] / n;
                }
            }
            for (int k = 0; k < 2; k++) {
                grad[k] += lambda * theta[k];
                hess[3 * k + k] += lambda;
            }
            double[] step = Tensor.of(hess, 3, 3).inverse().matmul(Tensor.of(grad, 3, 1)).toDoubleArray();
            for (int k = 0; k < 3; k++) theta[k] -= step[k];
        }
        return theta;
    }

    @Test
    void logisticRegressionReachesTheNewtonOptimum() {
        Tensor[] d = binaryData(1, 60);
        double lambda = 0.1;
        LogisticRegression lr = new LogisticRegression(2, lambda);
        lr.to(DType.FLOAT64);
        double[] curve = lr.fit(d[0], d[1], 1.0, 600);
        assertTrue(curve[curve.length - 1] < curve[0]);
        double[] opt = newton(d[0], d[1], lambda);
        assertEquals(opt[0], lr.weight().get(0), 1e-8);
        assertEquals(opt[1], lr.weight().get(1), 1e-8);
        assertEquals(opt[2], lr.bias().get(0), 1e-8);
        List<Tensor> grads = Autograd.grad(lr.loss(d[0], d[1]), lr.parameters(), false);
        for (Tensor g : grads) assertEquals(0, g.abs().max().item(), 1e-9);
        // predictions are the sign of the score
        double[] p = lr.predictProba(d[0]).toDoubleArray();
        long[] labels = lr.predict(d[0]).toLongArray();
        for (int i = 0; i < p.length; i++) assertEquals(p[i] >= 0.5 ? 1 : 0, labels[i]);
    }

    @Test
    void logisticLossForPlusMinusOneLabelsIsTheSameLoss() {
        Tensor[] d = binaryData(2, 30);
        LogisticRegression lr = new LogisticRegression(2, 0);
        lr.to(DType.FLOAT64);
        lr.fit(d[0], d[1], 0.5, 50);
        Tensor z = lr.call(d[0]);
        Tensor pm = d[1].mul(2).sub(1);
        double naive = 0;
        for (int i = 0; i < 30; i++) naive += Math.log1p(Math.exp(-pm.get(i) * z.get(i))) / 30;
        assertEquals(naive, Losses.logistic(z, pm).item(), 1e-12);
        assertEquals(naive, lr.loss(d[0], d[1]).item(), 1e-12);
    }

    static Tensor[] threeBlobs(long seed, int perClass) {
        Generator g = new Generator(seed);
        double[][] centers = {{0, 2}, {-2, -1}, {2, -1}};
        int n = 3 * perClass;
        double[] x = new double[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            x[2 * i] = centers[c][0] + 1.2 * g.nextGaussian();
            x[2 * i + 1] = centers[c][1] + 1.2 * g.nextGaussian();
        }
        return new Tensor[] {Tensor.of(x, n, 2), Tensor.of(y, n)};
    }

    @Test
    void softmaxRegressionReachesAStationaryPoint() {
        Tensor[] d = threeBlobs(3, 30);
        SoftmaxRegression sm = new SoftmaxRegression(2, 3, 0.05);
        sm.to(DType.FLOAT64);
        double[] curve = sm.fit(d[0], d[1], 1.0, 800);
        for (int i = 1; i < curve.length; i++) assertTrue(curve[i] <= curve[i - 1] + 1e-15, "descent at step " + i);
        for (Tensor g : Autograd.grad(sm.loss(d[0], d[1]), sm.parameters(), false)) {
            assertEquals(0, g.abs().max().item(), 1e-8);
        }
        Tensor p = sm.predictProba(d[0]);
        assertArrayEquals(Tensor.ones(DType.FLOAT64, 90).toDoubleArray(), p.sum(1, false).toDoubleArray(), 1e-12);
        long[] pred = sm.predict(d[0]).toLongArray();
        long[] y = d[1].toLongArray();
        int right = 0;
        for (int i = 0; i < y.length; i++) if (pred[i] == y[i]) right++;
        assertTrue(right >= 70, right + "/90");
    }

    @Test
    void twoClassSoftmaxIsLogisticRegressionWithHalfThePenalty() {
        // At the optimum the two rows are opposite (the data gradients of w₀ and w₁ cancel), so
        // (λ/2)(‖w₀‖² + ‖w₁‖²) = (λ/4)‖w₁ − w₀‖²: logistic regression with λ/2 on w = w₁ − w₀.
        Tensor[] d = binaryData(4, 50);
        SoftmaxRegression sm = new SoftmaxRegression(2, 2, 0.2);
        sm.to(DType.FLOAT64);
        sm.fit(d[0], d[1].to(DType.INT64), 1.0, 1500);
        double[] opt = newton(d[0], d[1], 0.1);
        Tensor w = sm.weight();
        assertEquals(opt[0], w.get(1, 0) - w.get(0, 0), 1e-6);
        assertEquals(opt[1], w.get(1, 1) - w.get(0, 1), 1e-6);
        assertEquals(opt[2], sm.bias().get(1) - sm.bias().get(0), 1e-6);
    }

    @Test
    void badInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LogisticRegression(2, -1));
        assertThrows(IllegalArgumentException.class, () -> new SoftmaxRegression(2, 1, 0));
        LogisticRegression lr = new LogisticRegression(2, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> lr.loss(Tensor.zeros(3, 2), Tensor.of(0.0, 2.0, 1.0)));
        assertTrue(e.getMessage().contains("0 or 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lr.loss(Tensor.zeros(3, 2), Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lr.fit(Tensor.zeros(3, 2), Tensor.zeros(3), 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> lr.call(Tensor.zeros(3)));
    }
}
