package org.jgrad;

import java.util.Arrays;
import java.util.Objects;

/**
 * Forward-mode automatic differentiation with dual numbers, PyTorch's {@code torch.autograd.forward_ad}.
 *
 * <p>Inside a {@link #dualLevel()} scope a tensor can carry a <em>tangent</em> ẋ of its own shape:
 * {@link #makeDual(Tensor, Tensor)} pairs a primal x with ẋ, as the dual number x + ẋε with ε² = 0.
 * Every op that receives an input with a tangent computes, at the moment it runs, the tangent of its
 * output with its forward-mode rule (its JVP): for {@code sin}, ẏ = cos(x)·ẋ; for {@code mul},
 * ẏ = ȧ·b + a·ḃ. The rule sits at the op's record site, next to its reverse-mode derivative
 * ({@code Tensor.record(op, out, inputs, saved, derivative, tangentRule)}). After the function has
 * run, {@link #tangent(Tensor)} of its result is J·ẋ: one pass, whatever the number of outputs.
 *
 * <pre>{@code
 * try (var level = ForwardAD.dualLevel()) {
 *     Tensor y = f.apply(ForwardAD.makeDual(x, v));
 *     Tensor jv = ForwardAD.tangent(y);          // J·v
 * }
 * }</pre>
 *
 * <p>An op without a forward-mode rule refuses a tangent with an IllegalStateException naming the op,
 * never silently dropping it. Ops that are not differentiable (comparisons, argmax, indices) return
 * results without a tangent, and {@link Tensor#detach()} drops it, as a constant. Levels are per thread;
 * a tangent belongs to the level that made it and is invisible outside (after close, or in a nested
 * level). {@link Autograd#jvp} is the one-call form.
 */
public final class ForwardAD {
    private ForwardAD() {}

    /** An op's forward-mode rule: the tangents of its inputs in (zeros where an input has none), its output's out. */
    @FunctionalInterface
    interface Rule {
        Tensor apply(Tensor[] tangents);
    }

    private static final class State {
        long level; // 0: no dual level is active
        long lastLevel;
        boolean inRule; // a rule's own ops compute tangents only, never tangents of tangents
    }

    /** A tensor's tangent in one dual level: one field on Tensor, null for nearly every tensor. */
    record Tangent(Tensor value, long level) {}

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);
    /** Dual levels open on any thread: while there are none, ops skip forward mode after one read. */
    private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

    /** Opens a dual level on this thread until the scope closes; nested levels hide the outer level's tangents. */
    public static Autograd.Scope dualLevel() {
        State s = STATE.get();
        long previous = s.level;
        s.level = ++s.lastLevel;
        OPEN.incrementAndGet();
        boolean[] closed = {false};
        return () -> {
            if (closed[0]) return;
            closed[0] = true;
            s.level = previous;
            OPEN.decrementAndGet();
        };
    }

    /** Whether a dual level is open on this thread. */
    public static boolean isActive() {
        return STATE.get().level != 0;
    }

    /**
     * A view of {@code primal} (same values and storage, cut from the reverse-mode graph like
     * {@link Tensor#detach()}) carrying {@code tangent} in the current dual level. The tangent must
     * have the primal's shape; it is converted to the primal's floating-point dtype.
     */
    public static Tensor makeDual(Tensor primal, Tensor tangent) {
        Objects.requireNonNull(primal, "makeDual: primal");
        Objects.requireNonNull(tangent, "makeDual: tangent");
        State s = STATE.get();
        if (s.level == 0) {
            throw new IllegalStateException("makeDual: no dual level is open; use try (var level = ForwardAD.dualLevel()) { ... }");
        }
        if (!primal.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("makeDual: the primal must be floating point, got " + primal.dtype());
        }
        if (!Arrays.equals(primal.shape, tangent.shape)) {
            throw new IllegalArgumentException("makeDual: the tangent has shape " + Shapes.str(tangent.shape)
                    + " but the primal has shape " + Shapes.str(primal.shape) + "; expected the same shape");
        }
        Tensor dual = primal.detach();
        dual.tangent = new Tangent(tangent.to(primal.dtype()), s.level);
        return dual;
    }

    /** The tangent {@code t} carries in the current dual level, or null if it carries none. */
    public static Tensor tangent(Tensor t) {
        State s = STATE.get();
        return live(t, s);
    }

    private static Tensor live(Tensor t, State s) {
        return t != null && t.tangent != null && t.tangent.level() == s.level && s.level != 0 ? t.tangent.value() : null;
    }

    /**
     * Called by every record site as its op runs: if an input carries a tangent, gives {@code out} the
     * tangent computed by {@code rule}, or throws if the op has none.
     */
    static void propagate(String op, Tensor out, Tensor[] inputs, Rule rule) {
        if (OPEN.get() == 0) return;
        State s = STATE.get();
        if (s.level == 0 || s.inRule) return;
        Tensor[] tangents = null;
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = live(inputs[i], s);
            if (t == null) continue;
            if (tangents == null) tangents = new Tensor[inputs.length];
            tangents[i] = t;
        }
        if (tangents == null) return;
        if (rule == null) {
            throw new IllegalStateException("jvp: op " + op + " has no forward-mode rule, and a tangent reached it"
                    + " (an input of shape " + firstTangentShape(inputs, tangents) + "); differentiate it in reverse mode"
                    + " (Autograd.vjp, Autograd.jacobian) instead");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (tangents[i] == null && inputs[i] != null) {
                tangents[i] = Tensor.zeros(inputs[i].dtype(), inputs[i].shape);
            }
        }
        Tensor t;
        s.inRule = true;
        try {
            t = rule.apply(tangents);
        } finally {
            s.inRule = false;
        }
        if (!Arrays.equals(t.shape, out.shape)) {
            try {
                t = t.expand(out.shape); // a rule whose inputs were all broadcast along some dimension
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(op + ": its forward-mode rule gave a tangent of shape "
                        + Shapes.str(t.shape) + " for an output of shape " + Shapes.str(out.shape), e);
            }
        }
        if (t.dtype() != out.dtype() && out.dtype().isFloatingPoint()) t = t.to(out.dtype());
        out.tangent = new Tangent(t, s.level);
    }

    /**
     * In-place ops have no forward-mode rule: the tangent of the changed tensor would silently stay
     * the old one (or, for a tangent-carrying operand, never arrive), so they refuse tangents.
     */
    static void refuseInPlace(String op, Tensor self, Tensor other) {
        if (OPEN.get() == 0) return;
        State s = STATE.get();
        if (live(self, s) != null || live(other, s) != null) {
            throw new IllegalStateException("jvp: " + op + " changes a tensor in place, and forward mode cannot follow"
                    + " in-place changes (" + (live(self, s) != null ? "this tensor" : "the operand") + ", of shape "
                    + Shapes.str(live(self, s) != null ? self.shape : other.shape)
                    + ", carries a tangent); use the out-of-place op");
        }
    }

    private static String firstTangentShape(Tensor[] inputs, Tensor[] tangents) {
        for (int i = 0; i < inputs.length; i++) if (tangents[i] != null) return Shapes.str(inputs[i].shape);
        return "?";
    }
}
