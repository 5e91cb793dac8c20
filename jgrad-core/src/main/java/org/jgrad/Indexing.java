package org.jgrad;

import java.util.List;

/** Joining, splitting, gathering and scattering, padding and sorting. */
final class Indexing {
    private Indexing() {}

    static Tensor cat(List<Tensor> tensors, int dim) { throw new UnsupportedOperationException("cat"); }
    static Tensor stack(List<Tensor> tensors, int dim) { throw new UnsupportedOperationException("stack"); }
    static List<Tensor> split(Tensor t, int splitSize, int dim) { throw new UnsupportedOperationException("split"); }
    static List<Tensor> split(Tensor t, int[] sizes, int dim) { throw new UnsupportedOperationException("split"); }
    static Tensor gather(Tensor t, int dim, Tensor index) { throw new UnsupportedOperationException("gather"); }
    static Tensor scatterAdd(Tensor t, int dim, Tensor index, Tensor src) { throw new UnsupportedOperationException("scatterAdd"); }
    static Tensor indexSelect(Tensor t, int dim, Tensor index) { throw new UnsupportedOperationException("indexSelect"); }
    static Tensor maskedFill(Tensor t, Tensor mask, double value) { throw new UnsupportedOperationException("maskedFill"); }
    static Tensor pad(Tensor t, int[] padding, double value) { throw new UnsupportedOperationException("pad"); }
    static Tensor.ValuesAndIndices sort(Tensor t, int dim, boolean descending) { throw new UnsupportedOperationException("sort"); }
}
