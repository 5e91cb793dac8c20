package org.jgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The derivative table in docs/autograd.md and the code agree: every op name a record site gives has
 * a row naming the file of that site, every row names an op some record site of its file records, the
 * "fast" column matches the sites recorded with a fast derivative, and the composites listed below the
 * table are methods that record no node under their own name.
 *
 * <p>Most record sites pass the op name as a string literal, which the test reads from the source.
 * The others pass it through a variable; {@link #COMPUTED} lists them per file with the names they
 * record, so a new such site (or a changed count) fails here until it is listed and documented.
 */
class DerivativeTableTest {

    private static final Path DOC = Path.of("../docs/autograd.md");
    private static final Path SRC = Path.of("src/main/java/org/jgrad");

    /** A row of the table: the op name and the file (relative to org/jgrad) of its derivative. */
    record Row(String op, String file, boolean fast, int line) {}

    /** A call of a record method: its file, its first argument as written, and whether it has a fast form. */
    record Site(String file, String nameArgument, boolean fast) {
        boolean literal() {
            return LITERAL.matcher(nameArgument).matches();
        }

        String literalName() {
            return nameArgument.substring(1, nameArgument.length() - 1);
        }
    }

    /**
     * The record sites of one file whose op name is computed: how many there are, the names they can
     * record, which of those have a fast derivative, and the other files where the names are written.
     */
    record Computed(int sites, Set<String> names, Set<String> fastNames, List<String> nameSources) {}

    private static final Pattern LITERAL = Pattern.compile("\"[^\"\\\\]*\"");
    private static final Pattern SITE = Pattern.compile(
            "\\b(record|recordWithFastPath|recordView|recordLinear)\\(\\s*([^,()]+(?:\\([^()]*\\)[^,()]*)*)\\s*,");

    /** The record sites with a computed op name, per file; the names are resolved from the sources where cheap. */
    private static Map<String, Computed> computed() {
        Map<String, Computed> m = new TreeMap<>();
        // Elementwise.affine(name, …): the scalar forms add(double) … neg(), named in Tensor.java; and
        // extremum(name, …): maximum and minimum.
        Set<String> elementwise = new TreeSet<>(matches(read("Tensor.java"), "Elementwise\\.affine\\(\"(\\w+)\""));
        elementwise.addAll(matches(read("Elementwise.java"), "extremum\\(\"(\\w+)\""));
        m.put("Elementwise.java", new Computed(2, elementwise, Set.of(), List.of("Tensor.java")));
        // variance(op, …) records std (var is a composite); recordExtreme(op, …) records max, min and
        // the ∞-norms as norm.
        m.put("Reductions.java", new Computed(2, Set.of("std", "max", "min", "norm"), Set.of(), List.of()));
        // backwardInput(op, …): conv2d's input gradient, and Conv.convTranspose2d under its own name.
        m.put("Convolution.java", new Computed(1, Set.of("conv2dBackwardInput", "convTranspose2d"), Set.of(),
                List.of("Conv.java")));
        // recordLinear(op, op + "Backward", …) in maxPool2d and windows (avg, adaptive avg, upsample),
        // passed on by recordLinear and applyLinear: each map (String op = "…") and its adjoint.
        Set<String> pooling = new TreeSet<>();
        for (String op : matches(read("Pooling.java"), "String op = \"(\\w+)\";")) {
            pooling.add(op);
            pooling.add(op + "Backward");
        }
        m.put("Pooling.java", new Computed(4, pooling, Set.of(), List.of()));
        // crossEntropy and linear / linear+relu, both with a fast derivative.
        Set<String> fused = Set.of("crossEntropy", "linear", "linear+relu");
        m.put("Fused.java", new Computed(2, fused, fused, List.of()));
        // recordView(op, …) passes its literal on to Tensor.record(op, …).
        m.put("Views.java", new Computed(1, Set.of(), Set.of(), List.of()));
        // to(dtype): "to(" + dtype + ")", recorded only for a floating target; and the bodies of the
        // three overloads (record, record with a forward-mode rule, recordWithFastPath without one),
        // which pass op on to the full recordWithFastPath.
        Set<String> to = Arrays.stream(DType.values()).filter(DType::isFloatingPoint)
                .map(d -> "to(" + d + ")").collect(Collectors.toCollection(TreeSet::new));
        m.put("Tensor.java", new Computed(4, to, Set.of(), List.of()));
        // Function.apply records name() of its subclass: see functionNames().
        m.put("Function.java", new Computed(1, Set.of(), Set.of(), List.of()));
        return m;
    }

    @Test
    void everyLiteralRecordSiteHasARowNamingItsFile() {
        Set<String> rows = rowKeys(rows());
        List<String> missing = new ArrayList<>();
        for (Site s : sites()) {
            if (s.literal() && !rows.contains(key(s.literalName(), s.file()))) missing.add(s.literalName() + " (" + s.file() + ")");
        }
        assertEquals(List.of(), missing, "record sites without a row in the derivative table of " + DOC);
    }

    @Test
    void recordSitesWithAComputedNameAreAccountedFor() {
        Map<String, Computed> computed = computed();
        Map<String, Integer> found = new TreeMap<>();
        for (Site s : sites()) if (!s.literal()) found.merge(s.file(), 1, Integer::sum);
        Map<String, Integer> expected = new TreeMap<>();
        computed.forEach((file, c) -> expected.put(file, c.sites()));
        assertEquals(expected, found, "record sites whose op name is not a string literal, per file: list a new one"
                + " in computed() with the names it records, and give each a row in " + DOC);
        Set<String> rows = rowKeys(rows());
        List<String> missing = new ArrayList<>();
        computed.forEach((file, c) -> {
            for (String op : c.names()) if (!rows.contains(key(op, file))) missing.add(op + " (" + file + ")");
        });
        functionNames().forEach((op, file) -> {
            if (!rows.contains(key(op, file))) missing.add(op + " (" + file + ", a Function)");
        });
        assertEquals(List.of(), missing, "ops recorded under a computed name without a row in " + DOC);
        assertFalse(computed.get("Pooling.java").names().isEmpty(), "no pooling op names found in Pooling.java");
        assertFalse(computed.get("Elementwise.java").names().isEmpty(), "no scalar op names found in Tensor.java");
    }

    @Test
    void everyRowNamesAnOpItsFileRecords() {
        Map<String, Computed> computed = computed();
        Map<String, String> functions = functionNames();
        Set<String> literalSites = new LinkedHashSet<>();
        for (Site s : sites()) if (s.literal()) literalSites.add(key(s.literalName(), s.file()));
        List<String> wrong = new ArrayList<>();
        for (Row r : rows()) {
            if (!Files.isRegularFile(SRC.resolve(r.file()))) {
                wrong.add("line " + r.line() + ": " + r.file() + " does not exist under " + SRC);
                continue;
            }
            Computed c = computed.get(r.file());
            boolean recorded = literalSites.contains(key(r.op(), r.file()))
                    || (c != null && c.names().contains(r.op()))
                    || r.file().equals(functions.get(r.op()));
            if (!recorded) {
                wrong.add("line " + r.line() + ": no record site in " + r.file() + " records " + r.op());
            } else if (!writtenIn(r.op(), r.file(), c)) {
                wrong.add("line " + r.line() + ": " + r.op() + " is not a string literal in " + r.file()
                        + (c == null || c.nameSources().isEmpty() ? "" : " or " + c.nameSources()));
            }
        }
        assertEquals(List.of(), wrong, "rows of the derivative table in " + DOC + " that the code does not back");
    }

    @Test
    void theFastColumnMatchesTheSitesWithAFastDerivative() {
        Set<String> inCode = new TreeSet<>();
        for (Site s : sites()) if (s.fast() && s.literal()) inCode.add(key(s.literalName(), s.file()));
        computed().forEach((file, c) -> c.fastNames().forEach(op -> inCode.add(key(op, file))));
        Set<String> inDoc = new TreeSet<>();
        for (Row r : rows()) if (r.fast()) inDoc.add(key(r.op(), r.file()));
        assertEquals(inCode, inDoc, "ops with a fast derivative (recordWithFastPath) vs rows marked fast in " + DOC);
    }

    @Test
    void compositesRecordNoNodeOfTheirOwn() {
        List<String> composites = composites();
        assertTrue(composites.size() >= 5, "the composites list in " + DOC + " is missing or nearly empty: " + composites);
        Set<String> recorded = new TreeSet<>();
        for (Row r : rows()) recorded.add(r.op());
        for (Site s : sites()) if (s.literal()) recorded.add(s.literalName());
        computed().values().forEach(c -> recorded.addAll(c.names()));
        recorded.addAll(functionNames().keySet());
        String api = read("Tensor.java") + read("Conv.java");
        List<String> wrong = new ArrayList<>();
        for (String op : composites) {
            if (recorded.contains(op)) wrong.add(op + " is recorded under its own name");
            if (!Pattern.compile("public (static )?[\\w.<>]+ " + Pattern.quote(op) + "\\(").matcher(api).find()) {
                wrong.add(op + " is not a public method of Tensor or Conv");
            }
        }
        assertEquals(List.of(), wrong, "composites listed in " + DOC);
    }

    @Test
    void theTableIsParsedAsExpected() {
        List<Row> rows = rows();
        assertTrue(rows.size() > 60, "only " + rows.size() + " rows parsed from " + DOC);
        assertTrue(rows.stream().anyMatch(r -> r.op().equals("exp") && r.file().equals("Elementwise.java") && !r.fast()));
        assertTrue(rows.stream().anyMatch(r -> r.op().equals("relu") && r.fast()));
    }

    // ------------------------------------------------------------ the sources

    private static String read(String file) {
        try {
            return Files.readString(SRC.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> javaFiles() {
        try (Stream<Path> files = Files.walk(SRC)) {
            return files.filter(p -> p.toString().endsWith(".java")).map(p -> SRC.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The source without comments (block comments, and line comments outside string literals). */
    private static String code(String file) {
        String s = read(file).replaceAll("(?s)/\\*.*?\\*/", "");
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            boolean inString = false;
            int cut = line.length();
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (ch == '\\' && inString) i++;
                else if (ch == '"') inString = !inString;
                else if (!inString && ch == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                    cut = i;
                    break;
                }
            }
            out.append(line, 0, cut).append('\n');
        }
        return out.toString();
    }

    /** Every call of record, recordWithFastPath, recordView or recordLinear (not their declarations). */
    private static List<Site> sites() {
        List<Site> sites = new ArrayList<>();
        for (String file : javaFiles()) {
            Matcher m = SITE.matcher(code(file));
            while (m.find()) {
                String arg = m.group(2).trim();
                if (arg.startsWith("String ")) continue; // a declaration
                sites.add(new Site(file, arg, m.group(1).equals("recordWithFastPath")));
            }
        }
        assertTrue(sites.size() > 50, "only " + sites.size() + " record sites found under " + SRC);
        return sites;
    }

    /** The op names of the Function subclasses in the library (name(), else the class name), with their files. */
    private static Map<String, String> functionNames() {
        Map<String, String> names = new TreeMap<>();
        Pattern subclass = Pattern.compile("class (\\w+) extends Function\\b");
        Pattern named = Pattern.compile("String name\\(\\)\\s*\\{\\s*return \"([^\"]+)\";");
        for (String file : javaFiles()) {
            String code = code(file);
            Matcher m = subclass.matcher(code);
            while (m.find()) {
                int next = code.indexOf(" class ", m.end());
                Matcher n = named.matcher(code.substring(m.end(), next < 0 ? code.length() : next));
                names.put(n.find() ? n.group(1) : m.group(1), file);
            }
        }
        return names;
    }

    private static boolean writtenIn(String op, String file, Computed c) {
        List<String> files = new ArrayList<>(List.of(file));
        if (c != null) files.addAll(c.nameSources());
        for (String f : files) if (read(f).contains("\"" + op + "\"")) return true;
        // The documented rules for composed names.
        String source = read(file);
        if (op.endsWith("Backward") && source.contains("op + \"Backward\"")) {
            String base = op.substring(0, op.length() - "Backward".length());
            return source.contains("\"" + base + "\"");
        }
        Matcher to = Pattern.compile("to\\((\\w+)\\)").matcher(op);
        if (to.matches() && source.contains("\"to(\" + dtype + \")\"")) {
            return Arrays.stream(DType.values()).anyMatch(d -> d.toString().equals(to.group(1)));
        }
        return false;
    }

    private static List<String> matches(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    // ------------------------------------------------------------ the document

    private static List<String> docLines() {
        try {
            return Files.readAllLines(DOC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern UNESCAPED_PIPE = Pattern.compile("(?<!\\\\)\\|");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** The rows of the table whose header has the columns op, fast and file. */
    static List<Row> rows() {
        List<String> lines = docLines();
        List<Row> rows = new ArrayList<>();
        int tables = 0;
        for (int i = 0; i < lines.size(); i++) {
            List<String> header = cells(lines.get(i));
            if (!lines.get(i).startsWith("|") || !header.contains("op") || !header.contains("file") || !header.contains("fast")) continue;
            tables++;
            int op = header.indexOf("op"), fast = header.indexOf("fast"), file = header.indexOf("file");
            for (int j = i + 2; j < lines.size() && lines.get(j).startsWith("|"); j++) {
                List<String> c = cells(lines.get(j));
                if (c.size() != header.size()) fail(DOC + " line " + (j + 1) + " has " + c.size() + " cells, the header " + header.size());
                rows.add(new Row(quoted(c.get(op), j), quoted(c.get(file), j), c.get(fast).startsWith("yes"), j + 1));
            }
        }
        assertEquals(1, tables, "expected one derivative table (columns op, fast, file) in " + DOC);
        return rows;
    }

    private static List<String> cells(String line) {
        String t = line.trim();
        if (t.startsWith("|")) t = t.substring(1);
        if (t.endsWith("|")) t = t.substring(0, t.length() - 1);
        return Arrays.stream(UNESCAPED_PIPE.split(t, -1)).map(String::trim).toList();
    }

    private static String quoted(String cell, int line) {
        Matcher m = CODE.matcher(cell);
        if (!m.find()) fail(DOC + " line " + (line + 1) + ": expected a `name` in the cell \"" + cell + "\"");
        return m.group(1);
    }

    /** The names in the bullet list under "### Composites". */
    static List<String> composites() {
        List<String> lines = docLines();
        int start = lines.indexOf("### Composites");
        assertTrue(start >= 0, DOC + " has no \"### Composites\" section");
        List<String> names = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            Matcher m = Pattern.compile("^- `(\\w+)`").matcher(lines.get(i));
            if (m.find()) names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> rowKeys(List<Row> rows) {
        Set<String> keys = new TreeSet<>();
        for (Row r : rows) keys.add(key(r.op(), r.file()));
        return keys;
    }

    private static String key(String op, String file) {
        return op + " @ " + file;
    }
}
