package org.jgrad;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * One vertex of the recorded graph: an op and its derivative, or the accumulator of a leaf.
 *
 * <p>A node points to the nodes that produced its inputs ({@link #next}), never to the input tensors
 * themselves: after backward has freed what the derivative saved, a kept output costs its nodes, a
 * few hundred bytes each, not the activations of the forward pass (PyTorch's {@code next_edges}).
 * What a derivative reads of the forward pass it gets through the node: {@link #saved(int)} for
 * tensors saved at record time, {@link #needsGrad(int)} for the inputs whose gradient this backward
 * pass wants, {@link #inputShape(int)} and {@link #inputDType(int)} for the rest. The derivative
 * itself may capture sizes, dimensions and constants, but no tensor: {@link Derivative} classes that
 * hold one are refused when the node is built, since a captured tensor would outlive backward.
 */
final class Node {

    /**
     * An op's local derivative: the gradient of the op's output in, the gradients of its inputs out
     * (null where {@link Node#needsGrad(int)} is false). Written with tensor ops, so that it is itself
     * differentiable when backward is recorded ({@code createGraph}).
     */
    @FunctionalInterface
    interface Derivative {
        Tensor[] apply(Node node, Tensor gradOutput);
    }

    final String op;
    /**
     * The producer of each input: the input's own node, the accumulator of a leaf that requires
     * grad, or null for an input that requires no gradient (a constant).
     */
    final Node[] next;
    /**
     * The shape and dtype of each input that requires no gradient (a constant), for derivatives and
     * GraphViz; null when every input has a producer, whose output shape and dtype are the input's.
     */
    private final int[][] constantShapes;
    private final DType[] constantDTypes;
    /** The leaf whose gradient this node accumulates; null for an op's node. */
    final Tensor leaf;
    /** The shape and dtype of the op's output (null for an accumulator: its leaf's, read when asked). */
    private final int[] outputShape;
    private final DType outputDType;

    private Tensor[] saved;
    private int[] savedVersions;
    private Derivative derivative;
    /** The same derivative computed by a faster, not differentiable, path; used unless createGraph. */
    private Derivative fastDerivative;
    /** Which inputs the running backward pass wants a gradient for; set by the engine before each call. */
    private boolean[] needs;
    /**
     * Whether the running backward pass reaches a target through this op's node; the engine's mark
     * (not used on leaf accumulators, which graphs of several threads may share). Like {@link #needs}
     * it belongs to one pass at a time: two threads must not run backward through one op's node at
     * once (each thread its own graph is fine, parameters shared or not).
     */
    boolean neededInPass;
    /** The last topological walk ({@code Autograd.topologicalOrder}) that reached this op's node. */
    long lastWalk;

    Node(String op, Tensor output, Tensor[] inputs, Tensor[] saved, Derivative derivative, Derivative fastDerivative) {
        checkCapturesNoTensor(op, derivative);
        if (fastDerivative != null) checkCapturesNoTensor(op, fastDerivative);
        this.op = op;
        int n = inputs.length;
        this.next = new Node[n];
        int[][] shapes = null;
        DType[] dtypes = null;
        for (int i = 0; i < n; i++) {
            Tensor in = inputs[i];
            if (in == null) continue;
            if (in.requiresGrad()) {
                next[i] = in.gradFn != null ? in.gradFn : in.gradAccumulator();
            } else {
                if (shapes == null) {
                    shapes = new int[n][];
                    dtypes = new DType[n];
                }
                shapes[i] = in.shape;
                dtypes[i] = in.dtype();
            }
        }
        this.constantShapes = shapes;
        this.constantDTypes = dtypes;
        this.leaf = null;
        this.outputShape = output.shape;
        this.outputDType = output.dtype();
        this.saved = saved;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].storage.version();
        this.derivative = derivative;
        this.fastDerivative = fastDerivative;
    }

    /** The accumulator of a leaf that requires grad. */
    Node(Tensor leaf) {
        this.op = "AccumulateGrad";
        this.next = new Node[0];
        this.constantShapes = null;
        this.constantDTypes = null;
        this.leaf = leaf;
        this.outputShape = null;
        this.outputDType = null;
        this.saved = Tensor.NONE;
        this.savedVersions = new int[0];
    }

    boolean isLeafAccumulator() {
        return leaf != null;
    }

    /** True once backward ran through this op without retainGraph. */
    boolean isFreed() {
        return leaf == null && derivative == null;
    }

    int inputCount() {
        return next.length;
    }

    /** The shape of the op's output, or of the leaf now (a module's to(dtype) converts leaves in place). */
    int[] outputShape() {
        return leaf != null ? leaf.shape : outputShape;
    }

    DType outputDType() {
        return leaf != null ? leaf.dtype() : outputDType;
    }

    /** The shape input {@code i} had (null if the input was null). */
    int[] inputShape(int i) {
        if (next[i] != null) return next[i].outputShape();
        return constantShapes == null ? null : constantShapes[i];
    }

    DType inputDType(int i) {
        if (next[i] != null) return next[i].outputDType();
        return constantDTypes == null ? null : constantDTypes[i];
    }

    /** Whether the running backward pass wants the gradient of input {@code i}. */
    boolean needsGrad(int i) {
        return needs != null ? needs[i] : next[i] != null;
    }

    /** The {@code i}-th tensor saved when the op was recorded. */
    Tensor saved(int i) {
        if (saved == null) throw freedError();
        return saved[i];
    }

    int savedCount() {
        return saved == null ? 0 : saved.length;
    }

    /**
     * Runs the derivative: the fast form when there is one and the backward pass is not recorded,
     * else the differentiable one. {@code needs} says which inputs' gradients are wanted.
     */
    Tensor[] apply(Tensor gradOutput, boolean[] needs, boolean createGraph) {
        if (derivative == null) throw freedError();
        for (int i = 0; i < saved.length; i++) {
            if (saved[i].storage.version() != savedVersions[i]) {
                throw new IllegalStateException(op + ": a tensor of shape " + Shapes.str(saved[i].shape())
                        + " that this op saved for backward was modified in place afterwards (version "
                        + savedVersions[i] + " when saved, now " + saved[i].storage.version()
                        + "); the gradient would be wrong. Clone it before changing it in place");
            }
        }
        this.needs = needs;
        Tensor[] grads;
        try {
            grads = (createGraph || fastDerivative == null ? derivative : fastDerivative).apply(this, gradOutput);
        } finally {
            this.needs = null;
        }
        if (grads == null || grads.length != next.length) {
            throw new IllegalStateException(op + ": backward returned " + (grads == null ? "null" : grads.length + " gradients")
                    + " for " + next.length + " inputs");
        }
        return grads;
    }

    /** Runs the differentiable and the fast derivative on the same gradient (for tests of the fast paths). */
    Tensor[][] applyBoth(Tensor gradOutput) {
        if (fastDerivative == null) throw new IllegalStateException(op + " has no fast derivative");
        boolean[] all = new boolean[next.length];
        for (int i = 0; i < all.length; i++) all[i] = next[i] != null;
        Tensor[] composed;
        try (Autograd.Scope _ = Autograd.enableGrad()) {
            composed = apply(gradOutput, all, true);
        }
        Tensor[] fast;
        try (Autograd.Scope _ = Autograd.noGrad()) {
            fast = apply(gradOutput, all, false);
        }
        return new Tensor[][] {composed, fast};
    }

    boolean hasFastDerivative() {
        return fastDerivative != null;
    }

    /** Drops what backward needed, so the memory of the forward pass can be reclaimed. */
    void free() {
        if (leaf != null) return;
        derivative = null;
        fastDerivative = null;
        saved = null;
        savedVersions = null;
    }

    private IllegalStateException freedError() {
        return new IllegalStateException(op + ": trying to backward through the graph a second time, but its"
                + " saved tensors were already freed; call backward(gradient, true) (retainGraph) the first time"
                + " if you need to backward twice");
    }

    @Override
    public String toString() {
        int[][] shapes = new int[next.length][];
        for (int i = 0; i < shapes.length; i++) shapes[i] = inputShape(i);
        return "Node[" + op + ", inputs=" + Arrays.deepToString(shapes) + "]";
    }

    // ------------------------------------------------------------ the no-captured-tensor rule

    private static final ClassValue<String> CAPTURED_TENSOR = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            for (Field f : type.getDeclaredFields()) {
                if (holdsTensor(f.getType(), 0)) return f.getName() + " (" + f.getType().getSimpleName() + ")";
            }
            return null;
        }
    };

    private static boolean holdsTensor(Class<?> type, int depth) {
        if (Tensor.class.isAssignableFrom(type) || Storage.class.isAssignableFrom(type)) return true;
        if (type.isArray()) return holdsTensor(type.getComponentType(), depth);
        if (type.isRecord() && depth < 4) {
            for (RecordComponent c : type.getRecordComponents()) {
                if (holdsTensor(c.getType(), depth + 1)) return true;
            }
        }
        return false;
    }

    /**
     * A derivative that captured a tensor would keep it alive as long as the graph, and around the
     * saved-tensor checks: it must save it through the node instead.
     */
    private static void checkCapturesNoTensor(String op, Derivative d) {
        String field = CAPTURED_TENSOR.get(d.getClass());
        if (field != null) {
            throw new IllegalStateException(op + ": its derivative captures a tensor in " + field
                    + "; save it with the node (record's saved tensors) and read it with node.saved(i)");
        }
    }
}
