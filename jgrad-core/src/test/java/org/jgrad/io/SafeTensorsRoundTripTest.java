package org.jgrad.io;

import static org.jgrad.io.RawFiles.bytes;
import static org.jgrad.io.RawFiles.entry;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write then read: every dtype and layout comes back bit for bit; the narrower file dtypes widen correctly. */
class SafeTensorsRoundTripTest {
    @TempDir Path dir;

    private static void assertSameTensor(String name, Tensor expected, Tensor actual) {
        assertNotNull(actual, name + " missing");
        assertEquals(expected.dtype(), actual.dtype(), name);
        assertArrayEquals(expected.shape(), actual.shape(), name);
        // Tensor.isContiguous() says false for some empty shapes such as [2, 0, 3] (a core quirk), so
        // only tensors with elements are checked.
        assertTrue(actual.numel() == 0 || actual.isContiguous(), name);
        assertFalse(actual.requiresGrad(), name);
        switch (expected.dtype()) {
            case FLOAT32 -> {
                // Raw bits, so NaN payloads and -0.0 must survive too.
                float[] e = expected.toFloatArray(), a = actual.toFloatArray();
                assertEquals(e.length, a.length, name);
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), name + "[" + i + "]");
                }
            }
            case FLOAT64 -> {
                double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
                assertEquals(e.length, a.length, name);
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), name + "[" + i + "]");
                }
            }
            case INT64 -> assertArrayEquals(expected.toLongArray(), actual.toLongArray(), name);
        }
    }

    @Test
    void everyDtypeAndShapeRoundTrips() throws IOException {
        Generator gen = new Generator(42);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("f32.matrix", Tensor.randn(gen, 3, 4));
        tensors.put("f64.cube", Tensor.randn(gen, 2, 3, 2).to(DType.FLOAT64));
        tensors.put("i64.vector", Tensor.of(new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 42}, 5));
        tensors.put("f32.special", Tensor.of(new float[] {Float.NaN, -0.0f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, Float.intBitsToFloat(0x7fc00123)}, 7));
        tensors.put("f64.special", Tensor.of(new double[] {Double.NaN, -0.0, Double.MIN_VALUE, -Double.MAX_VALUE}, 2, 2));
        tensors.put("f32.scalar", Tensor.scalar(3.5));
        tensors.put("f64.scalar", Tensor.scalar(DType.FLOAT64, -0.1));
        tensors.put("i64.scalar", Tensor.of(new long[] {-7}));
        tensors.put("f32.empty", Tensor.zeros(0));
        tensors.put("f64.empty", Tensor.zeros(DType.FLOAT64, 2, 0, 3));
        tensors.put("i64.empty", Tensor.zeros(DType.INT64, 0, 5));
        tensors.put("f32.ones", Tensor.ones(1, 1, 1, 1));
        Path file = dir.resolve("all.safetensors");
        SafeTensors.write(file, tensors, Map.of("framework", "jgrad"));

        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(tensors.keySet(), c.tensors().keySet());
        for (var e : tensors.entrySet()) assertSameTensor(e.getKey(), e.getValue(), c.tensors().get(e.getKey()));
        assertEquals(Map.of("framework", "jgrad"), c.metadata());
        // The result is in name order and unmodifiable.
        assertEquals(new ArrayList<>(new java.util.TreeSet<>(tensors.keySet())), new ArrayList<>(c.tensors().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> c.tensors().put("x", Tensor.zeros(1)));
        assertThrows(UnsupportedOperationException.class, () -> c.metadata().put("x", "y"));
    }

    @Test
    void nonContiguousTensorsAreWrittenRowMajor() throws IOException {
        float[] base = new float[12];
        for (int i = 0; i < 12; i++) base[i] = i + 0.25f * i * i;
        Tensor m = Tensor.of(base, 3, 4);
        double[] base3 = new double[24];
        for (int i = 0; i < 24; i++) base3[i] = Math.sin(i);
        Tensor cube = Tensor.of(base3, 2, 3, 4);

        Map<String, Tensor> tensors = Map.of(
                "transposed", m.t(),                                   // [4,3]
                "stepped", m.slice(1, 0, 4, 2),                        // [3,2], columns 0 and 2
                "expanded", Tensor.of(new float[] {1, 2, 3}, 3, 1).expand(3, 4),
                "permuted", cube.permute(2, 0, 1),                     // [4,2,3]
                "row", m.select(0, 1));                                // [4], offset view
        assertFalse(m.t().isContiguous());
        Path file = dir.resolve("views.safetensors");
        SafeTensors.write(file, tensors, Map.of());
        Map<String, Tensor> got = SafeTensors.read(file).tensors();

        // The expected row-major orders, computed from the index formulas rather than from jgrad.
        float[] transposed = new float[12];
        for (int j = 0; j < 4; j++) for (int i = 0; i < 3; i++) transposed[j * 3 + i] = base[i * 4 + j];
        assertArrayEquals(new int[] {4, 3}, got.get("transposed").shape());
        assertArrayEquals(transposed, got.get("transposed").toFloatArray());

        float[] stepped = new float[6];
        for (int i = 0; i < 3; i++) for (int k = 0; k < 2; k++) stepped[i * 2 + k] = base[i * 4 + 2 * k];
        assertArrayEquals(stepped, got.get("stepped").toFloatArray());

        assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, got.get("expanded").toFloatArray());

        double[] permuted = new double[24];
        for (int c = 0; c < 4; c++) for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) {
            permuted[(c * 2 + a) * 3 + b] = base3[(a * 3 + b) * 4 + c];
        }
        assertArrayEquals(new int[] {4, 2, 3}, got.get("permuted").shape());
        assertArrayEquals(permuted, got.get("permuted").toDoubleArray());

        assertArrayEquals(new float[] {base[4], base[5], base[6], base[7]}, got.get("row").toFloatArray());
    }

    @Test
    void tensorsLargerThanOneChunkRoundTrip() throws IOException {
        // 64 KiB chunks: these sizes end mid-chunk and straddle several chunk boundaries.
        Generator gen = new Generator(7);
        Map<String, Tensor> tensors = Map.of(
                "big32", Tensor.randn(gen, 50_001),
                "big64", Tensor.randn(gen, 3, 7_001).to(DType.FLOAT64),
                "big64i", Tensor.arange(DType.INT64, -9000, 9001, 1));
        Path file = dir.resolve("big.safetensors");
        SafeTensors.write(file, tensors, null);
        SafeTensors.Contents c = SafeTensors.read(file);
        for (var e : tensors.entrySet()) assertSameTensor(e.getKey(), e.getValue(), c.tensors().get(e.getKey()));
        assertEquals(Map.of(), c.metadata());
    }

    @Test
    void metadataAndNamesWithAwkwardCharactersRoundTrip() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("quote\"backslash\\", "line\nbreak\ttab\rreturn");
        metadata.put("control\u0001\u001f\u007f", "slash / é ü 中文 😀");
        metadata.put("", "empty key");
        metadata.put("empty value", "");
        Map<String, Tensor> tensors = Map.of(
                "layer 1/weight.é😀", Tensor.ones(2),
                "\"quoted\"", Tensor.zeros(1),
                "", Tensor.scalar(1));
        Path file = dir.resolve("names.safetensors");
        SafeTensors.write(file, tensors, metadata);
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(metadata, c.metadata());
        assertEquals(tensors.keySet(), c.tensors().keySet());
    }

    @Test
    void noMetadataWritesNoMetadataKey() throws IOException {
        Path file = dir.resolve("plain.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.ones(2)), Map.of());
        String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("__metadata__"), text);
        assertEquals(Map.of(), SafeTensors.read(file).metadata());
        // An empty model is a valid file too.
        SafeTensors.write(file, Map.of(), Map.of("only", "metadata"));
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(Map.of(), c.tensors());
        assertEquals(Map.of("only", "metadata"), c.metadata());
    }

    @Test
    void outputIsDeterministicWhateverTheMapOrder() throws IOException {
        Generator gen = new Generator(3);
        List<String> names = new ArrayList<>(List.of("a", "b.weight", "b.bias", "z", "m"));
        Map<String, Tensor> forward = new LinkedHashMap<>();
        for (String n : names) forward.put(n, Tensor.randn(gen, 2, 3));
        forward.put("idx", Tensor.of(new long[] {1, 2, 3}, 3));
        Collections.reverse(names);
        Map<String, Tensor> backward = new LinkedHashMap<>();
        backward.put("idx", forward.get("idx"));
        for (String n : names) backward.put(n, forward.get(n));
        Map<String, String> meta1 = new LinkedHashMap<>(), meta2 = new LinkedHashMap<>();
        meta1.put("x", "1");
        meta1.put("y", "2");
        meta2.put("y", "2");
        meta2.put("x", "1");
        Path f1 = dir.resolve("one.safetensors"), f2 = dir.resolve("two.safetensors");
        SafeTensors.write(f1, forward, meta1);
        SafeTensors.write(f2, backward, meta2);
        assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f2));
    }

    @Test
    void tensorsInTheGraphAreSavedAsValues() throws IOException {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor y = x.mul(x);
        Path file = dir.resolve("graph.safetensors");
        SafeTensors.write(file, Map.of("x", x, "y", y), Map.of());
        SafeTensors.Contents c = SafeTensors.read(file);
        assertArrayEquals(new double[] {1, 4, 9}, c.tensors().get("y").toDoubleArray());
        assertFalse(c.tensors().get("x").requiresGrad());
        assertTrue(c.tensors().get("x").isLeaf());
    }

    @Test
    void streamReadingMatchesFileReading() throws IOException {
        Generator gen = new Generator(11);
        Map<String, Tensor> tensors = Map.of("a", Tensor.randn(gen, 4, 5), "b", Tensor.of(new long[] {5, 6}, 2),
                "c", Tensor.zeros(DType.FLOAT64, 0));
        Path file = dir.resolve("s.safetensors");
        SafeTensors.write(file, tensors, Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(file);
        SafeTensors.Contents c = SafeTensors.read(new ByteArrayInputStream(bytes));
        for (var e : tensors.entrySet()) assertSameTensor(e.getKey(), e.getValue(), c.tensors().get(e.getKey()));
        assertEquals(Map.of("k", "v"), c.metadata());
    }

    @Test
    void narrowFileDtypesWidenOnRead() throws IOException {
        // Values and their encodings worked out by hand from the IEEE 754 / two's-complement layouts.
        String header = "{" + String.join(",",
                entry("f16", "F16", "[4]", 0, 8),
                entry("bf16", "BF16", "[3]", 8, 14),
                entry("i32", "I32", "[2]", 14, 22),
                entry("u32", "U32", "[1]", 22, 26),
                entry("i16", "I16", "[2]", 26, 30),
                entry("u16", "U16", "[1]", 30, 32),
                entry("i8", "I8", "[2]", 32, 34),
                entry("u8", "U8", "[2]", 34, 36),
                entry("bool", "BOOL", "[3]", 36, 39)) + "}";
        byte[] data = bytes(
                0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0xFF, 0x7B,   // F16 1.0, -2.0, 0.5, 65504
                0x80, 0x3F, 0x20, 0xC0, 0x80, 0x7F,               // BF16 1.0, -2.5, +inf
                0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x80,   // I32 -1, -2147483648
                0xFF, 0xFF, 0xFF, 0xFF,                           // U32 4294967295
                0xFE, 0xFF, 0x34, 0x12,                           // I16 -2, 0x1234
                0xFF, 0xFF,                                       // U16 65535
                0x80, 0x7F,                                       // I8 -128, 127
                0x80, 0xFF,                                       // U8 128, 255
                0x01, 0x00, 0x01);                                // BOOL true, false, true
        Path file = dir.resolve("narrow.safetensors");
        Files.write(file, RawFiles.file(header, data));
        Map<String, Tensor> t = SafeTensors.read(file).tensors();
        assertEquals(DType.FLOAT32, t.get("f16").dtype());
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 65504f}, t.get("f16").toFloatArray());
        assertEquals(DType.FLOAT32, t.get("bf16").dtype());
        assertArrayEquals(new float[] {1f, -2.5f, Float.POSITIVE_INFINITY}, t.get("bf16").toFloatArray());
        assertEquals(DType.INT64, t.get("i32").dtype());
        assertArrayEquals(new long[] {-1, Integer.MIN_VALUE}, t.get("i32").toLongArray());
        assertArrayEquals(new long[] {4294967295L}, t.get("u32").toLongArray());
        assertArrayEquals(new long[] {-2, 0x1234}, t.get("i16").toLongArray());
        assertArrayEquals(new long[] {65535}, t.get("u16").toLongArray());
        assertArrayEquals(new long[] {-128, 127}, t.get("i8").toLongArray());
        assertArrayEquals(new long[] {128, 255}, t.get("u8").toLongArray());
        assertArrayEquals(new long[] {1, 0, 1}, t.get("bool").toLongArray());
    }

    @Test
    void headerWhitespaceAndFieldOrderAreFree() throws IOException {
        // Other writers pretty-print and order fields differently; only the content matters.
        String header = " {\n  \"__metadata__\" : null ,\r\n\t\"v\": {\"data_offsets\": [0, 8], \"shape\": [ 2 ],"
                + " \"dtype\": \"F32\"} }   ";
        Path file = dir.resolve("spaces.safetensors");
        Files.write(file, RawFiles.file(header, RawFiles.floats(1.5f, -3f)));
        SafeTensors.Contents c = SafeTensors.read(file);
        assertArrayEquals(new float[] {1.5f, -3f}, c.tensors().get("v").toFloatArray());
        assertEquals(Map.of(), c.metadata());
        // Escapes in names decode, including a surrogate pair.
        String escaped = "{\"a\\u00e9\\ud83d\\ude00\\n\\/\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}}";
        Files.write(file, RawFiles.file(escaped, RawFiles.longs(9)));
        assertEquals(9, SafeTensors.read(file).tensors().get("aé😀\n/").item());
    }

    @Test
    void badArgumentsAreRejectedBeforeTouchingTheDisk() {
        Path file = dir.resolve("bad.safetensors");
        var e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, Map.of("__metadata__", Tensor.ones(1)), Map.of()));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("w", null);
        e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, withNull, Map.of()));
        assertTrue(e.getMessage().contains("\"w\" is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, Map.of("bad\ud800", Tensor.ones(1)), Map.of()));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, Map.of(), nullValue));
        assertTrue(e.getMessage().contains("\"k\""), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void randomModelsRoundTrip() throws IOException {
        // Many random sets of tensors: random ranks (0-4), sizes (including 0) and dtypes.
        Random rnd = new Random(2024);
        Generator gen = new Generator(2024);
        DType[] dtypes = DType.values();
        for (int trial = 0; trial < 40; trial++) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            int count = rnd.nextInt(6);
            for (int k = 0; k < count; k++) {
                int[] shape = new int[rnd.nextInt(5)];
                for (int d = 0; d < shape.length; d++) shape[d] = rnd.nextInt(4);
                DType dt = dtypes[rnd.nextInt(dtypes.length)];
                Tensor t = dt == DType.INT64
                        ? Tensor.randn(gen, shape).mul(1000).to(DType.INT64)
                        : Tensor.randn(gen, shape).to(dt);
                tensors.put("t" + rnd.nextInt(1000), t);
            }
            Path file = dir.resolve("r" + trial + ".safetensors");
            SafeTensors.write(file, tensors, Map.of("trial", Integer.toString(trial)));
            SafeTensors.Contents c = SafeTensors.read(file);
            assertEquals(tensors.keySet(), c.tensors().keySet());
            for (var e : tensors.entrySet()) assertSameTensor(e.getKey(), e.getValue(), c.tensors().get(e.getKey()));
            assertEquals(Integer.toString(trial), c.metadata().get("trial"));
        }
    }
}
