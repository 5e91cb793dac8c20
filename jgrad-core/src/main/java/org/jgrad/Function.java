package org.jgrad;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A differentiable block with a hand-written backward, as PyTorch's {@code torch.autograd.Function}.
 * Subclass it, write the forward from the input values and the backward from the gradient of the
 * output, then call {@link #apply(Tensor...)}:
 *
 * <pre>{@code
 * class Mul extends Function {
 *     protected Tensor forward(Context ctx, Tensor... in) {
 *         ctx.saveForBackward(in[0], in[1]);
 *         return in[0].mul(in[1]);
 *     }
 *     protected Tensor[] backward(Context ctx, Tensor dc) {
 *         Tensor a = ctx.savedTensors()[0], b = ctx.savedTensors()[1];
 *         return new Tensor[] {b.mul(dc), a.mul(dc)};
 *     }
 * }
 * Tensor c = new Mul().apply(a, b);
 * }</pre>
 *
 * <p>The forward runs with recording off, so whatever it computes is one node in the graph. The
 * backward runs with recording on exactly when the caller asked for {@code createGraph}: a backward
 * written with tensor ops on the saved inputs is itself differentiable, while one that computes from
 * raw values (or detached tensors) gives correct first derivatives and zero second derivatives.
 * The engine checks that each returned gradient has its input's shape, and that no saved tensor was
 * changed in place between forward and backward.
 *
 * <p>Forward must return a tensor it created or one of its inputs, not one cached elsewhere (a
 * constant field, say): the recorded node is attached to the returned tensor.
 *
 * <p><b>Forward mode.</b> To let a tangent through ({@link ForwardAD}, {@link Autograd#jvp}), also
 * override {@link #jvp(Context, Tensor...)}, as PyTorch's {@code Function.jvp}: the output's tangent
 * from the inputs' tangents. For {@code Mul} above, {@code return t[0].mul(b).add(a.mul(t[1]))} with
 * a and b from {@code ctx.savedTensors()}. Without it, a tangent reaching the op throws
 * "jvp: op Mul has no forward-mode rule; override Function.jvp"; reverse mode is unaffected.
 */
public abstract class Function {

    /**
     * Computes the output from the inputs' values. Save what backward needs with
     * {@link Context#saveForBackward(Tensor...)} (usually inputs; saving them, not copies, is what
     * makes the backward differentiable).
     */
    protected abstract Tensor forward(Context ctx, Tensor... inputs);

    /**
     * The gradients of the inputs given {@code gradOutput}, the gradient of the output: one per
     * input, shaped like it, or null for an input that needs none
     * (see {@link Context#needsInputGrad(int)}).
     */
    protected abstract Tensor[] backward(Context ctx, Tensor gradOutput);

    /**
     * The op's forward-mode rule (its JVP): the tangent of the output, of its shape, given
     * {@code tangents}, one per input and shaped like it. An input that carries no tangent gets a
     * tensor of zeros, as at every other op ({@link ForwardAD}), so the rule can treat all inputs
     * alike. It runs only if some input carries a tangent, once, right after {@link #forward}
     * returns, with the same {@code ctx}: {@link Context#savedTensors()} and the values stored with
     * {@link Context#put} are there (save the inputs, or the output, in forward to use them here).
     * Its own ops run with forward mode paused. Write it with tensor ops on the saved inputs, as a
     * differentiable backward, and the tangent is itself differentiable in reverse mode.
     *
     * <p>The default throws an IllegalStateException naming the op: a Function without a rule
     * refuses a tangent rather than dropping it.
     */
    protected Tensor jvp(Context ctx, Tensor... tangents) {
        throw new IllegalStateException("jvp: op " + name() + " has no forward-mode rule; override Function.jvp"
                + "(Context, Tensor...) in " + getClass().getName() + " to give one, or differentiate it in reverse"
                + " mode (Autograd.vjp, Autograd.jacobian) instead");
    }

    /** The op name shown in errors, {@link Tensor#gradFnName()} and graph exports; the class name by default. */
    protected String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? "Function" : simple;
    }

    /** Runs forward and, if recording is on and some input requires grad, records backward in the graph. */
    public final Tensor apply(Tensor... inputs) {
        String op = name();
        Objects.requireNonNull(inputs, op + ": inputs");
        Tensor[] in = inputs.clone();
        boolean recording = Autograd.isGradEnabled();
        boolean[] needs = new boolean[in.length];
        for (int i = 0; i < in.length; i++) {
            if (in[i] == null) throw new IllegalArgumentException(op + ": input " + i + " is null");
            needs[i] = recording && in[i].requiresGrad();
        }
        Context ctx = new Context(op, needs);
        Tensor out;
        try (Autograd.Scope scope = Autograd.noGrad()) {
            out = forward(ctx, in.clone());
        }
        if (out == null) throw new IllegalStateException(op + ": forward returned null");
        // Recording attaches the node to the returned object. That must not turn an input (a forward
        // may return one unchanged) or a tensor requiring grad into this op's output, so those are
        // wrapped in a fresh view. A new tensor is kept as it is: if forward saved it, backward then
        // reads the output itself, and a second derivative flows through it.
        boolean wrap = out.requiresGrad();
        for (Tensor t : in) wrap |= t == out;
        if (wrap) out = out.detach();
        ctx.forwardDone = true;
        if (!out.dtype().isFloatingPoint()) return out; // indices, counts: nothing to differentiate
        // The saved tensors move to the graph node, which frees them after backward; the context
        // reads them from there.
        Tensor[] saved = ctx.saved;
        ctx.saved = null;
        int inputCount = in.length;
        return Tensor.record(op, out, in, saved, (n, g) -> {
            Tensor[] grads;
            ctx.node = n;
            try {
                grads = backward(ctx, g);
            } finally {
                ctx.node = null;
            }
            if (grads == null) throw new IllegalStateException(op + ": backward returned null instead of an array of "
                    + inputCount + " gradients (use null elements for inputs that need none)");
            return grads;
        }, tangents -> {
            // Runs at once (inside record), before the node exists: the context reads the saved
            // tensors from this array meanwhile.
            ctx.saved = saved;
            Tensor t;
            try {
                t = jvp(ctx, tangents.clone());
            } finally {
                ctx.saved = null;
            }
            if (t == null) throw new IllegalStateException(op + ": jvp returned null instead of the output's tangent");
            return t;
        });
    }

    /**
     * What forward leaves for backward: saved tensors, which inputs need a gradient, and any other
     * values (sizes, constants) stored by key.
     */
    public static final class Context {
        private final String op;
        private final boolean[] needsInputGrad;
        /** Saved by forward, until the op is recorded; then they belong to {@link #node}'s graph vertex. */
        private Tensor[] saved = Tensor.NONE;
        /** The recorded node, while its backward runs. */
        private Node node;
        private final Map<String, Object> values = new HashMap<>();
        private boolean forwardDone;

        Context(String op, boolean[] needsInputGrad) {
            this.op = op;
            this.needsInputGrad = needsInputGrad;
        }

        /**
         * Keeps tensors for backward. If one is changed in place before backward runs, backward
         * throws instead of computing a wrong gradient. Call once, from forward.
         */
        public void saveForBackward(Tensor... tensors) {
            if (forwardDone) throw new IllegalStateException(op + ": saveForBackward can only be called from forward");
            for (int i = 0; i < tensors.length; i++) {
                if (tensors[i] == null) throw new IllegalArgumentException(op + ": saveForBackward: tensor " + i + " is null");
            }
            saved = tensors.clone();
        }

        /** The tensors given to {@link #saveForBackward(Tensor...)}, in the same order (in forward, jvp and backward). */
        public Tensor[] savedTensors() {
            if (node != null) {
                Tensor[] out = new Tensor[node.savedCount()];
                for (int i = 0; i < out.length; i++) out[i] = node.saved(i);
                return out;
            }
            if (saved == null) throw new IllegalStateException(op + ": savedTensors() is available in forward, jvp and backward only");
            return saved.clone();
        }

        /** Whether input {@code i} requires a gradient; backward may return null for the others. */
        public boolean needsInputGrad(int i) {
            if (i < 0 || i >= needsInputGrad.length) {
                throw new IndexOutOfBoundsException(op + ": needsInputGrad(" + i + ") but there are "
                        + needsInputGrad.length + " inputs");
            }
            return node != null ? node.needsGrad(i) : needsInputGrad[i];
        }

        /** Stores a non-tensor value (a size, a flag, a constant) for jvp and backward. */
        public void put(String key, Object value) {
            values.put(key, value);
        }

        /** The value stored under {@code key}; throws if there is none. */
        @SuppressWarnings("unchecked")
        public <T> T get(String key) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException(op + ": nothing stored under \"" + key + "\"; keys are "
                        + values.keySet());
            }
            return (T) values.get(key);
        }

        @Override
        public String toString() {
            return "Context[" + op + ", needsInputGrad=" + Arrays.toString(needsInputGrad) + ", saved=" + (node != null ? node.savedCount() : saved == null ? 0 : saved.length)
                    + ", values=" + values.keySet() + "]";
        }
    }
}
