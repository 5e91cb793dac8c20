package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file written byte by byte, independently of the reader. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] pixels(int n) {
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) d[i] = (byte) (i * 37 + 11);   // includes values above 127
        return d;
    }

    private InvalidDataException corrupt(Path file) {
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), "message names the file: " + e.getMessage());
        assertEquals(file.toString(), e.source());
        return e;
    }

    @Test
    void readsPlainAndGzipImagesScaledToUnitInterval() throws IOException {
        byte[] data = pixels(3 * 2 * 4);
        byte[] raw = idx(0x08, new int[] {3, 2, 4}, data);
        for (Path p : new Path[] {write("plain-images", raw), write("images.gz", gzip(raw)), write("gz-without-suffix", gzip(raw))}) {
            Tensor t = Idx.readImages(p);
            assertEquals(DType.FLOAT32, t.dtype());
            assertArrayEquals(new int[] {3, 1, 2, 4}, t.shape());
            float[] v = t.toFloatArray();
            for (int i = 0; i < data.length; i++) assertEquals((data[i] & 0xff) / 255f, v[i], 0f, "pixel " + i);
        }
    }

    @Test
    void readsLabelsAsInt64() throws IOException {
        byte[] labels = {0, 9, 3, (byte) 200};
        Tensor t = Idx.readLabels(write("labels.gz", gzip(idx(0x08, new int[] {4}, labels))));
        assertEquals(DType.INT64, t.dtype());
        assertArrayEquals(new long[] {0, 9, 3, 200}, t.toLongArray());
    }

    @Test
    void largerImageSetsConvertAcrossSliceBoundaries() throws IOException {
        // More images than one conversion slice (1 MiB of pixels), so the sliced copy is exercised.
        int n = 1400, h = 28, w = 28;
        byte[] data = pixels(n * h * w);
        Tensor t = Idx.readImages(write("many.gz", gzip(idx(0x08, new int[] {n, h, w}, data))));
        float[] v = t.toFloatArray();
        for (int i : new int[] {0, 784 * 1337 - 1, 784 * 1337, 784 * 1337 + 5, data.length - 1}) {
            assertEquals((data[i] & 0xff) / 255f, v[i], 0f, "pixel " + i);
        }
    }

    @Test
    void rejectsWrongMagicNumber() throws IOException {
        byte[] raw = idx(0x08, new int[] {2}, new byte[] {1, 2});
        raw[0] = 0x50;   // "PK..." — e.g. a zip saved under the wrong name
        assertTrue(corrupt(write("zip", raw)).getMessage().contains("not an IDX file"));
        assertTrue(corrupt(write("zip.gz", gzip(raw))).getMessage().contains("magic number"));
    }

    @Test
    void rejectsUnsupportedTypeAndBadRank() throws IOException {
        assertTrue(corrupt(write("floats", idx(0x0D, new int[] {1}, new byte[4]))).getMessage().contains("0x0d is not supported"));
        assertTrue(corrupt(write("rank0", idx(0x08, new int[0], new byte[0]))).getMessage().contains("rank 0"));
        byte[] rank9 = idx(0x08, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, new byte[1]);
        assertTrue(corrupt(write("rank9", rank9)).getMessage().contains("rank 9"));
    }

    @Test
    void rejectsTruncatedAndOverlongPlainFiles() throws IOException {
        byte[] raw = idx(0x08, new int[] {4, 2, 2}, pixels(16));
        InvalidDataException shortFile = corrupt(write("short", Arrays.copyOf(raw, raw.length - 3)));
        assertTrue(shortFile.getMessage().contains("[4, 2, 2] = 16 bytes of data but the file has 13"), shortFile.getMessage());
        InvalidDataException longFile = corrupt(write("long", Arrays.copyOf(raw, raw.length + 1)));
        assertTrue(longFile.getMessage().contains("trailing bytes"), longFile.getMessage());
        assertTrue(corrupt(write("empty", new byte[0])).getMessage().contains("too short"));
        assertTrue(corrupt(write("header-only", Arrays.copyOf(raw, 9))).getMessage().contains("truncated header"));
    }

    @Test
    void lyingHeaderNeverAllocatesItsClaim() throws IOException {
        // A 26-byte file claiming 60000 × 28 × 28 images, and one claiming more than 2^31 values.
        byte[] small = idx(0x08, new int[] {60000, 28, 28}, pixels(10));
        assertTrue(corrupt(write("lie", small)).getMessage().contains("47040000 bytes of data but the file has 10"));
        assertTrue(corrupt(write("lie.gz", gzip(small))).getMessage().contains("more than a gzip file of"));
        byte[] huge = idx(0x08, new int[] {65536, 65536, 28}, pixels(10));
        assertTrue(corrupt(write("huge", huge)).getMessage().contains("too large"));
        byte[] unsigned = idx(0x08, new int[] {-1}, pixels(10));   // 0xFFFFFFFF read as unsigned
        assertTrue(corrupt(write("neg", unsigned)).getMessage().contains("4294967295"));
        // A stream of unknown length with a plausible but false claim: read until the data runs out.
        byte[] moderate = idx(0x08, new int[] {5000, 28, 28}, pixels(100));
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> Idx.read(new ByteArrayInputStream(gzip(moderate)), "stream.gz", -1));
        assertTrue(e.getMessage().contains("stream.gz: truncated") && e.getMessage().contains("has only 100"), e.getMessage());
    }

    @Test
    void rejectsTruncatedAndCorruptGzip() throws IOException {
        byte[] gz = gzip(idx(0x08, new int[] {50, 28, 28}, pixels(50 * 784)));
        InvalidDataException cut = corrupt(write("cut.gz", Arrays.copyOf(gz, gz.length / 2)));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        byte[] flipped = gz.clone();
        for (int i = 20; i < 60; i++) flipped[i] ^= 0x5a;
        corrupt(write("flipped.gz", flipped));
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 6] ^= 1;   // CRC32 in the trailer
        assertTrue(corrupt(write("crc.gz", badCrc)).getMessage().contains("gzip"));
    }

    @Test
    void missingFileIsNotFound() {
        assertThrows(java.io.FileNotFoundException.class, () -> Idx.read(dir.resolve("absent.gz")));
    }
}
