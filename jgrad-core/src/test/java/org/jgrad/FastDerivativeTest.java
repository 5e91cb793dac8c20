package org.jgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every op whose derivative has a fast form (a fused loop the engine runs unless createGraph) gives
 * the same gradients with it as with its differentiable form, in float32 and float64, and the
 * differentiable form passes a second-order gradient check.
 */
class FastDerivativeTest {

    /** An op with a fast derivative, as a function of its (float64) inputs, and its input shapes. */
    record Case(String op, Function<List<Tensor>, Tensor> f, int[]... shapes) {
        @Override
        public String toString() {
            return op;
        }
    }

    private static final Tensor TARGETS = Tensor.of(new long[] {2, 0, 4}, 3);

    static Stream<Case> cases() {
        return Stream.of(
                new Case("relu", in -> in.get(0).relu(), new int[] {4, 5}),
                new Case("softmax", in -> in.get(0).softmax(-1), new int[] {3, 6}),
                new Case("logSoftmax", in -> in.get(0).logSoftmax(1), new int[] {3, 6}),
                new Case("crossEntropy", in -> Fused.crossEntropy(in.get(0), TARGETS, 0.1, -100, true), new int[] {3, 5}),
                new Case("linear", in -> Fused.linear(in.get(0), in.get(1), in.get(2), false), new int[] {4, 3}, new int[] {5, 3}, new int[] {5}),
                new Case("linear+relu", in -> Fused.linear(in.get(0), in.get(1), in.get(2), true), new int[] {4, 3}, new int[] {5, 3}, new int[] {5}));
    }

    private static Tensor[] inputs(Case c, DType dtype, long seed) {
        Generator gen = new Generator(seed);
        Tensor[] in = new Tensor[c.shapes().length];
        for (int i = 0; i < in.length; i++) in[i] = Tensor.randn(gen, c.shapes()[i]).to(dtype).requiresGrad(true);
        return in;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fastAndComposedDerivativesAgree(Case c) {
        for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
            Tensor[] in = inputs(c, dtype, 7);
            Tensor out = c.f().apply(List.of(in));
            assertEquals(c.op(), out.gradFnName());
            assertTrue(out.gradFn.hasFastDerivative(), c.op() + " has no fast derivative");
            Tensor g = Tensor.randn(new Generator(8), out.shape()).to(dtype);
            Tensor[][] both = out.gradFn.applyBoth(g);
            double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
            for (int i = 0; i < in.length; i++) {
                double[] composed = both[0][i].toDoubleArray(), fast = both[1][i].toDoubleArray();
                assertEquals(composed.length, fast.length);
                for (int k = 0; k < fast.length; k++) {
                    assertEquals(composed[k], fast[k], tol * (1 + Math.abs(composed[k])),
                            c.op() + " " + dtype + " input " + i + " element " + k);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theComposedDerivativePassesASecondOrderCheck(Case c) {
        Tensor[] in = inputs(c, DType.FLOAT64, 9);
        if (c.op().contains("relu")) {
            // Keep inputs away from the kink, where finite differences are meaningless.
            for (int i = 0; i < 1; i++) {
                Tensor x = in[i].detach();
                in[i] = x.add(x.sign().mul(0.2)).requiresGrad(true);
            }
        }
        GradCheck.checkSecondOrder(c.f(), in);
    }

    private static final Pattern TWO_DERIVATIVES = Pattern.compile("recordWithFastPath\\(\\s*(\"[^\"]+\"|op),");

    /** The table above covers every record site with a fast derivative (found in the sources). */
    @Test
    void everyOpWithAFastDerivativeIsInTheTable() throws IOException {
        Path src = Path.of("src/main/java/org/jgrad");
        List<String> found = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(src)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("Tensor.java")).sorted().toList()) {
                Matcher m = TWO_DERIVATIVES.matcher(Files.readString(p));
                while (m.find()) found.add(p.getFileName() + ":" + m.group(1));
            }
        }
        // Fused.java's two sites are crossEntropy and linear (with and without ReLU).
        assertEquals(List.of("Elementwise.java:\"relu\"", "Fused.java:op", "Fused.java:op", "Reductions.java:\"softmax\"",
                "Reductions.java:\"logSoftmax\""), found, "update cases() when an op gains or loses a fast derivative");
        assertEquals(6, cases().count());
    }
}
