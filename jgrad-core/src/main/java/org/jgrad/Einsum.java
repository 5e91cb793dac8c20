package org.jgrad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@link Tensor#einsum}: an indexed contraction, built from ops that already have derivatives, so it
 * records no node of its own and its gradient (the same contraction with the roles of the indices
 * swapped) is differentiable again.
 *
 * <p>The plan, for each operand: a repeated label takes the diagonal (permute the two dims to the end,
 * reshape them into one of n·n, and slice every (n+1)-th element); a label no other operand and not
 * the output uses is summed away. Then the operands are contracted left to right. Each pair becomes
 * one (batched, broadcast) {@code matmul}: labels both share and still need are the batch, labels only
 * one side has are the rows or the columns, labels both share and nobody needs afterwards are the inner
 * dimension. A pair with nothing to contract is a broadcast {@code mul}. Permutes and reshapes that
 * would change nothing are skipped, so {@code "ij,jk->ik"} is exactly {@code a.matmul(b)}.
 *
 * <p>Labels are ints: a letter is its character code, dimension k of the broadcast ellipsis (counted
 * from the left of the widest one) is {@code ELLIPSIS + k}.
 */
final class Einsum {
    private Einsum() {}

    private static final int ELLIPSIS = 1 << 16;
    /** Marks the position of "..." in a parsed term before it is expanded into labels. */
    private static final int DOTS = -1;

    static Tensor einsum(String equation, Tensor... operands) {
        Objects.requireNonNull(equation, "einsum: equation is null");
        Objects.requireNonNull(operands, "einsum: operands is null");
        for (int i = 0; i < operands.length; i++) {
            if (operands[i] == null) throw new NullPointerException("einsum: operand " + i + " is null");
        }
        if (operands.length == 0) {
            throw new IllegalArgumentException("einsum: no operands were given for \"" + equation + "\" (at least one is needed)");
        }
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        if (arrow >= 0 && eq.indexOf("->", arrow + 2) >= 0) {
            throw new IllegalArgumentException("einsum: more than one '->' in \"" + equation + "\"");
        }
        String lhs = arrow >= 0 ? eq.substring(0, arrow) : eq;
        String[] terms = lhs.split(",", -1);
        if (terms.length != operands.length) {
            throw new IllegalArgumentException("einsum: the equation \"" + equation + "\" has subscripts for " + terms.length
                    + " operand" + (terms.length == 1 ? "" : "s") + " but " + operands.length + " operand"
                    + (operands.length == 1 ? " was" : "s were") + " given");
        }

        // Parse every term, then expand "..." into the ellipsis labels, right-aligned as broadcasting is.
        int n = operands.length;
        int[][] parsed = new int[n][];
        int ellipsisDims = 0;
        int[] ownEllipsis = new int[n];
        for (int i = 0; i < n; i++) {
            parsed[i] = parseTerm(terms[i], "operand " + i, equation);
            int letters = 0;
            boolean dots = false;
            for (int l : parsed[i]) if (l == DOTS) dots = true; else letters++;
            int rank = operands[i].dim();
            if (dots ? letters > rank : letters != rank) {
                throw new IllegalArgumentException("einsum: operand " + i + " has shape " + Shapes.str(operands[i].shape())
                        + " (" + rank + " dimension" + (rank == 1 ? "" : "s") + ") but its subscripts \"" + terms[i]
                        + "\" name " + letters + (dots ? " (plus '...')" : " (and have no '...' for the rest)"));
            }
            ownEllipsis[i] = dots ? rank - letters : 0;
            ellipsisDims = Math.max(ellipsisDims, ownEllipsis[i]);
        }
        int[][] labels = new int[n][];
        for (int i = 0; i < n; i++) labels[i] = expand(parsed[i], ownEllipsis[i], ellipsisDims);

        int[] output = arrow >= 0 ? outputLabels(eq.substring(arrow + 2), labels, ellipsisDims, equation)
                                  : implicitOutput(labels, ellipsisDims);
        checkSizes(operands, labels);

        // Per operand: diagonals of repeated labels, then sums over labels used nowhere else.
        Tensor[] ts = new Tensor[n];
        int[][] ls = new int[n][];
        for (int i = 0; i < n; i++) {
            Labelled d = diagonals(operands[i], labels[i]);
            List<Integer> drop = new ArrayList<>();
            for (int l : d.labels) {
                boolean elsewhere = contains(output, l);
                for (int j = 0; j < n && !elsewhere; j++) if (j != i) elsewhere = contains(labels[j], l);
                if (!elsewhere) drop.add(l);
            }
            Labelled s = sumOut(d, drop);
            ts[i] = s.t;
            ls[i] = s.labels;
        }

        Labelled cur = new Labelled(ts[0], ls[0]);
        for (int i = 1; i < n; i++) {
            TreeSet<Integer> keep = new TreeSet<>();
            for (int l : output) keep.add(l);
            for (int j = i + 1; j < n; j++) for (int l : ls[j]) keep.add(l);
            cur = pair(cur, new Labelled(ts[i], ls[i]), keep);
        }
        return permuteTo(cur, output).t;
    }

    /** A tensor and the label of each of its dimensions. */
    private record Labelled(Tensor t, int[] labels) {
        int size(int label) {
            return t.shape[indexOf(labels, label)];
        }
    }

    // ------------------------------------------------------------ parsing

    private static int[] parseTerm(String term, String what, String equation) {
        List<Integer> out = new ArrayList<>();
        boolean dots = false;
        for (int k = 0; k < term.length(); k++) {
            char c = term.charAt(k);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                out.add((int) c);
            } else if (c == '.') {
                if (!term.startsWith("...", k)) {
                    throw new IllegalArgumentException("einsum: '.' in \"" + term + "\", the subscripts of " + what + " in \""
                            + equation + "\", is not part of an ellipsis '...'");
                }
                if (dots) {
                    throw new IllegalArgumentException("einsum: more than one '...' in \"" + term + "\", the subscripts of "
                            + what + " in \"" + equation + "\"");
                }
                dots = true;
                out.add(DOTS);
                k += 2;
            } else {
                throw new IllegalArgumentException("einsum: invalid character '" + c + "' in \"" + term
                        + "\", the subscripts of " + what + " in \"" + equation
                        + "\" (subscripts are letters a-z and A-Z, and at most one '...')");
            }
        }
        return concat(out);
    }

    /** The term's labels with "..." replaced by its own ellipsis dims, the rightmost of the widest ellipsis. */
    private static int[] expand(int[] term, int own, int widest) {
        int[] out = new int[term.length - (contains(term, DOTS) ? 1 : 0) + own];
        int k = 0;
        for (int l : term) {
            if (l == DOTS) {
                for (int e = 0; e < own; e++) out[k++] = ELLIPSIS + widest - own + e;
            } else {
                out[k++] = l;
            }
        }
        return out;
    }

    private static int[] outputLabels(String term, int[][] inputs, int ellipsisDims, String equation) {
        int[] parsed = parseTerm(term, "the output", equation);
        for (int a = 0; a < parsed.length; a++) {
            int l = parsed[a];
            if (l == DOTS) continue;
            for (int b = 0; b < a; b++) {
                if (parsed[b] == l) {
                    throw new IllegalArgumentException("einsum: label " + (char) l + " appears more than once in the output \""
                            + term + "\" of \"" + equation + "\" (output labels must be distinct)");
                }
            }
            boolean found = false;
            for (int[] in : inputs) found |= contains(in, l);
            if (!found) {
                throw new IllegalArgumentException("einsum: output label " + (char) l + " of \"" + equation
                        + "\" appears in no operand's subscripts");
            }
        }
        // "..." in the output stands for all the broadcast ellipsis dims; without it, they are summed.
        return expand(parsed, contains(parsed, DOTS) ? ellipsisDims : 0, ellipsisDims);
    }

    /** NumPy's implicit output: the ellipsis dims, then the letters used exactly once, in alphabetical order. */
    private static int[] implicitOutput(int[][] inputs, int ellipsisDims) {
        int[] count = new int[128];
        for (int[] in : inputs) for (int l : in) if (l < ELLIPSIS) count[l]++;
        List<Integer> out = new ArrayList<>();
        for (int e = 0; e < ellipsisDims; e++) out.add(ELLIPSIS + e);
        for (int c = 0; c < count.length; c++) if (count[c] == 1) out.add(c);
        return concat(out);
    }

    private static String name(int label) {
        return label >= ELLIPSIS ? "dimension " + (label - ELLIPSIS) + " of the ellipsis '...'" : "label " + (char) label;
    }

    /**
     * A repeated label must have one size within its operand; across operands sizes must agree or be 1
     * (a size-1 label broadcasts, as in PyTorch).
     */
    private static void checkSizes(Tensor[] operands, int[][] labels) {
        for (int i = 0; i < operands.length; i++) {
            int[] s = operands[i].shape();
            for (int a = 0; a < labels[i].length; a++) {
                for (int b = 0; b < a; b++) {
                    if (labels[i][a] == labels[i][b] && s[a] != s[b]) {
                        throw new IllegalArgumentException("einsum: " + name(labels[i][a]) + " is repeated in operand " + i
                                + " (shape " + Shapes.str(s) + ") with sizes " + s[b] + " and " + s[a]
                                + " (a repeated label takes the diagonal, so its sizes must be equal)");
                    }
                }
                for (int j = 0; j < i; j++) {
                    int b = indexOf(labels[j], labels[i][a]);
                    if (b < 0) continue;
                    int other = operands[j].shape()[b];
                    if (other != s[a] && other != 1 && s[a] != 1) {
                        throw new IllegalArgumentException("einsum: " + name(labels[i][a]) + " has size " + other
                                + " in operand " + j + " but " + s[a] + " in operand " + i + " (shapes "
                                + Shapes.str(operands[j].shape()) + " and " + Shapes.str(s) + "; sizes must be equal or 1)");
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------ the contraction, in ops

    /** Takes the diagonal of every repeated label: x[..., i, ..., i, ...] becomes y[..., i]. */
    private static Labelled diagonals(Tensor t, int[] labels) {
        while (true) {
            int p = -1, q = -1;
            for (int a = 0; a < labels.length && p < 0; a++) {
                for (int b = a + 1; b < labels.length; b++) {
                    if (labels[a] == labels[b]) {
                        p = a;
                        q = b;
                        break;
                    }
                }
            }
            if (p < 0) return new Labelled(t, labels);
            int r = labels.length, size = t.shape[p];
            int[] perm = new int[r], rest = new int[r - 1], shape = new int[r - 1];
            for (int d = 0, k = 0; d < r; d++) {
                if (d != p && d != q) {
                    perm[k] = d;
                    rest[k] = labels[d];
                    shape[k++] = t.shape[d];
                }
            }
            perm[r - 2] = p;
            perm[r - 1] = q;
            rest[r - 2] = labels[p];
            shape[r - 2] = size * size;
            // In the flattened n·n block, element (i, i) sits at i·(n + 1).
            t = permuteIfNeeded(t, perm).reshape(shape).slice(r - 2, 0, size * size, size + 1);
            labels = rest;
        }
    }

    private static Labelled sumOut(Labelled x, List<Integer> drop) {
        if (drop.isEmpty()) return x;
        int[] dims = new int[drop.size()];
        int[] rest = new int[x.labels.length - drop.size()];
        for (int d = 0, k = 0, r = 0; d < x.labels.length; d++) {
            if (drop.contains(x.labels[d])) dims[k++] = d; else rest[r++] = x.labels[d];
        }
        return new Labelled(x.t.sum(dims, false), rest);
    }

    /** Contracts a with b, keeping the labels in keep and summing the others. */
    private static Labelled pair(Labelled a, Labelled b, TreeSet<Integer> keep) {
        List<Integer> batch = new ArrayList<>(), left = new ArrayList<>(), inner = new ArrayList<>(), right = new ArrayList<>();
        List<Integer> dropA = new ArrayList<>(), dropB = new ArrayList<>();
        for (int l : a.labels) {
            if (contains(b.labels, l)) (keep.contains(l) ? batch : inner).add(l);
            else (keep.contains(l) ? left : dropA).add(l);
        }
        for (int l : b.labels) if (!contains(a.labels, l)) (keep.contains(l) ? right : dropB).add(l);
        a = sumOut(a, dropA);
        b = sumOut(b, dropB);
        // An inner label of size 1 on one side broadcasts: Σⱼ aᵢ₁·bⱼₖ = aᵢ₁·Σⱼ bⱼₖ, so the other side is summed first.
        for (int l : inner) {
            int sa = a.size(l), sb = b.size(l);
            if (sa == 1 && sb != 1) b = new Labelled(b.t.sum(indexOf(b.labels, l), true), b.labels);
            else if (sb == 1 && sa != 1) a = new Labelled(a.t.sum(indexOf(a.labels, l), true), a.labels);
        }
        int[] out = concat(batch, left, right);
        if (inner.isEmpty()) {
            // Nothing to contract: a broadcast product, each side with size-1 dims for the other's labels.
            Tensor ta = permuteTo(a, concat(batch, left)).t, tb = permuteTo(b, concat(batch, right)).t;
            int nb = batch.size();
            int[] sa = new int[out.length], sb = new int[out.length];
            Arrays.fill(sa, 1);
            Arrays.fill(sb, 1);
            System.arraycopy(ta.shape, 0, sa, 0, ta.shape.length);
            System.arraycopy(tb.shape, 0, sb, 0, nb);
            System.arraycopy(tb.shape, nb, sb, nb + left.size(), right.size());
            return new Labelled(reshapeIfNeeded(ta, sa).mul(reshapeIfNeeded(tb, sb)), out);
        }
        Tensor ta = permuteTo(a, concat(batch, left, inner)).t;
        Tensor tb = permuteTo(b, concat(batch, inner, right)).t;
        int nb = batch.size();
        int m = product(ta.shape, nb, nb + left.size()), k = product(ta.shape, nb + left.size(), ta.shape.length);
        int nn = product(tb.shape, nb + inner.size(), tb.shape.length);
        int[] sa = Arrays.copyOf(ta.shape, nb + 2), sb = Arrays.copyOf(tb.shape, nb + 2);
        sa[nb] = m;
        sa[nb + 1] = k;
        sb[nb] = k;
        sb[nb + 1] = nn;
        Tensor c = reshapeIfNeeded(ta, sa).matmul(reshapeIfNeeded(tb, sb));
        int[] shape = new int[out.length];
        System.arraycopy(c.shape, 0, shape, 0, nb);
        System.arraycopy(ta.shape, nb, shape, nb, left.size());
        System.arraycopy(tb.shape, nb + inner.size(), shape, nb + left.size(), right.size());
        return new Labelled(reshapeIfNeeded(c, shape), out);
    }

    private static Labelled permuteTo(Labelled x, int[] order) {
        int[] perm = new int[order.length];
        for (int k = 0; k < order.length; k++) perm[k] = indexOf(x.labels, order[k]);
        return new Labelled(permuteIfNeeded(x.t, perm), order);
    }

    private static Tensor permuteIfNeeded(Tensor t, int[] perm) {
        for (int k = 0; k < perm.length; k++) if (perm[k] != k) return t.permute(perm);
        return t;
    }

    private static Tensor reshapeIfNeeded(Tensor t, int[] shape) {
        return Arrays.equals(t.shape, shape) ? t : t.reshape(shape);
    }

    // ------------------------------------------------------------ small helpers

    private static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int d = from; d < to; d++) p *= shape[d];
        return p;
    }

    @SafeVarargs
    private static int[] concat(List<Integer>... parts) {
        int n = 0;
        for (List<Integer> p : parts) n += p.size();
        int[] out = new int[n];
        int k = 0;
        for (List<Integer> p : parts) for (int l : p) out[k++] = l;
        return out;
    }

    private static int indexOf(int[] labels, int l) {
        for (int k = 0; k < labels.length; k++) if (labels[k] == l) return k;
        return -1;
    }

    private static boolean contains(int[] labels, int l) {
        return indexOf(labels, l) >= 0;
    }
}
