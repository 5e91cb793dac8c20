package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphVizTest {
    private static final Pattern NODE = Pattern.compile("^\\s*(t\\d+) \\[(.*)\\];$");
    private static final Pattern EDGE = Pattern.compile("^\\s*(t\\d+) -> (t\\d+)( \\[label=\"(\\d+)\"\\])?;$");
    private static final Pattern LABEL = Pattern.compile("label=\"([^\"]*)\"");

    /** The DOT text parsed back: node id → label (with "\n" as written), edges as from→to[:k]. */
    record Dot(Map<String, String> labels, Map<String, String> attrs, List<String> edges) {
        static Dot parse(String dot) {
            Map<String, String> labels = new HashMap<>(), attrs = new HashMap<>();
            List<String> edges = new ArrayList<>();
            String[] lines = dot.split("\n");
            assertTrue(lines[0].startsWith("digraph"), dot);
            assertEquals("}", lines[lines.length - 1], dot);
            for (String line : lines) {
                Matcher e = EDGE.matcher(line);
                if (e.matches()) {
                    edges.add(e.group(1) + "->" + e.group(2) + (e.group(4) == null ? "" : ":" + e.group(4)));
                    continue;
                }
                Matcher n = NODE.matcher(line);
                if (n.matches()) {
                    Matcher l = LABEL.matcher(n.group(2));
                    assertTrue(l.find(), line);
                    assertNull(labels.put(n.group(1), l.group(1)), "node declared twice: " + line);
                    attrs.put(n.group(1), n.group(2));
                }
            }
            for (String edge : edges) {
                String[] ends = edge.split("->|:");
                assertTrue(labels.containsKey(ends[0]) && labels.containsKey(ends[1]), "edge to undeclared node " + edge);
            }
            return new Dot(labels, attrs, edges);
        }

        String idOf(String labelPrefix) {
            List<String> ids = labels.entrySet().stream().filter(e -> e.getValue().startsWith(labelPrefix))
                    .map(Map.Entry::getKey).toList();
            assertEquals(1, ids.size(), "nodes labelled " + labelPrefix + ": " + labels);
            return ids.get(0);
        }
    }

    @Test
    void opsLeavesAndEdges() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3).requiresGrad(true);
        Tensor w = Tensor.ones(DType.FLOAT64, 3); // a constant: shown, but does not require grad
        Tensor y = x.mul(w).tanh().sum();
        Dot dot = Dot.parse(GraphViz.toDot(y));

        assertEquals(5, dot.labels().size(), dot.labels().toString()); // x, w, mul, tanh, sum
        assertEquals(4, dot.edges().size(), dot.edges().toString());
        String mul = dot.idOf("mul"), tanh = dot.idOf("tanh"), sum = dot.idOf("sum");
        assertEquals("mul\\n[2, 3] float64", dot.labels().get(mul));
        assertEquals("tanh\\n[2, 3] float64", dot.labels().get(tanh));
        assertEquals("sum\\n[] float64", dot.labels().get(sum));
        String xId = dot.idOf("leaf\\n[2, 3]"), wId = dot.idOf("leaf\\n[3]");
        assertTrue(dot.labels().get(xId).endsWith("requires grad"), dot.labels().get(xId));
        assertTrue(dot.labels().get(wId).endsWith("no grad"), dot.labels().get(wId));
        assertTrue(dot.edges().containsAll(List.of(xId + "->" + mul + ":0", wId + "->" + mul + ":1",
                mul + "->" + tanh, tanh + "->" + sum)), dot.edges().toString());
        assertTrue(dot.attrs().get(mul).contains("shape=box"));
        assertTrue(dot.attrs().get(xId).contains("shape=ellipse"));
    }

    @Test
    void sharedInputAppearsOnceWithOneEdgePerUse() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor sq = x.mul(x);
        Tensor y = sq.add(sq.exp()).add(x).sum(); // x used by mul twice and by the last add; sq used twice
        Dot dot = Dot.parse(GraphViz.toDot(y));
        // x, mul, exp, add, add, sum
        assertEquals(6, dot.labels().size(), dot.labels().toString());
        assertEquals(1, dot.labels().values().stream().filter(l -> l.startsWith("leaf")).count());
        String xId = dot.idOf("leaf"), mul = dot.idOf("mul");
        assertTrue(dot.edges().contains(xId + "->" + mul + ":0"));
        assertTrue(dot.edges().contains(xId + "->" + mul + ":1"));
        long fromX = dot.edges().stream().filter(e -> e.startsWith(xId + "->")).count();
        long fromMul = dot.edges().stream().filter(e -> e.startsWith(mul + "->")).count();
        assertEquals(3, fromX);
        assertEquals(2, fromMul);
        // every op has exactly as many incoming edges as inputs: 2+1+2+2+1
        assertEquals(8, dot.edges().size(), dot.edges().toString());
    }

    @Test
    void deterministicAndIndependentOfIdentity() {
        // Two separately built copies of the same computation give the same text.
        String first = GraphViz.toDot(build());
        String second = GraphViz.toDot(build());
        assertEquals(first, second);
    }

    private static Tensor build() {
        Tensor a = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        Tensor b = Tensor.of(0.5, 0.5, 0.5).requiresGrad(true);
        return a.mul(b).add(a.sin()).sub(b.exp()).sum();
    }

    @Test
    void leafAloneAndCustomFunctionName() {
        Dot leaf = Dot.parse(GraphViz.toDot(Tensor.zeros(4)));
        assertEquals(1, leaf.labels().size());
        assertEquals(0, leaf.edges().size());
        assertEquals("leaf\\n[4] float32\\nno grad", leaf.labels().values().iterator().next());

        Tensor a = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor c = new FunctionTest.Mul().apply(a, a.cos());
        Dot dot = Dot.parse(GraphViz.toDot(c));
        assertEquals("Mul\\n[2] float64", dot.labels().get(dot.idOf("Mul")));
        assertEquals(3, dot.labels().size());
        assertEquals(3, dot.edges().size());
    }

    @Test
    void freedNodesAreDrawnDashed(@TempDir Path dir) throws Exception {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor y = x.exp().add(1).sum();
        assertFalse(GraphViz.toDot(y).contains("dashed"));
        y.backward();
        Dot after = Dot.parse(GraphViz.toDot(y));
        assertEquals(4, after.labels().size());
        assertTrue(after.attrs().get(after.idOf("leaf")).contains("filled"));
        for (String op : List.of("exp", "add", "sum")) {
            assertTrue(after.attrs().get(after.idOf(op)).contains("dashed"), op);
        }

        Path file = dir.resolve("g.dot");
        GraphViz.write(y, file);
        assertEquals(GraphViz.toDot(y), Files.readString(file));
    }

    @Test
    void longChainDoesNotOverflowTheStack() {
        // Surefire runs with -Xss1m: a recursive walk of 100,000 tensors would overflow.
        int n = 100_000;
        Tensor y = Tensor.scalar(DType.FLOAT64, 1).requiresGrad(true);
        for (int i = 0; i < n; i++) y = y.add(1);
        String text = GraphViz.toDot(y);
        long lines = text.lines().count();
        long edges = text.lines().filter(l -> l.contains(" -> ")).count();
        assertEquals(n, edges);
        assertEquals(2 * n + 1 + 4, lines); // n + 1 nodes, n edges, 3 header lines and the closing brace
    }
}
