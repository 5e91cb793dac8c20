package org.jgrad;

/**
 * Convolution, pooling and upsampling over images, as functions (PyTorch's {@code torch.nn.functional}).
 *
 * <p>Tensors are laid out [N, C, H, W] (batch, channels, height, width); conv1d uses [N, C, L].
 * Size arguments ({@code stride}, {@code padding}, ...) given as {@code int[]} hold {height, width},
 * or one value for both. Output sizes follow PyTorch: for a convolution or a pooling,
 * ⌊(H + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(gen, 8, 3, 32, 32);
 * Tensor w = Tensor.randn(gen, 16, 3, 3, 3).mul(0.1).requiresGrad(true);
 * Tensor y = Conv.maxPool2d(Conv.conv2d(x, w, null, 1, 1).relu(), 2);   // [8, 16, 16, 16]
 * }</pre>
 *
 * <h2>Gradients</h2>
 * Every function here is differentiable in its tensors (input, weight, bias), to any order:
 * <ul>
 *   <li>conv1d, conv2d and convTranspose2d are bilinear in (input, weight). Their backward is
 *       built from three recorded ops — the convolution, its input gradient (which is
 *       convTranspose2d) and its weight gradient — whose own derivatives are each other, so
 *       second derivatives (gradient penalties, Hessian-vector products) are exact.
 *   <li>avgPool2d, adaptiveAvgPool2d and upsampleNearest2d are linear; their backward is the
 *       adjoint map, whose backward is the map again.
 *   <li>maxPool2d sends each output's gradient to the largest input of its window. Where several
 *       tie, the caller picks the {@link TieRule}: {@link TieRule#FIRST} (the default, as in PyTorch:
 *       the first in row-major order), {@link TieRule#SPLIT} (g/k to each of the k maxima) or {@link
 *       TieRule#ALL} (g to each). NaN wins. The positions and weights are found in the forward pass
 *       and kept; higher derivatives treat them as constants, so the second derivative with respect
 *       to the input is zero, as for any piecewise-linear function.
 * </ul>
 *
 * <p>Convolutions are lowered to matrix products (im2col and {@link org.jgrad.kernels.Kernels#gemm});
 * float32 and float64 are supported, mixed operands compute in float64.
 */
public final class Conv {
    private Conv() {}

    // ------------------------------------------------------------ convolutions

    /**
     * 2-D convolution (cross-correlation, as in every deep-learning library):
     * out[n, o, i, j] = bias[o] + Σ weight[o, c, p, q] · input[n, g·C/groups + c, i·sH − pH + p·dH, j·sW − pW + q·dW]
     * over the kernel and the C/groups input channels of o's group g, with zeros outside the input.
     *
     * @param input    [N, C, H, W]
     * @param weight   [O, C/groups, kH, kW]
     * @param bias     [O], or null
     * @param stride   positive, {sH, sW} or one value
     * @param padding  zeros added on each side, {pH, pW} or one value
     * @param dilation spacing of the kernel taps, positive, {dH, dW} or one value
     * @param groups   channels split into this many independent convolutions (C and O divisible by it)
     * @return [N, O, oH, oW]
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                int[] dilation, int groups) {
        String op = "conv2d";
        Convolution.Geometry geo = Convolution.convGeometry(op, input, weight, bias, Convolution.pair(op, "stride", stride),
                Convolution.pair(op, "padding", padding), Convolution.pair(op, "dilation", dilation), groups);
        return Convolution.forward(geo, input, weight, bias);
    }

    /** conv2d with the same stride and padding along both dimensions, no dilation, one group. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {1}, 1);
    }

    /**
     * 1-D convolution over [N, C, L] with weight [O, C/groups, K] and bias [O] or null; the output
     * is [N, O, ⌊(L + 2·padding − dilation·(K − 1) − 1) / stride⌋ + 1]. Computed as a conv2d of
     * height 1.
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation,
                                int groups) {
        Convolution.Geometry geo = Convolution.convGeometry("conv1d", input, weight, bias, new int[] {stride},
                new int[] {padding}, new int[] {dilation}, groups);
        return Convolution.forward(geo, input.unsqueeze(2), weight.unsqueeze(2), bias).squeeze(2);
    }

    /** conv1d without dilation, one group. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv1d(input, weight, bias, stride, padding, 1, 1);
    }

    /**
     * Transposed 2-D convolution (sometimes called deconvolution): the gradient of conv2d with
     * respect to its input, so conv2d with the same arguments maps the output size back to the input
     * size. Output size: (H − 1)·sH − 2·pH + dH·(kH − 1) + outputPadding + 1 (likewise for W).
     *
     * @param input         [N, Cin, H, W]
     * @param weight        [Cin, Cout/groups, kH, kW] (conv2d's layout read the other way round)
     * @param bias          [Cout], or null
     * @param outputPadding added to one side of the output, to pick among the input sizes that a
     *                      strided conv2d maps to the same size; smaller than the stride or the dilation
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int[] dilation, int groups) {
        String op = "convTranspose2d";
        Convolution.Geometry geo = Convolution.transposedGeometry(op, input, weight, bias,
                Convolution.pair(op, "stride", stride), Convolution.pair(op, "padding", padding),
                Convolution.pair(op, "outputPadding", outputPadding), Convolution.pair(op, "dilation", dilation), groups);
        return Convolution.backwardInput(op, geo, input, weight, bias);
    }

    /** convTranspose2d with the same stride and padding along both dimensions, no output padding or dilation, one group. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return convTranspose2d(input, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {0},
                new int[] {1}, 1);
    }

    // ------------------------------------------------------------ pooling and upsampling

    /**
     * The largest value of each window: window (i, j) covers rows i·sH − pH + p·dH for p &lt; kH and
     * the like for columns, skipping positions outside the input (padding is never the maximum). The
     * gradient goes to the first maximum of each window ({@link TieRule#FIRST}, as in PyTorch); {@link
     * #maxPool2d(Tensor, int[], int[], int[], int[], TieRule)} picks another tie rule.
     *
     * @param kernel   {kH, kW} or one value
     * @param stride   {sH, sW}, one value, or null for the kernel size (PyTorch's default)
     * @param padding  at most half the kernel
     * @param dilation spacing of the window's taps
     */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        return Pooling.maxPool2d(input, kernel, stride, padding, dilation, TieRule.FIRST);
    }

    /**
     * maxPool2d with the gradient at a tie going where {@code ties} says. For a 2×2 window holding
     * [1, 3; 3, 0] and an upstream gradient of 1 the input gradient is [0, 1; 0, 0] under {@link
     * TieRule#FIRST} (the default of the other overloads, PyTorch's rule), [0, 0.5; 0.5, 0] under
     * {@link TieRule#SPLIT} and [0, 1; 1, 0] under {@link TieRule#ALL}; away from ties they agree.
     * The output is the same under every rule. An input that is the maximum of several windows
     * (stride &lt; kernel) collects the gradient of each. FIRST is the fastest: it keeps one position
     * per output, SPLIT and ALL a weighted list.
     *
     * @param ties FIRST, SPLIT or ALL, not null
     */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                   TieRule ties) {
        return Pooling.maxPool2d(input, kernel, stride, padding, dilation, ties);
    }

    /** maxPool2d without dilation. */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding) {
        return Pooling.maxPool2d(input, kernel, stride, padding, new int[] {1}, TieRule.FIRST);
    }

    /** maxPool2d over non-overlapping k×k windows (stride k, no padding). */
    public static Tensor maxPool2d(Tensor input, int kernel) {
        return Pooling.maxPool2d(input, new int[] {kernel}, null, new int[] {0}, new int[] {1}, TieRule.FIRST);
    }

    /**
     * The mean of each window (windows as in maxPool2d, without dilation). With {@code countIncludePad}
     * the padding zeros count in the divisor (PyTorch's default); otherwise only the input elements
     * in the window do.
     *
     * @param stride {sH, sW}, one value, or null for the kernel size
     */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return Pooling.avgPool2d(input, kernel, stride, padding, countIncludePad);
    }

    /** avgPool2d over non-overlapping k×k windows (stride k, no padding). */
    public static Tensor avgPool2d(Tensor input, int kernel) {
        return Pooling.avgPool2d(input, new int[] {kernel}, null, new int[] {0}, true);
    }

    /**
     * Averages over windows chosen so the output is [N, C, outH, outW] whatever the input size: output
     * row i averages input rows ⌊i·H/outH⌋ to ⌈(i+1)·H/outH⌉ − 1 (the same for columns), as PyTorch.
     * {@code adaptiveAvgPool2d(x, 1, 1)} is global average pooling.
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        return Pooling.adaptiveAvgPool2d(input, outH, outW);
    }

    /** Repeats every pixel scaleH times down and scaleW times across: [N, C, H·scaleH, W·scaleW]. */
    public static Tensor upsampleNearest2d(Tensor input, int scaleH, int scaleW) {
        return Pooling.upsampleNearest2d(input, scaleH, scaleW);
    }
}
