package org.jgrad.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bytes jgrad writes, checked against the published format rather than against jgrad's reader. */
class SafeTensorsFormatTest {
    @TempDir Path dir;

    @Test
    void smallFileMatchesTheSpecByteForByte() throws IOException {
        Path file = dir.resolve("small.safetensors");
        SafeTensors.write(file, Map.of(
                "b", Tensor.of(new float[] {1, 2}, 2),
                "a", Tensor.scalar(DType.FLOAT64, 0.5),
                "c", Tensor.of(new long[] {3, -4}, 1, 2)), Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(file);

        // Keys sorted in the header; data laid out widest dtype first (a: F64, c: I64, then b: F32).
        String expectedJson = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
                + "\"c\":{\"dtype\":\"I64\",\"shape\":[1,2],\"data_offsets\":[8,24]}}";
        int jsonLength = expectedJson.length();
        int padded = (jsonLength + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(padded, b.getLong(0), "header length field");
        assertEquals(expectedJson + " ".repeat(padded - jsonLength),
                new String(bytes, 8, padded, StandardCharsets.UTF_8));
        assertEquals(8 + padded + 32, bytes.length);

        byte[] data = Arrays.copyOfRange(bytes, 8 + padded, bytes.length);
        byte[] expectedData = RawFiles.bytes(
                0, 0, 0, 0, 0, 0, 0xE0, 0x3F,                           // 0.5 as a double
                3, 0, 0, 0, 0, 0, 0, 0,                                 // 3L
                0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,         // -4L
                0, 0, 0x80, 0x3F, 0, 0, 0, 0x40);                       // 1.0f, 2.0f
        assertArrayEquals(expectedData, data);
    }

    private static final Pattern ENTRY = Pattern.compile(
            "\"([^\"]+)\":\\{\"dtype\":\"(F32|F64|I64)\",\"shape\":\\[([0-9,]*)\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}");

    @Test
    void layoutIsContiguousAlignedAndCoversTheBuffer() throws IOException {
        Generator gen = new Generator(5);
        Map<String, Tensor> tensors = Map.of(
                "w1", Tensor.randn(gen, 3, 5),                          // 15 floats: 60 bytes, not a multiple of 8
                "w2", Tensor.randn(gen, 7).to(DType.FLOAT64),
                "steps", Tensor.of(new long[] {1, 2, 3}, 3),
                "odd", Tensor.randn(gen, 1),                            // 4 bytes
                "none", Tensor.zeros(DType.FLOAT64, 0, 2));
        Path file = dir.resolve("layout.safetensors");
        SafeTensors.write(file, tensors, Map.of());
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        assertEquals(0, n % 8, "data must start 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String json = header.stripTrailing();
        assertEquals(" ".repeat(header.length() - json.length()), header.substring(json.length()), "padding is spaces");
        assertTrue(header.length() - json.length() < 8, "padding is less than 8 bytes");
        assertTrue(json.chars().noneMatch(Character::isWhitespace), "compact JSON");
        long dataLength = bytes.length - 8 - n;

        Matcher m = ENTRY.matcher(header);
        List<long[]> ranges = new ArrayList<>();
        List<String> order = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            order.add(name);
            Tensor t = tensors.get(name);
            assertNotNull(t, name);
            int size = switch (m.group(2)) { case "F32" -> 4; default -> 8; };
            assertEquals(t.dtype() == DType.FLOAT32 ? "F32" : t.dtype() == DType.FLOAT64 ? "F64" : "I64", m.group(2));
            String shape = Arrays.toString(t.shape()).replace(" ", "").replace("[", "").replace("]", "");
            assertEquals(shape, m.group(3), name);
            long begin = Long.parseLong(m.group(4)), end = Long.parseLong(m.group(5));
            assertEquals((long) t.numel() * size, end - begin, name);
            assertEquals(0, begin % size, name + " is aligned to its element size");
            // The values at that range, decoded here by hand.
            double[] expected = t.toDoubleArray();
            for (int i = 0; i < t.numel(); i++) {
                int at = (int) (8 + n + begin + (long) i * size);
                double v = switch (m.group(2)) {
                    case "F32" -> b.getFloat(at);
                    case "F64" -> b.getDouble(at);
                    default -> b.getLong(at);
                };
                assertEquals(expected[i], v, name + "[" + i + "]");
            }
            ranges.add(new long[] {begin, end});
        }
        assertEquals(tensors.size(), order.size(), header);
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertEquals(sorted, order, "header keys are sorted");
        ranges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        long covered = 0;
        for (long[] r : ranges) {
            assertEquals(covered, r[0], "contiguous, no gaps or overlaps");
            covered = r[1];
        }
        assertEquals(dataLength, covered, "the tensors cover the data exactly");
    }
}
