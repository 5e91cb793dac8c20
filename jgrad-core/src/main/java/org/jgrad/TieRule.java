package org.jgrad;

/**
 * Where the gradient of a maximum (or minimum) goes when several elements share the extreme value.
 *
 * <p>max is not differentiable at a tie; it is convex, and its subgradients there are the convex
 * combinations of the tied elements' unit vectors. {@link #FIRST} and {@link #SPLIT} pick two of
 * them; {@link #ALL} is the naive rule I[xⱼ = y] and is not one. For x = [1, 3, 3] and an upstream
 * gradient of 1:
 *
 * <pre>
 * FIRST  [0, 1,   0  ]
 * SPLIT  [0, 0.5, 0.5]
 * ALL    [0, 1,   1  ]
 * </pre>
 *
 * Away from ties the three agree. In each case the max is treated as locally linear, so its second
 * derivative is 0. {@link Tensor#max()}, {@link Tensor#min()} and the values of {@link
 * Tensor#max(int, boolean)} / {@link Tensor#min(int, boolean)} use {@link #SPLIT} unless told
 * otherwise; {@link Conv#maxPool2d} and {@link org.jgrad.nn.MaxPool2d} use {@link #FIRST}, as
 * PyTorch's max pooling does, unless given another rule.
 */
public enum TieRule {
    /**
     * All of the gradient goes to the first extreme element of each group (row-major over the
     * reduced dimensions, or of each pooling window): the element whose index {@code argmax} and
     * {@code max(dim)} return, and where PyTorch's {@code max(dim)} and max pooling send it.
     */
    FIRST,
    /**
     * Each of the k tied elements gets g/k: the symmetric subgradient (permuting the input permutes
     * the gradient), which PyTorch uses for {@code amax} and the full {@code max()}. The default.
     */
    SPLIT,
    /**
     * Each tied element gets the whole of g, the indicator I[xⱼ = y] written naively. Not a
     * subgradient: with k ties the gradient sums to k·g.
     */
    ALL
}
