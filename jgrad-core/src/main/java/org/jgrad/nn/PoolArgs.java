package org.jgrad.nn;

import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.jgrad.Tensor;

/** Input handling shared by the pooling and upsampling layers. */
final class PoolArgs {
    private PoolArgs() {}

    static void checkPadding(String layer, int[] kernel, int[] padding) {
        for (int i = 0; i < 2; i++) {
            if (padding[i] > kernel[i] / 2) {
                throw new IllegalArgumentException(layer + ": padding " + Arrays.toString(padding)
                        + " must be at most half the kernel " + Arrays.toString(kernel));
            }
        }
    }

    /** Applies {@code op} to [N, C, H, W], or to [C, H, W] as a batch of one. */
    static Tensor apply(Module layer, Tensor x, UnaryOperator<Tensor> op) {
        int[] s = x.shape();
        if (s.length == 4) return op.apply(x);
        if (s.length == 3) return op.apply(x.unsqueeze(0)).squeeze(0);
        throw new IllegalArgumentException(layer + ": expected input of shape [N, C, H, W] or [C, H, W], got "
                + Arrays.toString(s));
    }
}
