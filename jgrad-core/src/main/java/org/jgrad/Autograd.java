package org.jgrad;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reverse-mode automatic differentiation over the graph recorded while computing.
 *
 * <p>{@link Tensor#backward()} and {@link #grad(Tensor, List, boolean)} share one engine: order the
 * graph topologically (with an explicit stack, so a chain of a million ops does not overflow the
 * thread's stack), then visit it from the output back, calling each op's backward rule and adding
 * the gradients that reach a tensor along every path — the chain rule summed over all uses.
 */
public final class Autograd {
    private Autograd() {}

    private static final ThreadLocal<boolean[]> GRAD_ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    /** A scope that restores the previous grad mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Whether ops record the graph on this thread. */
    public static boolean isGradEnabled() {
        return GRAD_ENABLED.get()[0];
    }

    /**
     * Turns graph recording off on this thread until the scope closes:
     * {@code try (var scope = Autograd.noGrad()) { ... }}.
     */
    public static Scope noGrad() {
        return setGradEnabled(false);
    }

    /** Turns graph recording on (again) until the scope closes, e.g. inside a noGrad scope. */
    public static Scope enableGrad() {
        return setGradEnabled(true);
    }

    private static Scope setGradEnabled(boolean enabled) {
        boolean[] flag = GRAD_ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return () -> flag[0] = previous;
    }

    /**
     * The gradients of {@code output} (a scalar) with respect to each of {@code inputs}, returned rather
     * than accumulated into {@link Tensor#grad()}. With {@code createGraph} the backward pass is
     * recorded, so the returned gradients can be differentiated again. An input that the output does
     * not depend on gets a zero gradient.
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        return grad(output, inputs, null, createGraph, createGraph);
    }

    /** As {@link #grad(Tensor, List, boolean)}, starting from {@code gradOutput} (ones for a scalar if null). */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, Tensor gradOutput,
                                    boolean retainGraph, boolean createGraph) {
        Objects.requireNonNull(output, "output");
        for (Tensor in : inputs) {
            if (!in.requiresGrad()) {
                throw new IllegalArgumentException("Autograd.grad: an input of shape " + Shapes.str(in.shape())
                        + " does not require grad, so no gradient can be computed for it");
            }
        }
        Map<Node, Tensor> captured = new IdentityHashMap<>();
        for (Tensor in : inputs) captured.put(vertexOf(in), null);
        run("Autograd.grad", output, gradOutput, retainGraph, createGraph, captured);
        List<Tensor> result = new ArrayList<>(inputs.size());
        Map<Tensor, Boolean> returned = inputs.size() < 32 ? null : new IdentityHashMap<>();
        for (Tensor in : inputs) {
            Tensor g = captured.get(vertexOf(in));
            if (g == null) g = Tensor.zeros(in.dtype(), in.shape());
            // One tensor may be the gradient of two inputs (add passes g to both): never return it twice.
            if (returnedBefore(g, result, returned)) g = createGraph ? g.copy() : g.detach().copy();
            result.add(g);
        }
        return result;
    }

    // ---------------------------------------------------------------- functional derivatives

    /**
     * The full Jacobian of {@code f} at {@code x}: a tensor of shape {@code f(x).shape ++ x.shape} whose
     * entry [i..., j...] is ∂f(x)[i...]/∂x[j...]. Reverse mode: one vector-Jacobian product per output
     * element, through one recorded graph. {@code f} runs once, on a detached copy of x that requires
     * grad, so x itself need not require grad and is never changed.
     *
     * <p>The lecture's example: {@code jacobian(Tensor::sigmoid, x)} is diag(σ(x)·(1 − σ(x))).
     */
    public static Tensor jacobian(java.util.function.Function<Tensor, Tensor> f, Tensor x) {
        Tensor xd = differentiableCopy("jacobian", f, x);
        Tensor y = call("jacobian", f, xd);
        DType dtype = resultType(y, x);
        int ny = y.numel(), nx = x.numel();
        Tensor jac = Tensor.zeros(dtype, concat(y.shape, x.shape));
        if (ny == 0 || nx == 0 || !y.requiresGrad()) return jac; // f does not depend on x: J = 0
        reverseRows(y, xd, jac);
        return jac;
    }

    /** Row i of {@code into} := ∂yᵢ/∂x, one reverse pass per element of y through y's retained graph. */
    private static void reverseRows(Tensor y, Tensor x, Tensor into) {
        int nx = x.numel();
        int[] rowStrides = Shapes.contiguousStrides(x.shape);
        for (int i = 0; i < y.numel(); i++) {
            Tensor e = Tensor.zeros(y.dtype(), y.shape);
            e.storage.set(i, 1);
            Tensor row = grad(y, List.of(x), e, true, false).get(0);
            Strided.copy(row, Views.as(into, x.shape, rowStrides, i * nx));
        }
    }

    /**
     * The Hessian of a scalar {@code f} at {@code x}, shape {@code x.shape ++ x.shape}: the gradient is
     * computed with {@code createGraph} (so it is itself a recorded graph) and differentiated again, one
     * reverse pass per element of x. Symmetric up to rounding when f is twice continuously differentiable.
     */
    public static Tensor hessian(java.util.function.Function<Tensor, Tensor> f, Tensor x) {
        Tensor xd = differentiableCopy("hessian", f, x);
        Tensor y = call("hessian", f, xd);
        if (y.numel() != 1) {
            throw new IllegalArgumentException("hessian: f(x) must be a scalar (one element), but for x of shape "
                    + Shapes.str(x.shape) + " it has shape " + Shapes.str(y.shape));
        }
        int nx = x.numel();
        Tensor hess = Tensor.zeros(resultType(y, x), concat(x.shape, x.shape));
        if (nx == 0 || !y.requiresGrad()) return hess;
        Tensor g;
        try (Scope _ = enableGrad()) {
            g = grad(y, List.of(xd), true).get(0);
        }
        if (!g.requiresGrad()) return hess; // the gradient is constant: f is at most linear in x
        reverseRows(g, xd, hess);
        return hess;
    }

    /**
     * The vector-Jacobian product uᵀ·J of {@code f} at {@code x}, a tensor of x's shape: one reverse
     * pass started from {@code u}, which must have f(x)'s shape.
     */
    public static Tensor vjp(java.util.function.Function<Tensor, Tensor> f, Tensor x, Tensor u) {
        Objects.requireNonNull(u, "vjp: u");
        Tensor xd = differentiableCopy("vjp", f, x);
        Tensor y = call("vjp", f, xd);
        if (!java.util.Arrays.equals(u.shape, y.shape)) {
            throw new IllegalArgumentException("vjp: u has shape " + Shapes.str(u.shape) + " but f(x) has shape "
                    + Shapes.str(y.shape) + " (x has shape " + Shapes.str(x.shape) + "); expected u of f(x)'s shape");
        }
        if (!y.requiresGrad()) return Tensor.zeros(resultType(y, x), x.shape);
        return grad(y, List.of(xd), u.detach().to(y.dtype()), false, false).get(0);
    }

    /**
     * The Jacobian-vector product J·v of {@code f} at {@code x}, a tensor of f(x)'s shape, by forward
     * mode ({@link ForwardAD}): f runs once on the dual number x + v·ε, every op carrying its output's
     * tangent along as it computes, and the tangent of the result is J·v. No graph is recorded and no
     * backward pass runs, so it costs about one forward pass (a few ops' worth each), whatever the
     * number of outputs: the cheap direction when x is small and f(x) large. {@code v} must have x's
     * shape. An op without a forward-mode rule throws an IllegalStateException naming it.
     */
    public static Tensor jvp(java.util.function.Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        Objects.requireNonNull(f, "jvp: f");
        Objects.requireNonNull(x, "jvp: x");
        Objects.requireNonNull(v, "jvp: v");
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("jvp: x must be floating point, got " + x.dtype());
        }
        if (!java.util.Arrays.equals(v.shape, x.shape)) {
            throw new IllegalArgumentException("jvp: v has shape " + Shapes.str(v.shape) + " but x has shape "
                    + Shapes.str(x.shape) + "; expected v of x's shape");
        }
        try (Scope _ = noGrad(); Scope _ = ForwardAD.dualLevel()) {
            Tensor y = f.apply(ForwardAD.makeDual(x.detach(), v.detach()));
            if (y == null) throw new IllegalArgumentException("jvp: f returned null");
            Tensor t = ForwardAD.tangent(y);
            if (t == null) return Tensor.zeros(resultType(y, x), y.shape); // f does not depend on x
            return t.detach();
        }
    }

    private static Tensor differentiableCopy(String caller, java.util.function.Function<Tensor, Tensor> f, Tensor x) {
        Objects.requireNonNull(f, caller + ": f");
        Objects.requireNonNull(x, caller + ": x");
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(caller + ": x must be floating point, got " + x.dtype()
                    + " (shape " + Shapes.str(x.shape) + ")");
        }
        return x.detach().rawClone().requiresGrad(true);
    }

    private static Tensor call(String caller, java.util.function.Function<Tensor, Tensor> f, Tensor xd) {
        Tensor y;
        try (Scope _ = enableGrad()) {
            y = f.apply(xd);
        }
        if (y == null) throw new IllegalArgumentException(caller + ": f returned null");
        return y;
    }

    private static DType resultType(Tensor y, Tensor x) {
        return y.dtype().isFloatingPoint() ? y.dtype() : x.dtype();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] s = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, s, a.length, b.length);
        return s;
    }

    /** Whether g is already in result: a scan for the usual few inputs, else the map of all returned so far. */
    private static boolean returnedBefore(Tensor g, List<Tensor> result, Map<Tensor, Boolean> seen) {
        if (seen == null) {
            for (Tensor r : result) if (r == g) return true;
            return false;
        }
        return seen.put(g, true) != null;
    }

    /** The graph vertex standing for a tensor that requires grad: its op's node, or its leaf accumulator. */
    private static Node vertexOf(Tensor t) {
        return t.gradFn != null ? t.gradFn : t.gradAccumulator();
    }

    /**
     * The engine. With {@code captured == null} gradients reaching leaves accumulate into their
     * {@code grad}; otherwise the gradients of the vertices in {@code captured} are stored there and
     * no leaf is touched.
     */
    static void run(String caller, Tensor output, Tensor gradOutput, boolean retainGraph, boolean createGraph,
                    Map<Node, Tensor> captured) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException(caller + ": the output (shape " + Shapes.str(output.shape())
                    + ") does not require grad: no input of the computation had requiresGrad(true), or it ran"
                    + " inside Autograd.noGrad()");
        }
        if (gradOutput == null) {
            if (output.numel() != 1) {
                throw new IllegalArgumentException(caller + ": a gradient can be implied only for a scalar output,"
                        + " but the output has shape " + Shapes.str(output.shape())
                        + "; pass the gradient of the output explicitly");
            }
            gradOutput = Tensor.onesLike(output);
        } else if (!java.util.Arrays.equals(gradOutput.shape(), output.shape())) {
            throw new IllegalArgumentException(caller + ": the gradient has shape " + Shapes.str(gradOutput.shape())
                    + " but the output has shape " + Shapes.str(output.shape()));
        }

        Node root = vertexOf(output);
        List<Node> order = topologicalOrder(root);
        // Only nodes on a path to a target need their backward run. The mark is set on every node of
        // this pass's order before it is read (the producers of a node's inputs are in the order too).
        for (Node n : order) { // producers come before the nodes that use their outputs
            if (n.isLeafAccumulator()) continue; // shared between graphs: see needed(...)
            boolean need = captured != null && captured.containsKey(n);
            for (Node in : n.next) {
                if (in != null && needed(in, captured)) need = true;
            }
            n.neededInPass = need;
        }

        Map<Node, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, gradOutput.detachUnlessRecording(createGraph));
        try (Scope _ = setGradEnabled(createGraph)) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Node node = order.get(i);
                Tensor g = grads.remove(node);
                if (g == null || !needed(node, captured)) {
                    if (!retainGraph) node.free();
                    continue;
                }
                if (captured != null && captured.containsKey(node)) captured.put(node, g);
                if (node.isLeafAccumulator()) {
                    if (captured == null && node.leaf.requiresGrad()) node.leaf.accumulateGrad(g);
                    continue;
                }
                // Which inputs this pass wants a gradient for; null (the usual case) when it wants every
                // input that has a producer, which is what the node assumes without one.
                boolean[] wants = null;
                boolean any = false;
                for (int k = 0; k < node.next.length; k++) {
                    Node in = node.next[k];
                    if (in == null) continue;
                    if (needed(in, captured)) {
                        any = true;
                    } else if (wants == null) {
                        wants = new boolean[node.next.length];
                        for (int j = 0; j < k; j++) wants[j] = node.next[j] != null;
                    }
                    if (wants != null) wants[k] = needed(in, captured);
                }
                if (!any) { // a captured tensor whose own inputs need nothing: its gradient is all that was asked
                    if (!retainGraph) node.free();
                    continue;
                }
                Tensor[] inputGrads = node.apply(g, wants, createGraph);
                if (!retainGraph) node.free();
                for (int k = 0; k < inputGrads.length; k++) {
                    Tensor ig = inputGrads[k];
                    if (ig == null || node.next[k] == null || (wants != null && !wants[k])) continue;
                    if (!java.util.Arrays.equals(ig.shape(), node.inputShape(k))) {
                        throw new IllegalStateException(node.op + ": backward produced a gradient of shape "
                                + Shapes.str(ig.shape()) + " for an input of shape " + Shapes.str(node.inputShape(k)));
                    }
                    if (ig.dtype() != node.inputDType(k)) ig = ig.to(node.inputDType(k));
                    Node in = node.next[k];
                    Tensor prev = grads.get(in);
                    grads.put(in, prev == null ? ig : prev.add(ig));
                }
            }
        }
    }

    /** Whether this pass needs n's gradient: a leaf's when leaves accumulate or it is asked for, an op's by its mark. */
    private static boolean needed(Node n, Map<Node, Tensor> captured) {
        if (n.isLeafAccumulator()) return captured == null || captured.containsKey(n);
        return n.neededInPass;
    }

    /** Numbers the walks of {@link #topologicalOrder}, so that a node marks the last walk that reached it. */
    private static final AtomicLong WALKS = new AtomicLong();

    /** Nodes reachable from {@code root}, each after the producers of its inputs. */
    static List<Node> topologicalOrder(Node root) {
        List<Node> order = new ArrayList<>();
        long walk = WALKS.incrementAndGet();
        // Leaf accumulators may be shared by graphs that other threads walk at the same time (one
        // model's parameters, two threads): they are tracked here, not marked.
        Map<Node, Boolean> leaves = new IdentityHashMap<>();
        // Iterative depth-first post-order: each frame is a node and how many inputs it has pushed.
        ArrayList<Node> stack = new ArrayList<>();
        ArrayList<Integer> next = new ArrayList<>();
        stack.add(root);
        next.add(0);
        if (root.isLeafAccumulator()) leaves.put(root, true);
        else root.lastWalk = walk;
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Node n = stack.get(top);
            int k = next.get(top);
            if (k < n.next.length) {
                next.set(top, k + 1);
                Node in = n.next[k];
                if (in != null && (in.isLeafAccumulator() ? leaves.put(in, true) == null : in.lastWalk != walk)) {
                    in.lastWalk = walk;
                    stack.add(in);
                    next.add(0);
                }
            } else {
                stack.remove(top);
                next.remove(top);
                order.add(n);
            }
        }
        return order;
    }
}
