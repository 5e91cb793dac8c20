package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void countsPairsRowsAreTrueClasses() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("cat", "dog", "bird"));
        m.add(new long[] {0, 0, 1, 2, 2, 2}, new long[] {0, 1, 1, 2, 0, 2});
        assertEquals(1, m.count(0, 1), "a cat taken for a dog");
        assertEquals(1, m.count(2, 0), "a bird taken for a cat");
        assertEquals(0, m.count(1, 0));
        assertEquals(6, m.total());
        assertEquals(4 / 6.0, m.accuracy(), 1e-12);
        assertEquals("""
                confusion matrix (rows: true class, columns: predicted class)
                       0 1 2
                0 cat  1 1 0
                1 dog  0 1 0
                2 bird 1 0 2
                """, m.format());
    }

    @Test
    void indexNamesAreNotRepeated() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("0", "1"));
        m.add(new long[] {1, 1, 0}, new long[] {1, 1, 1});
        assertEquals("""
                confusion matrix (rows: true class, columns: predicted class)
                  0 1
                0 0 1
                1 0 2
                """, m.format());
        assertEquals(2 / 3.0, m.accuracy(), 1e-12);
    }
}
