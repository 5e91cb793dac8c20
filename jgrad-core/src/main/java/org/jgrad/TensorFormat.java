package org.jgrad;

import java.util.Locale;

/**
 * PyTorch-like printing: nested brackets, aligned values, and "..." in place of the middle of
 * any dimension longer than six when the tensor has more than a thousand elements.
 */
final class TensorFormat {
    private TensorFormat() {}

    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    static String format(Tensor t) {
        boolean summarize = t.numel() > THRESHOLD;
        boolean integral = !t.dtype().isFloatingPoint() || allIntegral(t);
        StringBuilder sb = new StringBuilder("tensor(");
        String indent = " ".repeat("tensor(".length());
        int width = valueWidth(t, integral, summarize);
        appendDim(sb, t, 0, new int[t.dim()], indent, integral, width, summarize);
        sb.append(", shape=").append(Shapes.str(t.shape)).append(", dtype=").append(t.dtype());
        if (t.gradFn != null) sb.append(", gradFn=").append(t.gradFn.op);
        else if (t.requiresGrad()) sb.append(", requiresGrad=true");
        return sb.append(')').toString();
    }

    private static boolean allIntegral(Tensor t) {
        double[] v = t.toDoubleArray();
        for (double x : v) if (x != Math.rint(x) || Double.isInfinite(x)) return false;
        return v.length > 0;
    }

    private static String value(double v, boolean integral, DType dtype) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (dtype == DType.INT64) return Long.toString((long) v);
        if (integral) return String.format(Locale.ROOT, "%.0f.", v);
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e8 || a < 1e-4)) return String.format(Locale.ROOT, "%.4e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static int valueWidth(Tensor t, boolean integral, boolean summarize) {
        int w = 1;
        double[] v = t.toDoubleArray();
        int n = summarize ? Math.min(v.length, 2000) : v.length;
        for (int i = 0; i < n; i++) w = Math.max(w, value(v[i], integral, t.dtype()).length());
        return w;
    }

    private static void appendDim(StringBuilder sb, Tensor t, int d, int[] idx, String indent, boolean integral,
                                  int width, boolean summarize) {
        if (d == t.dim()) {
            String s = value(t.get(idx), integral, t.dtype());
            sb.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
            return;
        }
        int n = t.shape[d];
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(d == t.dim() - 1 ? "..., " : "...,\n" + indent + " ".repeat(d + 1));
                i = n - EDGE - 1;
                continue;
            }
            idx[d] = i;
            appendDim(sb, t, d + 1, idx, indent, integral, width, summarize);
            if (i < n - 1) {
                if (d == t.dim() - 1) sb.append(", ");
                else sb.append(",").append("\n".repeat(t.dim() - d - 1)).append(indent).append(" ".repeat(d + 1));
            }
        }
        sb.append(']');
    }
}
