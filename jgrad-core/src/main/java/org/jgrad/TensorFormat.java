package org.jgrad;

import java.util.Locale;

/**
 * PyTorch-like printing: nested brackets, aligned values, and "..." in place of the middle of
 * any dimension longer than six when the tensor has more than a thousand elements.
 *
 * <p>As in PyTorch, one notation is chosen for the whole tensor from the values shown: integers
 * ("3."), fixed point with four decimals, or scientific when the magnitudes span more than three
 * decades or leave the range [1e-4, 1e8].
 */
final class TensorFormat {
    private TensorFormat() {}

    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private enum Notation { INTEGER, INT64, FIXED, SCIENTIFIC }

    static String format(Tensor t) {
        boolean summarize = t.numel() > THRESHOLD;
        double[] shown = shownValues(t, summarize);
        Notation notation = notation(t.dtype(), shown);
        int width = 1;
        for (double v : shown) width = Math.max(width, value(v, notation).length());
        StringBuilder sb = new StringBuilder("tensor(");
        String indent = " ".repeat("tensor(".length());
        appendDim(sb, t, 0, new int[t.dim()], indent, notation, width, summarize);
        sb.append(", shape=").append(Shapes.str(t.shape)).append(", dtype=").append(t.dtype());
        if (t.gradFn != null) sb.append(", gradFn=").append(t.gradFn.op);
        else if (t.requiresGrad()) sb.append(", requiresGrad=true");
        return sb.append(')').toString();
    }

    /** The index after {@code i} along a dimension of size n, skipping the elided middle. */
    private static int next(int i, int n, boolean summarize) {
        return summarize && n > 2 * EDGE && i == EDGE - 1 ? n - EDGE : i + 1;
    }

    /** The values that will be printed, in order: the notation and the width depend only on them. */
    private static double[] shownValues(Tensor t, boolean summarize) {
        int count = 1;
        for (int s : t.shape) count *= summarize && s > 2 * EDGE ? 2 * EDGE : s;
        double[] out = new double[count];
        int[] idx = new int[t.dim()];
        int[] pos = {0};
        collect(t, 0, idx, summarize, out, pos);
        return out;
    }

    private static void collect(Tensor t, int d, int[] idx, boolean summarize, double[] out, int[] pos) {
        if (d == t.dim()) {
            out[pos[0]++] = t.get(idx);
            return;
        }
        int n = t.shape[d];
        for (int i = 0; i < n; i = next(i, n, summarize)) {
            idx[d] = i;
            collect(t, d + 1, idx, summarize, out, pos);
        }
    }

    private static Notation notation(DType dtype, double[] values) {
        if (dtype == DType.INT64) return Notation.INT64;
        double max = 0, min = Double.POSITIVE_INFINITY;
        boolean integral = true;
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            if (v != Math.rint(v)) integral = false;
            double a = Math.abs(v);
            if (a == 0) continue;
            max = Math.max(max, a);
            min = Math.min(min, a);
        }
        if (max == 0) return integral ? Notation.INTEGER : Notation.FIXED; // only zeros and non-finite values
        if (integral) return max > 1e8 ? Notation.SCIENTIFIC : Notation.INTEGER;
        return max / min > 1000 || max > 1e8 || min < 1e-4 ? Notation.SCIENTIFIC : Notation.FIXED;
    }

    private static String value(double v, Notation notation) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return switch (notation) {
            case INT64 -> Long.toString((long) v);
            case INTEGER -> String.format(Locale.ROOT, "%.0f.", v);
            case FIXED -> String.format(Locale.ROOT, "%.4f", v);
            case SCIENTIFIC -> String.format(Locale.ROOT, "%.4e", v);
        };
    }

    private static void appendDim(StringBuilder sb, Tensor t, int d, int[] idx, String indent, Notation notation,
                                  int width, boolean summarize) {
        if (d == t.dim()) {
            String s = value(t.get(idx), notation);
            sb.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
            return;
        }
        boolean innermost = d == t.dim() - 1;
        // Between rows of a matrix one newline; between matrices of a 3-D tensor a blank line; and so on.
        String separator = innermost ? ", " : "," + "\n".repeat(t.dim() - d - 1) + indent + " ".repeat(d + 1);
        int n = t.shape[d];
        sb.append('[');
        for (int i = 0; i < n; ) {
            idx[d] = i;
            appendDim(sb, t, d + 1, idx, indent, notation, width, summarize);
            int following = next(i, n, summarize);
            if (following < n) {
                sb.append(separator);
                if (following != i + 1) sb.append("...").append(separator);
            }
            i = following;
        }
        sb.append(']');
    }
}
