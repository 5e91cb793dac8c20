package org.jgrad.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jgrad.Tensor;

/**
 * Saves and loads named tensors in the <a href="https://huggingface.co/docs/safetensors">safetensors</a>
 * format, the one Hugging Face publishes weights in: an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw little-endian values. The format holds
 * data only, never code, so loading a file from a stranger cannot run anything; and the reader checks
 * every claim the header makes before it allocates, so a truncated or hostile file fails with a
 * {@link CorruptFileException} instead of an {@link OutOfMemoryError}.
 *
 * <pre>{@code
 * SafeTensors.write(Path.of("model.safetensors"), Map.of("w", w, "b", b), Map.of("epoch", "3"));
 * SafeTensors.Contents c = SafeTensors.read(Path.of("model.safetensors"));
 * Tensor w2 = c.tensors().get("w");
 * }</pre>
 */
public final class SafeTensors {
    private SafeTensors() {}

    /**
     * What a file holds: tensors by name and the string metadata, both unmodifiable and in name order.
     * Loaded tensors are contiguous leaves that do not require grad.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(tensors, "tensors")));
            metadata = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(metadata, "metadata")));
        }
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file}, replacing it atomically: the bytes go to
     * a temporary file in the same directory, are flushed to disk, and the temporary file is then renamed
     * over {@code file}. If anything fails on the way, {@code file} keeps its previous contents (or stays
     * absent) and the temporary file is removed. Non-contiguous tensors are written in row-major order;
     * float32, float64 and int64 are stored as F32, F64 and I64. The output is deterministic: the same
     * tensors and metadata give the same bytes.
     *
     * @param metadata string pairs stored under {@code "__metadata__"}; null or empty for none
     * @throws IllegalArgumentException if a name is {@code "__metadata__"}, a name, key or value is null or
     *     not valid Unicode, or a tensor is null
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        SafeTensorsWriter.write(file, tensors, metadata, channel -> channel);
    }

    /**
     * Reads a safetensors file. F32, F16 and BF16 load as float32, F64 as float64, and the integer and
     * BOOL types as int64.
     *
     * @throws CorruptFileException if the file is truncated, malformed, or its header disagrees with its
     *     data; the message names the file and the problem
     * @throws IOException if the file cannot be read
     */
    public static Contents read(Path file) throws IOException {
        return SafeTensorsReader.read(Objects.requireNonNull(file, "file"));
    }

    /**
     * Reads safetensors data from a stream (a classpath resource, a download), to its end; the stream is
     * not closed. The same checks apply as for a file; since a stream's length is unknown in advance, the
     * data section is read in full before it is decoded, and must be under 2 GB.
     *
     * @throws CorruptFileException if the data is truncated, malformed or inconsistent, or followed by
     *     extra bytes
     */
    public static Contents read(InputStream in) throws IOException {
        return SafeTensorsReader.read(Objects.requireNonNull(in, "in"));
    }
}
