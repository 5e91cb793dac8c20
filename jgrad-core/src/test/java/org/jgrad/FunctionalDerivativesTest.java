package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Autograd.jacobian, hessian, vjp (reverse mode) and jvp (forward mode, ForwardAD) against each
 * other and against central differences, in float64, on a table of functions that goes through
 * every op with a forward-mode rule.
 */
class FunctionalDerivativesTest {

    /** A function of one tensor and the shape of its argument. */
    record Case(String name, Function<Tensor, Tensor> f, int... shape) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Tensor W = constant(7, 4, 3);
    private static final Tensor B = constant(8, 3);
    private static final Tensor IDX = Tensor.of(new long[] {2, 0, 1, 2, 2, 1}, 2, 3);
    /** Class targets for 4 rows of 3 logits; row 1 is ignored (−100). */
    private static final Tensor TARGETS = Tensor.of(new long[] {2, -100, 0, 1}, 4);

    private static Tensor constant(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.FLOAT64);
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // every unary op (positive arguments for log, log1p, sqrt, pow; x is kept away from kinks)
        c.add(new Case("neg", Tensor::neg, 5));
        c.add(new Case("exp", Tensor::exp, 5));
        c.add(new Case("log", x -> x.mul(x).add(0.5).log(), 5));
        c.add(new Case("log1p", x -> x.mul(x).log1p(), 5));
        c.add(new Case("sqrt", x -> x.mul(x).add(0.1).sqrt(), 5));
        c.add(new Case("abs and sign", x -> x.abs().add(x.sign().mul(x)), 5));
        c.add(new Case("sin", Tensor::sin, 5));
        c.add(new Case("cos", Tensor::cos, 5));
        c.add(new Case("tanh", Tensor::tanh, 5));
        c.add(new Case("sigmoid", Tensor::sigmoid, 5));
        c.add(new Case("relu", Tensor::relu, 6));
        c.add(new Case("leakyRelu", x -> x.leakyRelu(0.1), 6));
        c.add(new Case("elu", x -> x.elu(0.7), 6));
        c.add(new Case("softplus", Tensor::softplus, 5));
        c.add(new Case("atan", Tensor::atan, 5));
        c.add(new Case("softsign", Tensor::softsign, 5));
        c.add(new Case("gelu (normalCdf)", Tensor::gelu, 5));
        c.add(new Case("clamp", x -> x.clamp(-0.5, 0.5), 6));
        c.add(new Case("pow(double)", x -> x.mul(x).add(1).pow(1.5).add(x.pow(3)), 5));
        c.add(new Case("scalar affine", x -> x.add(2).mul(3).sub(1).div(4), 5));
        // binary ops with broadcasting
        c.add(new Case("add/sub broadcast", x -> x.add(x.sum(0, true)).sub(x.slice(1, 0, 1)), 2, 3));
        c.add(new Case("mul broadcast", x -> x.mul(x.select(0, 1)), 2, 3));
        c.add(new Case("div broadcast", x -> x.div(x.mul(x).sum(1, true).add(1)), 2, 3));
        c.add(new Case("pow(tensor)", x -> x.mul(x).add(0.5).pow(x.select(0, 0)), 2, 3));
        c.add(new Case("maximum/minimum", x -> x.maximum(x.t()).add(x.minimum(x.t().mul(0.5))), 3, 3));
        c.add(new Case("where", x -> Tensor.where(x.gt(0), x.exp(), x.sin()), 2, 3));
        c.add(new Case("constant operand", x -> x.mul(B).add(B), 2, 3));
        // views, contiguous and not
        c.add(new Case("transpose then reshape (a copy)", x -> x.transpose(0, 2).reshape(4, 6).sin(), 2, 3, 4));
        c.add(new Case("permute, step slice", x -> x.permute(2, 0, 1).slice(0, 1, 4, 2).tanh(), 2, 3, 4));
        c.add(new Case("select, unsqueeze, expand", x -> x.select(1, 2).unsqueeze(1).expand(2, 3, 4).mul(x), 2, 3, 4));
        c.add(new Case("view, squeeze, flatten", x -> x.view(1, 6).squeeze().unsqueeze(0).flatten().exp(), 2, 3));
        c.add(new Case("contiguous of a transpose", x -> x.t().contiguous().mul(x.t()), 2, 3));
        // reductions
        c.add(new Case("sum over dims", x -> x.sum(new int[] {0, 2}, false).sin(), 2, 3, 4));
        c.add(new Case("mean and var", x -> x.mean(1, true).add(x.var(1, true)), 3, 4));
        c.add(new Case("std", x -> x.std(new int[] {1}, false, 0), 3, 4));
        c.add(new Case("max, min (all and dim)", x -> x.max().add(x.min()).add(x.max(1, false).values()), 3, 4));
        c.add(new Case("amax through norm(inf)", x -> x.norm(Double.POSITIVE_INFINITY, new int[] {0}, false), 3, 4));
        c.add(new Case("norm 2 and 3", x -> x.norm(2, new int[] {1}, true).add(x.norm(3, new int[] {1}, true)), 3, 4));
        c.add(new Case("norm 1", x -> x.norm(1), 5));
        c.add(new Case("prod", x -> x.prod(1, false), 3, 4));
        c.add(new Case("logsumexp", x -> x.logsumexp(0, false), 3, 4));
        c.add(new Case("softmax last dim", x -> x.softmax(-1), 3, 4));
        c.add(new Case("softmax dim 0", x -> x.softmax(0), 3, 4));
        c.add(new Case("logSoftmax last dim", x -> x.logSoftmax(1), 3, 4));
        c.add(new Case("logSoftmax dim 0", x -> x.logSoftmax(0), 3, 4));
        // matrices
        c.add(new Case("matmul by a constant", x -> x.matmul(W), 2, 4));
        c.add(new Case("matmul x·xᵀ", x -> x.matmul(x.t()), 3, 2));
        c.add(new Case("batched matmul, broadcast", x -> x.matmul(x.select(0, 0).t()), 2, 3, 3));
        c.add(new Case("vector·matrix", x -> x.select(0, 0).matmul(x), 3, 3));
        c.add(new Case("inverse", x -> x.add(Tensor.eye(DType.FLOAT64, 3).mul(4)).inverse(), 3, 3));
        c.add(new Case("cholesky", x -> x.matmul(x.t()).add(Tensor.eye(DType.FLOAT64, 3)).cholesky(), 3, 3));
        c.add(new Case("linear+relu (fused)", x -> Fused.linear(x.slice(1, 0, 3), x.reshape(4, 3).mul(0.5), x.select(0, 2), true), 3, 4));
        c.add(new Case("linear (fused), no bias", x -> Fused.linear(x, W.t(), null, false), 2, 4));
        // losses: the fused cross-entropy (with label smoothing and an ignored row) and bce, a Function
        c.add(new Case("crossEntropy (fused), smoothing, ignored row, mean",
                x -> Fused.crossEntropy(x, TARGETS, 0.1, -100, true), 4, 3));
        c.add(new Case("crossEntropy through Losses, smoothing, ignoreIndex 0, sum",
                x -> org.jgrad.nn.Losses.crossEntropy(x.exp(), Tensor.of(new long[] {2, 1, 0, 1}, 4), org.jgrad.nn.Losses.CrossEntropyOptions
                        .defaults().labelSmoothing(0.2).ignoreIndex(0).reduction(org.jgrad.nn.Reduction.SUM)), 4, 3));
        c.add(new Case("bce (a Function), soft targets from x",
                x -> org.jgrad.nn.Losses.bce(x.sigmoid(), x.cos().mul(0.4).add(0.5)), 2, 3));
        c.add(new Case("bce (a Function), reduction none",
                x -> org.jgrad.nn.Losses.bce(x.sigmoid(), B.expand(2, 3).sigmoid(), org.jgrad.nn.Losses.BceOptions.defaults()
                        .reduction(org.jgrad.nn.Reduction.NONE)).mul(x), 2, 3));
        // joining and indexing
        c.add(new Case("cat, stack, split", x -> Tensor.cat(List.of(x.exp(), B.unsqueeze(0), x.split(1, 0).get(1)), 0), 2, 3));
        c.add(new Case("gather", x -> x.gather(0, IDX), 3, 3));
        c.add(new Case("scatterAdd", x -> x.scatterAdd(0, IDX, x.slice(0, 0, 2).mul(x.slice(0, 1, 3))), 3, 3));
        c.add(new Case("indexSelect", x -> x.indexSelect(1, Tensor.of(new long[] {2, 0, 2}, 3)), 2, 3));
        c.add(new Case("maskedFill", x -> x.maskedFill(x.gt(0), 1.5).mul(x), 2, 3));
        c.add(new Case("pad", x -> x.pad(new int[] {1, 2, 0, 1}, 0.25).sin(), 2, 3));
        c.add(new Case("sort", x -> x.sort(1, true).values().mul(Tensor.arange(DType.FLOAT64, 1, 4, 1)), 2, 3));
        // pooling (linear maps)
        c.add(new Case("maxPool2d, avgPool2d", x -> Conv.maxPool2d(x, 2).add(Conv.avgPool2d(x, 2)), 1, 1, 4, 4));
        c.add(new Case("upsample, adaptive pool", x -> Conv.adaptiveAvgPool2d(Conv.upsampleNearest2d(x, 2, 2).exp(), 3, 3), 1, 1, 2, 3));
        // convolution (bilinear) and its transposes
        c.add(new Case("conv2d, weight and bias from x", x -> Conv.conv2d(x, x.slice(2, 0, 3).slice(3, 0, 3).expand(2, 1, 3, 3),
                x.select(2, 0).select(2, 0).reshape(1).expand(2), 1, 1), 1, 1, 4, 4));
        c.add(new Case("convTranspose2d", x -> Conv.convTranspose2d(x, x.slice(2, 1, 3).slice(3, 1, 3), null, 2, 0), 1, 1, 3, 3));
        // a composite of many
        c.add(new Case("small MLP", x -> x.matmul(W).add(B).tanh().matmul(W.t()).sigmoid().mul(x).sum(1, false).softmax(0), 2, 4));
        return c.stream();
    }

    /** Values in [-1.5, 1.5] kept 0.05 away from the kinks of relu, abs, clamp and max (0, ±0.5) and from each other. */
    static Tensor point(long seed, int... shape) {
        Generator gen = new Generator(seed);
        int n = Shapes.numel(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double x;
            boolean ok;
            do {
                x = 3 * gen.nextDouble() - 1.5;
                ok = Math.abs(x) > 0.05 && Math.abs(Math.abs(x) - 0.5) > 0.05;
                for (int j = 0; j < i; j++) ok &= Math.abs(Math.abs(v[j]) - Math.abs(x)) > 0.02;
            } while (!ok);
            v[i] = x;
        }
        return Tensor.of(v, shape);
    }

    /** ∂f/∂x by central differences, column by column, over doubles: [f(x).numel][x.numel]. */
    static double[][] finiteDifferenceJacobian(Function<Tensor, Tensor> f, Tensor x) {
        double[] x0 = x.toDoubleArray();
        int nx = x0.length;
        int ny;
        try (var _ = Autograd.noGrad()) {
            ny = f.apply(x).numel();
        }
        double[][] jac = new double[ny][nx];
        double eps = 1e-6;
        for (int j = 0; j < nx; j++) {
            double[] plus = x0.clone(), minus = x0.clone();
            plus[j] += eps;
            minus[j] -= eps;
            double[] fp, fm;
            try (var _ = Autograd.noGrad()) {
                fp = f.apply(Tensor.of(plus, x.shape())).toDoubleArray();
                fm = f.apply(Tensor.of(minus, x.shape())).toDoubleArray();
            }
            for (int i = 0; i < ny; i++) jac[i][j] = (fp[i] - fm[i]) / (2 * eps);
        }
        return jac;
    }

    private static void assertClose(double[] expected, double[] actual, double atol, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = atol + rtol * Math.abs(expected[i]);
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (tolerance " + tol + ")");
            }
        }
    }

    private static double[] flat(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] s = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, s, a.length, b.length);
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jacobianAgreesWithFiniteDifferences(Case c) {
        Tensor x = point(1, c.shape());
        Tensor y;
        try (var _ = Autograd.noGrad()) {
            y = c.f().apply(x);
        }
        Tensor jac = Autograd.jacobian(c.f(), x);
        assertArrayEquals(concat(y.shape(), x.shape()), jac.shape(), "shape of the Jacobian");
        assertEquals(DType.FLOAT64, jac.dtype());
        assertClose(flat(finiteDifferenceJacobian(c.f(), x)), jac.toDoubleArray(), 1e-6, 1e-5, c.name());
        assertFalse(x.requiresGrad(), "x is left as it was");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jvpIsJacobianTimesVAndMatchesADirectionalDifference(Case c) {
        Tensor x = point(2, c.shape());
        Tensor v = constant(3, c.shape());
        double[][] jac = finiteDifferenceJacobian(c.f(), x);
        double[] jd = Autograd.jacobian(c.f(), x).toDoubleArray();
        double[] vd = v.toDoubleArray();
        int ny = jac.length, nx = vd.length;
        double[] jv = new double[ny];
        for (int i = 0; i < ny; i++) for (int j = 0; j < nx; j++) jv[i] += jd[i * nx + j] * vd[j];

        Tensor forward = Autograd.jvp(c.f(), x, v);
        Tensor y;
        try (var _ = Autograd.noGrad()) {
            y = c.f().apply(x);
        }
        assertArrayEquals(y.shape(), forward.shape(), "jvp has f(x)'s shape");
        assertFalse(forward.requiresGrad(), "jvp records no graph");
        assertClose(jv, forward.toDoubleArray(), 1e-9, 1e-7, c.name() + ": jvp vs J·v");

        // (f(x + εv) − f(x − εv)) / 2ε, independent of every derivative rule
        double eps = 1e-6;
        double[] fp, fm;
        try (var _ = Autograd.noGrad()) {
            fp = c.f().apply(x.add(v.mul(eps))).toDoubleArray();
            fm = c.f().apply(x.sub(v.mul(eps))).toDoubleArray();
        }
        double[] fd = new double[ny];
        for (int i = 0; i < ny; i++) fd[i] = (fp[i] - fm[i]) / (2 * eps);
        assertClose(fd, forward.toDoubleArray(), 1e-6, 1e-5, c.name() + ": jvp vs a directional difference");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vjpIsUTransposeJacobian(Case c) {
        Tensor x = point(4, c.shape());
        Tensor y;
        try (var _ = Autograd.noGrad()) {
            y = c.f().apply(x);
        }
        Tensor u = constant(5, y.shape());
        double[] jd = flat(finiteDifferenceJacobian(c.f(), x));
        double[] ud = u.toDoubleArray();
        int ny = ud.length, nx = x.numel();
        double[] uj = new double[nx];
        for (int i = 0; i < ny; i++) for (int j = 0; j < nx; j++) uj[j] += ud[i] * jd[i * nx + j];
        Tensor back = Autograd.vjp(c.f(), x, u);
        assertArrayEquals(x.shape(), back.shape(), "vjp has x's shape");
        assertClose(uj, back.toDoubleArray(), 1e-6, 1e-5, c.name() + ": vjp vs uᵀ·J (finite differences)");
    }

    @Test
    void theJacobianOfTheSigmoidIsDiagonal() {
        Tensor x = Tensor.of(-2.0, -0.5, 0.0, 1.0, 3.0);
        Tensor jac = Autograd.jacobian(Tensor::sigmoid, x);
        assertArrayEquals(new int[] {5, 5}, jac.shape());
        double[] xs = x.toDoubleArray();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double s = 1 / (1 + Math.exp(-xs[i]));
                assertEquals(i == j ? s * (1 - s) : 0, jac.get(i, j), 1e-15, "J[" + i + "][" + j + "]");
            }
        }
        // forward mode gives the same diagonal, one column per basis vector
        for (int j = 0; j < 5; j++) {
            double[] e = new double[5];
            e[j] = 1;
            Tensor column = Autograd.jvp(Tensor::sigmoid, x, Tensor.of(e));
            for (int i = 0; i < 5; i++) assertEquals(jac.get(i, j), column.get(i), 1e-15);
        }
    }

    @Test
    void hessianOfACubicAndAgreementWithTheJacobianOfTheGradient() {
        Tensor x = point(6, 2, 2);
        // f = Σ x³ + (Σ x)²: H = diag(6x) + 2·(all ones)
        Tensor h = Autograd.hessian(t -> t.pow(3).sum().add(t.sum().pow(2)), x);
        assertArrayEquals(new int[] {2, 2, 2, 2}, h.shape());
        double[] xs = x.toDoubleArray(), hs = h.toDoubleArray();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) assertEquals((i == j ? 6 * xs[i] : 0) + 2, hs[i * 4 + j], 1e-12);
        }
        // a function from the table made scalar: its Hessian is the (finite-difference) Jacobian of its gradient
        for (Case c : List.of(cases().filter(k -> k.name().equals("small MLP")).findFirst().orElseThrow(),
                              cases().filter(k -> k.name().equals("softmax dim 0")).findFirst().orElseThrow(),
                              cases().filter(k -> k.name().equals("cholesky")).findFirst().orElseThrow())) {
            Function<Tensor, Tensor> scalar = t -> c.f().apply(t).sin().sum();
            Tensor p = point(7, c.shape());
            Function<Tensor, Tensor> gradient = t -> {
                try (var _ = Autograd.enableGrad()) {
                    Tensor leaf = t.detach().requiresGrad(true);
                    return Autograd.grad(scalar.apply(leaf), List.of(leaf), false).get(0);
                }
            };
            double[] fd = flat(finiteDifferenceJacobian(gradient, p));
            Tensor hess = Autograd.hessian(scalar, p);
            assertClose(fd, hess.toDoubleArray(), 1e-5, 1e-4, c.name() + ": Hessian vs differences of the gradient");
            int n = p.numel();
            double[] hd = hess.toDoubleArray();
            for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) assertEquals(hd[i * n + j], hd[j * n + i], 1e-9, "symmetric");
        }
    }

    @Test
    void forwardOverReverseGivesHessianVectorProducts() {
        // jvp of the gradient (computed with createGraph, so each derivative's ops see the tangents of
        // the saved tensors) is H·v: the tangent rules of the ops that backward formulas use, conv2d's
        // two transposes among them, and those of crossEntropy's composed derivative and bce's backward.
        for (String name : List.of("small MLP", "conv2d, weight and bias from x", "softmax dim 0", "cholesky",
                "crossEntropy (fused), smoothing, ignored row, mean", "bce (a Function), soft targets from x")) {
            Case c = cases().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
            Function<Tensor, Tensor> scalar = t -> c.f().apply(t).sin().sum();
            Function<Tensor, Tensor> gradient = t -> {
                try (var _ = Autograd.enableGrad()) {
                    Tensor leaf = t.requiresGrad() ? t : t.requiresGrad(true);
                    return Autograd.grad(scalar.apply(leaf), List.of(leaf), true).get(0);
                }
            };
            Tensor x = point(16, c.shape());
            Tensor v = constant(17, c.shape());
            double[] h = Autograd.hessian(scalar, x).toDoubleArray(), vd = v.toDoubleArray();
            int n = vd.length;
            double[] hv = new double[n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) hv[i] += h[i * n + j] * vd[j];
            assertClose(hv, Autograd.jvp(gradient, x, v).toDoubleArray(), 1e-9, 1e-7, name + ": jvp(∇f) vs H·v");
        }
    }

    @Test
    void derivativesOfFunctionsThatIgnoreXAreZero() {
        Tensor x = point(8, 3);
        Function<Tensor, Tensor> constantF = t -> B;
        assertArrayEquals(new double[9], Autograd.jacobian(constantF, x).toDoubleArray());
        assertArrayEquals(new double[3], Autograd.jvp(constantF, x, x).toDoubleArray());
        assertArrayEquals(new double[3], Autograd.vjp(constantF, x, B).toDoubleArray());
        assertArrayEquals(new double[9], Autograd.hessian(t -> t.sum(), x).toDoubleArray(), "linear: H = 0");
        assertArrayEquals(x.toDoubleArray(), Autograd.jvp(t -> t, x, x).toDoubleArray(), "identity: J·v = v");
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = point(9, 2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> Autograd.hessian(Tensor::sin, x));
        assertTrue(e.getMessage().contains("hessian") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("scalar"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Autograd.vjp(t -> t.sum(0, false), x, Tensor.zeros(DType.FLOAT64, 2)));
        assertTrue(e.getMessage().contains("vjp") && e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Autograd.jvp(Tensor::sin, x, Tensor.zeros(DType.FLOAT64, 3, 2)));
        assertTrue(e.getMessage().contains("jvp") && e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Autograd.jacobian(Tensor::sin, Tensor.of(new long[] {1, 2}, 2)));
        assertTrue(e.getMessage().contains("jacobian") && e.getMessage().contains("int64"), e.getMessage());
    }

    /** c = a·b·k with k a stored constant; jvp only when {@code withJvp}. */
    private static final class ScaledMul extends org.jgrad.Function {
        final boolean withJvp;
        Tensor[] tangentsSeen;

        ScaledMul(boolean withJvp) {
            this.withJvp = withJvp;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            ctx.put("k", 3.0);
            return in[0].mul(in[1]).mul(3.0);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor a = ctx.savedTensors()[0], b = ctx.savedTensors()[1];
            double k = ctx.get("k");
            return new Tensor[] {g.mul(b).mul(k), g.mul(a).mul(k)};
        }

        @Override
        protected Tensor jvp(Context ctx, Tensor... t) {
            if (!withJvp) return super.jvp(ctx, t);
            tangentsSeen = t.clone();
            Tensor a = ctx.savedTensors()[0], b = ctx.savedTensors()[1];
            double k = ctx.get("k");
            return t[0].mul(b).add(a.mul(t[1])).mul(k);
        }
    }

    @Test
    void aUserFunctionGivesATangentThroughItsJvp() {
        Tensor x = point(10, 2, 3);
        Tensor v = constant(11, 2, 3);
        // both inputs depend on x: ċ = 3·(v·sin x + x·cos x·v)
        Function<Tensor, Tensor> both = t -> new ScaledMul(true).apply(t, t.sin());
        double[] expected = new double[6], xd = x.toDoubleArray(), vd = v.toDoubleArray();
        for (int i = 0; i < 6; i++) expected[i] = 3 * (vd[i] * Math.sin(xd[i]) + xd[i] * Math.cos(xd[i]) * vd[i]);
        assertClose(expected, Autograd.jvp(both, x, v).toDoubleArray(), 1e-12, 1e-12, "jvp through a user Function");

        // an input without a tangent (B [3], broadcast) arrives as zeros of its shape and dtype, as at every op
        ScaledMul op = new ScaledMul(true);
        Tensor tangent = Autograd.jvp(t -> op.apply(t, B), x, v);
        assertArrayEquals(new double[3], op.tangentsSeen[1].toDoubleArray());
        assertArrayEquals(B.shape(), op.tangentsSeen[1].shape());
        assertEquals(DType.FLOAT64, op.tangentsSeen[1].dtype());
        assertClose(v.mul(B).mul(3).toDoubleArray(), tangent.toDoubleArray(), 1e-12, 1e-12, "3·v·B");

        // without a tangent, jvp is never called: the op runs as before inside a dual level
        ScaledMul quiet = new ScaledMul(true);
        try (var _ = ForwardAD.dualLevel()) {
            assertNull(ForwardAD.tangent(quiet.apply(x, B)));
        }
        assertNull(quiet.tangentsSeen);
    }

    @Test
    void aUserFunctionWithoutJvpRefusesATangentAndNamesTheFix() {
        Tensor x = point(10, 2, 4);
        Function<Tensor, Tensor> custom = t -> new ScaledMul(false).apply(t, t);
        var e = assertThrows(IllegalStateException.class, () -> Autograd.jvp(custom, x, x));
        assertTrue(e.getMessage().contains("jvp: op ScaledMul has no forward-mode rule; override Function.jvp"), e.getMessage());
        // its reverse-mode derivatives still work, and so does forward mode once the level is closed
        assertClose(x.mul(6).toDoubleArray(), Autograd.vjp(t -> custom.apply(t).sum(), x, Tensor.scalar(DType.FLOAT64, 1))
                .toDoubleArray(), 1e-12, 1e-12, "vjp of 3·x²");
        assertFalse(ForwardAD.isActive());

        // a jvp returning null is named
        Function<Tensor, Tensor> nullJvp = t -> new org.jgrad.Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].mul(2);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor g) {
                return new Tensor[] {g.mul(2)};
            }

            @Override
            protected String name() {
                return "twice";
            }

            @Override
            protected Tensor jvp(Context ctx, Tensor... tangents) {
                return null;
            }
        }.apply(t);
        e = assertThrows(IllegalStateException.class, () -> Autograd.jvp(nullJvp, x, x));
        assertTrue(e.getMessage().contains("twice") && e.getMessage().contains("jvp returned null"), e.getMessage());
    }

    @Test
    void aTangentFollowsADTypeConversion() {
        Tensor x = point(14, 3);
        Tensor v = constant(15, 3);
        Tensor t = Autograd.jvp(a -> a.to(DType.FLOAT32).mul(2), x, v);
        assertEquals(DType.FLOAT32, t.dtype());
        double[] vd = v.toDoubleArray(), td = t.toDoubleArray();
        for (int i = 0; i < 3; i++) assertEquals((float) (2 * vd[i]), td[i], 1e-6, "2v in float32");
    }

    @Test
    void inPlaceChangesRefuseTangents() {
        Tensor x = point(18, 3);
        var e = assertThrows(IllegalStateException.class, () -> Autograd.jvp(t -> {
            Tensor y = t.mul(2);
            return y.addInPlace(t); // y's tangent would stay 2v instead of 3v
        }, x, x));
        assertTrue(e.getMessage().contains("addInPlace") && e.getMessage().contains("in place"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Autograd.jvp(t -> Tensor.zeros(DType.FLOAT64, 3).copyInPlace(t), x, x));
        assertTrue(e.getMessage().contains("copyInPlace"), e.getMessage());
        // without tangents in-place ops work inside a dual level
        try (var _ = ForwardAD.dualLevel()) {
            assertArrayEquals(new double[] {1, 1, 1}, Tensor.zeros(DType.FLOAT64, 3).addInPlace(Tensor.ones(DType.FLOAT64, 3)).toDoubleArray());
        }
    }

    @Test
    void tangentsBelongToTheirDualLevel() {
        Tensor x = point(12, 3);
        Tensor y;
        try (var _ = ForwardAD.dualLevel()) {
            Tensor dual = ForwardAD.makeDual(x, Tensor.ones(DType.FLOAT64, 3));
            y = dual.mul(dual);
            assertArrayEquals(x.mul(2).toDoubleArray(), ForwardAD.tangent(y).toDoubleArray(), 1e-15);
            assertNull(ForwardAD.tangent(dual.detach()), "detach drops the tangent");
            assertNull(ForwardAD.tangent(dual.gt(0)), "comparisons have no tangent");
            try (var _ = ForwardAD.dualLevel()) {
                assertNull(ForwardAD.tangent(y), "an outer level's tangent is hidden");
                assertNull(ForwardAD.tangent(y.sin()), "and not propagated");
            }
            assertNotNull(ForwardAD.tangent(y.sin()));
        }
        assertNull(ForwardAD.tangent(y), "closed level");
        assertFalse(ForwardAD.isActive());
        assertThrows(IllegalStateException.class, () -> ForwardAD.makeDual(x, x));
        try (var _ = ForwardAD.dualLevel()) {
            var e = assertThrows(IllegalArgumentException.class, () -> ForwardAD.makeDual(x, Tensor.zeros(DType.FLOAT64, 4)));
            assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[3]"), e.getMessage());
        }
    }

    @Test
    void forwardModeAlsoRunsWhileTheGraphIsRecorded() {
        // A tangent and a reverse-mode graph side by side: both derivatives of one computation.
        Tensor x = point(13, 4).requiresGrad(true);
        try (var _ = ForwardAD.dualLevel()) {
            Tensor v = Tensor.ones(DType.FLOAT64, 4);
            Tensor y = x.mul(x).sin().sum();
            Tensor dual = ForwardAD.makeDual(x, v);
            Tensor yd = dual.mul(dual).sin().sum();
            y.backward();
            double directional = 0;
            for (double g : x.grad().toDoubleArray()) directional += g;
            assertEquals(directional, ForwardAD.tangent(yd).item(), 1e-12, "∇f·1 = J·1");
        }
    }
}
