package org.jgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.jgrad.Tensor;

/** The writing half of {@link SafeTensors}: build the header, stream the values, replace the file atomically. */
final class SafeTensorsWriter {
    private static final int CHUNK = 1 << 16;

    private SafeTensorsWriter() {}

    private record Planned(String name, Tensor tensor, FileDType type, long begin, long end) {}

    /**
     * @param wrap decorates the channel the bytes are written through; identity in production, a failing
     *     channel in tests (a full disk, an exception half-way)
     */
    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata,
                      UnaryOperator<WritableByteChannel> wrap) throws IOException {
        if (file == null) throw new IllegalArgumentException("SafeTensors.write: file is null");
        if (tensors == null) throw new IllegalArgumentException("SafeTensors.write: tensors is null");
        // Copy first: everything that can be checked is checked before the disk is touched, and a map
        // changed by another thread half-way cannot produce a header that disagrees with the data.
        TreeMap<String, Tensor> sorted = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            checkString("tensor name", name);
            if (name.equals(HeaderParser.METADATA_KEY)) {
                throw new IllegalArgumentException("SafeTensors.write: \"" + HeaderParser.METADATA_KEY
                        + "\" is reserved for metadata and cannot name a tensor");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("SafeTensors.write: tensor " + HeaderParser.quote(name) + " is null");
            }
            sorted.put(name, e.getValue());
        }
        TreeMap<String, String> meta = new TreeMap<>();
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                checkString("metadata key", e.getKey());
                checkString("metadata value for " + HeaderParser.quote(e.getKey()), e.getValue());
                meta.put(e.getKey(), e.getValue());
            }
        }
        List<Planned> plan = layout(sorted);
        byte[] header = header(plan, meta);

        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        FileChannel channel = null;
        Path temp = null;
        try {
            // A hidden sibling: the rename below is only atomic within one file system.
            for (int attempt = 0; channel == null; attempt++) {
                temp = dir.resolve("." + absolute.getFileName() + "."
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
                try {
                    channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    if (attempt == 10) throw e;
                    temp = null;
                }
            }
            WritableByteChannel out = wrap.apply(channel);
            writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
            writeFully(out, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (Planned p : plan) writeValues(out, p, chunk);
            channel.force(true);
            channel.close();
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable failure) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException | RuntimeException e) {
                    failure.addSuppressed(e);
                }
            }
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException | RuntimeException e) {
                    failure.addSuppressed(e);
                }
            }
            throw failure;
        }
        syncDirectory(dir);
    }

    /**
     * Returns the tensors in data order: widest elements first, then by name, so every tensor starts at a multiple of its element
     * size (the data section itself starts 8-byte aligned) and memory-mapping readers can use it in place.
     */
    private static List<Planned> layout(TreeMap<String, Tensor> sorted) {
        List<Map.Entry<String, Tensor>> order = new ArrayList<>(sorted.entrySet());
        order.sort(Comparator.comparingInt((Map.Entry<String, Tensor> e) -> -e.getValue().dtype().bytes())
                .thenComparing(Map.Entry::getKey));
        List<Planned> plan = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            FileDType type = FileDType.of(t.dtype());
            long end = offset + (long) t.numel() * type.size;
            plan.add(new Planned(e.getKey(), t, type, offset, end));
            offset = end;
        }
        return plan;
    }

    private static byte[] header(List<Planned> plan, TreeMap<String, String> metadata) {
        // The header lists tensors by name (readers do not care about the order; people reading it do).
        List<Planned> byName = new ArrayList<>(plan);
        byName.sort(Comparator.comparing(Planned::name));
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            appendString(json, HeaderParser.METADATA_KEY).append(":{");
            String sep = "";
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                appendString(json.append(sep), e.getKey()).append(':');
                appendString(json, e.getValue());
                sep = ",";
            }
            json.append('}');
        }
        for (Planned p : byName) {
            if (json.length() > 1) json.append(',');
            appendString(json, p.name()).append(":{\"dtype\":\"").append(p.type().name()).append("\",\"shape\":[");
            int[] shape = p.tensor().shape();
            for (int i = 0; i < shape.length; i++) json.append(i == 0 ? "" : ",").append(shape[i]);
            json.append("],\"data_offsets\":[").append(p.begin()).append(',').append(p.end()).append("]}");
        }
        json.append('}');
        byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
        // Spaces pad the header so the data section starts 8-byte aligned (8 + a multiple of 8).
        int padded = (utf8.length + 7) & ~7;
        if (padded > SafeTensorsReader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("SafeTensors.write: the header would take " + padded
                    + " bytes, more than readers accept (" + SafeTensorsReader.MAX_HEADER_BYTES + ")");
        }
        byte[] out = java.util.Arrays.copyOf(utf8, padded);
        java.util.Arrays.fill(out, utf8.length, padded, (byte) ' ');
        return out;
    }

    private static StringBuilder appendString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) json.append(String.format("\\u%04x", (int) c));
                    else json.append(c);
                }
            }
        }
        return json.append('"');
    }

    /** Names and metadata must survive UTF-8 intact: an unpaired surrogate would silently become '?'. */
    private static void checkString(String what, String s) {
        if (s == null) throw new IllegalArgumentException("SafeTensors.write: " + what + " is null");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("SafeTensors.write: " + what + " " + HeaderParser.quote(s)
                        + " is not valid Unicode (unpaired surrogate at index " + i + ")");
            }
        }
    }

    private static void writeValues(WritableByteChannel out, Planned p, ByteBuffer chunk) throws IOException {
        int size = p.type().size;
        int perChunk = CHUNK / size;
        int n = p.tensor().numel();
        // One row-major copy per tensor: it handles every view layout and keeps memory to one tensor at a time.
        switch (p.type()) {
            case F32 -> {
                float[] v = p.tensor().toFloatArray();
                for (int at = 0; at < n; at += perChunk) {
                    int count = Math.min(perChunk, n - at);
                    chunk.clear().asFloatBuffer().put(v, at, count);
                    writeFully(out, chunk.limit(count * size));
                }
            }
            case F64 -> {
                double[] v = p.tensor().toDoubleArray();
                for (int at = 0; at < n; at += perChunk) {
                    int count = Math.min(perChunk, n - at);
                    chunk.clear().asDoubleBuffer().put(v, at, count);
                    writeFully(out, chunk.limit(count * size));
                }
            }
            case I64 -> {
                long[] v = p.tensor().toLongArray();
                for (int at = 0; at < n; at += perChunk) {
                    int count = Math.min(perChunk, n - at);
                    chunk.clear().asLongBuffer().put(v, at, count);
                    writeFully(out, chunk.limit(count * size));
                }
            }
            default -> throw new AssertionError("jgrad never writes " + p.type());
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) out.write(bytes);
    }

    /** Makes the rename itself durable. Not every platform can open a directory (Windows cannot); there the
     *  rename is still atomic, only its durability across a power cut is up to the file system. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort, see above
        }
    }
}
