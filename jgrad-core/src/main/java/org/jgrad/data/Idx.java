package org.jgrad.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed (detected from
 * the content, not the name).
 *
 * <p>An IDX file is a 4-byte magic number {@code 0x00 0x00 type rank}, then {@code rank} big-endian
 * 32-bit dimensions, then the values in row-major order. Only unsigned bytes (type 0x08) occur in
 * MNIST-style data and only they are read here. Every file is checked before any large allocation:
 * the magic number, the rank, each dimension, and the declared size against what the file really
 * holds (for a plain file its length; for a gzip file the most its compressed length can expand to,
 * and then the data as it arrives). A corrupt, truncated or hostile file raises an
 * {@link InvalidDataException} naming it and the problem, never an OutOfMemoryError.
 */
public final class Idx {
    private Idx() {}

    static final int UNSIGNED_BYTE = 0x08;
    /** Deflate cannot expand data more than about 1032 times; a larger declared size is a lie. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int MAX_RANK = 8;
    private static final int CHUNK = 1 << 20;

    /** The header and the raw unsigned bytes of an IDX file. */
    public record Contents(String source, int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }
    }

    /**
     * Images: an IDX file of unsigned bytes [N, H, W], as float32 [N, 1, H, W] scaled to [0, 1]
     * (value / 255), the layout convolutions expect.
     */
    public static Tensor readImages(Path file) throws IOException {
        return images(read(file));
    }

    /** Labels: an IDX file of unsigned bytes [N], as int64 [N]. */
    public static Tensor readLabels(Path file) throws IOException {
        return labels(read(file));
    }

    /** Reads and validates an unsigned-byte IDX file, gzip or plain. */
    public static Contents read(Path file) throws IOException {
        String name = file.toString();
        if (!Files.isRegularFile(file)) throw new java.io.FileNotFoundException(name + ": no such file");
        long length = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, name, length);
        }
    }

    /**
     * Reads an IDX stream (e.g. a class-path resource) named {@code source} in messages;
     * {@code length} is its size in bytes if known, else -1.
     */
    public static Contents read(InputStream raw, String source, long length) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        InputStream data;
        try {
            data = gzip ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (ZipException | EOFException e) {
            throw new InvalidDataException(source, "corrupt gzip header (" + e.getMessage() + ")", e);
        }
        try {
            return parse(data, source, gzip, length);
        } catch (ZipException e) {
            throw new InvalidDataException(source, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new InvalidDataException(source, "truncated gzip stream: the compressed data ends early", e);
        }
    }

    private static Contents parse(InputStream in, String source, boolean gzip, long length) throws IOException {
        byte[] magic = readFully(in, 4);
        if (magic == null) {
            throw new InvalidDataException(source, "too short for an IDX file: no 4-byte magic number");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new InvalidDataException(source, String.format(
                    "not an IDX file: magic number 0x%02x%02x%02x%02x does not start with two zero bytes%s",
                    magic[0], magic[1], magic[2], magic[3], gzip ? "" : " (nor is it gzip-compressed)"));
        }
        int type = magic[2] & 0xff, rank = magic[3] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new InvalidDataException(source, String.format("IDX value type 0x%02x is not supported; "
                    + "MNIST-style files hold unsigned bytes (0x08)", type));
        }
        if (rank < 1 || rank > MAX_RANK) {
            throw new InvalidDataException(source, "IDX rank " + rank + " is out of range 1.." + MAX_RANK);
        }
        byte[] header = readFully(in, 4 * rank);
        if (header == null) {
            throw new InvalidDataException(source, "truncated header: expected " + rank + " dimensions (" + 4 * rank + " bytes)");
        }
        int[] dims = new int[rank];
        long declared = 1;
        for (int i = 0; i < rank; i++) {
            long d = ((header[4 * i] & 0xffL) << 24) | ((header[4 * i + 1] & 0xff) << 16) | ((header[4 * i + 2] & 0xff) << 8)
                    | (header[4 * i + 3] & 0xff);
            if (d > Integer.MAX_VALUE) {
                throw new InvalidDataException(source, "dimension " + i + " is " + d + ", more than 2^31-1");
            }
            dims[i] = (int) d;
            declared *= d;
            if (declared > Integer.MAX_VALUE - 8) {
                throw new InvalidDataException(source, "header declares " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + "..., more than 2^31 values: too large for one array");
            }
        }
        long headerBytes = 4 + 4L * rank;
        if (length >= 0) {
            if (!gzip && length != headerBytes + declared) {
                throw new InvalidDataException(source, "header declares shape " + Arrays.toString(dims) + " = " + declared
                        + " bytes of data but the file has " + (length - headerBytes)
                        + (length < headerBytes + declared ? " (truncated?)" : " (trailing bytes)"));
            }
            if (gzip && declared + headerBytes > length * MAX_DEFLATE_RATIO) {
                throw new InvalidDataException(source, "header declares shape " + Arrays.toString(dims) + " = " + declared
                        + " bytes, more than a gzip file of " + length + " bytes can hold");
            }
        }
        // Grow the buffer as data really arrives, so a lying header cannot make us allocate its claim.
        int size = (int) declared;
        byte[] data = new byte[Math.min(size, CHUNK)];
        int filled = 0;
        while (filled < size) {
            if (filled == data.length) data = Arrays.copyOf(data, (int) Math.min(size, 2L * data.length));
            int n = in.read(data, filled, data.length - filled);
            if (n < 0) {
                throw new InvalidDataException(source, "truncated: header declares shape " + Arrays.toString(dims) + " = "
                        + declared + " bytes of data but the " + (gzip ? "decompressed " : "") + "file has only " + filled);
            }
            filled += n;
        }
        if (in.read() >= 0) {
            throw new InvalidDataException(source, "trailing bytes after the " + declared + " bytes of data that the header declares (shape "
                    + Arrays.toString(dims) + ")");
        }
        return new Contents(source, dims, data);
    }

    /** n bytes, or null if the stream ends first. */
    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        return b.length == n ? b : null;
    }

    static Tensor images(Contents c) throws InvalidDataException {
        if (c.dims().length != 3) {
            throw new InvalidDataException(c.source(), "expected images [N, rows, cols], got shape " + Arrays.toString(c.dims()));
        }
        int n = c.dims()[0], h = c.dims()[1], w = c.dims()[2];
        // Convert in slices into one preallocated tensor: the peak is the result plus one slice,
        // not the result twice (Tensor.of copies its array).
        Tensor out = Tensor.zeros(DType.FLOAT32, n, 1, h, w);
        int perImage = h * w;
        int step = Math.max(1, CHUNK / Math.max(1, perImage));
        byte[] d = c.data();
        for (int start = 0; start < n; start += step) {
            int end = Math.min(n, start + step);
            float[] f = new float[(end - start) * perImage];
            for (int i = 0; i < f.length; i++) f[i] = (d[start * perImage + i] & 0xff) / 255f;
            out.slice(0, start, end).copyInPlace(Tensor.of(f, end - start, 1, h, w));
        }
        return out;
    }

    static Tensor labels(Contents c) throws InvalidDataException {
        if (c.dims().length != 1) {
            throw new InvalidDataException(c.source(), "expected labels [N], got shape " + Arrays.toString(c.dims()));
        }
        long[] l = new long[c.dims()[0]];
        for (int i = 0; i < l.length; i++) l[i] = c.data()[i] & 0xff;
        return Tensor.of(l, l.length);
    }
}
