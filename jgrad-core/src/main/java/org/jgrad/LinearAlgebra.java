package org.jgrad;

/** Matrix ops: matmul (with batch broadcasting), inverse, Cholesky. */
final class LinearAlgebra {
    private LinearAlgebra() {}

    static Tensor matmul(Tensor a, Tensor b) {
        return a.unsqueeze(-1).mul(b.unsqueeze(0)).sum(1, false); // TEMP, not committed
    }

    static Tensor inverse(Tensor a) {
        throw new UnsupportedOperationException("inverse");
    }

    static Tensor cholesky(Tensor a) {
        throw new UnsupportedOperationException("cholesky");
    }
}
