package org.jgrad.nn;

import org.jgrad.Conv;
import org.jgrad.Tensor;
import org.jgrad.TieRule;

/**
 * The largest value of each window over [N, C, H, W] (or [C, H, W]), as PyTorch's {@code nn.MaxPool2d};
 * the computation is {@link Conv#maxPool2d(Tensor, int[], int[], int[], int[], TieRule)}. The gradient
 * goes to the first largest element of each window ({@link TieRule#FIRST}, as PyTorch) unless the
 * constructor taking a {@link TieRule} says otherwise: {@link TieRule#SPLIT} shares it evenly among a
 * window's tied maxima, {@link TieRule#ALL} gives each the whole of it. A non-default rule shows in
 * {@link #toString()} as {@code ties=SPLIT} or {@code ties=ALL}. The stride defaults to the kernel size
 * (non-overlapping windows); padding (never the maximum) is at most half the kernel.
 */
public final class MaxPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final TieRule ties;

    /** Non-overlapping k×k windows. */
    public MaxPool2d(int kernelSize) {
        this(new int[] {kernelSize}, null, new int[] {0}, new int[] {1});
    }

    /** Non-overlapping k×k windows, the gradient at a tie going where {@code ties} says. */
    public MaxPool2d(int kernelSize, TieRule ties) {
        this(new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, ties);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1});
    }

    /** Sizes are {height, width} or one value; {@code stride} null means the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation) {
        this(kernelSize, stride, padding, dilation, TieRule.FIRST);
    }

    /** As above, with the gradient at a tie going where {@code ties} says (FIRST, SPLIT or ALL). */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, TieRule ties) {
        String me = "MaxPool2d";
        if (ties == null) throw new IllegalArgumentException(me + ": the tie rule is null; expected FIRST, SPLIT or ALL");
        this.ties = ties;
        this.kernelSize = LayerArgs.pair(me, "kernelSize", kernelSize, 1);
        this.stride = stride == null ? this.kernelSize.clone() : LayerArgs.pair(me, "stride", stride, 1);
        this.padding = LayerArgs.pair(me, "padding", padding, 0);
        this.dilation = LayerArgs.pair(me, "dilation", dilation, 1);
        PoolArgs.checkPadding(me, this.kernelSize, this.padding);
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolArgs.apply(this, x, in -> Conv.maxPool2d(in, kernelSize, stride, padding, dilation, ties));
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Repr.intOrTuple(kernelSize) + ", stride=" + Repr.intOrTuple(stride) + ", padding="
                + Repr.intOrTuple(padding) + ", dilation=" + Repr.intOrTuple(dilation) + ", ceil_mode=False"
                + (ties == TieRule.FIRST ? "" : ", ties=" + ties);
    }
}
