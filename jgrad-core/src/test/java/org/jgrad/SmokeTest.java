package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void secondDerivativeOfSinSquare() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor y = x.mul(x).sin().sum();
        List<Tensor> dy = Autograd.grad(y, List.of(x), true);
        double[] d1 = dy.get(0).toDoubleArray();
        for (int i = 0; i < 6; i++) {
            double v = i + 1;
            assertEquals(2 * v * Math.cos(v * v), d1[i], 1e-12);
        }
        dy.get(0).sum().backward();
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < 6; i++) {
            double v = i + 1;
            assertEquals(2 * Math.cos(v * v) - 4 * v * v * Math.sin(v * v), g[i], 1e-12);
        }
    }

    @Test
    void gradCheckBroadcastMul() {
        Generator gen = new Generator(1);
        Tensor a = Tensor.randn(gen, 3, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(gen, 4).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> in.get(0).mul(in.get(1)).tanh().div(in.get(1).exp()), a, b);
        GradCheck.checkSecondOrder(in -> in.get(0).mul(in.get(1)).tanh().sum(), a, b);
        Tensor t = Tensor.randn(gen, 4, 3).to(DType.FLOAT64).detach().transpose(0, 1).requiresGrad(true);
        GradCheck.check(in -> in.get(0).sigmoid().mul(in.get(1)).sum(1, false), t, b);
    }

    @Test
    void longChain() {
        Tensor x = Tensor.scalar(DType.FLOAT64, 0.5).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 1_000_000; i++) y = y.mul(1.0000001);
        y.backward();
        assertEquals(Math.pow(1.0000001, 1_000_000), x.grad().item(), 1e-6);
    }
}
