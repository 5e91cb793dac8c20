package org.jgrad.nn;

import java.util.Arrays;
import java.util.Objects;
import org.jgrad.Conv;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.init.FanMode;
import org.jgrad.nn.init.Init;
import org.jgrad.nn.init.Nonlinearity;

/**
 * 2-D convolution over [N, C, H, W] (or one unbatched image [C, H, W]), as PyTorch's {@code nn.Conv2d};
 * the computation is {@link Conv#conv2d}.
 *
 * <p>The weight is [out, in/groups, kH, kW] and the bias [out], as in PyTorch, so state dicts are
 * interchangeable. Default initialization is PyTorch's: kaiming_uniform with a = √5, which is
 * U(±1/√fanIn) with fanIn = in/groups·kH·kW, for the weight, and U(±1/√fanIn) for the bias.
 * Size arguments are {height, width} or one value for both.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(1, 32, 3, 1, 1);        // 3×3, stride 1, padding 1: keeps 28×28
 * Tensor y = conv.call(images);                    // [N, 1, 28, 28] → [N, 32, 28, 28]
 * }</pre>
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;
    private final boolean hasBias;

    /** Stride 1, no padding. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, Init.newDefaultGenerator());
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator gen) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, 1,
                true, gen);
    }

    /**
     * @param kernelSize {kH, kW} or one value
     * @param stride     positive, {sH, sW} or one value
     * @param padding    zeros on each side, {pH, pW} or one value
     * @param dilation   spacing of the kernel taps, {dH, dW} or one value
     * @param groups     inChannels and outChannels are split into this many independent convolutions
     * @param bias       whether to add a learned bias per output channel
     */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias, Generator gen) {
        String me = "Conv2d";
        this.kernelSize = LayerArgs.pair(me, "kernelSize", kernelSize, 1);
        this.stride = LayerArgs.pair(me, "stride", stride, 1);
        this.padding = LayerArgs.pair(me, "padding", padding, 0);
        this.dilation = LayerArgs.pair(me, "dilation", dilation, 1);
        LayerArgs.channels(me, inChannels, outChannels, groups);
        Objects.requireNonNull(gen, "Conv2d: generator");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.hasBias = bias;
        Tensor w = registerParameter("weight",
                Tensor.zeros(outChannels, inChannels / groups, this.kernelSize[0], this.kernelSize[1]));
        Init.kaimingUniform(w, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
        if (bias) {
            double bound = 1 / Math.sqrt(Init.calculateFanInAndFanOut(w).fanIn());
            Init.uniform(registerParameter("bias", Tensor.zeros(outChannels)), -bound, bound, gen);
        }
    }

    /** [out, in/groups, kH, kW]. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** [out], or null for a layer without bias. */
    public Tensor bias() {
        return hasBias ? parameter("bias") : null;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    public int[] padding() {
        return padding.clone();
    }

    public int[] dilation() {
        return dilation.clone();
    }

    public int groups() {
        return groups;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        boolean unbatched = s.length == 3;
        if ((s.length != 4 && !unbatched) || s[s.length - 3] != inChannels) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + inChannels + ", H, W] or ["
                    + inChannels + ", H, W], got " + Arrays.toString(s));
        }
        Tensor in = unbatched ? x.unsqueeze(0) : x;
        Tensor y = Conv.conv2d(in, weight(), bias(), stride, padding, dilation, groups);
        return unbatched ? y.squeeze(0) : y;
    }

    @Override
    protected String extraRepr() {
        return LayerArgs.convRepr(inChannels, outChannels, kernelSize, stride, padding, dilation, null, groups, hasBias);
    }
}
