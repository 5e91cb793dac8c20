package org.jgrad.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of one epoch: on a terminal a bar redrawn in place with {@code \r} (at most ten times
 * a second), showing samples done, samples per second, the time left and the running loss; elsewhere
 * (a log, a pipe) a plain line at most every ten seconds, so short runs print nothing extra.
 */
final class Progress {
    private static final long TERMINAL_INTERVAL_NS = 100_000_000L;
    private static final long PLAIN_INTERVAL_NS = 10_000_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long start;
    private long lastDraw;
    private int drawnWidth;

    Progress(PrintStream out, boolean terminal, String label, long total, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.total = total;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start;
    }

    /** Records that {@code done} of the total samples are processed, with the running mean loss. */
    void update(long done, double loss) {
        long now = clock.getAsLong();
        if (now - lastDraw < (terminal ? TERMINAL_INTERVAL_NS : PLAIN_INTERVAL_NS) || done >= total) return;
        lastDraw = now;
        String line = line(done, loss, now);
        if (terminal) {
            out.print("\r" + pad(line));
            drawnWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Erases the bar, so the epoch's summary line takes its place. */
    void finish() {
        if (terminal && drawnWidth > 0) {
            out.print("\r" + " ".repeat(drawnWidth) + "\r");
            out.flush();
            drawnWidth = 0;
        }
    }

    String line(long done, double loss, long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (terminal) {
            int filled = (int) (BAR_WIDTH * done / Math.max(1, total));
            sb.append('[').append("=".repeat(filled));
            if (filled < BAR_WIDTH) sb.append('>').append(" ".repeat(BAR_WIDTH - filled - 1));
            sb.append("] ");
        }
        sb.append(done).append('/').append(total)
                .append(String.format(Locale.ROOT, "  %.0f samples/s  ETA %s  loss %.4f", rate, duration(eta), loss));
        return sb.toString();
    }

    private String pad(String line) {
        return line.length() < drawnWidth ? line + " ".repeat(drawnWidth - line.length()) : line;
    }

    static String duration(long s) {
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
