package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionTest {

    /** The course's multiplication block: c = a·b, backward (b·dc, a·dc). */
    static final class Mul extends Function {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].mul(in[1]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor dc) {
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {
                ctx.needsInputGrad(0) ? s[1].mul(dc) : null,
                ctx.needsInputGrad(1) ? s[0].mul(dc) : null};
        }
    }

    /**
     * SMAPE of a linear prediction, |⟨x,a⟩ − y| / (|⟨x,a⟩| + |y|), with inputs (x, a, y). The forward is
     * computed from the raw values; the backward is the hand derivation with s = ⟨x,a⟩, N = |s − y|,
     * D = |s| + |y|:  ∂f/∂s = sign(s − y)/D − N·sign(s)/D²,  ∂f/∂y = −sign(s − y)/D − N·sign(y)/D²,
     * ∂s/∂x = a, ∂s/∂a = x. Written with tensor ops on the saved inputs, so it is differentiable again.
     */
    static final class Smape extends Function {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            double[] x = in[0].toDoubleArray(), a = in[1].toDoubleArray();
            double y = in[2].item();
            double s = 0;
            for (int i = 0; i < x.length; i++) s += x[i] * a[i];
            ctx.saveForBackward(in[0], in[1], in[2]);
            ctx.put("s", s);
            return Tensor.scalar(DType.FLOAT64, Math.abs(s - y) / (Math.abs(s) + Math.abs(y)));
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor[] saved = ctx.savedTensors();
            Tensor x = saved[0], a = saved[1], y = saved[2];
            Tensor s = x.mul(a).sum();
            assertEquals((double) ctx.get("s"), s.item(), 1e-12, "stashed value survives to backward");
            Tensor n = s.sub(y).abs();
            Tensor d = s.abs().add(y.abs());
            Tensor dfds = s.sub(y).sign().div(d).sub(n.mul(s.sign()).div(d.mul(d)));
            Tensor dfdy = s.sub(y).sign().neg().div(d).sub(n.mul(y.sign()).div(d.mul(d)));
            Tensor gs = g.mul(dfds);
            return new Tensor[] {
                ctx.needsInputGrad(0) ? gs.mul(a) : null,
                ctx.needsInputGrad(1) ? gs.mul(x) : null,
                ctx.needsInputGrad(2) ? g.mul(dfdy) : null};
        }
    }

    static Tensor smapeFromOps(Tensor x, Tensor a, Tensor y) {
        Tensor s = x.mul(a).sum();
        return s.sub(y).abs().div(s.abs().add(y.abs()));
    }

    private static Tensor randn(Generator gen, int... shape) {
        return Tensor.randn(gen, shape).to(DType.FLOAT64).requiresGrad(true);
    }

    private static void assertArrayClose(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], tol, "element " + i);
    }

    @Test
    void mulBlockMatchesBuiltInMul() {
        Generator gen = new Generator(11);
        Tensor a = randn(gen, 3, 4), b = randn(gen, 3, 4), w = randn(gen, 3, 4);
        Tensor c = new Mul().apply(a, b);
        assertEquals("Mul", c.gradFnName());
        assertArrayClose(a.mul(b).toDoubleArray(), c.toDoubleArray(), 0);
        c.mul(w).sum().backward();

        Tensor a2 = a.detach().requiresGrad(true), b2 = b.detach().requiresGrad(true);
        a2.mul(b2).mul(w.detach()).sum().backward();
        assertArrayClose(a2.grad().toDoubleArray(), a.grad().toDoubleArray(), 1e-15);
        assertArrayClose(b2.grad().toDoubleArray(), b.grad().toDoubleArray(), 1e-15);
        // and against the formula, element by element
        double[] av = a.toDoubleArray(), bv = b.toDoubleArray(), wv = w.toDoubleArray();
        double[] ga = a.grad().toDoubleArray(), gb = b.grad().toDoubleArray();
        for (int i = 0; i < av.length; i++) {
            assertEquals(bv[i] * wv[i], ga[i], 1e-15);
            assertEquals(av[i] * wv[i], gb[i], 1e-15);
        }
    }

    @Test
    void mulBlockPassesGradCheckFirstAndSecondOrder() {
        Generator gen = new Generator(12);
        Tensor a = randn(gen, 5), b = randn(gen, 5);
        GradCheck.check(in -> new Mul().apply(in.get(0), in.get(1)), a, b);
        // Its backward is written with tensor ops on the saved inputs, so the Hessian comes out right.
        GradCheck.checkSecondOrder(in -> new Mul().apply(in.get(0), in.get(1)).sin().sum(), a, b);
        // Non-contiguous inputs reach forward and backward as they are.
        Tensor t = Tensor.randn(gen, 5, 3).to(DType.FLOAT64).transpose(0, 1).detach().requiresGrad(true);
        Tensor u = randn(gen, 3, 5);
        GradCheck.check(in -> new Mul().apply(in.get(0), in.get(1)), t, u);
    }

    @Test
    void smapeBlockMatchesComposedOps() {
        Generator gen = new Generator(13);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + trial % 6;
            Tensor x = randn(gen, n), a = randn(gen, n);
            Tensor y = Tensor.scalar(DType.FLOAT64, 2 * gen.nextGaussian()).requiresGrad(true);
            Tensor f = new Smape().apply(x, a, y);

            Tensor x2 = x.detach().requiresGrad(true), a2 = a.detach().requiresGrad(true), y2 = y.detach().requiresGrad(true);
            Tensor f2 = smapeFromOps(x2, a2, y2);
            assertEquals(f2.item(), f.item(), 1e-12);
            // and against the formula evaluated in plain Java
            double s = 0;
            double[] xv = x.toDoubleArray(), av = a.toDoubleArray();
            for (int i = 0; i < n; i++) s += xv[i] * av[i];
            double yv = y.item();
            assertEquals(Math.abs(s - yv) / (Math.abs(s) + Math.abs(yv)), f.item(), 1e-12);

            f.backward();
            f2.backward();
            assertArrayClose(x2.grad().toDoubleArray(), x.grad().toDoubleArray(), 1e-12);
            assertArrayClose(a2.grad().toDoubleArray(), a.grad().toDoubleArray(), 1e-12);
            assertEquals(y2.grad().item(), y.grad().item(), 1e-12);
        }
    }

    @Test
    void smapeBlockPassesGradCheck() {
        Generator gen = new Generator(14);
        for (int trial = 0; trial < 5; trial++) {
            Tensor x = randn(gen, 4), a = randn(gen, 4);
            Tensor y = Tensor.scalar(DType.FLOAT64, 1 + gen.nextDouble()).requiresGrad(true);
            GradCheck.check(in -> new Smape().apply(in.get(0), in.get(1), in.get(2)), x, a, y);
            GradCheck.checkSecondOrder(in -> new Smape().apply(in.get(0), in.get(1), in.get(2)), x, a, y);
        }
    }

    @Test
    void smapeBlockInsideALargerGraph() {
        // The block composes with ordinary ops on both sides: x comes from an op, the result feeds one.
        Generator gen = new Generator(15);
        Tensor x = randn(gen, 6), a = randn(gen, 6);
        Tensor y = Tensor.scalar(DType.FLOAT64, 0.8).requiresGrad(true);
        GradCheck.check(in -> new Smape().apply(in.get(0).tanh(), in.get(1), in.get(2)).exp().mul(in.get(0).sum()),
                x, a, y);
    }

    /** e^x saving its output, as the built-in exp does: backward is g·out. */
    static final class Exp extends Function {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor out = in[0].exp();
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.mul(ctx.savedTensors()[0])};
        }
    }

    @Test
    void savedOutputCarriesTheSecondDerivative() {
        Generator gen = new Generator(16);
        Tensor x = randn(gen, 2, 3);
        GradCheck.check(in -> new Exp().apply(in.get(0).mul(in.get(0))), x);
        // d²/dx² e^(x²) needs the saved output to stay connected to the graph.
        GradCheck.checkSecondOrder(in -> new Exp().apply(in.get(0).mul(in.get(0))).sum(), x);
        Tensor y = Tensor.of(0.5).requiresGrad(true);
        Tensor dy = Autograd.grad(new Exp().apply(y).sum(), List.of(y), true).get(0);
        assertEquals(Math.exp(0.5), Autograd.grad(dy.sum(), List.of(y), false).get(0).item(), 1e-12);
    }

    @Test
    void forwardRunsWithoutRecordingAndBackwardRecordsOnlyForCreateGraph() {
        List<Boolean> forwardModes = new ArrayList<>(), backwardModes = new ArrayList<>();
        Function square = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                forwardModes.add(Autograd.isGradEnabled());
                Tensor out = in[0].mul(in[0]);
                assertNull(out.gradFnName(), "ops inside forward are not recorded");
                ctx.saveForBackward(in[0]);
                return out;
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor g) {
                backwardModes.add(Autograd.isGradEnabled());
                return new Tensor[] {g.mul(ctx.savedTensors()[0]).mul(2)};
            }
        };
        Tensor x = Tensor.of(1.5, -2.0).requiresGrad(true);
        Tensor y = square.apply(x).sum();
        assertEquals("Function", y.gradFn.next[0].op, "an anonymous block is named Function");
        List<Tensor> g1 = Autograd.grad(y, List.of(x), false);
        assertFalse(g1.get(0).requiresGrad());
        Tensor y2 = square.apply(x).sum();
        List<Tensor> g2 = Autograd.grad(y2, List.of(x), true);
        assertTrue(g2.get(0).requiresGrad());
        assertEquals(List.of(false, false), forwardModes);
        assertEquals(List.of(false, true), backwardModes);
        assertArrayClose(new double[] {3, -4}, g1.get(0).toDoubleArray(), 0);
        // The recorded backward is differentiable: d/dx sum(2x) = 2.
        g2.get(0).sum().backward();
        assertArrayClose(new double[] {2, 2}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void needsInputGradFollowsTheInputs() {
        boolean[][] seen = new boolean[1][];
        Function probe = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].add(in[1]).add(in[2]);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor g) {
                seen[0] = new boolean[] {ctx.needsInputGrad(0), ctx.needsInputGrad(1), ctx.needsInputGrad(2)};
                assertThrows(IndexOutOfBoundsException.class, () -> ctx.needsInputGrad(3));
                // A gradient returned for an input that needs none is ignored.
                return new Tensor[] {g, g, g};
            }
        };
        Tensor a = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor b = Tensor.of(3.0, 4.0);
        Tensor c = Tensor.of(5.0, 6.0).requiresGrad(true);
        probe.apply(a, b, c).sum().backward();
        assertArrayEquals(new boolean[] {true, false, true}, seen[0]);
        assertNull(b.grad());
        assertArrayClose(new double[] {1, 1}, c.grad().toDoubleArray(), 0);
    }

    @Test
    void noGraphWhenNoInputRequiresGradOrUnderNoGrad() {
        Tensor a = Tensor.of(1.0, 2.0), b = Tensor.of(3.0, 4.0);
        Tensor c = new Mul().apply(a, b);
        assertFalse(c.requiresGrad());
        assertTrue(c.isLeaf());
        Tensor ar = a.detach().requiresGrad(true);
        try (var scope = Autograd.noGrad()) {
            Tensor d = new Mul().apply(ar, b);
            assertFalse(d.requiresGrad());
            assertTrue(d.isLeaf());
        }
        Tensor e = new Mul().apply(ar, b);
        assertTrue(e.requiresGrad());
        assertFalse(e.isLeaf());
    }

    @Test
    void forwardReturningItsInputDoesNotTurnTheInputIntoANonLeaf() {
        Function identity = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0];
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor g) {
                return new Tensor[] {g.mul(3)}; // deliberately not the identity's gradient, to see it used
            }
        };
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor y = identity.apply(x);
        assertNotSame(x, y);
        assertTrue(x.isLeaf());
        assertFalse(y.isLeaf());
        y.sum().backward();
        assertArrayClose(new double[] {3, 3}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void savedTensorModifiedInPlaceIsDetected() {
        Tensor a = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor b = Tensor.of(3.0, 4.0); // does not require grad, so in-place is allowed
        Tensor c = new Mul().apply(a, b).sum();
        b.addInPlace(Tensor.of(1.0, 1.0));
        IllegalStateException e = assertThrows(IllegalStateException.class, c::backward);
        assertTrue(e.getMessage().contains("Mul"), e.getMessage());
        assertTrue(e.getMessage().contains("modified in place"), e.getMessage());
    }

    @Test
    void wrongGradientShapeOrCountIsReportedWithTheBlockName() {
        Tensor x = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        Function wrongShape = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].mul(2);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor g) {
                return new Tensor[] {g.sum()};
            }

            @Override
            protected String name() {
                return "Doubler";
            }
        };
        IllegalStateException e1 = assertThrows(IllegalStateException.class, () -> wrongShape.apply(x).sum().backward());
        assertTrue(e1.getMessage().contains("Doubler"), e1.getMessage());
        assertTrue(e1.getMessage().contains("[3]") && e1.getMessage().contains("[]"), e1.getMessage());

        Function oneForTwo = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].add(in[1]);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor g) {
                return new Tensor[] {g};
            }
        };
        Tensor y = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> oneForTwo.apply(x, y).sum().backward());
        assertTrue(e2.getMessage().contains("1 gradients for 2 inputs"), e2.getMessage());

        Function returnsNull = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].mul(1);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor g) {
                return null;
            }
        };
        IllegalStateException e3 = assertThrows(IllegalStateException.class, () -> returnsNull.apply(x).sum().backward());
        assertTrue(e3.getMessage().contains("returned null"), e3.getMessage());
    }

    @Test
    void contextRejectsMisuse() {
        Function noKey = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                ctx.put("k", 7);
                return in[0].mul(1);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor g) {
                int k = ctx.get("k");
                assertEquals(7, k);
                ctx.get("missing");
                return new Tensor[] {g};
            }
        };
        Tensor x = Tensor.of(1.0).requiresGrad(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> noKey.apply(x).sum().backward());
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("[k]"), e.getMessage());

        Function saveLate = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].mul(1);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor g) {
                ctx.saveForBackward(g);
                return new Tensor[] {g};
            }
        };
        Tensor x2 = Tensor.of(1.0).requiresGrad(true);
        assertThrows(IllegalStateException.class, () -> saveLate.apply(x2).sum().backward());
        assertThrows(IllegalArgumentException.class, () -> new Mul().apply(x2, null));
    }
}
