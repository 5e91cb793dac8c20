package org.jgrad.cli;

import java.util.List;

/** Counts of (true class, predicted class) pairs, printed with rows as true classes. */
final class ConfusionMatrix {
    private final long[][] counts;
    private final List<String> classes;

    ConfusionMatrix(List<String> classes) {
        this.classes = List.copyOf(classes);
        this.counts = new long[classes.size()][classes.size()];
    }

    void add(long[] truth, long[] predicted) {
        for (int i = 0; i < truth.length; i++) counts[(int) truth[i]][(int) predicted[i]]++;
    }

    long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    long total() {
        long t = 0;
        for (long[] row : counts) for (long c : row) t += c;
        return t;
    }

    double accuracy() {
        long correct = 0;
        for (int i = 0; i < counts.length; i++) correct += counts[i][i];
        long t = total();
        return t == 0 ? 0 : (double) correct / t;
    }

    /**
     * A table: a header of predicted class indices, then one row per true class with its index and
     * name (when the names are more than the indices) and its counts.
     */
    String format() {
        int k = classes.size();
        boolean named = false;
        for (int i = 0; i < k; i++) named |= !classes.get(i).equals(Integer.toString(i));
        int nameWidth = Integer.toString(k - 1).length();
        if (named) for (String c : classes) nameWidth = Math.max(nameWidth, Integer.toString(k - 1).length() + 1 + c.length());
        long max = 1;
        for (long[] row : counts) for (long c : row) max = Math.max(max, c);
        int w = Math.max(Long.toString(max).length(), Integer.toString(k - 1).length()) + 1;
        StringBuilder sb = new StringBuilder("confusion matrix (rows: true class, columns: predicted class)\n");
        sb.append(" ".repeat(nameWidth));
        for (int j = 0; j < k; j++) sb.append(padLeft(Integer.toString(j), w));
        sb.append('\n');
        for (int i = 0; i < k; i++) {
            String name = named ? i + " " + classes.get(i) : Integer.toString(i);
            sb.append(name).append(" ".repeat(nameWidth - name.length()));
            for (int j = 0; j < k; j++) sb.append(padLeft(Long.toString(counts[i][j]), w));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }
}
