package org.jgrad;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports the graph recorded behind a tensor in Graphviz DOT, to see what backward will walk:
 * {@code dot -Tsvg graph.dot -o graph.svg}.
 *
 * <p>One box per op (its name, output shape and dtype) and one ellipse per leaf (shape, dtype, and
 * whether it requires grad; leaves that require grad are filled). Edges go from each input to the
 * op that consumed it, once per use: {@code x.mul(x)} draws two edges from x. An op or a leaf that
 * requires grad appears once however often it is used; an input that requires no grad (a constant)
 * is not part of the graph the engine keeps (nodes point to the producers of their inputs, not to
 * the input tensors), so it is drawn as its own ellipse at each use. Node ids number the graph in
 * depth-first post-order from the root, inputs in argument order, so the same computation always
 * gives the same text.
 */
public final class GraphViz {
    private GraphViz() {}

    /** The DOT text of the graph that produced {@code root} (just one leaf if nothing was recorded). */
    public static String toDot(Tensor root) {
        StringBuilder sb = new StringBuilder();
        sb.append("digraph jgrad {\n");
        sb.append("  rankdir=BT;\n"); // output on top, as the lecture draws backward flowing down
        sb.append("  node [fontname=\"Helvetica\", fontsize=10];\n");
        if (!root.requiresGrad()) {
            sb.append("  t0 [").append(leafAttributes(root.shape, root.dtype(), false)).append(", penwidth=2];\n}\n");
            return sb.toString();
        }
        Node top = root.gradFn != null ? root.gradFn : root.gradAccumulator();
        List<Node> order = Autograd.topologicalOrder(top);
        Map<Node, Integer> ids = new IdentityHashMap<>();
        int nextId = 0;
        StringBuilder edges = new StringBuilder();
        for (Node node : order) {
            // Constants first, numbered before the op that uses them.
            String[] from = new String[node.inputCount()];
            for (int k = 0; k < from.length; k++) {
                if (node.next[k] != null) {
                    from[k] = "t" + ids.get(node.next[k]);
                } else if (node.inputShape(k) != null) {
                    from[k] = "t" + nextId++;
                    sb.append("  ").append(from[k]).append(" [")
                            .append(leafAttributes(node.inputShape(k), node.inputDType(k), false)).append("];\n");
                }
            }
            int id = nextId++;
            ids.put(node, id);
            sb.append("  t").append(id).append(" [");
            if (node.isLeafAccumulator()) {
                sb.append(leafAttributes(node.outputShape(), node.outputDType(), true));
            } else {
                sb.append("shape=box, label=\"").append(escape(node.op)).append("\\n")
                        .append(Shapes.str(node.outputShape())).append(' ').append(node.outputDType()).append('"');
                if (node.isFreed()) sb.append(", style=dashed"); // backward already ran without retainGraph
            }
            if (node == top) sb.append(", penwidth=2");
            sb.append("];\n");
            for (int k = 0; k < from.length; k++) {
                if (from[k] == null) continue;
                edges.append("  ").append(from[k]).append(" -> t").append(id);
                if (from.length > 1) edges.append(" [label=\"").append(k).append("\"]");
                edges.append(";\n");
            }
        }
        sb.append(edges).append("}\n");
        return sb.toString();
    }

    private static String leafAttributes(int[] shape, DType dtype, boolean requiresGrad) {
        return "shape=ellipse, label=\"leaf\\n" + Shapes.str(shape) + ' ' + dtype + "\\n"
                + (requiresGrad ? "requires grad\", style=filled, fillcolor=lightblue" : "no grad\"");
    }

    /** Writes {@link #toDot(Tensor)} to {@code file} (UTF-8). */
    public static void write(Tensor root, Path file) throws IOException {
        Files.writeString(file, toDot(root), StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
