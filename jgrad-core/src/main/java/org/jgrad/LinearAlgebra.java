package org.jgrad;

/** Matrix ops: matmul (with batch broadcasting), inverse, Cholesky. */
final class LinearAlgebra {
    private LinearAlgebra() {}

    static Tensor matmul(Tensor a, Tensor b) {
        throw new UnsupportedOperationException("matmul");
    }

    static Tensor inverse(Tensor a) {
        throw new UnsupportedOperationException("inverse");
    }

    static Tensor cholesky(Tensor a) {
        throw new UnsupportedOperationException("cholesky");
    }
}
