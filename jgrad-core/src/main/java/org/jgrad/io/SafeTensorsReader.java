package org.jgrad.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.Tensor;
import org.jgrad.io.HeaderParser.Entry;
import org.jgrad.io.HeaderParser.Header;

/**
 * The reading half of {@link SafeTensors}. Nothing is allocated from a number in the file until that
 * number has been checked against something real: the header length against the file size, each tensor's
 * byte count against its shape and dtype, and the byte ranges against each other and the data that is
 * actually there. Only then are the values decoded, tensor by tensor, in fixed-size chunks.
 */
final class SafeTensorsReader {
    /** Same bound as the reference implementation: a header larger than this is an attack, not a model. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Largest Java array the JVM reliably allocates. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Bytes decoded at a time; a multiple of every element size, so chunks never split an element. */
    private static final int CHUNK = 1 << 16;

    private SafeTensorsReader() {}

    /** A tensor whose header entry passed every check, ready to be decoded. */
    private record Planned(String name, FileDType type, int[] shape, int numel, long begin, long end) {}

    /** Reads {@code length} bytes (at most one chunk) at {@code position} within the data section. */
    @FunctionalInterface
    private interface DataSource {
        ByteBuffer read(long position, int length) throws IOException;
    }

    static SafeTensors.Contents read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new CorruptFileException(file, "the file has " + size + " bytes, fewer than the 8-byte header length");
            }
            long headerLength = readFully(file, channel, 0, ByteBuffer.allocate(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            checkHeaderLength(file, headerLength);
            if (headerLength > size - 8) {
                throw new CorruptFileException(file, "header length " + headerLength + " exceeds the " + (size - 8)
                        + " bytes that follow it (truncated file?)");
            }
            ByteBuffer headerBytes = readFully(file, channel, 8, ByteBuffer.allocate((int) headerLength));
            Header header = HeaderParser.parse(file, decodeUtf8(file, headerBytes));
            long dataStart = 8 + headerLength;
            List<Planned> plan = validate(file, header.entries(), size - dataStart);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            DataSource source = (position, length) ->
                    readFully(file, channel, dataStart + position, chunk.clear().limit(length)).order(ByteOrder.LITTLE_ENDIAN);
            return new SafeTensors.Contents(load(file, plan, source), header.metadata());
        }
    }

    static SafeTensors.Contents read(InputStream in) throws IOException {
        byte[] lengthBytes = in.readNBytes(8);
        if (lengthBytes.length < 8) {
            throw new CorruptFileException(null, "the stream has " + lengthBytes.length
                    + " bytes, fewer than the 8-byte header length");
        }
        long headerLength = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        checkHeaderLength(null, headerLength);
        // readNBytes grows its buffer as bytes arrive, so a lying length costs only what is really sent.
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new CorruptFileException(null, "the stream ended after " + headerBytes.length + " of the "
                    + headerLength + " header bytes");
        }
        Header header = HeaderParser.parse(null, decodeUtf8(null, ByteBuffer.wrap(headerBytes)));
        List<Planned> plan = validate(null, header.entries(), -1);
        long dataLength = plan.isEmpty() ? 0 : plan.getLast().end();
        if (dataLength > MAX_ELEMENTS) {
            throw new IOException("safetensors stream: " + dataLength + " data bytes are too many to read from a "
                    + "stream (at most " + MAX_ELEMENTS + "); save it to a file and use SafeTensors.read(Path)");
        }
        byte[] data = in.readNBytes((int) dataLength);
        if (data.length < dataLength) {
            throw new CorruptFileException(null, "the stream ended after " + data.length + " of the " + dataLength
                    + " data bytes the header describes (truncated?)");
        }
        if (in.read() != -1) {
            throw new CorruptFileException(null, "extra bytes after the " + dataLength
                    + " data bytes the header describes");
        }
        DataSource source = (position, length) ->
                ByteBuffer.wrap(data, (int) position, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        return new SafeTensors.Contents(load(null, plan, source), header.metadata());
    }

    private static void checkHeaderLength(Path file, long headerLength) throws CorruptFileException {
        // The length is unsigned in the format; as a Java long, lengths of 2^63 and more are negative.
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new CorruptFileException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) throws CorruptFileException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(bytes); // reports malformed input
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new CorruptFileException(file, "the header is not valid UTF-8");
        }
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, position);
            if (n < 0) {
                throw new CorruptFileException(file, "the file ended at byte " + position
                        + " while reading it (was it truncated while being read?)");
            }
            position += n;
        }
        return into.flip();
    }

    /**
     * Checks every entry against the format's rules and returns them in data order. {@code dataLength} is
     * the size of the data section, or -1 when it is not known yet (a stream): then only the ranges'
     * consistency with one another is checked here.
     */
    private static List<Planned> validate(Path file, List<Entry> entries, long dataLength) throws CorruptFileException {
        List<Planned> plan = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            String what = "tensor " + HeaderParser.quote(e.name());
            FileDType type = FileDType.byName(e.dtype());
            if (type == null) {
                throw new CorruptFileException(file, what + " has dtype " + HeaderParser.quote(e.dtype())
                        + ", which jgrad cannot read (supported: " + Arrays.toString(FileDType.values()) + ")");
            }
            long[] dims = e.shape();
            long numel = 1;
            for (long d : dims) {
                if (d < 0) throw new CorruptFileException(file, what + " has a negative dimension in shape " + Arrays.toString(dims));
                if (d > Integer.MAX_VALUE) {
                    throw new CorruptFileException(file, what + " has dimension " + d + " in shape " + Arrays.toString(dims)
                            + "; jgrad dimensions are at most " + Integer.MAX_VALUE);
                }
            }
            try {
                for (long d : dims) numel = Math.multiplyExact(numel, d);
            } catch (ArithmeticException overflow) {
                throw new CorruptFileException(file, what + " has shape " + Arrays.toString(dims)
                        + ", whose element count overflows 64 bits");
            }
            if (numel > MAX_ELEMENTS) {
                throw new CorruptFileException(file, what + " has shape " + Arrays.toString(dims) + " with " + numel
                        + " elements; a jgrad tensor holds at most " + MAX_ELEMENTS);
            }
            long bytes = numel * type.size;
            String range = "data_offsets [" + e.begin() + ", " + e.end() + "]";
            if (e.begin() < 0 || e.end() < e.begin()) {
                throw new CorruptFileException(file, what + " has invalid " + range + " (need 0 <= begin <= end)");
            }
            if (e.end() - e.begin() != bytes) {
                throw new CorruptFileException(file, what + " has shape " + Arrays.toString(dims) + " and dtype " + type
                        + ", which need " + bytes + " bytes, but its " + range + " span " + (e.end() - e.begin()));
            }
            if (dataLength >= 0 && e.end() > dataLength) {
                throw new CorruptFileException(file, what + " has " + range + " beyond the " + dataLength
                        + " bytes of tensor data in the file (truncated?)");
            }
            int[] shape = new int[dims.length];
            for (int i = 0; i < dims.length; i++) shape[i] = (int) dims[i];
            plan.add(new Planned(e.name(), type, shape, (int) numel, e.begin(), e.end()));
        }
        // Empty tensors sort before a tensor starting at the same offset, so they never count as overlaps.
        plan.sort(Comparator.comparingLong(Planned::begin).thenComparingLong(Planned::end).thenComparing(Planned::name));
        long covered = 0;
        Planned previous = null;
        for (Planned p : plan) {
            String what = "tensor " + HeaderParser.quote(p.name()) + " (data_offsets [" + p.begin() + ", " + p.end() + "])";
            if (p.begin() < covered) {
                throw new CorruptFileException(file, what + " overlaps tensor " + HeaderParser.quote(previous.name())
                        + " (data_offsets [" + previous.begin() + ", " + previous.end() + "])");
            }
            if (p.begin() > covered) {
                throw new CorruptFileException(file, "bytes " + covered + " to " + p.begin()
                        + " of the data belong to no tensor (gap before " + what + ")");
            }
            covered = p.end();
            previous = p;
        }
        if (dataLength >= 0 && covered != dataLength) {
            throw new CorruptFileException(file, "the tensors cover " + covered + " bytes but the file holds "
                    + dataLength + " bytes of tensor data (" + (covered < dataLength ? "extra bytes at the end)" : "truncated?)"));
        }
        return plan;
    }

    private static Map<String, Tensor> load(Path file, List<Planned> plan, DataSource source) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Planned p : plan) {
            Object values = switch (p.type().target) {
                case FLOAT32 -> new float[p.numel()];
                case FLOAT64 -> new double[p.numel()];
                case INT64 -> new long[p.numel()];
            };
            int perChunk = CHUNK / p.type().size;
            for (int at = 0; at < p.numel(); at += perChunk) {
                int count = Math.min(perChunk, p.numel() - at);
                ByteBuffer bytes = source.read(p.begin() + (long) at * p.type().size, count * p.type().size);
                decode(file, p, bytes, values, at, count);
            }
            tensors.put(p.name(), switch (values) {
                case float[] f -> Tensor.of(f, p.shape());
                case double[] d -> Tensor.of(d, p.shape());
                case long[] l -> Tensor.of(l, p.shape());
                default -> throw new AssertionError(values);
            });
        }
        return tensors;
    }

    /** Converts {@code count} little-endian elements into {@code values} starting at index {@code at}. */
    private static void decode(Path file, Planned p, ByteBuffer in, Object values, int at, int count)
            throws CorruptFileException {
        switch (p.type()) {
            case F32 -> in.asFloatBuffer().get((float[]) values, at, count);
            case F64 -> in.asDoubleBuffer().get((double[]) values, at, count);
            case I64 -> in.asLongBuffer().get((long[]) values, at, count);
            case F16 -> {
                float[] f = (float[]) values;
                for (int i = 0; i < count; i++) f[at + i] = Float.float16ToFloat(in.getShort());
            }
            case BF16 -> {
                // bfloat16 is the top half of a float32.
                float[] f = (float[]) values;
                for (int i = 0; i < count; i++) f[at + i] = Float.intBitsToFloat((in.getShort() & 0xFFFF) << 16);
            }
            case I32 -> {
                long[] l = (long[]) values;
                for (int i = 0; i < count; i++) l[at + i] = in.getInt();
            }
            case U32 -> {
                long[] l = (long[]) values;
                for (int i = 0; i < count; i++) l[at + i] = in.getInt() & 0xFFFF_FFFFL;
            }
            case I16 -> {
                long[] l = (long[]) values;
                for (int i = 0; i < count; i++) l[at + i] = in.getShort();
            }
            case U16 -> {
                long[] l = (long[]) values;
                for (int i = 0; i < count; i++) l[at + i] = in.getShort() & 0xFFFF;
            }
            case I8 -> {
                long[] l = (long[]) values;
                for (int i = 0; i < count; i++) l[at + i] = in.get();
            }
            case U8 -> {
                long[] l = (long[]) values;
                for (int i = 0; i < count; i++) l[at + i] = in.get() & 0xFF;
            }
            case BOOL -> {
                long[] l = (long[]) values;
                for (int i = 0; i < count; i++) {
                    int b = in.get() & 0xFF;
                    if (b > 1) {
                        throw new CorruptFileException(file, "BOOL tensor " + HeaderParser.quote(p.name())
                                + " holds byte " + b + " at element " + (at + i) + " (booleans are 0 or 1)");
                    }
                    l[at + i] = b;
                }
            }
        }
    }
}
