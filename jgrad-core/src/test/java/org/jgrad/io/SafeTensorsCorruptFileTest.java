package org.jgrad.io;

import static org.jgrad.io.RawFiles.entry;
import static org.jgrad.io.RawFiles.file;
import static org.jgrad.io.RawFiles.floats;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncated, malformed and lying files: every one must give a {@link CorruptFileException} naming the
 * file and the problem, never another exception, an OutOfMemoryError or a silently wrong tensor.
 */
class SafeTensorsCorruptFileTest {
    @TempDir Path dir;

    /** Reads {@code bytes} from a file and from a stream; both must fail, mentioning {@code fragment}. */
    private CorruptFileException assertCorrupt(byte[] bytes, String fragment) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, bytes);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> SafeTensors.read(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.problem().contains(fragment), "expected \"" + fragment + "\" in: " + e.getMessage());
        CorruptFileException s = assertThrows(CorruptFileException.class, () -> SafeTensors.read(plainStream(bytes)));
        assertNull(s.file());
        assertTrue(s.getMessage().contains("stream"), s.getMessage());
        return e;
    }

    /** A stream without ByteArrayInputStream's shortcuts (it knows its size), like a socket or a zip entry. */
    private static InputStream plainStream(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new InputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }
        };
    }

    private CorruptFileException assertCorruptHeader(String header, byte[] data, String fragment) throws IOException {
        return assertCorrupt(file(header, data), fragment);
    }

    private static String one(String entry) {
        return "{" + entry + "}";
    }

    private byte[] validFile() throws IOException {
        Path f = dir.resolve("valid.safetensors");
        Generator gen = new Generator(1);
        SafeTensors.write(f, Map.of("w", Tensor.randn(gen, 3, 2), "b", Tensor.of(new long[] {7, 8}, 2),
                "s", Tensor.scalar(1.5)), Map.of("k", "v"));
        return Files.readAllBytes(f);
    }

    @Test
    void truncatedAtEveryLength() throws IOException {
        byte[] valid = validFile();
        SafeTensors.read(new ByteArrayInputStream(valid)); // the whole file is fine
        for (int length = 0; length < valid.length; length++) {
            byte[] cut = Arrays.copyOf(valid, length);
            String fragment = length < 8 ? "fewer than the 8-byte header length" : "";
            assertCorrupt(cut, fragment);
        }
        // The messages say what happened where it matters most.
        assertCorrupt(Arrays.copyOf(valid, 20), "header length");
        assertCorrupt(Arrays.copyOf(valid, valid.length - 1), "truncated");
    }

    @Test
    void extraBytesAfterTheDataAreRejected() throws IOException {
        byte[] valid = validFile();
        byte[] longer = Arrays.copyOf(valid, valid.length + 3);
        assertCorrupt(longer, "extra bytes");
    }

    @Test
    void lyingHeaderLengths() throws IOException {
        byte[] rest = "{}".getBytes(StandardCharsets.UTF_8);
        assertCorrupt(RawFiles.withLength(1L << 60, rest), "header length 1152921504606846976 exceeds the limit");
        assertCorrupt(RawFiles.withLength(-1L, rest), "header length 18446744073709551615 exceeds the limit");
        assertCorrupt(RawFiles.withLength(Long.MIN_VALUE, rest), "exceeds the limit");
        assertCorrupt(RawFiles.withLength(100_000_001L, rest), "exceeds the limit");
        assertCorrupt(RawFiles.withLength(3, rest), "header length 3");
        assertCorrupt(RawFiles.withLength(99_999_999L, rest), "header length 99999999");
        assertCorrupt(RawFiles.withLength(0, rest), "JSON object");
        assertCorrupt(RawFiles.withLength(1, rest), "expected a tensor name");
    }

    @Test
    void malformedJson() throws IOException {
        byte[] four = floats(1);
        String good = entry("a", "F32", "[1]", 0, 4);
        assertCorruptHeader("[]", new byte[0], "JSON object");
        assertCorruptHeader("not json", new byte[0], "JSON object");
        assertCorruptHeader("{", new byte[0], "expected a tensor name");
        assertCorruptHeader("{" + good + ",}", four, "at character");
        assertCorruptHeader("{" + good, four, "at the end of the header");
        assertCorruptHeader("{'a':{}}", new byte[0], "expected a tensor name");
        assertCorruptHeader("{a:{}}", new byte[0], "expected a tensor name");
        assertCorruptHeader("{\"a\" {}}", new byte[0], "expected ':'");
        assertCorruptHeader("{}}", new byte[0], "unexpected text after the header object");
        assertCorruptHeader("{} {}", new byte[0], "unexpected text after the header object");
        assertCorruptHeader("\uFEFF{}", new byte[0], "JSON object");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\" \"shape\":[1],\"data_offsets\":[0,4]}}", four, "expected ',' or '}'");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1 2],\"data_offsets\":[0,4]}}", four, "expected ',' or ']'");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,],\"data_offsets\":[0,4]}}", four, "must contain integers");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]} ", four, "at the end");
    }

    @Test
    void badStrings() throws IOException {
        assertCorruptHeader("{\"a\\ud800\":{}}", new byte[0], "unpaired surrogate");
        assertCorruptHeader("{\"a\\udc00\\ud800\":{}}", new byte[0], "unpaired surrogate");
        assertCorruptHeader("{\"a\tb\":{}}", new byte[0], "control character");
        assertCorruptHeader("{\"a\\x\":{}}", new byte[0], "invalid escape");
        assertCorruptHeader("{\"a\\u12g4\":{}}", new byte[0], "invalid \\u escape");
        assertCorruptHeader("{\"a\\u12", new byte[0], "\\u escape");
        assertCorruptHeader("{\"abc", new byte[0], "unterminated string");
        // Bytes that are not UTF-8 at all (a lone continuation byte, an overlong encoding).
        assertCorrupt(file(RawFiles.bytes('{', '"', 0x80, '"', ':', '{', '}', '}'), new byte[0]), "not valid UTF-8");
        assertCorrupt(file(RawFiles.bytes('{', '"', 0xC0, 0xAF, '"', ':', '{', '}', '}'), new byte[0]), "not valid UTF-8");
    }

    @Test
    void badNumbers() throws IOException {
        byte[] four = floats(1);
        assertCorruptHeader(one(entry("a", "F32", "[1.0]", 0, 4)), four, "not fractions or exponents");
        assertCorruptHeader(one(entry("a", "F32", "[1e0]", 0, 4)), four, "not fractions or exponents");
        assertCorruptHeader(one(entry("a", "F32", "[01]", 0, 4)), four, "leading zero");
        assertCorruptHeader(one(entry("a", "F32", "[99999999999999999999]", 0, 4)), four, "does not fit in 64 bits");
        assertCorruptHeader(one(entry("a", "F32", "[-]", 0, 4)), four, "must contain integers");
        assertCorruptHeader(one(entry("a", "F32", "[\"1\"]", 0, 4)), four, "must contain integers");
        assertCorruptHeader(one(entry("a", "F32", "[true]", 0, 4)), four, "must contain integers");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4.0]}}", four, "not fractions");
    }

    @Test
    void deepNestingIsRejectedWithoutRecursion() throws IOException {
        String deep = "[".repeat(200_000);
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":" + deep + "}}", new byte[0], "must contain integers");
        assertCorruptHeader("{\"a\":" + "{\"x\":".repeat(100_000), new byte[0], "unknown field \"x\"");
        assertCorruptHeader("{\"__metadata__\":" + "{\"x\":".repeat(100_000), new byte[0], "must be a string");
    }

    @Test
    void wrongStructure() throws IOException {
        byte[] four = floats(1);
        assertCorruptHeader("{\"a\":5}", new byte[0], "tensor \"a\" to be an object");
        assertCorruptHeader("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", four, "tensor \"a\" has no dtype");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", four, "has no shape");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", four, "has no data_offsets");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", four,
                "unknown field \"extra\"");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", four,
                "duplicate field \"dtype\"");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"shape\":[1],\"data_offsets\":[0,4]}}", four,
                "duplicate field \"shape\"");
        assertCorruptHeader("{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", four, "dtype must be a string");
        assertCorruptHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":\"[1]\",\"data_offsets\":[0,4]}}", four,
                "shape to be an array of integers");
        assertCorruptHeader(one(entry("a", "F32", "[1]", 0, 4)).replace("[0,4]", "[0,4,8]"), four,
                "data_offsets has more than 2 elements");
        assertCorruptHeader(one(entry("a", "F32", "[1]", 0, 4)).replace("[0,4]", "[4]"), four, "must be [begin, end]");
        String rank65 = "[" + "1,".repeat(64) + "1]";
        assertCorruptHeader(one(entry("a", "F32", rank65, 0, 4)), four, "shape has more than 64 elements");
    }

    @Test
    void duplicateKeys() throws IOException {
        byte[] eight = floats(1, 2);
        assertCorruptHeader("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 4, 8) + "}", eight,
                "duplicate key \"a\"");
        assertCorruptHeader("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0], "duplicate key \"__metadata__\"");
        assertCorruptHeader("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", new byte[0], "duplicate __metadata__ key \"k\"");
        // Escapes that decode to the same key are still duplicates.
        assertCorruptHeader("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("\\u0061", "F32", "[1]", 4, 8) + "}",
                eight, "duplicate key \"a\"");
    }

    @Test
    void metadataMustBeStringToString() throws IOException {
        assertCorruptHeader("{\"__metadata__\":{\"k\":1}}", new byte[0], "__metadata__ value for \"k\" must be a string");
        assertCorruptHeader("{\"__metadata__\":{\"k\":{\"x\":\"y\"}}}", new byte[0], "must be a string");
        assertCorruptHeader("{\"__metadata__\":{\"k\":[\"x\"]}}", new byte[0], "must be a string");
        assertCorruptHeader("{\"__metadata__\":{\"k\":null}}", new byte[0], "must be a string");
        assertCorruptHeader("{\"__metadata__\":[\"k\"]}", new byte[0], "__metadata__ to be an object of strings");
        assertCorruptHeader("{\"__metadata__\":\"k\"}", new byte[0], "__metadata__ to be an object of strings");
    }

    @Test
    void dtypes() throws IOException {
        byte[] four = floats(1);
        CorruptFileException e = assertCorruptHeader(one(entry("a", "XYZ", "[1]", 0, 4)), four,
                "tensor \"a\" has dtype \"XYZ\", which jgrad cannot read");
        assertTrue(e.problem().contains("BF16"), "lists what is supported: " + e.problem());
        assertCorruptHeader(one(entry("a", "F8_E4M3", "[4]", 0, 4)), four, "cannot read");
        assertCorruptHeader(one(entry("a", "f32", "[1]", 0, 4)), four, "cannot read");
        assertCorruptHeader(one(entry("a", "BOOL", "[4]", 0, 4)), RawFiles.bytes(1, 0, 2, 1),
                "BOOL tensor \"a\" holds byte 2 at element 2");
    }

    @Test
    void shapesThatDoNotMatchTheirBytes() throws IOException {
        byte[] eight = floats(1, 2);
        assertCorruptHeader(one(entry("a", "F32", "[3]", 0, 8)), eight, "need 12 bytes, but its data_offsets [0, 8] span 8");
        assertCorruptHeader(one(entry("a", "F64", "[2]", 0, 8)), eight, "need 16 bytes");
        assertCorruptHeader(one(entry("a", "F32", "[]", 0, 8)), eight, "need 4 bytes");
        assertCorruptHeader(one(entry("a", "F32", "[2,-1]", 0, 8)), eight, "negative dimension in shape [2, -1]");
        assertCorruptHeader(one(entry("a", "F32", "[-2,-1]", 0, 8)), eight, "negative dimension");
        assertCorruptHeader(one(entry("a", "F32", "[2147483648]", 0, 8)), eight, "dimension 2147483648");
        // 2^31-1 cubed overflows a long; the check must not wrap around to a small, plausible number.
        assertCorruptHeader(one(entry("a", "F32", "[2147483647,2147483647,2147483647]", 0, 8)), eight, "overflows 64 bits");
        assertCorruptHeader(one(entry("a", "F32", "[65536,65536,65536,65536,2]", 0, 8)), eight, "overflows 64 bits");
        // Fits in a long but not in one Java array: rejected before anything is allocated.
        assertCorruptHeader(one(entry("a", "F32", "[100000,100000]", 0, 40_000_000_000L)), eight, "at most");
        // A zero dimension makes any shape empty, and an empty tensor needs no bytes.
        assertCorruptHeader(one(entry("a", "F32", "[0,5]", 0, 8)), eight, "need 0 bytes");
    }

    @Test
    void offsetsOutOfRangeOverlappingOrWithGaps() throws IOException {
        byte[] sixteen = floats(1, 2, 3, 4);
        assertCorruptHeader(one(entry("a", "F32", "[4]", 4, 20)), sixteen, "beyond the 16 bytes");
        assertCorruptHeader(one(entry("a", "F32", "[2]", 8, 0)), sixteen, "invalid data_offsets [8, 0]");
        assertCorruptHeader(one(entry("a", "F32", "[0]", -4, -4)), sixteen, "invalid data_offsets [-4, -4]");
        assertCorruptHeader(one(entry("a", "F32", "[2]", 9223372036854775800L, -9223372036854775808L)), sixteen,
                "invalid data_offsets");
        assertCorruptHeader("{" + entry("a", "F32", "[3]", 0, 12) + "," + entry("b", "F32", "[2]", 8, 16) + "}",
                sixteen, "tensor \"b\" (data_offsets [8, 16]) overlaps tensor \"a\"");
        assertCorruptHeader("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}",
                sixteen, "overlaps");
        assertCorruptHeader("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[2]", 8, 16) + "}",
                sixteen, "bytes 4 to 8 of the data belong to no tensor");
        assertCorruptHeader("{" + entry("b", "F32", "[2]", 8, 16) + "}", sixteen, "bytes 0 to 8");
        assertCorruptHeader(one(entry("a", "F32", "[2]", 0, 8)), sixteen, "cover 8 bytes but the file holds 16");
        // An empty tensor inside another tensor's range is an overlap too.
        assertCorruptHeader("{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("e", "F32", "[0]", 8, 8) + "}",
                sixteen, "overlaps");
    }

    @Test
    void hugeClaimsAreCheckedBeforeAllocating() throws IOException {
        // Two gigabytes of floats announced, sixteen bytes present: rejected from the header alone for a
        // file, and after reading only what the stream really holds for a stream. No 2 GB array either way.
        byte[] sixteen = floats(1, 2, 3, 4);
        assertCorruptHeader(one(entry("a", "F32", "[500000000]", 0, 2_000_000_000L)), sixteen, "beyond the 16 bytes");
        assertCorruptHeader("{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("b", "F64", "[250000000]", 16, 2_000_000_016L)
                + "}", sixteen, "beyond the 16 bytes");
        // Too large for one stream read: a plain IOException saying what to do, not a corrupt-file verdict.
        byte[] big = file(one(entry("a", "F32", "[600000000]", 0, 2_400_000_000L)), sixteen);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(plainStream(big)));
        assertFalse(e instanceof CorruptFileException, e.toString());
        assertTrue(e.getMessage().contains("SafeTensors.read(Path)"), e.getMessage());
    }

    @Test
    void emptyTensorsMayShareAnOffset() throws IOException {
        // Not corrupt: zero-byte tensors sit anywhere the buffer is contiguous.
        String header = "{" + String.join(",", entry("e1", "F32", "[0]", 4, 4), entry("a", "F32", "[1]", 0, 4),
                entry("e2", "I64", "[0,3]", 4, 4), entry("b", "F32", "[1]", 4, 8), entry("e3", "F64", "[0]", 8, 8)) + "}";
        Path file = dir.resolve("empties.safetensors");
        Files.write(file, file(header, floats(1, 2)));
        Map<String, Tensor> t = SafeTensors.read(file).tensors();
        assertEquals(5, t.size());
        assertArrayEquals(new int[] {0, 3}, t.get("e2").shape());
        assertArrayEquals(new float[] {2}, t.get("b").toFloatArray());
    }

    @Test
    void randomDamageNeverEscapesAsAnotherException() throws IOException {
        // Flip, overwrite or splice random bytes of a valid file. Each result either still loads (damage
        // in a value, or in padding) or fails with CorruptFileException: never an unchecked exception.
        byte[] valid = validFile();
        Random rnd = new Random(12345);
        int loaded = 0, rejected = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] damaged = valid.clone();
            int edits = 1 + rnd.nextInt(3);
            for (int k = 0; k < edits; k++) {
                int at = rnd.nextInt(damaged.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> damaged[at] ^= (byte) (1 << rnd.nextInt(8));
                    case 1 -> damaged[at] = (byte) rnd.nextInt(256);
                    default -> {
                        String json = "{}[],:\"0-9e.\\ ";
                        damaged[at] = (byte) json.charAt(rnd.nextInt(json.length()));
                    }
                }
            }
            if (rnd.nextInt(10) == 0) damaged = Arrays.copyOf(damaged, rnd.nextInt(damaged.length + 16));
            try {
                SafeTensors.read(new ByteArrayInputStream(damaged));
                loaded++;
            } catch (CorruptFileException e) {
                rejected++;
                assertNotNull(e.problem());
            }
        }
        assertTrue(loaded > 0 && rejected > 0, "loaded " + loaded + ", rejected " + rejected);
    }

    @Test
    void randomGarbageIsRejected() throws IOException {
        Random rnd = new Random(777);
        for (int trial = 0; trial < 500; trial++) {
            byte[] garbage = new byte[rnd.nextInt(64)];
            rnd.nextBytes(garbage);
            assertThrows(CorruptFileException.class, () -> SafeTensors.read(new ByteArrayInputStream(garbage)));
        }
    }
}
