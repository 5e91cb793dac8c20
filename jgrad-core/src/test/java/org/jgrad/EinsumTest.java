package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EinsumTest {

    // ------------------------------------------------------------ the independent reference

    /**
     * The definition of einsum, written out: for every assignment of values to all labels, add the
     * product of the operands' elements into the output element. Letters only, explicit output; a
     * label of size 1 in an operand reads index 0 (broadcasting). Shares nothing with Einsum.java.
     */
    static Tensor naive(String equation, Tensor... ops) {
        String[] io = equation.split("->", -1);
        String[] in = io[0].split(",", -1);
        String out = io[1];
        assertEquals(ops.length, in.length, "reference: operand count");
        Map<Character, Integer> size = new TreeMap<>();
        for (int i = 0; i < ops.length; i++) {
            assertEquals(ops[i].dim(), in[i].length(), "reference: rank of operand " + i);
            for (int k = 0; k < in[i].length(); k++) size.merge(in[i].charAt(k), ops[i].size(k), Math::max);
        }
        List<Character> all = new ArrayList<>(size.keySet());
        int[] outShape = new int[out.length()];
        for (int k = 0; k < out.length(); k++) outShape[k] = size.get(out.charAt(k));
        int outCount = 1;
        for (int s : outShape) outCount *= s;
        double[] res = new double[outCount];
        long total = 1;
        for (char c : all) total *= size.get(c);
        int[] val = new int[all.size()];
        for (long c = 0; c < total; c++) {
            long rem = c;
            for (int d = all.size() - 1; d >= 0; d--) {
                int s = size.get(all.get(d));
                val[d] = (int) (rem % s);
                rem /= s;
            }
            double p = 1;
            for (int i = 0; i < ops.length; i++) {
                int[] idx = new int[in[i].length()];
                for (int k = 0; k < idx.length; k++) {
                    idx[k] = ops[i].size(k) == 1 ? 0 : val[all.indexOf(in[i].charAt(k))];
                }
                p *= ops[i].get(idx);
            }
            int flat = 0;
            for (int k = 0; k < out.length(); k++) flat = flat * outShape[k] + val[all.indexOf(out.charAt(k))];
            res[flat] += p;
        }
        return Tensor.of(res, outShape);
    }

    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), what + ": element " + i);
        }
    }

    // ------------------------------------------------------------ the equations

    /** An equation, the letters-only explicit equation the reference computes, and the operand shapes. */
    record Case(String equation, String reference, int[]... shapes) {}

    static int[] s(int... shape) {
        return shape;
    }

    static final List<Case> CASES = List.of(
            new Case("ij,jk->ik", "ij,jk->ik", s(3, 4), s(4, 2)),                         // matmul
            new Case("ij,kj->ik", "ij,kj->ik", s(3, 4), s(2, 4)),                         // A·Bᵀ
            new Case("bij,bjk->bik", "bij,bjk->bik", s(2, 3, 4), s(2, 4, 2)),              // batch matmul
            new Case("...ij,...jk->...ik", "yij,xyjk->xyik", s(2, 3, 4), s(2, 1, 4, 2)),   // broadcast batch
            new Case("ii->", "ii->", s(3, 3)),                                            // trace
            new Case("ii->i", "ii->i", s(3, 3)),                                          // diagonal
            new Case("iii->i", "iii->i", s(2, 2, 2)),                                     // a label three times
            new Case("i,j->ij", "i,j->ij", s(3), s(4)),                                   // outer
            new Case("ij->ji", "ij->ji", s(3, 4)),                                        // transpose
            new Case("ij->ij", "ij->ij", s(3, 4)),                                        // identity
            new Case("ij->", "ij->", s(3, 4)),                                            // sum
            new Case("ij->j", "ij->j", s(3, 4)),                                          // column sums
            new Case("i,ij,j->", "i,ij,j->", s(3), s(3, 4), s(4)),                        // bilinear xᵀAy
            new Case("iij->j", "iij->j", s(3, 3, 2)),                                     // repeated and summed
            new Case("i,i->", "i,i->", s(5), s(5)),                                       // dot
            new Case("ij,ij->ij", "ij,ij->ij", s(3, 4), s(3, 4)),                         // elementwise
            new Case("bhqd,bhkd->bhqk", "bhqd,bhkd->bhqk", s(2, 2, 3, 4), s(2, 2, 2, 4)), // attention scores
            new Case("ij,jk,kl->il", "ij,jk,kl->il", s(2, 3), s(3, 4), s(4, 2)),          // a chain of three
            new Case("bn,anm,bm->ba", "bn,anm,bm->ba", s(2, 3), s(4, 3, 2), s(2, 2)),     // torch's bilinear example
            new Case("ij,jk", "ij,jk->ik", s(3, 4), s(4, 2)),                             // implicit: ik
            new Case("ba,ca", "ba,ca->bc", s(2, 3), s(4, 3)),                             // implicit: bc
            new Case("ii", "ii->", s(3, 3)),                                              // implicit trace
            new Case("...ii->...i", "aii->ai", s(2, 3, 3)),                               // batched diagonal
            new Case("...ij->ij", "aij->ij", s(2, 3, 4)),                                 // ellipsis summed
            new Case("...ij", "aij->aij", s(2, 3, 4)),                                    // implicit keeps '...' first
            new Case("Ab,bC->CA", "Ab,bC->CA", s(2, 3), s(3, 4)),                         // capitals, output permuted
            new Case("ij,jk->ik", "ij,jk->ik", s(3, 1), s(4, 2)),                         // size-1 inner label broadcasts
            new Case("bij,bjk->bik", "bij,bjk->bik", s(1, 2, 3), s(2, 3, 2)),              // size-1 batch label broadcasts
            new Case("i,j,k->ijk", "i,j,k->ijk", s(2), s(3), s(2)),                       // outer of three
            new Case("ijk,ikj->", "ijk,ikj->", s(2, 3, 4), s(2, 4, 3)),                   // full contraction
            new Case(" i j , j k -> i k ", "ij,jk->ik", s(2, 3), s(3, 2)),                // spaces are ignored
            new Case(",i->i", ",i->i", s(), s(3)));                                       // a scalar operand

    static Tensor[] operands(Generator gen, Case c, boolean contiguous) {
        Tensor[] ops = new Tensor[c.shapes().length];
        for (int i = 0; i < ops.length; i++) ops[i] = randomOperand(gen, c.shapes()[i], contiguous);
        return ops;
    }

    /** A float64 tensor of this shape; a non-contiguous one is a reversed permute (rank ≥ 2) or a step slice. */
    static Tensor randomOperand(Generator gen, int[] shape, boolean contiguous) {
        int r = shape.length;
        if (contiguous || r == 0) return Tensor.randn(gen, shape).to(DType.FLOAT64);
        if (r == 1) return Tensor.randn(gen, 2 * shape[0]).to(DType.FLOAT64).slice(0, 0, 2 * shape[0], 2);
        int[] reversed = new int[r], perm = new int[r];
        for (int d = 0; d < r; d++) {
            reversed[d] = shape[r - 1 - d];
            perm[d] = r - 1 - d;
        }
        Tensor t = Tensor.randn(gen, reversed).to(DType.FLOAT64).permute(perm);
        assertFalse(t.isContiguous() && t.numel() > 1 && Arrays.stream(shape).filter(x -> x > 1).count() > 1, "test setup");
        return t;
    }

    @Test
    void everyEquationMatchesTheDefinitionInFloat64() {
        Generator gen = new Generator(1);
        for (Case c : CASES) {
            for (boolean contiguous : new boolean[] {true, false}) {
                Tensor[] ops = operands(gen, c, contiguous);
                assertClose(naive(c.reference(), ops), Tensor.einsum(c.equation(), ops), 1e-12,
                        c.equation() + (contiguous ? "" : " (non-contiguous)"));
            }
        }
    }

    @Test
    void everyEquationMatchesTheDefinitionInFloat32() {
        Generator gen = new Generator(2);
        for (Case c : CASES) {
            Tensor[] ops = operands(gen, c, false);
            Tensor[] ops32 = Arrays.stream(ops).map(t -> t.to(DType.FLOAT32)).toArray(Tensor[]::new);
            Tensor out = Tensor.einsum(c.equation(), ops32);
            assertEquals(DType.FLOAT32, out.dtype(), c.equation());
            assertClose(naive(c.reference(), ops32), out, 1e-5, c.equation() + " in float32");
        }
    }

    @Test
    void everyEquationHasCorrectFirstAndSecondDerivatives() {
        Generator gen = new Generator(3);
        for (Case c : CASES) {
            for (boolean contiguous : new boolean[] {true, false}) {
                Tensor[] ops = operands(gen, c, contiguous);
                for (Tensor t : ops) t.requiresGrad(true);
                String what = c.equation() + (contiguous ? "" : " (non-contiguous)");
                try {
                    GradCheck.check(in -> Tensor.einsum(c.equation(), in.toArray(Tensor[]::new)), ops);
                    // Squared, so that the second derivative of a multilinear contraction also has a
                    // diagonal (same-operand) part to get right.
                    GradCheck.checkSecondOrder(in -> {
                        Tensor y = Tensor.einsum(c.equation(), in.toArray(Tensor[]::new));
                        return y.mul(y).sum();
                    }, ops);
                } catch (GradCheckException e) {
                    fail(what + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Test
    void closedFormsOfTheClassicEquations() {
        Generator gen = new Generator(4);
        Tensor a = Tensor.randn(gen, 4, 4).to(DType.FLOAT64);
        double trace = 0;
        for (int i = 0; i < 4; i++) trace += a.get(i, i);
        assertEquals(trace, Tensor.einsum("ii->", a).item(), 1e-12);
        Tensor diag = Tensor.einsum("ii->i", a);
        for (int i = 0; i < 4; i++) assertEquals(a.get(i, i), diag.get(i), 0.0);

        Tensor q = Tensor.randn(gen, 2, 3, 5, 4).to(DType.FLOAT64), k = Tensor.randn(gen, 2, 3, 6, 4).to(DType.FLOAT64);
        assertClose(q.matmul(k.transpose(-1, -2)), Tensor.einsum("bhqd,bhkd->bhqk", q, k), 1e-12, "attention scores");

        Tensor x = Tensor.randn(gen, 2, 1, 3, 4).to(DType.FLOAT64), y = Tensor.randn(gen, 5, 4, 6).to(DType.FLOAT64);
        assertClose(x.matmul(y), Tensor.einsum("...ij,...jk->...ik", x, y), 1e-12, "broadcast batch matmul");

        Tensor u = Tensor.randn(gen, 4).to(DType.FLOAT64), v = Tensor.randn(gen, 4).to(DType.FLOAT64);
        assertClose(u.mul(v).sum(), Tensor.einsum("i,i->", u, v), 1e-12, "dot");
        assertClose(u.matmul(a).matmul(v), Tensor.einsum("i,ij,j->", u, a, v), 1e-12, "bilinear");
        assertClose(a.t(), Tensor.einsum("ij->ji", a), 0, "transpose");
    }

    @Test
    void emptyDimensionsGiveZerosOrEmptyResults() {
        Generator gen = new Generator(5);
        Tensor a = Tensor.randn(gen, 3, 0).to(DType.FLOAT64), b = Tensor.randn(gen, 0, 2).to(DType.FLOAT64);
        assertClose(Tensor.zeros(DType.FLOAT64, 3, 2), Tensor.einsum("ij,jk->ik", a, b), 0, "inner size 0");
        assertArrayEquals(new int[] {0}, Tensor.einsum("ii->i", Tensor.zeros(0, 0)).shape());
        assertEquals(0.0, Tensor.einsum("ii->", Tensor.zeros(0, 0)).item());
        assertArrayEquals(new int[] {3, 0}, Tensor.einsum("ij->ij", a).shape());
    }

    // ------------------------------------------------------------ "ij,jk->ik" is one matmul

    @Test
    void matrixProductIsExactlyOneMatmulOfTheOperands() {
        Generator gen = new Generator(6);
        Tensor a = Tensor.randn(gen, 5, 7).requiresGrad(true), b = Tensor.randn(gen, 7, 3).requiresGrad(true);
        Tensor y = Tensor.einsum("ij,jk->ik", a, b);
        assertEquals("matmul", y.gradFnName());
        assertTrue(y.gradFn.next[0].isLeafAccumulator() && y.gradFn.next[1].isLeafAccumulator(),
                "the matmul's inputs are the operands themselves, with nothing recorded between");
        assertArrayEquals(a.matmul(b).toFloatArray(), y.toFloatArray());
        // A transposed operand is a view matmul reads in place.
        Tensor bt = Tensor.randn(gen, 3, 7).requiresGrad(true);
        Tensor z = Tensor.einsum("ij,kj->ik", a, bt);
        assertEquals("matmul", z.gradFnName());
        assertEquals("permute", z.gradFn.next[1].op);
    }

    /** The lecture's rule: the gradient of a contraction is the same contraction with the indices swapped. */
    @Test
    void gradientsAreTheContractionWithTheIndicesSwapped() {
        Generator gen = new Generator(7);
        Tensor a = Tensor.randn(gen, 3, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(gen, 4, 5).to(DType.FLOAT64).requiresGrad(true);
        Tensor g = Tensor.randn(gen, 3, 5).to(DType.FLOAT64);
        List<Tensor> grads = Autograd.grad(Tensor.einsum("ij,jk->ik", a, b), List.of(a, b), g, false, false);
        assertClose(Tensor.einsum("ik,jk->ij", g, b), grads.get(0), 1e-12, "dL/da");
        assertClose(Tensor.einsum("ij,ik->jk", a, g), grads.get(1), 1e-12, "dL/db");

        Tensor m = Tensor.randn(gen, 4, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor gd = Tensor.randn(gen, 4).to(DType.FLOAT64);
        Tensor dm = Autograd.grad(Tensor.einsum("ii->i", m), List.of(m), gd, false, false).get(0);
        // "ii->i" backward: g placed on the diagonal, i.e. einsum("i,ij->ij", g, I).
        assertClose(Tensor.einsum("i,ij->ij", gd, Tensor.eye(DType.FLOAT64, 4)), dm, 0, "d diag / dm");

        // The other rows of the table in docs/autograd.md, section 6.
        Tensor u = Tensor.randn(gen, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor v = Tensor.randn(gen, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor g0 = Tensor.scalar(DType.FLOAT64, 1.7);
        List<Tensor> dot = Autograd.grad(Tensor.einsum("i,i->", u, v), List.of(u, v), g0, false, false);
        assertClose(Tensor.einsum(",i->i", g0, v), dot.get(0), 1e-12, "dot: du");
        assertClose(Tensor.einsum(",i->i", g0, u), dot.get(1), 1e-12, "dot: dv");

        Tensor x = Tensor.randn(gen, 3).to(DType.FLOAT64).requiresGrad(true);
        Tensor y = Tensor.randn(gen, 4).to(DType.FLOAT64).requiresGrad(true);
        List<Tensor> bil = Autograd.grad(Tensor.einsum("i,ij,j->", x, a, y), List.of(x, a, y), g0, false, false);
        assertClose(Tensor.einsum(",ij,j->i", g0, a, y), bil.get(0), 1e-12, "bilinear: dx");
        assertClose(Tensor.einsum(",i,j->ij", g0, x, y), bil.get(1), 1e-12, "bilinear: dA");
        assertClose(Tensor.einsum(",i,ij->j", g0, x, a), bil.get(2), 1e-12, "bilinear: dy");

        Tensor q = Tensor.randn(gen, 2, 2, 3, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor k = Tensor.randn(gen, 2, 2, 5, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor gs = Tensor.randn(gen, 2, 2, 3, 5).to(DType.FLOAT64);
        List<Tensor> att = Autograd.grad(Tensor.einsum("bhqd,bhkd->bhqk", q, k), List.of(q, k), gs, false, false);
        assertClose(Tensor.einsum("bhqk,bhkd->bhqd", gs, k), att.get(0), 1e-12, "attention: dQ");
        assertClose(Tensor.einsum("bhqk,bhqd->bhkd", gs, q), att.get(1), 1e-12, "attention: dK");

        Tensor gj = Tensor.randn(gen, 4).to(DType.FLOAT64);
        Tensor dsum = Autograd.grad(Tensor.einsum("ij->j", a), List.of(a), gj, false, false).get(0);
        assertClose(Tensor.einsum("j,i->ij", gj, Tensor.ones(DType.FLOAT64, 3)), dsum, 0, "column sums: da");
    }

    // ------------------------------------------------------------ errors

    static String error(String equation, Tensor... ops) {
        return assertThrows(IllegalArgumentException.class, () -> Tensor.einsum(equation, ops)).getMessage();
    }

    @Test
    void sizesThatDisagreeNameTheLabelAndTheOperands() {
        assertEquals("einsum: label j has size 3 in operand 0 but 4 in operand 1 (shapes [2, 3] and [4, 5];"
                + " sizes must be equal or 1)", error("ij,jk->ik", Tensor.zeros(2, 3), Tensor.zeros(4, 5)));
        assertTrue(error("ii->i", Tensor.zeros(2, 3)).startsWith(
                "einsum: label i is repeated in operand 0 (shape [2, 3]) with sizes 2 and 3"));
        assertTrue(error("...i,...i->...", Tensor.zeros(2, 3), Tensor.zeros(4, 3)).startsWith(
                "einsum: dimension 0 of the ellipsis '...' has size 2 in operand 0 but 4 in operand 1"));
        assertTrue(error("ij,jk,kl->il", Tensor.zeros(2, 3), Tensor.zeros(3, 4), Tensor.zeros(5, 2)).startsWith(
                "einsum: label k has size 4 in operand 1 but 5 in operand 2"));
    }

    @Test
    void malformedEquationsAreRefusedClearly() {
        Tensor m = Tensor.zeros(2, 3), v = Tensor.zeros(3);
        assertEquals("einsum: the equation \"ij,jk->ik\" has subscripts for 2 operands but 1 operand was given",
                error("ij,jk->ik", m));
        assertEquals("einsum: the equation \"ij->ij\" has subscripts for 1 operand but 2 operands were given",
                error("ij->ij", m, m));
        assertEquals("einsum: invalid character '1' in \"i1\", the subscripts of operand 0 in \"i1->i\""
                + " (subscripts are letters a-z and A-Z, and at most one '...')", error("i1->i", m));
        assertTrue(error("ij->i_", m).contains("invalid character '_' in \"i_\", the subscripts of the output"));
        assertEquals("einsum: output label k of \"ij->k\" appears in no operand's subscripts", error("ij->k", m));
        assertEquals("einsum: label i appears more than once in the output \"ii\" of \"ij->ii\""
                + " (output labels must be distinct)", error("ij->ii", m));
        assertEquals("einsum: operand 0 has shape [2, 3] (2 dimensions) but its subscripts \"ijk\" name 3"
                + " (and have no '...' for the rest)", error("ijk->i", m));
        assertTrue(error("ij...->i", v).startsWith("einsum: operand 0 has shape [3] (1 dimension)"));
        assertTrue(error("...i...->i", m).startsWith("einsum: more than one '...' in \"...i...\""));
        assertTrue(error("i.j->i", m).contains("is not part of an ellipsis '...'"));
        assertEquals("einsum: more than one '->' in \"ij->i->i\"", error("ij->i->i", m));
        assertTrue(error("i->i").startsWith("einsum: no operands were given"));
    }
}
