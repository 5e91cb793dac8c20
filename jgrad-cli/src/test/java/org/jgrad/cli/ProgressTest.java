package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress display, driven by a fake clock. */
class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void terminalRedrawsInPlaceAtMostTenTimesASecond() {
        Progress p = new Progress(stream, true, "epoch 1/5", 60_000, now::get);
        for (int i = 1; i <= 100; i++) {         // 100 batches in one second: 10 ms apart
            now.addAndGet(10_000_000L);
            p.update(i * 128L, 0.5);
        }
        String t = text();
        long redraws = t.chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 9 && redraws <= 10, "redraws in one second: " + redraws);
        assertFalse(t.contains("\n"), "a terminal bar never scrolls");
        // The last drawn state: 12,800 of 60,000 after 1 s, so 12,800 samples/s and (60,000 - 12,800)/12,800 ≈ 4 s left.
        String last = t.substring(t.lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("epoch 1/5 [======>"), last);
        assertTrue(last.contains("12800/60000  12800 samples/s  ETA 4s  loss 0.5000"), last);
        p.finish();
        String after = text();
        assertTrue(after.endsWith("\r"), "finish returns to the start of the line");
        String erased = after.substring(after.lastIndexOf('\r', after.length() - 2) + 1, after.length() - 1);
        assertTrue(erased.isBlank() && erased.length() >= last.length(), "finish erases the bar");
    }

    @Test
    void plainOutputPrintsALineAtMostEveryTenSeconds() {
        Progress p = new Progress(stream, false, "epoch 2/3", 1000, now::get);
        for (int i = 1; i < 100; i++) {          // 99 updates over 24.75 s
            now.addAndGet(250_000_000L);
            p.update(i * 10L, 1.25);
        }
        p.finish();
        String[] lines = text().split("\n");
        assertEquals(2, lines.length, text());
        assertFalse(text().contains("\r"));
        assertEquals("epoch 2/3 400/1000  40 samples/s  ETA 15s  loss 1.2500", lines[0]);
    }

    @Test
    void shortRunsPrintNothingExtra() {
        Progress p = new Progress(stream, false, "epoch 1/1", 1000, now::get);
        now.addAndGet(2_000_000_000L);
        p.update(1000, 0.1);
        p.finish();
        assertEquals("", text());
    }

    @Test
    void durations() {
        assertEquals("59s", Progress.duration(59));
        assertEquals("1m05s", Progress.duration(65));
        assertEquals("2h03m", Progress.duration(2 * 3600 + 3 * 60 + 59));
    }
}
