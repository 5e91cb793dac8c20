package org.jgrad;

import java.util.Arrays;

/** Shape arithmetic shared by the ops: sizes, strides, broadcasting, dimension normalization. */
final class Shapes {
    private Shapes() {}

    static int numel(int[] shape) {
        for (int s : shape) if (s == 0) return 0;
        long n = 1;
        for (int s : shape) {
            n *= s;
            // Checked per factor: a long product of many large sizes could otherwise wrap around.
            if (n > Integer.MAX_VALUE) break;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of shape " + str(shape) + " has " + n
                    + " elements; at most " + Integer.MAX_VALUE + " are supported");
        }
        return (int) n;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    static void checkShape(String op, int[] shape) {
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException(op + ": negative size in shape " + str(shape));
        }
        numel(shape);
    }

    /** NumPy broadcasting: align from the right; sizes must match or be 1. */
    static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Turns a possibly negative dimension into 0..rank-1, or throws naming the op. */
    static int dim(String op, int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " out of range for a tensor of rank "
                    + rank + " (expected -" + r + ".." + (r - 1) + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    static boolean[] dimMask(String op, int[] dims, int rank) {
        boolean[] mask = new boolean[rank];
        for (int d : dims) {
            int n = dim(op, d, rank);
            if (rank == 0) continue; // a scalar accepts dim 0 / -1 (as PyTorch) and has nothing to reduce
            if (mask[n]) throw new IllegalArgumentException(op + ": dimension " + d + " given twice in " + Arrays.toString(dims));
            mask[n] = true;
        }
        return mask;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    static int[] allDims(int rank) {
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) dims[i] = i;
        return dims;
    }
}
