package org.jgrad;

/**
 * The flat heap array behind one or more tensors (views share it), with the version counter that
 * lets backward detect an in-place change to a tensor it saved.
 */
final class Storage {
    final DType dtype;
    final float[] f;
    final double[] d;
    final long[] l;
    private int version;

    private Storage(DType dtype, float[] f, double[] d, long[] l) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
        this.l = l;
    }

    static Storage of(float[] f) {
        return new Storage(DType.FLOAT32, f, null, null);
    }

    static Storage of(double[] d) {
        return new Storage(DType.FLOAT64, null, d, null);
    }

    static Storage of(long[] l) {
        return new Storage(DType.INT64, null, null, l);
    }

    static Storage allocate(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> of(new float[n]);
            case FLOAT64 -> of(new double[n]);
            case INT64 -> of(new long[n]);
        };
    }

    double get(int i) {
        return switch (dtype) {
            case FLOAT32 -> f[i];
            case FLOAT64 -> d[i];
            case INT64 -> l[i];
        };
    }

    void set(int i, double v) {
        switch (dtype) {
            case FLOAT32 -> f[i] = (float) v;
            case FLOAT64 -> d[i] = v;
            case INT64 -> l[i] = (long) v;
        }
    }

    int version() {
        return version;
    }

    void bumpVersion() {
        version++;
    }

    /** Starts this fresh storage one version past {@code previous}, which a tensor is leaving for it. */
    void followVersionOf(Storage previous) {
        version = previous.version + 1;
    }
}
