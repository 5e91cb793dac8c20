package org.jgrad.nn;

import org.jgrad.Conv;
import org.jgrad.Tensor;

/**
 * Nearest-neighbour upsampling by integer factors over [N, C, H, W] (or [C, H, W]): every pixel is
 * repeated scaleH times down and scaleW times across, as PyTorch's
 * {@code nn.Upsample(scale_factor=s, mode='nearest')}. The computation is {@link Conv#upsampleNearest2d}.
 */
public final class Upsample extends Module {
    private final int scaleH;
    private final int scaleW;

    public Upsample(int scaleFactor) {
        this(scaleFactor, scaleFactor);
    }

    public Upsample(int scaleH, int scaleW) {
        if (scaleH <= 0 || scaleW <= 0) {
            throw new IllegalArgumentException("Upsample: scale factors must be positive, got [" + scaleH + ", " + scaleW
                    + "]");
        }
        this.scaleH = scaleH;
        this.scaleW = scaleW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return PoolArgs.apply(this, x, in -> Conv.upsampleNearest2d(in, scaleH, scaleW));
    }

    @Override
    protected String extraRepr() {
        String s = scaleH == scaleW ? Repr.number(scaleH) : "(" + Repr.number(scaleH) + ", " + Repr.number(scaleW) + ")";
        return "scale_factor=" + s + ", mode='nearest'";
    }
}
