package org.jgrad.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Training curves as a standalone SVG (no dependency, opens in any browser): loss per epoch and
 * accuracy per epoch, training and test; for a 2-D data set a third panel shows the decision
 * regions, shaded by the predicted probability as in the TensorFlow Playground (orange class 0,
 * blue class 1, white where the model is unsure), with the training points on top.
 */
final class SvgPlot {
    private static final int PANEL_W = 380, PANEL_H = 300, MARGIN_L = 56, MARGIN_R = 16, MARGIN_T = 34, MARGIN_B = 44;
    private static final String TRAIN_COLOR = "#1f77b4", TEST_COLOR = "#d62728";
    private static final int[] ORANGE = {245, 147, 34}, BLUE = {8, 119, 189};

    private SvgPlot() {}

    /** One value per epoch for each curve. */
    record Curves(List<Double> trainLoss, List<Double> testLoss, List<Double> trainAcc, List<Double> testAcc) {}

    /**
     * Model output over a {@code res}×{@code res} grid covering [xMin, xMax]×[yMin, yMax] (row 0 at yMax),
     * as the probability of class 1, and the training points with their labels.
     */
    record Regions(double xMin, double xMax, double yMin, double yMax, int res, float[] p1, float[] px, float[] py, long[] labels) {}

    static void write(Path file, String title, Curves curves, Regions regions) throws IOException {
        String svg = render(title, curves, regions);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        // Written beside the target and renamed, so a viewer never sees half a file.
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, svg, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String render(String title, Curves c, Regions r) {
        int panels = r == null ? 2 : 3;
        int width = panels * PANEL_W, height = PANEL_H + 30;
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n", width, height, width, height));
        sb.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
        sb.append(f("<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", width / 2, esc(title)));
        sb.append("<g transform=\"translate(0,30)\">\n");
        int epochs = c.trainLoss().size();
        double maxLoss = 0;
        for (double v : c.trainLoss()) maxLoss = Math.max(maxLoss, finite(v));
        for (double v : c.testLoss()) maxLoss = Math.max(maxLoss, finite(v));
        lines(sb, 0, "loss", "loss", epochs, 0, maxLoss > 0 ? maxLoss * 1.05 : 1, c.trainLoss(), c.testLoss(), true);
        double minAcc = 1;
        for (double v : c.trainAcc()) minAcc = Math.min(minAcc, v);
        for (double v : c.testAcc()) minAcc = Math.min(minAcc, v);
        double lo = Math.max(0, Math.floor(minAcc * 10 - 0.5) / 10);
        lines(sb, PANEL_W, "accuracy", "accuracy", epochs, lo, 1, c.trainAcc(), c.testAcc(), false);
        if (r != null) regions(sb, 2 * PANEL_W, r);
        sb.append("</g>\n</svg>\n");
        return sb.toString();
    }

    /** A line chart of a training and a test series against the epoch (1..epochs). */
    private static void lines(StringBuilder sb, int x0, String title, String yLabel, int epochs, double yMin, double yMax,
                              List<Double> train, List<Double> test, boolean legendTop) {
        int pw = PANEL_W - MARGIN_L - MARGIN_R, ph = PANEL_H - MARGIN_T - MARGIN_B;
        int left = x0 + MARGIN_L, top = MARGIN_T;
        double xMin = 1, xMax = Math.max(2, epochs);
        sb.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\">%s</text>\n", left + pw / 2, top - 12, esc(title)));
        sb.append(f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n", left, top, pw, ph));
        for (double t : ticks(yMin, yMax, 5)) {
            double y = top + ph - (t - yMin) / (yMax - yMin) * ph;
            sb.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>\n", left, y, left + pw, y));
            sb.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>\n", left - 5, y, num(t)));
        }
        for (double t : ticks(xMin, xMax, 8)) {
            if (t != Math.rint(t)) continue;
            double x = left + (t - xMin) / (xMax - xMin) * pw;
            sb.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x, top + ph + 16, num(t)));
        }
        sb.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">epoch</text>\n", left + pw / 2, top + ph + 34));
        sb.append(f("<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>\n", x0 + 14, top + ph / 2, esc(yLabel)));
        series(sb, train, TRAIN_COLOR, left, top, pw, ph, xMin, xMax, yMin, yMax);
        series(sb, test, TEST_COLOR, left, top, pw, ph, xMin, xMax, yMin, yMax);
        // Loss falls and accuracy rises: the legend goes in the corner the curves leave empty.
        int lx = left + pw - 70, ly = legendTop ? top + 12 : top + ph - 28;
        sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>", lx, ly, lx + 16, ly, TRAIN_COLOR));
        sb.append(f("<text x=\"%d\" y=\"%d\" dominant-baseline=\"middle\">train</text>\n", lx + 20, ly));
        sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>", lx, ly + 16, lx + 16, ly + 16, TEST_COLOR));
        sb.append(f("<text x=\"%d\" y=\"%d\" dominant-baseline=\"middle\">test</text>\n", lx + 20, ly + 16));
    }

    private static void series(StringBuilder sb, List<Double> v, String color, int left, int top, int pw, int ph,
                               double xMin, double xMax, double yMin, double yMax) {
        if (v.isEmpty()) return;
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            double x = left + (i + 1 - xMin) / (xMax - xMin) * pw;
            double y = top + ph - (Math.clamp(finite(v.get(i)), yMin, yMax) - yMin) / (yMax - yMin) * ph;
            pts.append(f("%.1f,%.1f ", x, y));
            sb.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>\n", x, y, color));
        }
        sb.append(f("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", pts.toString().strip(), color));
    }

    private static void regions(StringBuilder sb, int x0, Regions r) {
        int size = Math.min(PANEL_W - MARGIN_L - MARGIN_R, PANEL_H - MARGIN_T - MARGIN_B);
        int left = x0 + MARGIN_L, top = MARGIN_T;
        double cell = (double) size / r.res();
        sb.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\">decision regions and training points</text>\n",
                left + size / 2, top - 12));
        sb.append(f("<g shape-rendering=\"crispEdges\">\n"));
        for (int row = 0; row < r.res(); row++) {
            for (int col = 0; col < r.res(); col++) {
                sb.append(f("<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
                        left + col * cell, top + row * cell, cell + 0.05, cell + 0.05, shade(r.p1()[row * r.res() + col])));
            }
        }
        sb.append("</g>\n");
        for (int i = 0; i < r.labels().length; i++) {
            double x = left + (r.px()[i] - r.xMin()) / (r.xMax() - r.xMin()) * size;
            double y = top + (r.yMax() - r.py()[i]) / (r.yMax() - r.yMin()) * size;
            int[] c = r.labels()[i] == 1 ? BLUE : ORANGE;
            sb.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" stroke=\"white\" stroke-width=\"0.8\"/>\n", x, y, rgb(c)));
        }
        sb.append(f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n", left, top, size, size));
        for (double t : ticks(r.xMin(), r.xMax(), 5)) {
            double x = left + (t - r.xMin()) / (r.xMax() - r.xMin()) * size;
            sb.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x, top + size + 16, num(t)));
        }
        for (double t : ticks(r.yMin(), r.yMax(), 5)) {
            double y = top + (r.yMax() - t) / (r.yMax() - r.yMin()) * size;
            sb.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>\n", left - 5, y, num(t)));
        }
        sb.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">x₁</text>\n", left + size / 2, top + size + 34));
        sb.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">x₂</text>\n", x0 + 14, top + size / 2));
    }

    /** White at p = 0.5, fading to orange (p → 0) or blue (p → 1). */
    private static String shade(float p) {
        double t = Math.clamp(Math.abs(p - 0.5) * 2, 0, 1) * 0.75;
        int[] c = p >= 0.5 ? BLUE : ORANGE;
        int[] mix = new int[3];
        for (int k = 0; k < 3; k++) mix[k] = (int) Math.round(255 + (c[k] - 255) * t);
        return rgb(mix);
    }

    private static String rgb(int[] c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c[0], c[1], c[2]);
    }

    /** About {@code n} round tick values (1, 2 or 5 × 10^k apart) within [lo, hi]. */
    static double[] ticks(double lo, double hi, int n) {
        if (!(hi > lo)) return new double[] {lo};
        double raw = (hi - lo) / n;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        double first = Math.ceil(lo / step - 1e-9) * step;
        int count = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        double[] t = new double[Math.max(0, count)];
        for (int i = 0; i < t.length; i++) t[i] = Math.abs(first + i * step) < step * 1e-9 ? 0 : first + i * step;
        return t;
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
