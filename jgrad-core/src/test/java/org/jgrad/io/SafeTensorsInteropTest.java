package org.jgrad.io;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with an independent reader/writer written in plain Python
 * ({@code safetensors_dump.py}, a copy of the team's shared tool kept in the test resources). Skipped
 * where {@code python3} is not installed.
 */
class SafeTensorsInteropTest {
    @TempDir Path dir;
    private Path script;

    @BeforeEach
    void findPythonAndScript() throws IOException {
        assumeTrue(pythonAvailable(), "python3 is not installed");
        script = dir.resolve("safetensors_dump.py");
        try (InputStream in = SafeTensorsInteropTest.class.getResourceAsStream("safetensors_dump.py")) {
            assertNotNull(in, "test resource safetensors_dump.py");
            Files.copy(in, script);
        }
    }

    private static boolean pythonAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String python(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), "python failed:\n" + out);
        return out;
    }

    /** Values k/16 with small k: every partial sum is exact in float and double, so any summation order
     *  (Python's sum may compensate) gives the same, exactly comparable result. */
    private static double[] dyadic(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (rnd.nextInt(2001) - 1000) / 16.0;
        return v;
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    @Test
    void pythonReadsWhatJgradWrites() throws Exception {
        Random rnd = new Random(99);
        double[] w = dyadic(rnd, 12), b = dyadic(rnd, 4), s = dyadic(rnd, 1), big = dyadic(rnd, 20_000);
        long[] idx = {5, -3, 1_000_000_007L, 0, 12, -99};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("layer.weight", Tensor.of(toFloats(w), 3, 4));
        tensors.put("layer.weight_t", Tensor.of(toFloats(w), 3, 4).t());
        tensors.put("layer.bias", Tensor.of(b, 4));
        tensors.put("steps", Tensor.of(idx, 2, 3));
        tensors.put("scale", Tensor.of(s, new int[0]));
        tensors.put("empty", Tensor.zeros(0, 3));
        tensors.put("big", Tensor.of(big, 100, 200));
        Map<String, String> meta = Map.of("epoch", "3", "note", "hello world");
        Path file = dir.resolve("jgrad.safetensors");
        SafeTensors.write(file, tensors, meta);

        Map<String, String[]> lines = new HashMap<>();
        String metaLine = null;
        for (String line : python(file.toString()).split("\n")) {
            if (line.startsWith("__metadata__ ")) {
                metaLine = line;
            } else if (!line.isBlank()) {
                String[] parts = line.split(" ");
                assertEquals(4, parts.length, line);
                lines.put(parts[0], parts);
            }
        }
        // json.dumps(sort_keys=True) spelling, written out by hand.
        assertEquals("__metadata__ {\"epoch\": \"3\", \"note\": \"hello world\"}", metaLine);
        assertEquals(tensors.keySet(), lines.keySet());
        expect(lines, "layer.weight", "F32", "3x4", sum(w));
        expect(lines, "layer.weight_t", "F32", "4x3", sum(w));
        expect(lines, "layer.bias", "F64", "4", sum(b));
        expect(lines, "steps", "I64", "2x3", 5 - 3 + 1_000_000_007L + 12 - 99);
        expect(lines, "scale", "F64", "scalar", s[0]);
        expect(lines, "empty", "F32", "0x3", 0.0);
        expect(lines, "big", "F64", "100x200", sum(big));
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    private static void expect(Map<String, String[]> lines, String name, String dtype, String shape, double sum) {
        String[] p = lines.get(name);
        assertEquals(dtype, p[1], name);
        assertEquals(shape, p[2], name);
        assertEquals(sum, Double.parseDouble(p[3]), 0.0, name);
    }

    @Test
    void jgradReadsWhatPythonWrites() throws Exception {
        Path file = dir.resolve("python.safetensors");
        python("--write", file.toString());
        SafeTensors.Contents c = SafeTensors.read(file);
        // The values are those hard-coded in the Python tool.
        assertEquals(Map.of("writer", "safetensors_dump.py"), c.metadata());
        Tensor w = c.tensors().get("layer.weight");
        assertEquals(DType.FLOAT32, w.dtype());
        assertArrayEquals(new int[] {2, 3}, w.shape());
        assertArrayEquals(new float[] {0.5f, -1f, 2f, 3.25f, 0f, -0.125f}, w.toFloatArray());
        assertArrayEquals(new float[] {1f, -2f}, c.tensors().get("layer.bias").toFloatArray());
        Tensor scale = c.tensors().get("scale");
        assertEquals(DType.FLOAT64, scale.dtype());
        assertArrayEquals(new int[] {1}, scale.shape());
        assertEquals(0.1, scale.item(), 0.0);
        assertEquals(3, c.tensors().size());
    }

    @Test
    void pythonFileSurvivesAJgradRewrite() throws Exception {
        // jgrad reads the Python file, writes it back, and Python reports the same sums for both.
        Path original = dir.resolve("orig.safetensors");
        python("--write", original.toString());
        SafeTensors.Contents c = SafeTensors.read(original);
        Path copy = dir.resolve("copy.safetensors");
        SafeTensors.write(copy, c.tensors(), c.metadata());
        assertEquals(python(original.toString()), python(copy.toString()));
    }
}
