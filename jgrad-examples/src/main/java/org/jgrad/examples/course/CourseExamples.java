package org.jgrad.examples.course;

import java.util.List;
import java.util.Optional;

/** The demonstrations of the course, in the order the lectures meet them. */
public final class CourseExamples {
    private CourseExamples() {}

    public static List<CourseExample> all() {
        return List.of(new ManualBackprop(), new StepSize(), new Symmetry(), new ExplodingGradients(),
                new CurveFitting(), new UniversalApproximation());
    }

    public static Optional<CourseExample> find(String name) {
        return all().stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
