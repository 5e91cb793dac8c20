package org.jgrad.data;

import java.io.IOException;

/**
 * A data file that cannot be what it claims to be: a wrong magic number, a header that disagrees
 * with the file's length, a truncated download, a CSV row that is not numeric. The message names the
 * file (and the line, for text formats) and the problem. Not final only so that a reader can say more
 * in a subclass, as {@link CsvReader.BadValueException} does for one cell.
 */
public class InvalidDataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;

    /** A problem with the file as a whole. */
    public InvalidDataException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.line = -1;
    }

    /** A problem on one line (1-based) of a text file. */
    public InvalidDataException(String source, long line, String problem) {
        super(source + ":" + line + ": " + problem);
        this.source = source;
        this.line = line;
    }

    public InvalidDataException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.line = -1;
    }

    /** The file or resource, as given when it was opened. */
    public String source() {
        return source;
    }

    /** The 1-based line of the problem, or -1 when it concerns the whole file. */
    public long line() {
        return line;
    }
}
