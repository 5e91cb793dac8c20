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
 * 1-D convolution over [N, C, L] (or one unbatched sequence [C, L]), as PyTorch's {@code nn.Conv1d};
 * the computation is {@link Conv#conv1d}. The weight is [out, in/groups, K] and the bias [out];
 * default initialization U(±1/√fanIn), fanIn = in/groups·K, for both (PyTorch's).
 */
public final class Conv1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;
    private final boolean hasBias;

    /** Stride 1, no padding. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true, Init.newDefaultGenerator());
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true, Init.newDefaultGenerator());
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias, Generator gen) {
        String me = "Conv1d";
        this.kernelSize = LayerArgs.single(me, "kernelSize", kernelSize, 1);
        this.stride = LayerArgs.single(me, "stride", stride, 1);
        this.padding = LayerArgs.single(me, "padding", padding, 0);
        this.dilation = LayerArgs.single(me, "dilation", dilation, 1);
        LayerArgs.channels(me, inChannels, outChannels, groups);
        Objects.requireNonNull(gen, "Conv1d: generator");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.hasBias = bias;
        Tensor w = registerParameter("weight", Tensor.zeros(outChannels, inChannels / groups, kernelSize));
        Init.kaimingUniform(w, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
        if (bias) {
            double bound = 1 / Math.sqrt(Init.calculateFanInAndFanOut(w).fanIn());
            Init.uniform(registerParameter("bias", Tensor.zeros(outChannels)), -bound, bound, gen);
        }
    }

    /** [out, in/groups, K]. */
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

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        boolean unbatched = s.length == 2;
        if ((s.length != 3 && !unbatched) || s[s.length - 2] != inChannels) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + inChannels + ", L] or ["
                    + inChannels + ", L], got " + Arrays.toString(s));
        }
        Tensor in = unbatched ? x.unsqueeze(0) : x;
        Tensor y = Conv.conv1d(in, weight(), bias(), stride, padding, dilation, groups);
        return unbatched ? y.squeeze(0) : y;
    }

    @Override
    protected String extraRepr() {
        return LayerArgs.convRepr(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride},
                new int[] {padding}, new int[] {dilation}, null, groups, hasBias);
    }
}
