package org.jgrad.nn;

import java.math.BigDecimal;

/** Formats layer settings the way PyTorch prints them, so printed models read the same in both. */
final class Repr {
    private Repr() {}

    /** A Python tuple: {@code (3, 3)}, or {@code (3,)} for one element. */
    static String tuple(int... v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(v[i]);
        return sb.append(v.length == 1 ? ",)" : ")").toString();
    }

    /** A size given as one value or a pair: an int when both are equal (as the user most likely wrote it). */
    static String intOrTuple(int[] v) {
        return v[0] == v[1] ? Integer.toString(v[0]) : tuple(v);
    }

    /** A Python bool. */
    static String bool(boolean b) {
        return b ? "True" : "False";
    }

    /** A Python float: {@code 0.1}, {@code 1e-05}, {@code 2.0}, {@code 0.0005}. */
    static String number(double x) {
        String s = Double.toString(x); // shortest round-trip digits, like Python's repr
        int e = s.indexOf('E');
        if (e < 0) return s;
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        int exp = Integer.parseInt(s.substring(e + 1));
        if (Math.abs(x) >= 1e-4 && Math.abs(x) < 1e16) {
            return new BigDecimal(s).toPlainString(); // Python writes these without an exponent
        }
        // Python: at least two exponent digits and an explicit sign.
        return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }
}
