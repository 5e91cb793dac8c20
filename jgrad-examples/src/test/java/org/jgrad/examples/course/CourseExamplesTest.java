package org.jgrad.examples.course;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every demonstration of the course runs in-process and its claim holds; seeded runs repeat exactly. */
class CourseExamplesTest {

    static Stream<String> names() {
        return CourseExamples.all().stream().map(CourseExample::name);
    }

    private record Outcome(CourseExample.Verdict verdict, String printed) {}

    private static Outcome run(String name) {
        CourseExample e = CourseExamples.find(name).orElseThrow(() -> new AssertionError("no example " + name));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CourseExample.Verdict v;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            v = e.run(out);
        }
        return new Outcome(v, bytes.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void theClaimHolds(String name) {
        Outcome o = run(name);
        assertTrue(o.verdict().holds(), () -> name + ": " + o.verdict().reason() + "\n" + o.printed());
        assertTrue(o.printed().lines().count() >= 3, () -> name + " should print what it shows:\n" + o.printed());
    }

    @Test
    void theCourseHasTheLecturesDemonstrations() {
        assertEquals(Set.of("exploding-gradients", "symmetry", "step-size", "curve-fitting", "manual-backprop",
                "universal-approximation"), new HashSet<>(names().toList()));
    }

    @Test
    void namesAndDescriptionsFitTheListingFormat() {
        Set<String> seen = new HashSet<>();
        for (CourseExample e : CourseExamples.all()) {
            assertTrue(e.name().matches("[a-z0-9]+(-[a-z0-9]+)*"), e.name());
            assertTrue(seen.add(e.name()), "two examples are called " + e.name());
            String d = e.description();
            assertTrue(!d.isBlank() && d.equals(d.strip()) && !d.contains("\n"), e.name() + ": '" + d + "'");
            assertSame(e.getClass(), CourseExamples.find(e.name()).orElseThrow().getClass());
        }
        assertTrue(CourseExamples.find("no-such-example").isEmpty());
    }

    @Test
    void seededRunsRepeatExactly() {
        for (String name : List.of("manual-backprop", "symmetry", "exploding-gradients")) {
            assertEquals(run(name).printed(), run(name).printed(), name);
        }
    }

    @Test
    void aVerdictKeepsTheFirstFailure() {
        var first = CourseExample.Verdict.fails("first");
        assertEquals(first, CourseExample.Verdict.HOLDS.and(first).and(CourseExample.Verdict.fails("second")));
        assertTrue(CourseExample.Verdict.HOLDS.and(CourseExample.Verdict.HOLDS).holds());
        assertThrows(IllegalArgumentException.class, () -> CourseExample.Verdict.fails("two\nlines"));
    }

    @Test
    void stepSizeDivergesJustAboveTwoOverLAndConvergesJustBelow() {
        PrintStream silent = new PrintStream(PrintStream.nullOutputStream());
        assertTrue(StepSize.descend(0.99 * 2 / StepSize.L, silent) < 1, "0.99·2/L should converge");
        assertTrue(StepSize.descend(1.01 * 2 / StepSize.L, silent) > 1, "1.01·2/L should diverge");
    }

    @Test
    void theHandWrittenBackwardPassMatchesAWorkedExample() {
        // One layer, one sample: z = w·x + b, L = (z − y)²; dL/dw = 2·(z − y)·x.
        var g = ManualBackprop.backward(new double[][][] {{{2}}}, new double[][] {{1}}, new double[][] {{3}}, new double[][] {{4}});
        assertEquals(9, g.loss(), 0);
        assertEquals(2 * 3 * 3, g.dW()[0][0][0], 0);
        assertEquals(2 * 3, g.db()[0][0], 0);
    }
}
