package org.jgrad;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** toString: PyTorch's layout, one notation per tensor, and summaries of large tensors. */
class TensorFormatTest {

    @Test
    void rank0() {
        assertEquals("tensor(3.5000, shape=[], dtype=float32)", Tensor.scalar(3.5).toString());
        assertEquals("tensor(-2., shape=[], dtype=float64)", Tensor.scalar(DType.FLOAT64, -2).toString());
        assertEquals("tensor(7, shape=[], dtype=int64)", Tensor.scalar(DType.INT64, 7).toString());
    }

    @Test
    void vectorsAndMatricesAlignTheirValues() {
        assertEquals("tensor([ 0.5000, -1.2500], shape=[2], dtype=float64)", Tensor.of(0.5, -1.25).toString());
        assertEquals("tensor([[ 1., 20.],\n        [-3.,  4.]], shape=[2, 2], dtype=float64)",
                Tensor.of(new double[] {1, 20, -3, 4}, 2, 2).toString());
        assertEquals("tensor([ 1, -2, 30], shape=[3], dtype=int64)", Tensor.of(new long[] {1, -2, 30}, 3).toString());
        assertEquals("tensor([], shape=[0], dtype=float32)", Tensor.zeros(0).toString());
        assertEquals("tensor([0., 0.], shape=[2], dtype=float32)", Tensor.zeros(2).toString());
    }

    @Test
    void threeDimensionalTensorSeparatesMatricesByABlankLine() {
        String expected = """
                tensor([[[0., 1.],
                         [2., 3.]],

                        [[4., 5.],
                         [6., 7.]]], shape=[2, 2, 2], dtype=float32)""";
        assertEquals(expected, Tensor.arange(8).reshape(2, 2, 2).toString());
    }

    @Test
    void oneNotationForTheWholeTensor() {
        // Magnitudes spanning more than three decades switch every value to scientific notation.
        assertEquals("tensor([1.0000e-09, 1.0000e+00, 1.0000e+10], shape=[3], dtype=float64)",
                Tensor.of(1e-9, 1, 1e10).toString());
        assertEquals("tensor([1.0000e-03, 5.0000e+00], shape=[2], dtype=float64)", Tensor.of(0.001, 5).toString());
        assertEquals("tensor([0.0100, 5.0000], shape=[2], dtype=float64)", Tensor.of(0.01, 5).toString());
        assertEquals("tensor([1.0000e+09, 2.0000e+00], shape=[2], dtype=float64)", Tensor.of(1e9, 2).toString());
        assertEquals("tensor([nan, inf,  1.], shape=[3], dtype=float64)",
                Tensor.of(Double.NaN, Double.POSITIVE_INFINITY, 1).toString());
        assertEquals("tensor([   nan,   -inf, 0.2500], shape=[3], dtype=float64)",
                Tensor.of(Double.NaN, Double.NEGATIVE_INFINITY, 0.25).toString());
    }

    @Test
    void gradientInformationIsShown() {
        Tensor x = Tensor.of(1, 2).requiresGrad(true);
        assertTrue(x.toString().endsWith(", requiresGrad=true)"), x.toString());
        assertTrue(x.mul(2).toString().endsWith(", gradFn=mul)"), x.mul(2).toString());
        assertFalse(x.detach().toString().contains("requiresGrad"));
    }

    @Test
    void stridedTensorsPrintTheirLogicalValues() {
        Tensor t = Tensor.arange(6).reshape(2, 3).t();
        assertEquals("tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]], shape=[3, 2], dtype=float32)",
                t.toString());
    }

    @Test
    void largeVectorIsSummarized() {
        String s = Tensor.arange(100_000).toString();
        assertEquals("tensor([    0.,     1.,     2., ..., 99997., 99998., 99999.], shape=[100000], dtype=float32)", s);
    }

    @Test
    void largeMatrixIsSummarizedInBothDimensions() {
        Tensor m = Tensor.arange(DType.FLOAT64, 0, 60_000, 1).reshape(200, 300);
        String s = m.toString();
        String[] lines = s.split("\n", -1);
        assertEquals(7, lines.length, s); // three rows, "...", three rows
        assertTrue(lines[0].startsWith("tensor([[    0.,     1.,     2., ...,   297.,   298.,   299.],"), lines[0]);
        assertEquals("        ...,", lines[3]);
        assertTrue(lines[6].startsWith("        [59700., 59701., 59702., ..., 59997., 59998., 59999.]]"), lines[6]);
        // Rows are aligned: every row has the same length up to its closing bracket.
        int rowLength = lines[1].indexOf(']');
        for (int i : new int[] {1, 2, 4, 5}) assertEquals(rowLength, lines[i].indexOf(']'), lines[i]);
        assertFalse(s.contains(" 150."), "the middle is elided");
    }

    @Test
    void large3dTensorIsSummarizedWithBoundedOutput() {
        Tensor t = Tensor.arange(24_000).reshape(20, 30, 40);
        String s = t.toString();
        String[] lines = s.split("\n", -1);
        // Six matrices of seven lines, five blank separators, and "...," with a blank line around it.
        assertEquals(6 * 7 + 5 + 1 + 1, lines.length, s);
        assertTrue(s.startsWith("tensor([[[    0.,     1.,     2., ...,    37.,    38.,    39.],"), lines[0]);
        assertTrue(s.contains("23997., 23998., 23999.]]], shape=[20, 30, 40], dtype=float32)"), s);
        int elided = 0;
        for (String line : lines) if (line.trim().equals("...,")) elided++;
        assertEquals(6 + 1, elided, "one '...' between the rows of each matrix shown, one between matrices");
        int blank = 0;
        for (String line : lines) if (line.isEmpty()) blank++;
        assertEquals(6, blank);
        assertTrue(s.contains("\n\n        ...,\n\n        [[20400.,"), s);
    }

    @Test
    void smallTensorsAreNotSummarized() {
        String s = Tensor.arange(1000).toString();
        assertFalse(s.contains("..."));
        assertTrue(s.contains(" 500.,"));
        String z = Tensor.zeros(2, 0, 3).toString();
        assertTrue(z.contains("shape=[2, 0, 3]"), z);
    }
}
