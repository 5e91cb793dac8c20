package org.jgrad.nn;

import java.util.Arrays;

/** Argument checks and printing shared by the convolution and pooling layers. */
final class LayerArgs {
    private LayerArgs() {}

    /**
     * A size argument as {height, width}: one value applies to both. Every entry must be at least
     * {@code min} (1 for kernels, strides and dilations, 0 for paddings).
     */
    static int[] pair(String layer, String what, int[] v, int min) {
        if (v == null || v.length < 1 || v.length > 2) {
            throw new IllegalArgumentException(layer + ": " + what + " must have 1 or 2 elements, got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        int[] p = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        for (int x : p) {
            if (x < min) {
                throw new IllegalArgumentException(layer + ": " + what + " must be " + (min == 0 ? "non-negative" : "positive")
                        + ", got " + Arrays.toString(v));
            }
        }
        return p;
    }

    static int single(String layer, String what, int v, int min) {
        return pair(layer, what, new int[] {v}, min)[0];
    }

    static void channels(String layer, int in, int out, int groups) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(layer + ": expected positive channel counts, got in=" + in + ", out=" + out);
        }
        if (groups <= 0) throw new IllegalArgumentException(layer + ": groups must be positive, got " + groups);
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(layer + ": in=" + in + " and out=" + out
                    + " channels must both be divisible by groups=" + groups);
        }
    }

    /**
     * PyTorch's convolution repr: channels, kernel_size and stride always; padding, dilation,
     * output_padding, groups and bias only when they differ from their defaults. Sizes have one
     * element per spatial dimension. {@code outputPadding} is null for a forward convolution.
     */
    static String convRepr(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation,
                           int[] outputPadding, int groups, boolean bias) {
        StringBuilder sb = new StringBuilder().append(in).append(", ").append(out)
                .append(", kernel_size=").append(Repr.tuple(kernel)).append(", stride=").append(Repr.tuple(stride));
        if (Arrays.stream(padding).anyMatch(p -> p != 0)) sb.append(", padding=").append(Repr.tuple(padding));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) sb.append(", dilation=").append(Repr.tuple(dilation));
        if (outputPadding != null && Arrays.stream(outputPadding).anyMatch(p -> p != 0)) {
            sb.append(", output_padding=").append(Repr.tuple(outputPadding));
        }
        if (groups != 1) sb.append(", groups=").append(groups);
        if (!bias) sb.append(", bias=False");
        return sb.toString();
    }
}
