package org.jgrad.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrad.Tensor;

/**
 * Reads a table with a header row into a {@link TensorDataset}: every column except the label and
 * the dropped ones is a feature; numeric columns become one float32 feature each, and columns named
 * in {@link #oneHot} become one 0/1 feature per distinct value (sorted), named {@code column=value}.
 *
 * <pre>{@code
 * CsvReader.Table iris = CsvReader.label("species").read(Path.of("iris.csv"));
 * TensorDataset ds = iris.dataset();     // features float32 [N, 4], labels int64 [N]
 * List<String> names = iris.classes();   // ["setosa", "versicolor", "virginica"]
 * }</pre>
 *
 * <p>Labels are class indices (int64): a label column of integers 0, 1, 2... is used as it is;
 * any other values are numbered in sorted order. With {@link #regression()} the label is a float32
 * target instead. Fields may be quoted ("a, b", with "" for a quote). Blank lines are skipped. A
 * wrong number of fields or a missing value raises an {@link InvalidDataException} with the file, the
 * line number (the header is line 1) and the column; a numeric column's cell that is text, NaN, Infinity
 * or beyond float32's range raises its subclass {@link BadValueException}.
 */
public final class CsvReader {
    private final String label;
    private final Set<String> oneHot = new LinkedHashSet<>();
    private final Set<String> drop = new LinkedHashSet<>();
    private boolean regression;
    private char separator = ',';

    private CsvReader(String label) {
        this.label = Objects.requireNonNull(label, "CsvReader: label column");
    }

    /** A reader whose labels are the column named {@code column}. */
    public static CsvReader label(String column) {
        return new CsvReader(column);
    }

    /** Categorical feature columns to encode one-hot. */
    public CsvReader oneHot(String... columns) {
        oneHot.addAll(Arrays.asList(columns));
        return this;
    }

    /** Columns to ignore (e.g. an id). */
    public CsvReader drop(String... columns) {
        drop.addAll(Arrays.asList(columns));
        return this;
    }

    /** Reads the label as a float32 regression target instead of a class index. */
    public CsvReader regression() {
        this.regression = true;
        return this;
    }

    /** The field separator (default ','). */
    public CsvReader separator(char separator) {
        this.separator = separator;
        return this;
    }

    /**
     * The result: the dataset, the name of each feature column, and the class names (index i is
     * class i; empty for regression).
     */
    public record Table(TensorDataset dataset, List<String> featureNames, List<String> classes) {}

    public Table read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        }
    }

    /** Reads from {@code reader}; {@code source} names it in error messages. */
    public Table read(Reader reader, String source) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        String headerLine = in.readLine();
        long lineNo = 1;
        while (headerLine != null && headerLine.isBlank()) {
            headerLine = in.readLine();
            lineNo++;
        }
        if (headerLine == null) throw new InvalidDataException(source, "empty file: expected a header row");
        if (!headerLine.isEmpty() && headerLine.charAt(0) == '\uFEFF') headerLine = headerLine.substring(1);
        List<String> header = split(headerLine, source, lineNo);
        for (int i = 0; i < header.size(); i++) header.set(i, header.get(i).strip());
        int labelCol = header.indexOf(label);
        if (labelCol < 0) {
            throw new InvalidDataException(source, lineNo, "no label column named '" + label + "'; the header has " + header);
        }
        for (String c : concat(oneHot, drop)) {
            if (!header.contains(c)) throw new InvalidDataException(source, lineNo, "no column named '" + c + "'; the header has " + header);
        }
        if (oneHot.contains(label) || drop.contains(label)) {
            throw new InvalidDataException(source, lineNo, "the label column '" + label + "' cannot also be one-hot or dropped");
        }
        Set<String> seen = new java.util.HashSet<>();
        for (String h : header) {
            if (!seen.add(h)) throw new InvalidDataException(source, lineNo, "column '" + h + "' appears twice in the header");
        }

        List<String[]> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) continue;
            List<String> fields = split(line, source, lineNo);
            if (fields.size() != header.size()) {
                throw new InvalidDataException(source, lineNo, "expected " + header.size() + " fields as in the header, got " + fields.size());
            }
            String[] row = new String[fields.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = fields.get(i).strip();
                if (row[i].isEmpty() && !drop.contains(header.get(i))) {
                    throw new InvalidDataException(source, lineNo, "missing value in column '" + header.get(i) + "'");
                }
            }
            rows.add(row);
            lines.add(lineNo);
        }
        if (rows.isEmpty()) throw new InvalidDataException(source, "no data rows after the header");

        // The categories of each one-hot column, sorted, so the encoding does not depend on row order.
        Map<Integer, List<String>> categories = new TreeMap<>();
        for (int c = 0; c < header.size(); c++) {
            if (!oneHot.contains(header.get(c))) continue;
            Set<String> values = new TreeSet<>();
            for (String[] row : rows) values.add(row[c]);
            categories.put(c, List.copyOf(values));
        }
        List<String> featureNames = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (c == labelCol || drop.contains(header.get(c))) continue;
            if (categories.containsKey(c)) {
                for (String v : categories.get(c)) featureNames.add(header.get(c) + "=" + v);
            } else {
                featureNames.add(header.get(c));
            }
        }

        int n = rows.size(), f = featureNames.size();
        float[] x = new float[n * f];
        for (int r = 0; r < n; r++) {
            String[] row = rows.get(r);
            int k = r * f;
            for (int c = 0; c < header.size(); c++) {
                if (c == labelCol || drop.contains(header.get(c))) continue;
                List<String> cats = categories.get(c);
                if (cats != null) {
                    x[k + cats.indexOf(row[c])] = 1;
                    k += cats.size();
                } else {
                    x[k++] = (float) number(row[c], source, lines.get(r), header.get(c));
                }
            }
        }
        Tensor features = Tensor.of(x, n, f);

        if (regression) {
            float[] y = new float[n];
            for (int r = 0; r < n; r++) y[r] = (float) number(rows.get(r)[labelCol], source, lines.get(r), label);
            return new Table(new TensorDataset(features, Tensor.of(y, n)), List.copyOf(featureNames), List.of());
        }
        long[] y = new long[n];
        List<String> classes = classNames(rows, labelCol);
        if (classes == null) {
            // Integer labels 0..K-1 are already class indices; keep them so "3" stays class 3.
            long max = 0;
            for (int r = 0; r < n; r++) {
                y[r] = Long.parseLong(rows.get(r)[labelCol]);
                max = Math.max(max, y[r]);
            }
            List<String> names = new ArrayList<>();
            for (long i = 0; i <= max; i++) names.add(Long.toString(i));
            classes = names;
        } else {
            for (int r = 0; r < n; r++) y[r] = classes.indexOf(rows.get(r)[labelCol]);
        }
        return new Table(new TensorDataset(features, Tensor.of(y, n)), List.copyOf(featureNames), List.copyOf(classes));
    }

    /** Sorted distinct labels, or null when they are all non-negative integers (used as indices). */
    private static List<String> classNames(List<String[]> rows, int labelCol) {
        boolean integers = true;
        Set<String> values = new TreeSet<>();
        for (String[] row : rows) {
            String v = row[labelCol];
            values.add(v);
            if (integers && !v.matches("\\d{1,9}")) integers = false;
        }
        return integers ? null : List.copyOf(values);
    }

    private static double number(String s, String source, long line, String column) throws InvalidDataException {
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new BadValueException(source, line, column, s, BadValueException.Kind.TEXT);
        }
        if (!Double.isFinite(v)) throw new BadValueException(source, line, column, s, BadValueException.Kind.NOT_FINITE);
        // Features are float32: a larger value would be read as Infinity and turn every loss into NaN.
        if (Math.abs(v) > Float.MAX_VALUE) throw new BadValueException(source, line, column, s, BadValueException.Kind.OUT_OF_RANGE);
        return v;
    }

    /**
     * A cell of a numeric column that cannot be a float32 number. It carries the column, the cell and
     * the {@link Kind}, so a caller with other means than {@link #oneHot}/{@link #drop} (the {@code jgrad}
     * command line has flags) can say what to do in its own terms.
     */
    public static final class BadValueException extends InvalidDataException {
        private static final long serialVersionUID = 1L;

        /** Why the cell is unusable. */
        public enum Kind {
            /** Not a number at all, e.g. a category name. */
            TEXT,
            /** NaN or Infinity. */
            NOT_FINITE,
            /** A number beyond float32's range (about ±3.4e38). */
            OUT_OF_RANGE
        }

        private final String column;
        private final String value;
        private final Kind kind;

        BadValueException(String source, long line, String column, String value, Kind kind) {
            super(source, line, problem(column, value, kind) + switch (kind) {
                case TEXT -> ": one-hot encode it with oneHot(\"" + column + "\"), or leave it out with drop(\"" + column + "\")";
                case NOT_FINITE -> ": fix the cell, or leave the column out with drop(\"" + column + "\")";
                case OUT_OF_RANGE -> ": rescale the column, or leave it out with drop(\"" + column + "\")";
            });
            this.column = column;
            this.value = value;
            this.kind = kind;
        }

        /** What is wrong, without a remedy: "column 'species' holds text ('setosa')". */
        public static String problem(String column, String value, Kind kind) {
            return switch (kind) {
                case TEXT -> "column '" + column + "' holds text ('" + value + "')";
                case NOT_FINITE -> "column '" + column + "' holds '" + value + "', not a finite number";
                case OUT_OF_RANGE -> "column '" + column + "' holds " + value + ", beyond float32's range (about ±3.4e38)";
            };
        }

        public String column() {
            return column;
        }

        public String value() {
            return value;
        }

        public Kind kind() {
            return kind;
        }
    }

    /** Splits one line into fields, honouring double quotes ("" inside quotes is a quote). */
    private List<String> split(String line, String source, long lineNo) throws InvalidDataException {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"' && field.toString().isBlank()) {
                quoted = true;
                field.setLength(0);
            } else if (ch == separator) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) throw new InvalidDataException(source, lineNo, "unclosed quote");
        out.add(field.toString());
        return out;
    }

    private static List<String> concat(Set<String> a, Set<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
