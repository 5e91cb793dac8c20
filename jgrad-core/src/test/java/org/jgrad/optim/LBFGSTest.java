package org.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class LBFGSTest {

    static Tensor rosenbrock(Tensor w) {
        Tensor x = w.select(0, 0);
        Tensor y = w.select(0, 1);
        return x.neg().add(1).pow(2).add(y.sub(x.mul(x)).pow(2).mul(100));
    }

    static Tensor minimize(LBFGS opt, Tensor w, Function<Tensor, Tensor> f) {
        return opt.step(() -> {
            opt.zeroGrad();
            Tensor loss = f.apply(w);
            loss.backward();
            return loss;
        });
    }

    static LBFGS.Options tight(double lr, int maxIter) {
        return LBFGS.Options.of(lr).withMaxIter(maxIter).withToleranceGrad(1e-12).withToleranceChange(1e-16);
    }

    @Test
    void strongWolfeMinimizesRosenbrockInUnder100Iterations() {
        Tensor w = Tensor.of(new double[] {-1.5, 2}, 2).requiresGrad(true);
        var opt = new LBFGS(List.of(w), tight(1, 100).withLineSearch(LBFGS.LineSearch.STRONG_WOLFE));
        Tensor first = minimize(opt, w, LBFGSTest::rosenbrock);
        assertEquals(2.5 * 2.5 + 100 * 0.25 * 0.25, first.item(), 1e-12, "step returns the first loss");
        assertEquals(1, w.get(0), 1e-6);
        assertEquals(1, w.get(1), 1e-6);
        assertTrue(opt.iterations() < 60, "iterations: " + opt.iterations());
        assertTrue(opt.funcEvals() <= 126, "evaluations: " + opt.funcEvals());
    }

    @Test
    void strongWolfeMinimizesRosenbrockInFloat32() {
        Tensor w = Tensor.of(new float[] {-1.5f, 2}, 2).requiresGrad(true);
        var opt = new LBFGS(List.of(w), LBFGS.Options.of(1).withMaxIter(100)
                .withLineSearch(LBFGS.LineSearch.STRONG_WOLFE));
        minimize(opt, w, LBFGSTest::rosenbrock);
        assertEquals(DType.FLOAT32, w.dtype());
        assertEquals(1, w.get(0), 1e-3);
        assertEquals(1, w.get(1), 2e-3);
    }

    /** f(x) = ½xᵀAx − bᵀx with A symmetric positive definite: minimum at A⁻¹b. */
    static final double[][] A = {{4, 1, 0.5}, {1, 3, -0.2}, {0.5, -0.2, 2}};
    static final double[] B = {1, -2, 3};

    static Tensor quadratic(Tensor x) {
        Tensor a = Tensor.of(A);
        Tensor b = Tensor.of(B, 3);
        Tensor col = x.unsqueeze(1);
        return col.t().matmul(a).matmul(col).sum().mul(0.5).sub(b.mul(x).sum());
    }

    static double[] solution() {
        // Cramer's rule: independent of the optimizer and of jgrad's linear algebra.
        double det = det(A);
        double[] x = new double[3];
        for (int c = 0; c < 3; c++) {
            double[][] m = new double[3][];
            for (int r = 0; r < 3; r++) {
                m[r] = A[r].clone();
                m[r][c] = B[r];
            }
            x[c] = det(m) / det;
        }
        return x;
    }

    static double det(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    @Test
    void strongWolfeSolvesAQuadraticInAFewIterations() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
        // Ten iterations and no tolerance on changes (near the minimum the loss changes by less than its own
        // rounding, which would stop it early); the line search accepts t = 1 from the second iteration on.
        var opt = new LBFGS(List.of(x), tight(1, 10).withToleranceChange(0).withLineSearch(LBFGS.LineSearch.STRONG_WOLFE));
        minimize(opt, x, LBFGSTest::quadratic);
        double[] expected = solution();
        for (int i = 0; i < 3; i++) assertEquals(expected[i], x.get(i), 1e-10);
        assertTrue(opt.funcEvals() <= 12, "evaluations: " + opt.funcEvals());
    }

    @Test
    void fixedStepWithoutLineSearchAlsoConverges() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
        var opt = new LBFGS(List.of(x), tight(1, 100).withToleranceChange(0));
        minimize(opt, x, LBFGSTest::quadratic);
        double[] expected = solution();
        for (int i = 0; i < 3; i++) assertEquals(expected[i], x.get(i), 1e-9);
    }

    /**
     * Three steps of one iteration each without line search, against L-BFGS written out by hand: the first
     * step is −g scaled to lr·min(1, 1/‖g‖₁); later ones −H·g by the two-loop recursion over the stored
     * pairs s = t·d, y = g − g_prev, with H₀ = sᵀy/yᵀy. Problem: f(w) = (w₀ − 3)² + 10·(w₁ + 1)².
     */
    @Test
    void firstThreeStepsMatchTheTwoLoopRecursion() {
        double lr = 0.3;
        for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
            Tensor w = Tensor.of(new double[] {0.5, 0.7}, 2).to(dtype).requiresGrad(true);
            var opt = new LBFGS(List.of(w), LBFGS.Options.of(lr).withMaxIter(1));
            Function<Tensor, Tensor> f = v -> v.sub(Tensor.of(new double[] {3, -1}, 2).to(dtype)).pow(2)
                    .mul(Tensor.of(new double[] {1, 10}, 2).to(dtype)).sum();

            double[] x = {0.5, 0.7};
            double[] d = null, gPrev = null;
            double t = 0, h = 1;
            java.util.List<double[]> ss = new java.util.ArrayList<>(), ys = new java.util.ArrayList<>();
            for (int step = 1; step <= 3; step++) {
                double[] g = {2 * (x[0] - 3), 20 * (x[1] + 1)};
                if (step == 1) {
                    d = new double[] {-g[0], -g[1]};
                    t = Math.min(1, 1 / (Math.abs(g[0]) + Math.abs(g[1]))) * lr;
                } else {
                    double[] s = {t * d[0], t * d[1]};
                    double[] y = {g[0] - gPrev[0], g[1] - gPrev[1]};
                    double sy = s[0] * y[0] + s[1] * y[1];
                    ss.add(s);
                    ys.add(y);
                    h = sy / (y[0] * y[0] + y[1] * y[1]);
                    int m = ss.size();
                    double[] alpha = new double[m];
                    double[] q = {-g[0], -g[1]};
                    for (int i = m - 1; i >= 0; i--) {
                        double rho = 1 / (ss.get(i)[0] * ys.get(i)[0] + ss.get(i)[1] * ys.get(i)[1]);
                        alpha[i] = rho * (ss.get(i)[0] * q[0] + ss.get(i)[1] * q[1]);
                        q[0] -= alpha[i] * ys.get(i)[0];
                        q[1] -= alpha[i] * ys.get(i)[1];
                    }
                    double[] r = {h * q[0], h * q[1]};
                    for (int i = 0; i < m; i++) {
                        double rho = 1 / (ss.get(i)[0] * ys.get(i)[0] + ss.get(i)[1] * ys.get(i)[1]);
                        double beta = rho * (ys.get(i)[0] * r[0] + ys.get(i)[1] * r[1]);
                        r[0] += ss.get(i)[0] * (alpha[i] - beta);
                        r[1] += ss.get(i)[1] * (alpha[i] - beta);
                    }
                    d = r;
                    t = lr;
                }
                gPrev = g;
                x[0] += t * d[0];
                x[1] += t * d[1];

                minimize(opt, w, f);
                double tol = dtype == DType.FLOAT64 ? 1e-12 : 2e-5;
                assertEquals(x[0], w.get(0), tol * Math.max(1, Math.abs(x[0])), dtype + " step " + step);
                assertEquals(x[1], w.get(1), tol * Math.max(1, Math.abs(x[1])), dtype + " step " + step);
            }
            assertEquals(3, opt.iterations());
        }
    }

    @Test
    void cubicInterpolationFindsTheMinimumOfACubicOrQuadratic() {
        // (x − 0.3)²: from f and f' at 0 and 1 the interpolant is the parabola itself.
        assertEquals(0.3, LBFGS.cubicInterpolate(0, 0.09, -0.6, 1, 0.49, 1.4, 0, 1), 1e-15);
        // x³ − 3x: local minimum at 1, data at 0 and 2 (either order).
        assertEquals(1, LBFGS.cubicInterpolate(0, 0, -3, 2, 2, 9, 0, 2), 1e-15);
        assertEquals(1, LBFGS.cubicInterpolate(2, 2, 9, 0, 0, -3, 0, 2), 1e-15);
        // clamped to the bounds
        assertEquals(0.8, LBFGS.cubicInterpolate(0, 0, -3, 2, 2, 9, 0, 0.8), 0);
        // rising from 0 to 1 with slope 2 at both ends: no minimum inside (d2² < 0) → middle of the bounds
        assertEquals(0.5, LBFGS.cubicInterpolate(0, 0, 2, 1, 1, 2, 0, 1), 0);
    }

    @Test
    void stopsAtOnceWhenTheGradientIsBelowTolerance() {
        Tensor w = Tensor.of(new double[] {3, -1}, 2).requiresGrad(true);
        var opt = new LBFGS(List.of(w), 1);
        int[] calls = {0};
        opt.step(() -> {
            calls[0]++;
            opt.zeroGrad();
            Tensor l = w.sub(Tensor.of(new double[] {3, -1}, 2)).pow(2).sum();
            l.backward();
            return l;
        });
        assertEquals(1, calls[0]);
        assertEquals(0, opt.iterations());
    }

    @Test
    void needsAClosureAndASingleGroup() {
        Tensor w = Tensor.zeros(2).requiresGrad(true);
        var opt = new LBFGS(List.of(w), 1);
        var e = assertThrows(IllegalStateException.class, opt::step);
        assertTrue(e.getMessage().contains("closure"), e.getMessage());
        opt.addParamGroup(List.of(Tensor.zeros(1).requiresGrad(true)), LBFGS.Options.of(1));
        var g = assertThrows(IllegalStateException.class, () -> minimize(opt, w, v -> v.sum()));
        assertTrue(g.getMessage().contains("parameter groups"), g.getMessage());
    }
}
