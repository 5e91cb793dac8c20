package org.jgrad.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import org.jgrad.examples.course.CourseExample;
import org.jgrad.examples.course.CourseExamples;

/**
 * {@code jgrad example [NAME]}: without a name, one line per demonstration of the course, exactly two
 * spaces, the name, one space and the description (a format parsed outside this repository, so keep
 * it); with a name, runs that demonstration and returns 0 when its claim holds, 1 when it does not (its
 * reason in one line on stderr).
 */
final class ExampleCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final List<CourseExample> examples;

    ExampleCommand(PrintStream out, PrintStream err) {
        this(out, err, CourseExamples.all());
    }

    ExampleCommand(PrintStream out, PrintStream err, List<CourseExample> examples) {
        this.out = out;
        this.err = err;
        this.examples = examples;
    }

    static String usageText() {
        return usageText(CourseExamples.all());
    }

    static String usageText(List<CourseExample> examples) {
        return """
                usage: jgrad example [NAME]
                  without NAME, lists the demonstrations of the course; with NAME, runs it, prints what it
                  shows and exits 0 when its claim holds, 1 (with the reason) when it does not
                examples:
                """ + listing(examples);
    }

    /** Each example as "  NAME DESCRIPTION", one per line. */
    static String listing(List<CourseExample> examples) {
        return examples.stream().map(e -> "  " + e.name() + " " + e.description() + "\n").collect(Collectors.joining());
    }

    int run(List<String> args) throws UsageException {
        List<String> names = args.stream().filter(a -> !a.equals("--debug")).toList();
        for (String a : names) {
            if (a.startsWith("-")) throw new UsageException("unknown option " + a);
        }
        if (names.size() > 1) throw new UsageException("unexpected argument '" + names.get(1) + "'");
        if (names.isEmpty()) {
            out.print(listing(examples));
            return Cli.OK;
        }
        String name = names.getFirst();
        CourseExample example = examples.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("unknown example '" + name + "'"));
        CourseExample.Verdict verdict = example.run(out);
        out.flush();
        if (verdict.holds()) return Cli.OK;
        err.println("jgrad: example " + name + ": the claim does not hold: " + verdict.reason());
        return Cli.FAILED;
    }
}
