package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AutogradTest {

    private static void assertArrayClose(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    private static Tensor randn(Generator gen, int... shape) {
        return Tensor.randn(gen, shape).to(DType.FLOAT64).requiresGrad(true);
    }

    private static void assertMessageContains(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "\"" + p + "\" not in: " + e.getMessage());
    }

    // ------------------------------------------------------------ backward

    @Test
    void backwardOnScalar() {
        Tensor x = Tensor.of(new double[] {0.5, -1, 2}, 3).requiresGrad(true);
        x.mul(x).sum().backward();
        assertArrayClose(new double[] {1, -2, 4}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void backwardWithAGradientOfAnyShape() {
        Generator gen = new Generator(1);
        Tensor x = randn(gen, 2, 3, 4);
        Tensor gOut = Tensor.randn(gen, 2, 3, 4).to(DType.FLOAT64);
        x.sin().backward(gOut);
        double[] xv = x.toDoubleArray(), gv = gOut.toDoubleArray(), grad = x.grad().toDoubleArray();
        for (int i = 0; i < xv.length; i++) assertEquals(gv[i] * Math.cos(xv[i]), grad[i], 1e-15);

        Tensor y = randn(gen, 2, 3);
        IllegalArgumentException implied = assertThrows(IllegalArgumentException.class, () -> y.exp().backward());
        assertMessageContains(implied, "[2, 3]", "scalar");
        IllegalArgumentException wrongShape = assertThrows(IllegalArgumentException.class,
                () -> y.exp().backward(Tensor.ones(DType.FLOAT64, 3, 2)));
        assertMessageContains(wrongShape, "[3, 2]", "[2, 3]");
    }

    @Test
    void backwardFromATensorThatDoesNotRequireGradThrows() {
        Tensor x = Tensor.of(1.0, 2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(x).sum().backward());
        assertMessageContains(e, "does not require grad");
    }

    @Test
    void aTensorUsedSeveralTimesReceivesTheSum() {
        Tensor x = Tensor.of(0.3, -1.2).requiresGrad(true);
        x.add(x).add(x).sum().backward(); // x used 3 times
        assertArrayClose(new double[] {3, 3}, x.grad().toDoubleArray(), 0);

        Tensor z = Tensor.of(0.3, -1.2).requiresGrad(true);
        z.sin().add(z.exp()).add(z.mul(z)).sum().backward(); // three different paths
        double[] zv = z.toDoubleArray(), g = z.grad().toDoubleArray();
        for (int i = 0; i < 2; i++) assertEquals(Math.cos(zv[i]) + Math.exp(zv[i]) + 2 * zv[i], g[i], 1e-15);

        // An intermediate used twice: the sum reaches it before it is propagated further.
        Tensor w = Tensor.of(0.7).requiresGrad(true);
        Tensor e = w.exp();
        e.mul(e).mul(e).sum().backward(); // e³ = e^{3w}: derivative 3e^{3w}
        assertEquals(3 * Math.exp(2.1), w.grad().item(), 1e-12);
    }

    @Test
    void retainGraphAllowsASecondBackwardAndGradsAccumulate() {
        Tensor x = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        Tensor y = x.mul(x).sum();
        y.backward(null, true);
        assertArrayClose(new double[] {2, 4, 6}, x.grad().toDoubleArray(), 0);
        y.backward(); // frees the graph this time
        assertArrayClose(new double[] {4, 8, 12}, x.grad().toDoubleArray(), 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertMessageContains(e, "second time", "freed", "retainGraph");
    }

    @Test
    void secondBackwardWithoutRetainGraphThrows() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor y = x.exp().mul(x).sum();
        y.backward();
        double[] first = x.grad().toDoubleArray();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertMessageContains(e, "freed", "retainGraph");
        assertArrayEquals(first, x.grad().toDoubleArray(), "a failed backward leaves grads as they were");
        // Autograd.grad through the freed graph fails the same way.
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> Autograd.grad(y, List.of(x), false));
        assertMessageContains(e2, "freed");
    }

    @Test
    void gradsAccumulateAcrossGraphsUntilZeroed() {
        Tensor x = Tensor.of(2.0).requiresGrad(true);
        x.mul(3).sum().backward();
        x.mul(x).sum().backward();
        assertEquals(3 + 4, x.grad().item(), 0);
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(5).sum().backward();
        assertEquals(5, x.grad().item(), 0);
    }

    @Test
    void gradientsOfIntermediatesAreNotStored() {
        Tensor x = Tensor.of(2.0).requiresGrad(true);
        Tensor h = x.exp();
        h.mul(h).sum().backward();
        assertNull(h.grad(), "only leaves accumulate .grad, as in PyTorch");
        assertNotNull(x.grad());
    }

    // ------------------------------------------------------------ in place

    @Test
    void inPlaceChangeOfASavedTensorIsDetected() {
        // w saved by mul (and by exp as its output), then changed under noGrad.
        Tensor x = Tensor.of(0.1, 0.2).requiresGrad(true);
        Tensor w = x.exp();
        Tensor y = w.mul(w).sum();
        try (var scope = Autograd.noGrad()) {
            w.mulInPlace(2);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertMessageContains(e, "mul", "modified in place", "[2]");

        // A saved tensor that does not require grad may be changed in place, and still must not be.
        Tensor a = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor b = Tensor.of(3.0, 4.0);
        Tensor c = a.mul(b).sum();
        b.addInPlace(Tensor.of(1.0, 1.0));
        IllegalStateException e2 = assertThrows(IllegalStateException.class, c::backward);
        assertMessageContains(e2, "mul", "modified in place", "version 0 when saved, now 1");

        // So must a view sharing its storage.
        Tensor a2 = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor b2 = Tensor.of(3.0, 4.0);
        Tensor c2 = a2.mul(b2).sum();
        b2.detach().slice(0, 1, 2).fillInPlace(0);
        assertThrows(IllegalStateException.class, c2::backward);

        // Changing a tensor that was not saved is harmless.
        Tensor a3 = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor b3 = Tensor.of(3.0, 4.0);
        Tensor c3 = a3.add(b3).sum(); // add saves nothing
        b3.addInPlace(Tensor.of(1.0, 1.0));
        c3.backward();
        assertArrayClose(new double[] {1, 1}, a3.grad().toDoubleArray(), 0);
    }

    @Test
    void inPlaceOnALeafRequiringGradIsRefusedOutsideNoGrad() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.addInPlace(Tensor.of(1.0, 1.0)));
        assertMessageContains(e, "addInPlace", "requires grad", "noGrad");
        assertArrayEquals(new double[] {1, 2}, x.toDoubleArray(), "refused before touching the data");
        Tensor h = x.mul(2);
        assertThrows(IllegalStateException.class, () -> h.fillInPlace(0), "non-leaf in the graph");
        try (var scope = Autograd.noGrad()) {
            x.subInPlace(Tensor.of(0.5, 0.5)); // what an optimizer step does
        }
        assertArrayEquals(new double[] {0.5, 1.5}, x.toDoubleArray());
    }

    // ------------------------------------------------------------ grad mode

    @Test
    void noGradScopesNestAndRestore() {
        assertTrue(Autograd.isGradEnabled());
        Tensor x = Tensor.of(1.0).requiresGrad(true);
        try (var outer = Autograd.noGrad()) {
            assertFalse(Autograd.isGradEnabled());
            assertFalse(x.mul(2).requiresGrad());
            try (var inner = Autograd.enableGrad()) {
                assertTrue(Autograd.isGradEnabled());
                assertTrue(x.mul(2).requiresGrad());
                try (var innermost = Autograd.noGrad()) {
                    assertFalse(Autograd.isGradEnabled());
                }
                assertTrue(Autograd.isGradEnabled());
            }
            assertFalse(Autograd.isGradEnabled());
            try (var again = Autograd.noGrad()) {
                assertFalse(Autograd.isGradEnabled());
            }
            assertFalse(Autograd.isGradEnabled(), "closing a nested noGrad keeps the outer one");
        }
        assertTrue(Autograd.isGradEnabled());
    }

    @Test
    void noGradIsRestoredWhenAnExceptionIsThrown() {
        assertThrows(IllegalArgumentException.class, () -> {
            try (var scope = Autograd.noGrad()) {
                Tensor.of(1.0, 2.0).add(Tensor.of(1.0, 2.0, 3.0)); // shapes do not broadcast
            }
        });
        assertTrue(Autograd.isGradEnabled());
        try (var outer = Autograd.noGrad()) {
            assertThrows(IllegalStateException.class, () -> {
                try (var inner = Autograd.enableGrad()) {
                    throw new IllegalStateException("boom");
                }
            });
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
    }

    @Test
    void gradModeIsPerThread() throws Exception {
        AtomicBoolean otherThreadSaw = new AtomicBoolean();
        try (var scope = Autograd.noGrad()) {
            Thread t = new Thread(() -> otherThreadSaw.set(Autograd.isGradEnabled()));
            t.start();
            t.join();
        }
        assertTrue(otherThreadSaw.get());
    }

    @Test
    void detachSharesDataAndHasNoGrad() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor h = x.mul(3);
        Tensor d = h.detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        assertNull(d.gradFnName());
        assertArrayEquals(h.toDoubleArray(), d.toDoubleArray());
        d.fillInPlace(7); // allowed: d is not in the graph; visible through h, which shares the storage
        assertArrayEquals(new double[] {7, 7}, h.toDoubleArray());
        // A graph through the detached tensor does not reach x.
        Tensor z = d.mul(x).sum();
        z.backward();
        assertArrayEquals(new double[] {7, 7}, x.grad().toDoubleArray());
    }

    @Test
    void requiresGradPropagatesAsInPyTorch() {
        Tensor a = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor b = Tensor.of(3.0, 4.0);
        assertTrue(a.isLeaf());
        assertTrue(b.isLeaf());
        assertFalse(b.requiresGrad());

        Tensor ab = a.mul(b);
        assertTrue(ab.requiresGrad());
        assertFalse(ab.isLeaf());
        assertEquals("mul", ab.gradFnName());

        Tensor bb = b.mul(b);
        assertFalse(bb.requiresGrad());
        assertTrue(bb.isLeaf());

        Tensor view = a.reshape(2, 1);
        assertTrue(view.requiresGrad());
        assertFalse(view.isLeaf());

        try (var scope = Autograd.noGrad()) {
            Tensor c = a.mul(b);
            assertFalse(c.requiresGrad());
            assertTrue(c.isLeaf());
        }

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ab.requiresGrad(false));
        assertMessageContains(e, "mul", "detach");
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new long[] {1, 2}, 2).requiresGrad(true));

        // A leaf can be switched off, after which it is a constant to new graphs.
        a.requiresGrad(false);
        assertFalse(a.mul(b).requiresGrad());
    }

    // ------------------------------------------------------------ deep graphs

    @Test
    void aChainOfAMillionOpsBackpropagatesAndIsFreed() {
        // Surefire runs with -Xss1m: a recursive topological sort (or a recursive release of the
        // graph) would overflow long before a million levels.
        int n = 1_000_000;
        double p = 1 + 1e-7;
        Tensor x = Tensor.scalar(DType.FLOAT64, 0.5).requiresGrad(true);
        Tensor c = Tensor.scalar(DType.FLOAT64, p); // a saved tensor for every mul
        Tensor y = null;
        Tensor first = x.mul(c);
        WeakReference<Tensor> firstOp = new WeakReference<>(first);
        for (int i = 1; i < n; i++) y = (i == 1 ? first : y).mul(c);
        first = null;
        y.backward();
        double expected = Math.pow(p, n);
        assertEquals(expected, x.grad().item(), 1e-9 * expected);

        // Every node released what it saved (walking the chain iteratively).
        int freed = 0;
        for (Node node = y.gradFn; !node.isLeafAccumulator(); node = node.next[0]) {
            assertTrue(node.isFreed());
            freed++;
        }
        assertEquals(n, freed);

        // The graph holds nodes, not the tensors between them: with the output still alive, the
        // intermediate results are garbage once backward has freed the saved ones.
        for (int i = 0; i < 20 && firstOp.get() != null; i++) System.gc();
        assertNull(firstOp.get(), "an intermediate tensor of the chain was not collected");
        assertEquals(expected, x.grad().item(), 1e-9 * expected);
    }

    @Test
    void gradThroughADeepChainAndADeepDiamond() {
        int n = 100_000;
        Tensor x = Tensor.of(0.25).requiresGrad(true);
        Tensor y = x;
        // Every step uses the previous tensor twice, so the graph is a long ladder of diamonds.
        for (int i = 0; i < n; i++) y = y.add(y).mul(0.5);
        List<Tensor> g = Autograd.grad(y.sum(), List.of(x), false);
        assertEquals(1, g.get(0).item(), 1e-12);
    }

    // ------------------------------------------------------------ Autograd.grad and higher order

    @Test
    void secondDerivativeOfCube() {
        Generator gen = new Generator(2);
        Tensor x = randn(gen, 7);
        for (Tensor y : List.of(x.mul(x).mul(x), x.pow(3))) {
            Tensor dy = Autograd.grad(y.sum(), List.of(x), true).get(0);
            assertTrue(dy.requiresGrad(), "createGraph records the backward pass");
            Tensor d2y = Autograd.grad(dy.sum(), List.of(x), false).get(0);
            double[] xv = x.toDoubleArray(), d1 = dy.toDoubleArray(), d2 = d2y.toDoubleArray();
            for (int i = 0; i < xv.length; i++) {
                assertEquals(3 * xv[i] * xv[i], d1[i], 1e-12);
                assertEquals(6 * xv[i], d2[i], 1e-12);
            }
        }
        assertNull(x.grad(), "Autograd.grad returns gradients without touching .grad");
    }

    @Test
    void gradWithoutCreateGraphIsNotDifferentiable() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor dy = Autograd.grad(x.mul(x).sum(), List.of(x), false).get(0);
        assertFalse(dy.requiresGrad());
        assertTrue(dy.isLeaf());
    }

    @Test
    void hessianVectorProductMatchesFiniteDifferencesOfTheGradient() {
        Generator gen = new Generator(3);
        Tensor x = randn(gen, 5);
        Tensor v = Tensor.randn(gen, 5).to(DType.FLOAT64);
        // f(x) = Σ tanh(x)·x²; Hv = ∇⟨∇f(x), v⟩
        Tensor grad = Autograd.grad(f(x), List.of(x), true).get(0);
        Tensor hv = Autograd.grad(grad.mul(v).sum(), List.of(x), false).get(0);

        double eps = 1e-5;
        double[] xv = x.toDoubleArray(), vv = v.toDoubleArray(), expected = new double[5];
        double[] plus = gradientAt(xv, vv, eps), minus = gradientAt(xv, vv, -eps);
        for (int i = 0; i < 5; i++) expected[i] = (plus[i] - minus[i]) / (2 * eps);
        assertArrayClose(expected, hv.toDoubleArray(), 1e-7);

        // The Hessian of this f is diagonal with a closed form: check that too.
        for (int i = 0; i < 5; i++) {
            double t = Math.tanh(xv[i]), s2 = 1 - t * t, xi = xv[i];
            double h = -2 * s2 * t * xi * xi + 4 * xi * s2 + 2 * t;
            assertEquals(h * vv[i], hv.toDoubleArray()[i], 1e-12);
        }
    }

    private static Tensor f(Tensor x) {
        return x.tanh().mul(x.mul(x)).sum();
    }

    private static double[] gradientAt(double[] x, double[] v, double step) {
        double[] moved = new double[x.length];
        for (int i = 0; i < x.length; i++) moved[i] = x[i] + step * v[i];
        Tensor xs = Tensor.of(moved).requiresGrad(true);
        return Autograd.grad(f(xs), List.of(xs), false).get(0).toDoubleArray();
    }

    @Test
    void requiredApiExample() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor y = x.mul(x).sin().sum();
        List<Tensor> dy = Autograd.grad(y, List.of(x), true);
        dy.get(0).sum().backward();
        double[] g = x.grad().toDoubleArray();
        assertArrayEquals(new int[] {2, 3}, x.grad().shape());
        for (int i = 0; i < 6; i++) {
            double v = i + 1;
            assertEquals(2 * Math.cos(v * v) - 4 * v * v * Math.sin(v * v), g[i], 1e-12);
        }
    }

    @Test
    void courseExampleSinOfSumOverProduct() {
        // F = sin(x + y) / (x·y): ∂F/∂x = cos(x+y)/(xy) − y·sin(x+y)/(xy)², and symmetrically for y.
        Generator gen = new Generator(4);
        double[] xs = new double[10], ys = new double[10];
        for (int i = 0; i < 10; i++) {
            // away from 0, where F is singular
            xs[i] = (0.3 + 2 * gen.nextDouble()) * (gen.nextDouble() < 0.5 ? -1 : 1);
            ys[i] = (0.3 + 2 * gen.nextDouble()) * (gen.nextDouble() < 0.5 ? -1 : 1);
        }
        Tensor x = Tensor.of(xs).requiresGrad(true), y = Tensor.of(ys).requiresGrad(true);
        Tensor f = x.add(y).sin().div(x.mul(y));
        f.sum().backward();
        double[] gx = x.grad().toDoubleArray(), gy = y.grad().toDoubleArray(), fv = f.toDoubleArray();
        for (int i = 0; i < 10; i++) {
            double a = xs[i], b = ys[i], p = a * b;
            assertEquals(Math.sin(a + b) / p, fv[i], 1e-14);
            assertEquals(Math.cos(a + b) / p - b * Math.sin(a + b) / (p * p), gx[i], 1e-12 * (1 + Math.abs(gx[i])));
            assertEquals(Math.cos(a + b) / p - a * Math.sin(a + b) / (p * p), gy[i], 1e-12 * (1 + Math.abs(gy[i])));
        }
        GradCheck.check(in -> in.get(0).add(in.get(1)).sin().div(in.get(0).mul(in.get(1))),
                x.detach().requiresGrad(true), y.detach().requiresGrad(true));
    }

    @Test
    void gradOfInputsTheOutputDoesNotDependOnIsZero() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor unused = Tensor.ones(DType.FLOAT64, 3, 2).requiresGrad(true);
        List<Tensor> g = Autograd.grad(x.exp().sum(), List.of(x, unused), false);
        assertArrayClose(new double[] {Math.exp(1), Math.exp(2)}, g.get(0).toDoubleArray(), 1e-15);
        assertArrayEquals(new int[] {3, 2}, g.get(1).shape());
        assertEquals(DType.FLOAT64, g.get(1).dtype());
        assertArrayEquals(new double[6], g.get(1).toDoubleArray());
    }

    @Test
    void gradOfAnInputNotRequiringGradThrows() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor c = Tensor.of(3.0, 4.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(x.mul(c).sum(), List.of(x, c), false));
        assertMessageContains(e, "Autograd.grad", "[2]", "does not require grad");
    }

    @Test
    void gradWithRespectToAnIntermediate() {
        Tensor x = Tensor.of(0.5, 1.5).requiresGrad(true);
        Tensor h = x.exp();
        Tensor y = h.mul(h).sum();
        List<Tensor> g = Autograd.grad(y, List.of(h, x), null, false, false);
        double[] hv = h.toDoubleArray();
        assertArrayClose(new double[] {2 * hv[0], 2 * hv[1]}, g.get(0).toDoubleArray(), 1e-15);
        assertArrayClose(new double[] {2 * hv[0] * hv[0], 2 * hv[1] * hv[1]}, g.get(1).toDoubleArray(), 1e-14);
        assertNull(x.grad());
    }
}
