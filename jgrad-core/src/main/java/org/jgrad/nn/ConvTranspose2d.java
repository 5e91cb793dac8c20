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
 * Transposed 2-D convolution (the gradient of {@link Conv2d} with respect to its input, used to
 * upsample in decoders and GAN generators), as PyTorch's {@code nn.ConvTranspose2d}; the computation
 * is {@link Conv#convTranspose2d}. Output size per dimension:
 * (H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 *
 * <p>The weight is [in, out/groups, kH, kW] (PyTorch's layout) and the bias [out]. Default
 * initialization is PyTorch's: U(±1/√fanIn) where PyTorch's fan-in rule, applied to this layout, gives
 * fanIn = out/groups·kH·kW.
 */
public final class ConvTranspose2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int[] dilation;
    private final int groups;
    private final boolean hasBias;

    /** Stride 1, no padding. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {0},
                new int[] {1}, 1, true, Init.newDefaultGenerator());
    }

    /**
     * @param outputPadding added to one side of the output to choose among the sizes a strided
     *                      convolution maps to the same size; smaller than the stride or the dilation
     */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding,
                           int[] outputPadding, int[] dilation, int groups, boolean bias, Generator gen) {
        String me = "ConvTranspose2d";
        this.kernelSize = LayerArgs.pair(me, "kernelSize", kernelSize, 1);
        this.stride = LayerArgs.pair(me, "stride", stride, 1);
        this.padding = LayerArgs.pair(me, "padding", padding, 0);
        this.outputPadding = LayerArgs.pair(me, "outputPadding", outputPadding, 0);
        this.dilation = LayerArgs.pair(me, "dilation", dilation, 1);
        LayerArgs.channels(me, inChannels, outChannels, groups);
        for (int i = 0; i < 2; i++) {
            if (this.outputPadding[i] >= this.stride[i] && this.outputPadding[i] >= this.dilation[i]) {
                throw new IllegalArgumentException(me + ": outputPadding " + Arrays.toString(this.outputPadding)
                        + " must be smaller than either stride " + Arrays.toString(this.stride) + " or dilation "
                        + Arrays.toString(this.dilation));
            }
        }
        Objects.requireNonNull(gen, "ConvTranspose2d: generator");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.hasBias = bias;
        Tensor w = registerParameter("weight",
                Tensor.zeros(inChannels, outChannels / groups, this.kernelSize[0], this.kernelSize[1]));
        Init.kaimingUniform(w, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
        if (bias) {
            double bound = 1 / Math.sqrt(Init.calculateFanInAndFanOut(w).fanIn());
            Init.uniform(registerParameter("bias", Tensor.zeros(outChannels)), -bound, bound, gen);
        }
    }

    /** [in, out/groups, kH, kW]. */
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
        boolean unbatched = s.length == 3;
        if ((s.length != 4 && !unbatched) || s[s.length - 3] != inChannels) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + inChannels + ", H, W] or ["
                    + inChannels + ", H, W], got " + Arrays.toString(s));
        }
        Tensor in = unbatched ? x.unsqueeze(0) : x;
        Tensor y = Conv.convTranspose2d(in, weight(), bias(), stride, padding, outputPadding, dilation, groups);
        return unbatched ? y.squeeze(0) : y;
    }

    @Override
    protected String extraRepr() {
        return LayerArgs.convRepr(inChannels, outChannels, kernelSize, stride, padding, dilation, outputPadding, groups,
                hasBias);
    }
}
