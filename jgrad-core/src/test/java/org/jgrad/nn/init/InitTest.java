package org.jgrad.nn.init;

import static org.junit.jupiter.api.Assertions.*;

import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class InitTest {

    static double[] meanStdMaxAbs(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0, sq = 0, max = 0;
        for (double x : v) {
            mean += x;
            max = Math.max(max, Math.abs(x));
        }
        mean /= v.length;
        for (double x : v) sq += (x - mean) * (x - mean);
        return new double[] {mean, Math.sqrt(sq / v.length), max};
    }

    @Test
    void fansAsPyTorch() {
        assertEquals(new Init.Fans(784, 256), Init.calculateFanInAndFanOut(Tensor.zeros(256, 784)));
        // A conv weight [out=16, in=3, 5, 5]: receptive field 25.
        assertEquals(new Init.Fans(75, 400), Init.calculateFanInAndFanOut(Tensor.zeros(16, 3, 5, 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.calculateFanInAndFanOut(Tensor.zeros(5)));
        assertTrue(e.getMessage().contains("at least 2 dimensions") && e.getMessage().contains("[5]"), e.getMessage());
    }

    @Test
    void gainsAsPyTorch() {
        assertEquals(1, Init.calculateGain(Nonlinearity.SIGMOID), 0);
        assertEquals(5.0 / 3, Init.calculateGain(Nonlinearity.TANH), 1e-15);
        assertEquals(Math.sqrt(2), Init.calculateGain(Nonlinearity.RELU), 1e-15);
        assertEquals(Math.sqrt(2 / 1.0001), Init.calculateGain(Nonlinearity.LEAKY_RELU), 1e-15);
        assertEquals(Math.sqrt(2 / 6.0), Init.calculateGain(Nonlinearity.LEAKY_RELU, Math.sqrt(5)), 1e-15);
        assertEquals(0.75, Init.calculateGain(Nonlinearity.SELU), 0);
    }

    @Test
    void xavierUniformBoundsAndStd() {
        Tensor w = Tensor.zeros(300, 500);
        assertSame(w, Init.xavierUniform(w, 2.0, new Generator(1)));
        double bound = 2.0 * Math.sqrt(6.0 / 800);
        double[] s = meanStdMaxAbs(w);
        assertTrue(s[2] <= bound && s[2] > 0.99 * bound, "max |w| " + s[2] + " vs bound " + bound);
        // U(−b, b): std b/√3; 150,000 samples estimate it within ~0.2%.
        assertEquals(bound / Math.sqrt(3), s[1], 0.01 * bound / Math.sqrt(3));
        assertEquals(0, s[0], 0.01 * bound);
    }

    @Test
    void xavierNormalStd() {
        Tensor w = Tensor.zeros(DType.FLOAT64, 200, 600);
        Init.xavierNormal(w, new Generator(2));
        double std = Math.sqrt(2.0 / 800);
        double[] s = meanStdMaxAbs(w);
        assertEquals(std, s[1], 0.01 * std);
        assertEquals(0, s[0], 0.01 * std);
    }

    @Test
    void kaimingUniformAndNormalStd() {
        Tensor w = Tensor.zeros(400, 250);
        Init.kaimingUniform(w, new Generator(3));
        double std = Math.sqrt(2) / Math.sqrt(250);
        double[] s = meanStdMaxAbs(w);
        assertTrue(s[2] <= Math.sqrt(3) * std);
        assertEquals(std, s[1], 0.01 * std);

        Tensor conv = Tensor.zeros(32, 16, 3, 3);
        Init.kaimingNormal(conv, 0, FanMode.FAN_OUT, Nonlinearity.RELU, new Generator(4));
        double stdOut = Math.sqrt(2) / Math.sqrt(32 * 9);
        assertEquals(stdOut, meanStdMaxAbs(conv)[1], 0.02 * stdOut);

        Tensor t = Tensor.zeros(300, 300);
        Init.kaimingNormal(t, 0.2, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, new Generator(5));
        double stdLeaky = Math.sqrt(2 / 1.04) / Math.sqrt(300);
        assertEquals(stdLeaky, meanStdMaxAbs(t)[1], 0.01 * stdLeaky);
    }

    static void assertOrthonormalRows(Tensor q, double gain) {
        int r = q.shape()[0];
        Tensor m = q.to(DType.FLOAT64).reshape(r, -1);
        Tensor g = m.matmul(m.t()).div(gain * gain);
        double[] v = g.toDoubleArray();
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) assertEquals(i == j ? 1 : 0, v[i * r + j], 1e-10);
    }

    @Test
    void orthogonalGivesWTransposeWIdentity() {
        // Tall: orthonormal columns, WᵀW = I.
        Tensor tall = Tensor.zeros(DType.FLOAT64, 40, 15);
        Init.orthogonal(tall, new Generator(6));
        assertOrthonormalRows(tall.t().contiguous(), 1);
        // Wide: orthonormal rows, WWᵀ = I, with a gain.
        Tensor wide = Tensor.zeros(DType.FLOAT64, 10, 30);
        Init.orthogonal(wide, 1.5, new Generator(7));
        assertOrthonormalRows(wide, 1.5);
        // Square: both.
        Tensor sq = Tensor.zeros(DType.FLOAT64, 20, 20);
        Init.orthogonal(sq, new Generator(8));
        assertOrthonormalRows(sq, 1);
        assertOrthonormalRows(sq.t().contiguous(), 1);
        // A conv weight is treated as [out, in·k·k].
        Tensor conv = Tensor.zeros(DType.FLOAT64, 4, 2, 3, 3);
        Init.orthogonal(conv, new Generator(9));
        assertOrthonormalRows(conv, 1);
        assertThrows(IllegalArgumentException.class, () -> Init.orthogonal(Tensor.zeros(4), new Generator(1)));
    }

    @Test
    void fillsParametersInPlaceAndRepeatsWithTheSeed() {
        Tensor p = Tensor.zeros(6, 7).requiresGrad(true);
        Init.xavierUniform(p, new Generator(10));
        assertTrue(p.requiresGrad() && p.isLeaf());
        Tensor q = Tensor.zeros(6, 7);
        Init.xavierUniform(q, new Generator(10));
        assertArrayEquals(q.toFloatArray(), p.toFloatArray());
        Init.constant(p, 0.25);
        for (float v : p.toFloatArray()) assertEquals(0.25f, v);
        Init.zeros(p);
        assertEquals(0, p.abs().sum().item(), 0);
        Init.ones(p);
        assertEquals(42, p.sum().item(), 0);
        Tensor u = Tensor.zeros(DType.FLOAT64, 1000);
        Init.uniform(u, 2, 3, new Generator(11));
        for (double v : u.toDoubleArray()) assertTrue(v >= 2 && v < 3);
        Tensor n = Tensor.zeros(DType.FLOAT64, 100_000);
        Init.normal(n, 5, 0.5, new Generator(12));
        double[] s = meanStdMaxAbs(n);
        assertEquals(5, s[0], 0.01);
        assertEquals(0.5, s[1], 0.01);
    }
}
