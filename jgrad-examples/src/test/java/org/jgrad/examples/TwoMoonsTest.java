package org.jgrad.examples;

import static org.junit.jupiter.api.Assertions.*;

import org.jgrad.DType;
import org.jgrad.Generator;
import org.junit.jupiter.api.Test;

class TwoMoonsTest {

    @Test
    void moonsHaveTheDocumentedShapeAndLabels() {
        TwoMoons.Data d = TwoMoons.moons(new Generator(3), 200, 0.0);
        assertArrayEquals(new int[] {200, 2}, d.x().shape());
        assertArrayEquals(new int[] {200, 1}, d.y().shape());
        assertEquals(DType.FLOAT32, d.x().dtype());
        double[] x = d.x().toDoubleArray();
        double[] y = d.y().toDoubleArray();
        int ones = 0;
        for (int i = 0; i < 200; i++) {
            double px = x[2 * i], py = x[2 * i + 1];
            // Without noise each point lies on its arc: the upper unit circle around (0, 0) for
            // label 0, the lower one around (1, 0.5) for label 1.
            double cx = y[i] == 0 ? 0 : 1, cy = y[i] == 0 ? 0 : 0.5;
            assertEquals(1.0, Math.hypot(px - cx, py - cy), 1e-6, "point " + i);
            assertTrue(y[i] == 0 ? py >= -1e-6 : py <= 0.5 + 1e-6, "point " + i + " is on the wrong half");
            if (y[i] == 1) ones++;
        }
        assertEquals(100, ones);
    }

    @Test
    void trainingSeparatesTheMoons() {
        TwoMoons.Result r = TwoMoons.train(TwoMoons.Config.defaults(), null);
        double first = r.losses().getFirst(), last = r.losses().getLast();
        assertTrue(first > 0.6, "an untrained net should do no better than guessing (loss log 2 ≈ 0.69), loss was " + first);
        assertTrue(last < first / 10, "loss fell only from " + first + " to " + last);
        for (int i = 1; i < r.losses().size(); i++) {
            assertTrue(r.losses().get(i) < r.losses().get(i - 1), "loss rose at step " + r.steps().get(i) + ": " + r.losses());
        }
        assertTrue(r.accuracy() >= 0.95, "training accuracy " + r.accuracy());
    }

    @Test
    void sameSeedSameNumbers() {
        TwoMoons.Config c = new TwoMoons.Config(7, 100, 0.1, 8, 50, 0.5, 10);
        TwoMoons.Result a = TwoMoons.train(c, null);
        TwoMoons.Result b = TwoMoons.train(c, null);
        assertEquals(a.losses(), b.losses());
        assertEquals(a.accuracy(), b.accuracy());
        TwoMoons.Result other = TwoMoons.train(new TwoMoons.Config(8, 100, 0.1, 8, 50, 0.5, 10), null);
        assertNotEquals(a.losses(), other.losses());
    }
}
