package org.jgrad.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that cannot be trusted: truncated, malformed, or describing data it does not hold. The
 * message names the file and what is wrong with it; {@link #problem()} is the second part alone.
 */
public class CorruptFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    /** @param file the file that was read, or null when reading from a stream */
    public CorruptFileException(Path file, String problem) {
        super((file == null ? "corrupt safetensors stream" : "corrupt safetensors file " + file) + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    /** The file that was read, or null when the data came from a stream. */
    public Path file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
