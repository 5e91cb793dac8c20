package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jgrad.examples.course.CourseExample;
import org.jgrad.examples.course.CourseExamples;
import org.junit.jupiter.api.Test;

/** jgrad example: the listing format (parsed outside this repository), running one, and the exit statuses. */
class ExampleCommandTest {
    /** Two spaces, the name, one space, the description. */
    private static final String LINE = "  [a-z0-9]+(-[a-z0-9]+)* \\S.*";

    @Test
    void withoutANameListsOneLinePerExample() {
        CliRunner r = CliRunner.run("example");
        assertEquals(0, r.status(), r::toString);
        assertEquals("", r.err(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(CourseExamples.all().size(), lines.size(), r::toString);
        for (int i = 0; i < lines.size(); i++) {
            CourseExample e = CourseExamples.all().get(i);
            assertTrue(lines.get(i).matches(LINE), "line " + i + ": '" + lines.get(i) + "'");
            assertEquals("  " + e.name() + " " + e.description(), lines.get(i));
        }
    }

    @Test
    void runsAnExampleAndExitsZeroWhenItsClaimHolds() {
        CliRunner r = CliRunner.run("example", "step-size");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("2/L = 0.20"), r::toString);
    }

    @Test
    void anUnknownNameIsAUsageErrorWithTheList() {
        CliRunner r = CliRunner.run("example", "backprop");
        assertEquals(2, r.status(), r::toString);
        assertEquals("jgrad: unknown example 'backprop'", r.err().lines().findFirst().orElse(""), r::toString);
        for (CourseExample e : CourseExamples.all()) {
            assertTrue(r.err().lines().anyMatch(l -> l.equals("  " + e.name() + " " + e.description())), e.name() + "\n" + r);
        }
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void extraArgumentsAndOptionsAreUsageErrors() {
        CliRunner two = CliRunner.run("example", "step-size", "symmetry");
        assertEquals(2, two.status(), two::toString);
        assertEquals("jgrad: unexpected argument 'symmetry'", two.err().lines().findFirst().orElse(""));
        CliRunner option = CliRunner.run("example", "--fast");
        assertEquals(2, option.status(), option::toString);
        assertEquals("jgrad: unknown option --fast", option.err().lines().findFirst().orElse(""));
    }

    @Test
    void helpShowsTheUsageAndTheList() {
        CliRunner r = CliRunner.run("example", "--help");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().startsWith("usage: jgrad example [NAME]"), r::toString);
        assertTrue(r.out().contains("\n  manual-backprop "), r::toString);
        assertTrue(CliRunner.run("help").out().contains("jgrad example [NAME]"));
    }

    @Test
    void aClaimThatDoesNotHoldExitsOneWithOneLine() throws UsageException {
        CourseExample broken = new CourseExample() {
            public String name() { return "broken"; }
            public String description() { return "always fails"; }
            public Verdict run(PrintStream out) {
                out.println("showing something");
                return Verdict.fails("the loss rose to 3.5");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = new ExampleCommand(o, e, List.of(broken)).run(List.of("broken"));
        }
        assertEquals(1, status);
        assertEquals("showing something\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("jgrad: example broken: the claim does not hold: the loss rose to 3.5\n", err.toString(StandardCharsets.UTF_8));
    }
}
