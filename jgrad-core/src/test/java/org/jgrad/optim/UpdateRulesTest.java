package org.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The first three steps of every optimizer, with each option on and off, against the published update
 * rule written out over doubles. Problem: f(w) = (w₀ − 3)² + 10·(w₁ + 1)², gradient by autograd.
 */
class UpdateRulesTest {

    static final double[] START = {0.5, 0.7};

    /** A hand-written optimizer over double[]: updates w in place from the gradient g. */
    interface Reference {
        void step(double[] w, double[] g);
    }

    static double[] gradient(double[] w) {
        return new double[] {2 * (w[0] - 3), 20 * (w[1] + 1)};
    }

    static double[][] reference(Supplier<Reference> make, int steps) {
        Reference r = make.get();
        double[] w = START.clone();
        double[][] out = new double[steps][];
        for (int k = 0; k < steps; k++) {
            r.step(w, gradient(w));
            out[k] = w.clone();
        }
        return out;
    }

    static double[][] jgrad(Function<List<Tensor>, Optimizer<?>> make, DType dtype, int steps) {
        Tensor w = Tensor.of(START.clone(), 2).to(dtype).requiresGrad(true);
        Tensor c = Tensor.of(new double[] {3, -1}, 2).to(dtype);
        Tensor k = Tensor.of(new double[] {1, 10}, 2).to(dtype);
        Optimizer<?> opt = make.apply(List.of(w));
        double[][] out = new double[steps][];
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            w.sub(c).pow(2).mul(k).sum().backward();
            opt.step();
            out[s] = w.toDoubleArray();
        }
        return out;
    }

    // ------------------------------------------------------------------ published rules

    static Supplier<Reference> sgd(double lr, double mu, double tau, boolean nesterov, double wd) {
        return () -> new Reference() {
            double[] b;

            public void step(double[] w, double[] g) {
                for (int i = 0; i < w.length; i++) {
                    double d = g[i] + wd * w[i];
                    if (mu != 0) {
                        if (b == null) b = new double[w.length];
                        // first step: b = d (no dampening), later b = μb + (1 − τ)d
                        b[i] = firstStep ? d : mu * b[i] + (1 - tau) * d;
                        d = nesterov ? d + mu * b[i] : b[i];
                    }
                    w[i] -= lr * d;
                }
                firstStep = false;
            }

            boolean firstStep = true;
        };
    }

    static Supplier<Reference> adam(double lr, double b1, double b2, double eps, double wd, boolean amsgrad,
            boolean decoupled) {
        return () -> new Reference() {
            final double[] m = new double[2], v = new double[2], vmax = new double[2];
            int t;

            public void step(double[] w, double[] g) {
                t++;
                for (int i = 0; i < w.length; i++) {
                    double gi = g[i];
                    if (decoupled) w[i] *= 1 - lr * wd;
                    else gi += wd * w[i];
                    m[i] = b1 * m[i] + (1 - b1) * gi;
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                    vmax[i] = Math.max(vmax[i], v[i]);
                    double mHat = m[i] / (1 - Math.pow(b1, t));
                    double vHat = (amsgrad ? vmax[i] : v[i]) / (1 - Math.pow(b2, t));
                    w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                }
            }
        };
    }

    static Supplier<Reference> rmsprop(double lr, double alpha, double eps, double wd, double mu, boolean centered) {
        return () -> new Reference() {
            final double[] sq = new double[2], avg = new double[2], buf = new double[2];

            public void step(double[] w, double[] g) {
                for (int i = 0; i < w.length; i++) {
                    double gi = g[i] + wd * w[i];
                    sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
                    double var = sq[i];
                    if (centered) {
                        avg[i] = alpha * avg[i] + (1 - alpha) * gi;
                        var -= avg[i] * avg[i];
                    }
                    double a = Math.sqrt(var) + eps;
                    if (mu > 0) {
                        buf[i] = mu * buf[i] + gi / a;
                        w[i] -= lr * buf[i];
                    } else {
                        w[i] -= lr * gi / a;
                    }
                }
            }
        };
    }

    static Supplier<Reference> adagrad(double lr, double decay, double wd, double init, double eps) {
        return () -> new Reference() {
            final double[] s = {init, init};
            int t;

            public void step(double[] w, double[] g) {
                t++;
                double clr = lr / (1 + (t - 1) * decay);
                for (int i = 0; i < w.length; i++) {
                    double gi = g[i] + wd * w[i];
                    s[i] += gi * gi;
                    w[i] -= clr * gi / (Math.sqrt(s[i]) + eps);
                }
            }
        };
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("SGD plain", (Function<List<Tensor>, Optimizer<?>>) p -> new SGD(p, 0.01),
                        sgd(0.01, 0, 0, false, 0)),
                Arguments.of("SGD momentum", f(p -> new SGD(p, SGD.Options.of(0.01).withMomentum(0.9))),
                        sgd(0.01, 0.9, 0, false, 0)),
                Arguments.of("SGD momentum+dampening", f(p -> new SGD(p,
                        SGD.Options.of(0.01).withMomentum(0.9).withDampening(0.3))), sgd(0.01, 0.9, 0.3, false, 0)),
                Arguments.of("SGD nesterov", f(p -> new SGD(p,
                        SGD.Options.of(0.01).withMomentum(0.8).withNesterov(true))), sgd(0.01, 0.8, 0, true, 0)),
                Arguments.of("SGD weight decay", f(p -> new SGD(p, SGD.Options.of(0.01).withWeightDecay(0.5))),
                        sgd(0.01, 0, 0, false, 0.5)),
                Arguments.of("SGD all", f(p -> new SGD(p, SGD.Options.of(0.02).withMomentum(0.7).withNesterov(true)
                        .withWeightDecay(0.1))), sgd(0.02, 0.7, 0, true, 0.1)),
                Arguments.of("Adam", f(p -> new Adam(p, 0.1)), adam(0.1, 0.9, 0.999, 1e-8, 0, false, false)),
                Arguments.of("Adam betas eps", f(p -> new Adam(p, Adam.Options.of(0.05).withBetas(0.5, 0.6)
                        .withEps(0.1))), adam(0.05, 0.5, 0.6, 0.1, 0, false, false)),
                Arguments.of("Adam weight decay", f(p -> new Adam(p, Adam.Options.of(0.1).withWeightDecay(0.3))),
                        adam(0.1, 0.9, 0.999, 1e-8, 0.3, false, false)),
                Arguments.of("Adam amsgrad", f(p -> new Adam(p, Adam.Options.of(0.3).withBetas(0.9, 0.3)
                        .withAmsgrad(true))), adam(0.3, 0.9, 0.3, 1e-8, 0, true, false)),
                Arguments.of("AdamW", f(p -> new AdamW(p, AdamW.Options.of(0.1).withWeightDecay(0.3))),
                        adam(0.1, 0.9, 0.999, 1e-8, 0.3, false, true)),
                Arguments.of("AdamW default decay", f(p -> new AdamW(p, 0.1)),
                        adam(0.1, 0.9, 0.999, 1e-8, 0.01, false, true)),
                Arguments.of("AdamW amsgrad", f(p -> new AdamW(p, AdamW.Options.of(0.3).withBetas(0.9, 0.3)
                        .withAmsgrad(true).withWeightDecay(0.2))), adam(0.3, 0.9, 0.3, 1e-8, 0.2, true, true)),
                Arguments.of("RMSprop", f(p -> new RMSprop(p, 0.01)), rmsprop(0.01, 0.99, 1e-8, 0, 0, false)),
                Arguments.of("RMSprop alpha eps wd", f(p -> new RMSprop(p, RMSprop.Options.of(0.02).withAlpha(0.5)
                        .withEps(0.01).withWeightDecay(0.2))), rmsprop(0.02, 0.5, 0.01, 0.2, 0, false)),
                Arguments.of("RMSprop centered", f(p -> new RMSprop(p, RMSprop.Options.of(0.01).withAlpha(0.9)
                        .withCentered(true))), rmsprop(0.01, 0.9, 1e-8, 0, 0, true)),
                Arguments.of("RMSprop momentum", f(p -> new RMSprop(p, RMSprop.Options.of(0.01).withMomentum(0.9))),
                        rmsprop(0.01, 0.99, 1e-8, 0, 0.9, false)),
                Arguments.of("RMSprop centered momentum", f(p -> new RMSprop(p, RMSprop.Options.of(0.01)
                        .withAlpha(0.8).withMomentum(0.5).withCentered(true))), rmsprop(0.01, 0.8, 1e-8, 0, 0.5, true)),
                Arguments.of("Adagrad", f(p -> new Adagrad(p, 0.5)), adagrad(0.5, 0, 0, 0, 1e-10)),
                Arguments.of("Adagrad decay", f(p -> new Adagrad(p, Adagrad.Options.of(0.5).withLrDecay(0.3))),
                        adagrad(0.5, 0.3, 0, 0, 1e-10)),
                Arguments.of("Adagrad init wd eps", f(p -> new Adagrad(p, Adagrad.Options.of(0.5)
                        .withInitialAccumulatorValue(2).withWeightDecay(0.1).withEps(0.01))),
                        adagrad(0.5, 0, 0.1, 2, 0.01)));
    }

    static Function<List<Tensor>, Optimizer<?>> f(Function<List<Tensor>, Optimizer<?>> make) {
        return make;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstThreeStepsFloat64(String name, Function<List<Tensor>, Optimizer<?>> make, Supplier<Reference> ref) {
        compare(name, jgrad(make, DType.FLOAT64, 3), reference(ref, 3), 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstThreeStepsFloat32(String name, Function<List<Tensor>, Optimizer<?>> make, Supplier<Reference> ref) {
        compare(name, jgrad(make, DType.FLOAT32, 3), reference(ref, 3), 2e-5);
    }

    static void compare(String name, double[][] actual, double[][] expected, double tol) {
        for (int s = 0; s < expected.length; s++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(expected[s][i], actual[s][i], tol * Math.max(1, Math.abs(expected[s][i])),
                        name + ": step " + (s + 1) + ", w" + i + ": expected " + Arrays.toString(expected[s])
                                + " got " + Arrays.toString(actual[s]));
            }
        }
    }

    /** Guards the option cases above: each option must change the trajectory, or its test proves nothing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optionPairs")
    void everyOptionChangesTheTrajectory(String name, Supplier<Reference> with, Supplier<Reference> without) {
        assertFalse(Arrays.deepEquals(reference(with, 3), reference(without, 3)), name);
    }

    static Stream<Arguments> optionPairs() {
        return Stream.of(
                Arguments.of("momentum", sgd(0.01, 0.9, 0, false, 0), sgd(0.01, 0, 0, false, 0)),
                Arguments.of("dampening", sgd(0.01, 0.9, 0.3, false, 0), sgd(0.01, 0.9, 0, false, 0)),
                Arguments.of("nesterov", sgd(0.01, 0.8, 0, true, 0), sgd(0.01, 0.8, 0, false, 0)),
                Arguments.of("amsgrad", adam(0.3, 0.9, 0.3, 1e-8, 0, true, false), adam(0.3, 0.9, 0.3, 1e-8, 0, false, false)),
                Arguments.of("decoupled", adam(0.1, 0.9, 0.999, 1e-8, 0.3, false, true),
                        adam(0.1, 0.9, 0.999, 1e-8, 0.3, false, false)),
                Arguments.of("centered", rmsprop(0.01, 0.9, 1e-8, 0, 0, true), rmsprop(0.01, 0.9, 1e-8, 0, 0, false)),
                Arguments.of("lr decay", adagrad(0.5, 0.3, 0, 0, 1e-10), adagrad(0.5, 0, 0, 0, 1e-10)));
    }
}
