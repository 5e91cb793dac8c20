package org.jgrad.io;

import org.jgrad.DType;

/**
 * Element types as spelled in a safetensors header, with the jgrad dtype each one loads as. jgrad
 * writes only the three it holds natively; the narrower ones are widened on reading (floats to
 * float32, integers and booleans to int64) so files from other libraries load without loss.
 */
enum FileDType {
    F64(8, DType.FLOAT64),
    F32(4, DType.FLOAT32),
    F16(2, DType.FLOAT32),
    BF16(2, DType.FLOAT32),
    I64(8, DType.INT64),
    I32(4, DType.INT64),
    U32(4, DType.INT64),
    I16(2, DType.INT64),
    U16(2, DType.INT64),
    I8(1, DType.INT64),
    U8(1, DType.INT64),
    BOOL(1, DType.INT64);

    /** Bytes per element in the file. */
    final int size;
    /** The jgrad dtype the values are loaded as. */
    final DType target;

    FileDType(int size, DType target) {
        this.size = size;
        this.target = target;
    }

    /** The header name of a dtype, or null if jgrad cannot read it (F8 variants, U64, complex, ...). */
    static FileDType byName(String name) {
        for (FileDType t : values()) {
            if (t.name().equals(name)) return t;
        }
        return null;
    }

    /** The file dtype jgrad writes for one of its own dtypes. */
    static FileDType of(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> F32;
            case FLOAT64 -> F64;
            case INT64 -> I64;
        };
    }
}
