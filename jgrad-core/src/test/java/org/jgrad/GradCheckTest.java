package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GradCheckTest {
    private static final Pattern VALUES =
            Pattern.compile("analytic (\\S+), numerical (\\S+), error");

    /** a·b whose backward scales each gradient by a factor: 1 is right, anything else is a bug. */
    static final class ScaledMul extends Function {
        private final double factorA, factorB;

        ScaledMul(double factorA, double factorB) {
            this.factorA = factorA;
            this.factorB = factorB;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].mul(in[1]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor a = ctx.savedTensors()[0], b = ctx.savedTensors()[1];
            return new Tensor[] {g.mul(b).mul(factorA), g.mul(a).mul(factorB)};
        }
    }

    /**
     * x³ with backward 3x²·g. With {@code detached} the backward reads x through detach(): the first
     * derivative is still right, but the recorded backward no longer depends on x, so the second
     * derivative comes out 0 instead of 6x.
     */
    static final class Cube extends Function {
        private final boolean detached;

        Cube(boolean detached) {
            this.detached = detached;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].mul(in[0]).mul(in[0]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.savedTensors()[0];
            if (detached) x = x.detach();
            return new Tensor[] {g.mul(x.mul(x).mul(3))};
        }
    }

    private static Tensor leaf(double... values) {
        return Tensor.of(values).requiresGrad(true);
    }

    private static double[] values(GradCheckException e) {
        Matcher m = VALUES.matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    @Test
    void passesForARightBackward() {
        Generator gen = new Generator(21);
        Tensor a = Tensor.randn(gen, 3, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(gen, 3, 4).to(DType.FLOAT64).requiresGrad(true);
        assertDoesNotThrow(() -> GradCheck.check(in -> new ScaledMul(1, 1).apply(in.get(0), in.get(1)), a, b));
        assertDoesNotThrow(() -> GradCheck.check(in -> new ScaledMul(1, 1).apply(in.get(0), in.get(1)).sum(), a, b));
    }

    @Test
    void catchesABackwardOffByAFactorAndSaysWhere() {
        // d/db sum(a·b) = a; the first element where the doubled gradient differs is the first non-zero a.
        Tensor a = leaf(0, 0, 1.5, -2);
        Tensor b = leaf(0.3, -0.7, 1.1, 0.4);
        GradCheckException e = assertThrows(GradCheckException.class,
                () -> GradCheck.check(in -> new ScaledMul(1, 2).apply(in.get(0), in.get(1)).sum(), a, b));
        assertTrue(e.getMessage().contains("d input 1[2]"), e.getMessage());
        double[] v = values(e);
        assertEquals(2 * 1.5, v[0], 1e-9, "analytic");
        assertEquals(1.5, v[1], 1e-6, "numerical");

        // On a matrix input the element is named by its multi-index; for a non-scalar output the
        // output element too.
        Tensor m = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}).requiresGrad(true);
        Tensor mask = Tensor.of(new double[][] {{0, 0, 0}, {0, 0, 2.5}}).requiresGrad(true);
        GradCheckException e2 = assertThrows(GradCheckException.class,
                () -> GradCheck.check(in -> new ScaledMul(0.5, 1).apply(in.get(0), in.get(1)), m, mask));
        assertTrue(e2.getMessage().contains("d output[1, 2] / d input 0[1, 2]"), e2.getMessage());
        double[] v2 = values(e2);
        assertEquals(0.5 * 2.5, v2[0], 1e-9);
        assertEquals(2.5, v2[1], 1e-6);
    }

    @Test
    void namesLogicalElementsOfNonContiguousInputs() {
        // Transposed: logical element [2, 0] lives at storage position 2.
        Tensor base = Tensor.of(new double[][] {{0, 0, 0}, {0, 0, 0}});
        Tensor at = base.transpose(0, 1).detach().requiresGrad(true); // shape [3, 2]
        Tensor other = Tensor.of(new double[][] {{0, 0}, {0, 0}, {4, 0}}).requiresGrad(true);
        GradCheckException e = assertThrows(GradCheckException.class,
                () -> GradCheck.check(in -> new ScaledMul(3, 1).apply(in.get(0), in.get(1)).sum(), at, other));
        assertTrue(e.getMessage().contains("d input 0[2, 0]"), e.getMessage());
        assertEquals(12, values(e)[0], 1e-9);
        assertEquals(4, values(e)[1], 1e-6);
    }

    @Test
    void catchesAGradientThatIsMissing() {
        Function forgetsB = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                ctx.saveForBackward(in[1]);
                return in[0].mul(in[1]);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor g) {
                return new Tensor[] {g.mul(ctx.savedTensors()[0]), null};
            }
        };
        Tensor a = leaf(2, 3), b = leaf(5, 7);
        GradCheckException e = assertThrows(GradCheckException.class,
                () -> GradCheck.check(in -> forgetsB.apply(in.get(0), in.get(1)).sum(), a, b));
        assertTrue(e.getMessage().contains("d input 1[0]"), e.getMessage());
        assertEquals(0, values(e)[0]);
        assertEquals(2, values(e)[1], 1e-6);
    }

    @Test
    void toleranceIsConfigurable() {
        Generator gen = new Generator(22);
        Tensor a = Tensor.randn(gen, 5).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.uniform(gen, DType.FLOAT64, 1, 2, 5).requiresGrad(true);
        // A relative error of 1e-4 is within the default rtol of 1e-3 but not within 1e-6.
        GradCheck.check(in -> new ScaledMul(1 + 1e-4, 1).apply(in.get(0), in.get(1)).sum(), a, b);
        assertThrows(GradCheckException.class, () -> GradCheck.with(1e-6, 1e-9, 1e-6)
                .checkFirstOrder(in -> new ScaledMul(1 + 1e-4, 1).apply(in.get(0), in.get(1)).sum(), a, b));
    }

    @Test
    void secondOrderCatchesABackwardThatIsNotDifferentiable() {
        Generator gen = new Generator(23);
        Tensor x = Tensor.uniform(gen, DType.FLOAT64, 0.5, 1.5, 4).requiresGrad(true);
        // Both are right to first order.
        GradCheck.check(in -> new Cube(false).apply(in.get(0)).sum(), x);
        GradCheck.check(in -> new Cube(true).apply(in.get(0)).sum(), x);
        // Only the one whose backward is recorded has the right Hessian (6x on the diagonal).
        GradCheck.checkSecondOrder(in -> new Cube(false).apply(in.get(0)).sum(), x);
        GradCheckException e = assertThrows(GradCheckException.class,
                () -> GradCheck.checkSecondOrder(in -> new Cube(true).apply(in.get(0)).sum(), x));
        assertTrue(e.getMessage().startsWith("second order, gradient of input 0"), e.getMessage());
        assertTrue(e.getMessage().contains("d output[0] / d input 0[0]"), e.getMessage());
        double[] v = values(e);
        assertEquals(0, v[0], "analytic Hessian of the detached backward");
        assertEquals(6 * x.toDoubleArray()[0], v[1], 1e-5);
    }

    @Test
    void secondOrderNamesTheInputByItsPosition() {
        // Input 0 is a constant: the failing gradient is that of input 1.
        Tensor c = Tensor.of(2.0, 3.0);
        Tensor x = leaf(0.7, 1.3);
        GradCheckException e = assertThrows(GradCheckException.class,
                () -> GradCheck.checkSecondOrder(in -> new Cube(true).apply(in.get(1)).mul(in.get(0)).sum(), c, x));
        assertTrue(e.getMessage().startsWith("second order, gradient of input 1"), e.getMessage());
    }

    @Test
    void rejectsInputsItCannotCheck() {
        Tensor f32 = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> in.get(0).sum(), f32));
        assertTrue(e1.getMessage().contains("float64"), e1.getMessage());

        Tensor nonLeaf = leaf(1, 2).mul(2);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> in.get(0).sum(), nonLeaf));
        assertTrue(e2.getMessage().contains("leaf"), e2.getMessage());

        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> in.get(0).sum(), Tensor.of(1.0, 2.0)));
        assertTrue(e3.getMessage().contains("no input requires grad"), e3.getMessage());

        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> in.get(0).to(DType.FLOAT32).sum(), leaf(1, 2)));
        assertTrue(e4.getMessage().contains("float32"), e4.getMessage());

        // An expanded leaf: one storage element stands for three, so central differences would lie.
        Tensor expanded = Tensor.of(new double[] {1, 2}, 2, 1).expand(2, 3).detach().requiresGrad(true);
        IllegalArgumentException e5 = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> in.get(0).sum(), expanded));
        assertTrue(e5.getMessage().contains("input 0") && e5.getMessage().contains("expanded"), e5.getMessage());
    }

    @Test
    void leavesInputValuesUnchanged() {
        Tensor x = leaf(0.1, 0.2, 0.3);
        double[] before = x.toDoubleArray();
        assertThrows(GradCheckException.class, () -> GradCheck.check(in -> new Cube(false).apply(in.get(0)).mul(
                new ScaledMul(1, 5).apply(in.get(0), in.get(0))).sum(), x));
        assertArrayEquals(before, x.toDoubleArray(), "restored even when the check fails");
    }
}
