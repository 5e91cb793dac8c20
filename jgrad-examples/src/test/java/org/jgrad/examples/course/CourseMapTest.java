package org.jgrad.examples.course;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/course.md claims only what exists: every path it names is in the repository, every method it
 * names (a test, or an API method such as noGrad) is in a file named in the same cell, every {@code ./jgrad example NAME} is an example and every
 * {@code ./jgrad COMMAND} a command of the launcher. The working directory is jgrad-examples.
 */
class CourseMapTest {
    private static final Path ROOT = Path.of("..");
    private static final Map<String, String> PREFIXES = Map.of(
            "core/", "jgrad-core/src/main/java/org/jgrad/",
            "tests/", "jgrad-core/src/test/java/org/jgrad/",
            "examples/", "jgrad-examples/src/main/java/org/jgrad/examples/",
            "examples-tests/", "jgrad-examples/src/test/java/org/jgrad/examples/");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private static String map() throws IOException {
        return Files.readString(ROOT.resolve("docs/course.md"));
    }

    private static Path resolve(String shortPath) {
        for (var e : PREFIXES.entrySet()) {
            if (shortPath.startsWith(e.getKey())) return ROOT.resolve(e.getValue() + shortPath.substring(e.getKey().length()));
        }
        return null;
    }

    @Test
    void everyPathAndTestMethodExists() throws IOException {
        int paths = 0;
        for (String line : map().lines().filter(l -> l.startsWith("|")).toList()) {
            for (String cell : line.split("(?<!\\\\)\\|")) {
                List<Path> files = new ArrayList<>();
                List<String> methods = new ArrayList<>();
                Matcher m = CODE.matcher(cell);
                while (m.find()) {
                    String code = m.group(1);
                    Path p = resolve(code);
                    if (p != null) {
                        assertTrue(Files.exists(p), "docs/course.md names " + code + ", but " + p + " does not exist");
                        if (Files.isRegularFile(p)) files.add(p);
                        paths++;
                    } else if (code.matches("[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*")) {
                        methods.add(code);
                    }
                }
                for (String method : methods) {
                    boolean found = false;
                    for (Path f : files) found |= Files.readString(f).contains(" " + method + "(");
                    if (!files.isEmpty()) assertTrue(found, "docs/course.md names the method " + method + ", not in " + files);
                }
            }
        }
        assertTrue(paths > 40, "only " + paths + " paths found: has the format of docs/course.md changed?");
    }

    @Test
    void everyCommandExistsAndEveryExampleIsListed() throws IOException {
        String text = map();
        Set<String> named = new LinkedHashSet<>();
        Matcher example = Pattern.compile("`\\./jgrad example ([a-z0-9-]+)`").matcher(text);
        while (example.find()) named.add(example.group(1));
        for (String name : named) assertTrue(CourseExamples.find(name).isPresent(), "docs/course.md runs an unknown example " + name);

        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|").matcher(text);
        Set<String> rows = new LinkedHashSet<>();
        while (row.find()) rows.add(row.group(1));
        assertEquals(CourseExamples.all().stream().map(CourseExample::name).toList(), List.copyOf(rows),
                "the table of demonstrations lists every example, in order");

        String launcher = Files.readString(ROOT.resolve("jgrad"));
        Matcher cases = Pattern.compile("(?m)^  ([a-z|]+)\\) ;;").matcher(launcher);
        Set<String> commands = new LinkedHashSet<>();
        while (cases.find()) commands.addAll(List.of(cases.group(1).split("\\|")));
        assertTrue(commands.contains("example"), "the launcher must route example to the CLI: " + commands);
        Matcher command = Pattern.compile("`\\./jgrad ([a-z]+)").matcher(text);
        while (command.find()) {
            assertTrue(commands.contains(command.group(1)), "docs/course.md runs ./jgrad " + command.group(1) + ", not a command of " + commands);
        }
    }

    @Test
    void theReadmeLinksTheMap() throws IOException {
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("(docs/course.md)"));
    }
}
