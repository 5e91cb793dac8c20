package org.jgrad;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports the graph recorded behind a tensor in Graphviz DOT, to see what backward will walk:
 * {@code dot -Tsvg graph.dot -o graph.svg}.
 *
 * <p>One box per op (its name, output shape and dtype) and one ellipse per leaf (shape, dtype, and
 * whether it requires grad; leaves that require grad are filled). Edges go from each input to the
 * op that consumed it, once per use: {@code x.mul(x)} draws two edges from x. A tensor used by
 * several ops appears once. Node ids number the tensors in depth-first post-order from the root,
 * inputs in argument order, so the same computation always gives the same text.
 */
public final class GraphViz {
    private GraphViz() {}

    /** The DOT text of the graph that produced {@code root} (just one leaf if nothing was recorded). */
    public static String toDot(Tensor root) {
        List<Tensor> order = allTensors(root);
        Map<Tensor, Integer> ids = new IdentityHashMap<>();
        for (Tensor t : order) ids.put(t, ids.size());

        StringBuilder sb = new StringBuilder();
        sb.append("digraph jgrad {\n");
        sb.append("  rankdir=BT;\n"); // output on top, as the lecture draws backward flowing down
        sb.append("  node [fontname=\"Helvetica\", fontsize=10];\n");
        for (Tensor t : order) {
            sb.append("  t").append(ids.get(t)).append(" [");
            if (t.gradFn != null) {
                sb.append("shape=box, label=\"").append(escape(t.gradFn.op)).append("\\n")
                        .append(Shapes.str(t.shape)).append(' ').append(t.dtype()).append('"');
                if (t.gradFn.isFreed()) sb.append(", style=dashed"); // backward already ran without retainGraph
            } else {
                sb.append("shape=ellipse, label=\"leaf\\n").append(Shapes.str(t.shape)).append(' ').append(t.dtype())
                        .append("\\n").append(t.requiresGrad() ? "requires grad" : "no grad").append('"');
                if (t.requiresGrad()) sb.append(", style=filled, fillcolor=lightblue");
            }
            if (t == root) sb.append(", penwidth=2");
            sb.append("];\n");
        }
        for (Tensor t : order) {
            if (t.gradFn == null) continue;
            Tensor[] inputs = t.gradFn.inputs;
            for (int k = 0; k < inputs.length; k++) {
                if (inputs[k] == null) continue;
                sb.append("  t").append(ids.get(inputs[k])).append(" -> t").append(ids.get(t));
                if (inputs.length > 1) sb.append(" [label=\"").append(k).append("\"]");
                sb.append(";\n");
            }
        }
        sb.append("}\n");
        return sb.toString();
    }

    /** Writes {@link #toDot(Tensor)} to {@code file} (UTF-8). */
    public static void write(Tensor root, Path file) throws IOException {
        Files.writeString(file, toDot(root), StandardCharsets.UTF_8);
    }

    /**
     * Every tensor reachable from root, inputs before the ops that use them. Unlike the engine's order
     * this keeps inputs that do not require grad, since they are part of the computation shown.
     * Iterative, so a very long chain does not overflow the stack.
     */
    private static List<Tensor> allTensors(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayList<Tensor> stack = new ArrayList<>();
        ArrayList<Integer> next = new ArrayList<>();
        stack.add(root);
        next.add(0);
        visited.put(root, true);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            int k = next.get(top);
            Tensor[] inputs = t.gradFn == null ? null : t.gradFn.inputs;
            if (inputs != null && k < inputs.length) {
                next.set(top, k + 1);
                Tensor in = inputs[k];
                if (in != null && visited.put(in, true) == null) {
                    stack.add(in);
                    next.add(0);
                }
            } else {
                stack.remove(top);
                next.remove(top);
                order.add(t);
            }
        }
        return order;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
