package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.DoubleUnaryOperator;
import org.jgrad.DType;
import org.jgrad.GradCheck;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    static final double LAMBDA = 1.0507009873554805, ALPHA = 1.6732632423543772;

    /** Sample points away from 0, where ReLU-like kinks would spoil central differences. */
    static Tensor points() {
        Tensor x = Tensor.randn(new Generator(1), 3, 5).to(DType.FLOAT64).mul(2);
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) if (Math.abs(v[i]) < 0.05) v[i] = 0.3;
        return Tensor.of(v, 3, 5);
    }

    static void check(Module m, DoubleUnaryOperator reference) {
        Tensor x = points();
        double[] in = x.toDoubleArray(), out = m.call(x).toDoubleArray();
        for (int i = 0; i < in.length; i++) {
            assertEquals(reference.applyAsDouble(in[i]), out[i], 1e-12, m + " at " + in[i]);
        }
        Tensor leaf = x.detach().requiresGrad(true);
        GradCheck.check(a -> m.call(a.get(0)), leaf);
    }

    static double sigma(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void elementwiseActivationsMatchTheirFormulasAndGradCheck() {
        check(new Sigmoid(), ActivationsTest::sigma);
        check(new Tanh(), Math::tanh);
        check(new ReLU(), x -> Math.max(x, 0));
        check(new LeakyReLU(), x -> x > 0 ? x : 0.01 * x);
        check(new LeakyReLU(0.2), x -> x > 0 ? x : 0.2 * x);
        check(new ELU(), x -> x > 0 ? x : Math.exp(x) - 1);
        check(new ELU(0.5), x -> x > 0 ? x : 0.5 * (Math.exp(x) - 1));
        check(new SELU(), x -> LAMBDA * (x > 0 ? x : ALPHA * (Math.exp(x) - 1)));
        check(new SiLU(), x -> x * sigma(x));
        check(new Softplus(), x -> Math.log(1 + Math.exp(x)));
        check(new Softsign(), x -> x / (1 + Math.abs(x)));
        check(new Atan(), Math::atan);
        check(new LeCunTanh(), x -> Math.tanh(x) + 0.01 * x);
        check(new LeCunTanh(0.1), x -> Math.tanh(x) + 0.1 * x);
    }

    @Test
    void leakyReluDefaultSlopeIsPyTorchsNotTheLectures() {
        // PyTorch's negative_slope default is 0.01; the lecture's 0.1 must be asked for.
        assertEquals(0.01, LeakyReLU.DEFAULT_ALPHA, 0);
        assertEquals(0.01, new LeakyReLU().alpha(), 0);
        assertEquals(0.1, new LeakyReLU(0.1).alpha(), 0);
        Tensor x = Tensor.of(-2.0, 3.0);
        assertArrayEquals(new double[] {-0.02, 3}, new LeakyReLU().call(x).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-0.02, 3}, x.leakyRelu().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-0.2, 3}, new LeakyReLU(0.1).call(x).toDoubleArray(), 1e-15);
        assertEquals("LeakyReLU(alpha=0.01)", new LeakyReLU().toString());
    }

    @Test
    void geluUsesTheExactNormalCdf() {
        // Φ(x) at a few points from tables: Φ(1) = 0.8413447460685429, Φ(−0.5) = 0.3085375387259869.
        Tensor x = Tensor.of(1.0, -0.5, 0.0);
        double[] y = new GELU().call(x).toDoubleArray();
        assertEquals(0.8413447460685429, y[0], 1e-12);
        assertEquals(-0.5 * 0.3085375387259869, y[1], 1e-12);
        assertEquals(0, y[2], 0);
        GradCheck.check(a -> new GELU().call(a.get(0)), points().requiresGrad(true));
    }

    @Test
    void seluConstantsGiveTheSelfNormalizingFixedPoint() {
        assertEquals(LAMBDA, Activations.SELU_SCALE, 0);
        assertEquals(ALPHA, Activations.SELU_ALPHA, 0);
        // Far below zero SELU saturates at −λα ≈ −1.7581.
        assertEquals(-LAMBDA * ALPHA, new SELU().call(Tensor.of(-40.0)).item(), 1e-12);
        // The defining property: for x ~ N(0, 1), SELU(x) has mean 0 and variance 1.
        Tensor y = new SELU().call(Tensor.randn(new Generator(2), 200_000).to(DType.FLOAT64));
        assertEquals(0, y.mean().item(), 0.01);
        assertEquals(1, y.var().item(), 0.01);
    }

    @Test
    void lecunTanhNeverGoesFlat() {
        Tensor x = Tensor.of(-50.0, 50.0).requiresGrad(true);
        new LeCunTanh(0.05).call(x).sum().backward();
        assertArrayEquals(new double[] {0.05, 0.05}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void softmaxModulesNormalizeAlongTheirDim() {
        Tensor x = points();
        Tensor s = new Softmax(0).call(x);
        double[] colSums = s.sum(0, false).toDoubleArray();
        for (double c : colSums) assertEquals(1, c, 1e-12);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                double denom = 0;
                for (int k = 0; k < 3; k++) denom += Math.exp(x.get(k, j));
                assertEquals(Math.exp(x.get(i, j)) / denom, s.get(i, j), 1e-12);
                double lden = 0;
                for (int k = 0; k < 5; k++) lden += Math.exp(x.get(i, k));
                assertEquals(x.get(i, j) - Math.log(lden), new LogSoftmax(1).call(x).get(i, j), 1e-12);
            }
        }
        GradCheck.check(a -> new Softmax(1).call(a.get(0)), x.detach().requiresGrad(true));
        GradCheck.check(a -> new LogSoftmax(0).call(a.get(0)), x.detach().requiresGrad(true));
        assertEquals("Softmax(dim=1)", new Softmax(1).toString());
    }

    @Test
    void staticFunctionsEqualModules() {
        Tensor x = points();
        assertArrayEquals(new SELU().call(x).toDoubleArray(), Activations.selu(x).toDoubleArray(), 0);
        assertArrayEquals(new SiLU().call(x).toDoubleArray(), Activations.silu(x).toDoubleArray(), 0);
        assertArrayEquals(new ELU(0.3).call(x).toDoubleArray(), Activations.elu(x, 0.3).toDoubleArray(), 0);
        assertEquals("LeakyReLU(alpha=0.2)", new LeakyReLU(0.2).toString());
    }
}
