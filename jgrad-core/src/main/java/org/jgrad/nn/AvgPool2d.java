package org.jgrad.nn;

import org.jgrad.Conv;
import org.jgrad.Tensor;

/**
 * The mean of each window over [N, C, H, W] (or [C, H, W]), as PyTorch's {@code nn.AvgPool2d}; the
 * computation is {@link Conv#avgPool2d(Tensor, int[], int[], int[], boolean)}. The stride defaults
 * to the kernel size. With {@code countIncludePad} (the default) padding zeros count in the divisor.
 */
public final class AvgPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final boolean countIncludePad;

    /** Non-overlapping k×k windows. */
    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize}, null, new int[] {0}, true);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, true);
    }

    /** Sizes are {height, width} or one value; {@code stride} null means the kernel size. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        String me = "AvgPool2d";
        this.kernelSize = LayerArgs.pair(me, "kernelSize", kernelSize, 1);
        this.stride = stride == null ? this.kernelSize.clone() : LayerArgs.pair(me, "stride", stride, 1);
        this.padding = LayerArgs.pair(me, "padding", padding, 0);
        this.countIncludePad = countIncludePad;
        PoolArgs.checkPadding(me, this.kernelSize, this.padding);
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolArgs.apply(this, x, in -> Conv.avgPool2d(in, kernelSize, stride, padding, countIncludePad));
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Repr.intOrTuple(kernelSize) + ", stride=" + Repr.intOrTuple(stride) + ", padding="
                + Repr.intOrTuple(padding) + (countIncludePad ? "" : ", count_include_pad=False");
    }
}
