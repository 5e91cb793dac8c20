package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    private static CsvReader.Table read(CsvReader r, String text) throws IOException {
        return r.read(new StringReader(text), "test.csv");
    }

    @Test
    void labelByNameAnywhereAndStringClassesSorted() throws IOException {
        String csv = """
                petal, species ,sepal
                1.5,virginica,2
                -0.25,setosa,3e1
                4,versicolor,0
                5,setosa,1
                """;
        CsvReader.Table t = read(CsvReader.label("species"), csv);
        assertEquals(List.of("petal", "sepal"), t.featureNames());
        assertEquals(List.of("setosa", "versicolor", "virginica"), t.classes());
        assertEquals(DType.FLOAT32, t.dataset().features().dtype());
        assertArrayEquals(new float[] {1.5f, 2, -0.25f, 30, 4, 0, 5, 1}, t.dataset().features().toFloatArray());
        assertArrayEquals(new int[] {4, 2}, t.dataset().features().shape());
        assertEquals(DType.INT64, t.dataset().labels().dtype());
        assertArrayEquals(new long[] {2, 0, 1, 0}, t.dataset().labels().toLongArray());
    }

    @Test
    void integerLabelsAreKeptAsClassIndices() throws IOException {
        CsvReader.Table t = read(CsvReader.label("y"), "x,y\n1,3\n2,0\n\n3,1\n");
        assertArrayEquals(new long[] {3, 0, 1}, t.dataset().labels().toLongArray());
        assertEquals(List.of("0", "1", "2", "3"), t.classes());
    }

    @Test
    void oneHotColumnsAndDroppedColumns() throws IOException {
        String csv = "id,color,size,label\n7,red,1,a\n8,blue,2,b\n9,\"green, light\",3,a\n10,red,4,b\n";
        CsvReader.Table t = read(CsvReader.label("label").oneHot("color").drop("id"), csv);
        assertEquals(List.of("color=blue", "color=green, light", "color=red", "size"), t.featureNames());
        assertArrayEquals(new float[] {
            0, 0, 1, 1,
            1, 0, 0, 2,
            0, 1, 0, 3,
            0, 0, 1, 4}, t.dataset().features().toFloatArray());
    }

    @Test
    void regressionLabelsAreFloat() throws IOException {
        CsvReader.Table t = read(CsvReader.label("price").regression(), "area,price\n50,1.5\n70,2.25\n");
        assertEquals(DType.FLOAT32, t.dataset().labels().dtype());
        assertArrayEquals(new float[] {1.5f, 2.25f}, t.dataset().labels().toFloatArray());
        assertEquals(List.of(), t.classes());
    }

    @Test
    void badRowsAreReportedWithTheirLineNumber() throws IOException {
        String nonNumeric = "a,b,label\n1,2,x\n3,oops,y\n";
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> read(CsvReader.label("label"), nonNumeric));
        assertEquals(3, e.line());
        assertEquals("test.csv:3: column 'b' holds text ('oops'): one-hot encode it with oneHot(\"b\"), or leave it out with drop(\"b\")",
                e.getMessage());
        CsvReader.BadValueException text = assertInstanceOf(CsvReader.BadValueException.class, e);
        assertEquals(List.of("b", "oops", CsvReader.BadValueException.Kind.TEXT), List.of(text.column(), text.value(), text.kind()));

        InvalidDataException fields = assertThrows(InvalidDataException.class,
                () -> read(CsvReader.label("label"), "a,b,label\n1,2,x\n\n3,4,y,5\n"));
        assertEquals(4, fields.line(), "blank lines still count");
        assertTrue(fields.getMessage().contains("expected 3 fields as in the header, got 4"), fields.getMessage());

        InvalidDataException missing = assertThrows(InvalidDataException.class,
                () -> read(CsvReader.label("label"), "a,b,label\n1,,x\n"));
        assertTrue(missing.getMessage().contains("test.csv:2: missing value in column 'b'"), missing.getMessage());

        InvalidDataException nan = assertThrows(InvalidDataException.class,
                () -> read(CsvReader.label("label").regression(), "a,label\n1,NaN\n"));
        assertEquals(2, nan.line());

        CsvReader.BadValueException inf = assertThrows(CsvReader.BadValueException.class,
                () -> read(CsvReader.label("label"), "a,label\n1,x\nInfinity,y\n"));
        assertEquals(CsvReader.BadValueException.Kind.NOT_FINITE, inf.kind());
        assertEquals(3, inf.line());

        // 1e300 is a finite double but Infinity as a float32 feature.
        CsvReader.BadValueException huge = assertThrows(CsvReader.BadValueException.class,
                () -> read(CsvReader.label("label"), "a,x2,label\n1,2,x\n3,1e300,y\n"));
        assertEquals(CsvReader.BadValueException.Kind.OUT_OF_RANGE, huge.kind());
        assertTrue(huge.getMessage().startsWith("test.csv:3: column 'x2' holds 1e300, beyond float32's range"), huge.getMessage());
        assertEquals(3.0e38f, read(CsvReader.label("label"), "a,label\n3e38,x\n-3e38,y\n").dataset().features().toFloatArray()[0],
                "float32's own range is accepted");

        InvalidDataException quote = assertThrows(InvalidDataException.class,
                () -> read(CsvReader.label("label"), "a,label\n\"1,x\n"));
        assertTrue(quote.getMessage().contains("unclosed quote"));
    }

    @Test
    void headerProblems() {
        InvalidDataException noLabel = assertThrows(InvalidDataException.class, () -> read(CsvReader.label("target"), "a,b\n1,2\n"));
        assertTrue(noLabel.getMessage().contains("no label column named 'target'; the header has [a, b]"), noLabel.getMessage());
        assertThrows(InvalidDataException.class, () -> read(CsvReader.label("a").oneHot("zzz"), "a,b\n1,2\n"));
        assertThrows(InvalidDataException.class, () -> read(CsvReader.label("a"), ""));
        assertThrows(InvalidDataException.class, () -> read(CsvReader.label("a"), "a,b\n"));
        assertThrows(InvalidDataException.class, () -> read(CsvReader.label("a"), "a,b,a\n1,2,3\n"));
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("data.csv");
        Files.writeString(f, "x;y\n1;0\n2;1\n");
        assertEquals(2, CsvReader.label("y").separator(';').read(f).dataset().size());
        Files.writeString(f, "x,y\n1,0\nbad,1\n");
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> CsvReader.label("y").read(f));
        assertTrue(e.getMessage().startsWith(f + ":3: "), e.getMessage());
    }
}
