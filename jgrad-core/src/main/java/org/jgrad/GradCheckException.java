package org.jgrad;

/** Thrown by {@link GradCheck} when analytic and numerical gradients disagree. */
public final class GradCheckException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GradCheckException(String message) {
        super(message);
    }
}
