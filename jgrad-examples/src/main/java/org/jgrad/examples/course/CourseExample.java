package org.jgrad.examples.course;

import java.io.PrintStream;

/**
 * A demonstration from the lectures: a small seeded program that prints what it shows and checks its
 * claim. {@code ./jgrad example NAME} runs one and exits 0 when the claim holds, 1 when it does not.
 */
public interface CourseExample {
    /** Lower case letters, digits and hyphens: the name {@code ./jgrad example} takes. */
    String name();

    /** One line saying what the example shows. */
    String description();

    /** Runs the example, printing to {@code out}, and says whether its claim held. */
    Verdict run(PrintStream out);

    /** Whether the claim held and, when it did not, a one-line reason. */
    record Verdict(boolean holds, String reason) {
        public static final Verdict HOLDS = new Verdict(true, "");

        public Verdict {
            if (reason == null || reason.contains("\n")) {
                throw new IllegalArgumentException("Verdict: the reason must be one line, got " + reason);
            }
        }

        public static Verdict fails(String reason) {
            return new Verdict(false, reason);
        }

        /** Collects several checks: the first failed one's reason, else {@link #HOLDS}. */
        public Verdict and(Verdict other) {
            return holds ? other : this;
        }

        static Verdict check(boolean condition, String reasonIfNot) {
            return condition ? HOLDS : fails(reasonIfNot);
        }
    }
}
