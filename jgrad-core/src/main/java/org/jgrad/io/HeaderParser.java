package org.jgrad.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict JSON parser for exactly the shape of a safetensors header:
 * {@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ..., "__metadata__": {"k": "v"}}}.
 *
 * <p>It is schema-directed rather than a general JSON reader: it never builds a tree of arbitrary
 * values, so nesting depth is fixed at three levels by construction (no recursion a hostile file could
 * exploit), and every array it accepts has a small cap. Anything the format does not use (unknown
 * fields, nested objects where a string belongs, fractions where an integer belongs, duplicate keys)
 * is rejected with the position in the header, not silently ignored.
 */
final class HeaderParser {
    /** Key reserved by the format for string-to-string metadata. */
    static final String METADATA_KEY = "__metadata__";
    /** Most dimensions a shape may have; NumPy's limit. Stops a header from being one huge shape. */
    static final int MAX_RANK = 64;

    /** One tensor as the header describes it, before any validation against the data. */
    record Entry(String name, String dtype, long[] shape, long begin, long end) {}

    record Header(List<Entry> entries, Map<String, String> metadata) {}

    private final Path file;
    private final String text;
    private int pos;

    private HeaderParser(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** Parses a decoded header; {@code file} only names the source in error messages (null for a stream). */
    static Header parse(Path file, String text) throws CorruptFileException {
        return new HeaderParser(file, text).header();
    }

    private Header header() throws CorruptFileException {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        skipWhitespace();
        expect('{', "the header to be a JSON object");
        if (!consume('}')) {
            String key;
            do {
                key = string("a tensor name");
                if (!seen.add(key)) throw error("duplicate key " + quote(key));
                expect(':', "':' after key " + quote(key));
                if (key.equals(METADATA_KEY)) {
                    metadata(metadata);
                } else {
                    entries.add(entry(key));
                }
            } while (commaOr('}', "',' or '}' after the value of " + quote(key)));
        }
        skipWhitespace();
        if (pos != text.length()) throw error("unexpected text after the header object");
        return new Header(entries, metadata);
    }

    private void metadata(Map<String, String> into) throws CorruptFileException {
        skipWhitespace();
        // Other writers emit "__metadata__": null when there is none; it means the same as absent.
        if (text.startsWith("null", pos)) {
            pos += 4;
            return;
        }
        expect('{', METADATA_KEY + " to be an object of strings");
        if (consume('}')) return;
        do {
            String key = string("a metadata key");
            if (into.containsKey(key)) throw error("duplicate " + METADATA_KEY + " key " + quote(key));
            expect(':', "':' after metadata key " + quote(key));
            skipWhitespace();
            if (pos < text.length() && text.charAt(pos) != '"') {
                throw error(METADATA_KEY + " value for " + quote(key) + " must be a string");
            }
            into.put(key, string("a metadata value"));
        } while (commaOr('}', "',' or '}' in " + METADATA_KEY));
    }

    private Entry entry(String name) throws CorruptFileException {
        String what = "tensor " + quote(name);
        expect('{', what + " to be an object with dtype, shape and data_offsets");
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        if (!consume('}')) {
            do {
                String field = string("a field name of " + what);
                expect(':', "':' after field " + quote(field) + " of " + what);
                switch (field) {
                    case "dtype" -> {
                        if (dtype != null) throw error(what + ": duplicate field \"dtype\"");
                        skipWhitespace();
                        if (pos < text.length() && text.charAt(pos) != '"') throw error(what + ": dtype must be a string");
                        dtype = string("the dtype of " + what);
                    }
                    case "shape" -> {
                        if (shape != null) throw error(what + ": duplicate field \"shape\"");
                        shape = integers(what + ": shape", MAX_RANK);
                    }
                    case "data_offsets" -> {
                        if (offsets != null) throw error(what + ": duplicate field \"data_offsets\"");
                        offsets = integers(what + ": data_offsets", 2);
                        if (offsets.length != 2) {
                            throw error(what + ": data_offsets must be [begin, end], got " + offsets.length + " numbers");
                        }
                    }
                    default -> throw error(what + ": unknown field " + quote(field)
                            + " (expected dtype, shape and data_offsets)");
                }
            } while (commaOr('}', "',' or '}' in " + what));
        }
        if (dtype == null) throw error(what + " has no dtype");
        if (shape == null) throw error(what + " has no shape");
        if (offsets == null) throw error(what + " has no data_offsets");
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** A JSON array of integers with at most {@code max} elements; values may be negative (checked later). */
    private long[] integers(String what, int max) throws CorruptFileException {
        expect('[', what + " to be an array of integers");
        long[] values = new long[max];
        int n = 0;
        if (consume(']')) return new long[0];
        do {
            if (n == max) throw error(what + " has more than " + max + " elements");
            values[n++] = integer(what);
        } while (commaOr(']', "',' or ']' in " + what));
        return java.util.Arrays.copyOf(values, n);
    }

    /** A JSON number that must be an integer fitting in a long. */
    private long integer(String what) throws CorruptFileException {
        skipWhitespace();
        int start = pos;
        consumeRaw('-');
        int digitsStart = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') pos++;
        int digits = pos - digitsStart;
        if (digits == 0) {
            pos = start;
            throw error(what + " must contain integers");
        }
        if (digits > 1 && text.charAt(digitsStart) == '0') {
            pos = start;
            throw error(what + ": invalid JSON number (leading zero)");
        }
        if (pos < text.length() && ".eE".indexOf(text.charAt(pos)) >= 0) {
            pos = start;
            throw error(what + " must contain integers, not fractions or exponents");
        }
        String literal = text.substring(start, pos);
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            pos = start;
            throw error(what + ": integer " + abbreviate(literal) + " does not fit in 64 bits");
        }
    }

    /** A JSON string, escapes decoded; unpaired surrogates are rejected so every name is valid Unicode. */
    private String string(String what) throws CorruptFileException {
        skipWhitespace();
        if (pos >= text.length() || text.charAt(pos) != '"') throw error("expected " + what + " (a string)");
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos++);
            if (c == '"') break;
            if (c < 0x20) throw error("raw control character U+" + hex4(c) + " in a string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) throw error("unterminated string");
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(unicodeEscape());
                default -> {
                    pos--;
                    throw error("invalid escape \\" + e + " in a string");
                }
            }
        }
        String s = sb.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error("string contains an unpaired surrogate \\u" + hex4(c));
            }
        }
        return s;
    }

    private char unicodeEscape() throws CorruptFileException {
        if (pos + 4 > text.length()) throw error("truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char h = text.charAt(pos + i);
            int d = h <= 'f' ? Character.digit(h, 16) : -1; // JSON allows ASCII hex digits only
            if (d < 0) throw error("invalid \\u escape");
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private void expect(char c, String expectation) throws CorruptFileException {
        if (!consume(c)) throw error("expected " + expectation);
    }

    private boolean consume(char c) {
        skipWhitespace();
        return consumeRaw(c);
    }

    private boolean consumeRaw(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** True after a ',', false after {@code close}; anything else is an error. */
    private boolean commaOr(char close, String expectation) throws CorruptFileException {
        if (consume(',')) return true;
        if (consume(close)) return false;
        throw error("expected " + expectation);
    }

    private CorruptFileException error(String problem) {
        String where = pos >= text.length() ? "at the end of the header" : "at character " + pos + " of the header";
        return new CorruptFileException(file, "invalid header JSON " + where + ": " + problem);
    }

    static String quote(String s) {
        return "\"" + abbreviate(s) + "\"";
    }

    /** Keeps messages short when a hostile file puts megabytes into a name. */
    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }
}
