package org.jgrad.nn;

import org.jgrad.Conv;
import org.jgrad.Tensor;

/**
 * Average pooling to a fixed output size whatever the input size, as PyTorch's
 * {@code nn.AdaptiveAvgPool2d}; {@code new AdaptiveAvgPool2d(1)} is global average pooling. The
 * computation is {@link Conv#adaptiveAvgPool2d}.
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got [" + outH + ", "
                    + outW + "]");
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolArgs.apply(this, x, in -> Conv.adaptiveAvgPool2d(in, outH, outW));
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + Repr.intOrTuple(new int[] {outH, outW});
    }
}
