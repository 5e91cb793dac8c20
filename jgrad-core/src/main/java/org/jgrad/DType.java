package org.jgrad;

/**
 * Element type of a tensor. Floating types take part in differentiation; {@link #INT64} holds
 * indices (argmax, sort, gather) and never requires grad.
 */
public enum DType {
    FLOAT32(4),
    FLOAT64(8),
    INT64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    public boolean isFloatingPoint() {
        return this != INT64;
    }

    /**
     * Result type of a binary op, as in PyTorch: float64 wins over float32, any float wins over int64.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a == FLOAT64 || b == FLOAT64) return FLOAT64;
        return FLOAT32;
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
