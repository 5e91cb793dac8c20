package org.jgrad.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/** The README's quick start, run as written, with its claims checked against closed forms. */
class QuickStartTest {

    @Test
    void quickStartAsInTheReadme() {
        // ---- begin README quick start (body of main, kept identical to README.md by the test below)
        Tensor x = Tensor.of(new double[]{1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);  // float64, shape [2,3]
        Tensor y = x.mul(x).sin().sum();
        List<Tensor> dy = Autograd.grad(y, List.of(x), true);   // dy/dx, itself differentiable
        dy.get(0).sum().backward();                   // second derivatives accumulate into x.grad()
        double[] g = x.grad().toDoubleArray();        // 2cos(x²) − 4x²sin(x²)
        int[] s = x.shape();                          // [2, 3]
        // ---- (checks of the lines above, before the matmul, so they report on their own)
        assertEquals(DType.FLOAT64, x.dtype());
        assertArrayEquals(new int[] {2, 3}, s);
        double[] d1 = dy.get(0).toDoubleArray();
        for (int i = 0; i < 6; i++) {
            double v = i + 1;
            assertEquals(2 * v * Math.cos(v * v), d1[i], 1e-12, "dy/dx at " + v);
            assertEquals(2 * Math.cos(v * v) - 4 * v * v * Math.sin(v * v), g[i], 1e-11, "d²y/dx² at " + v);
        }
        assertTrue(dy.get(0).requiresGrad(), "createGraph=true should make the gradient differentiable");
        // ---- README continues
        Tensor w = Tensor.of(new float[]{1, 2, 3}, 3, 1);       // float32
        Tensor p = x.matmul(w);                       // mixed float32/float64 promotes to float64
        System.out.println(java.util.Arrays.toString(g));
        System.out.println(p);
        // ---- end README quick start
        assertEquals(DType.FLOAT32, w.dtype());
        assertEquals(DType.FLOAT64, p.dtype());
        assertArrayEquals(new int[] {2, 1}, p.shape());
        // [1 2 3]·[1 2 3] = 14, [4 5 6]·[1 2 3] = 32
        assertArrayEquals(new double[] {14, 32}, p.toDoubleArray(), 0);
        assertTrue(p.requiresGrad(), "x requires grad, so x·w must be part of the graph");
    }

    /** Every line of main's body in README.md's quick start appears, in order, in the test above. */
    @Test
    void readmeQuickStartIsTheTestedCode() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        List<String> body = new ArrayList<>();
        boolean inMain = false;
        for (String line : readme) {
            if (line.contains("public static void main(")) {
                inMain = true;
            } else if (inMain && line.trim().equals("}")) {
                break;
            } else if (inMain && !line.isBlank()) {
                body.add(normalize(line));
            }
        }
        assertTrue(body.size() >= 8, "README.md should show a main method with the quick start, found " + body);

        List<String> test = Files.readAllLines(Path.of("src/test/java/org/jgrad/examples/QuickStartTest.java"))
                .stream().map(QuickStartTest::normalize).toList();
        int at = 0;
        for (String expected : body) {
            int found = test.subList(at, test.size()).indexOf(expected);
            assertTrue(found >= 0, "README line not found (in order) in QuickStartTest: " + expected);
            at += found + 1;
        }
    }

    private static String normalize(String line) {
        return line.trim().replaceAll("\\s+", " ");
    }
}
