package org.jgrad;

import java.util.Arrays;
import org.jgrad.kernels.Kernels;
import org.jgrad.kernels.UnaryOp;

/**
 * Chains of ops that a training step runs every time, done as one op: one pass over the data and one
 * node in the graph instead of a node and a temporary per step. Each gives the same value and
 * gradient as the chain it replaces (the tests compare them), and is differentiable twice: when the
 * backward pass is itself recorded (createGraph) it falls back to the composed ops.
 */
public final class Fused {
    private Fused() {}

    /**
     * Cross-entropy of logits [N, C] against int64 class indices [N], with label smoothing ε and
     * averaged over the targets that are not {@code ignoreIndex} ({@code mean}) or summed:
     * loss_i = −(1 − ε)·log softmax(z_i)[t_i] − (ε/C)·Σ_c log softmax(z_i)[c].
     * The same as {@code nn.Losses.crossEntropy} without class weights; that method calls this one.
     * The gradient is (softmax(z_i) − q_i)·g/divisor with q_i the smoothed one-hot target.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, double labelSmoothing, long ignoreIndex, boolean mean) {
        String op = "crossEntropy";
        if (logits.dim() != 2 || !logits.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": the fused form takes floating logits [N, C], got "
                    + logits.dtype() + " " + Arrays.toString(logits.shape()));
        }
        if (targets.dtype() != DType.INT64 || targets.dim() != 1 || targets.size(0) != logits.size(0)) {
            throw new IllegalArgumentException(op + ": logits " + Arrays.toString(logits.shape())
                    + " need int64 class index targets of shape [" + logits.size(0) + "], got " + targets.dtype() + " "
                    + Arrays.toString(targets.shape()));
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(op + ": labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        int rows = logits.size(0), cols = logits.size(1);
        long[] t = targets.toLongArray();
        int kept = 0;
        for (int i = 0; i < rows; i++) {
            if (t[i] == ignoreIndex) continue;
            if (t[i] < 0 || t[i] >= cols) {
                throw new IllegalArgumentException(op + ": target " + t[i] + " (at flat index " + i + " of targets ["
                        + rows + "]) is out of range for " + cols + " classes (expected 0 ≤ target < " + cols
                        + ", or ignoreIndex " + ignoreIndex + ")");
            }
            kept++;
        }
        DType dtype = logits.dtype();
        Tensor x = logits.rawContiguous(dtype);
        // log softmax of every row, kept for the backward: its exponential is the softmax.
        Tensor logp = Tensor.empty(dtype, new int[] {rows, cols});
        Kernels k = Kernels.get();
        if (dtype == DType.FLOAT32) k.logSoftmaxRows(x.storage.f, x.offset, logp.storage.f, 0, rows, cols);
        else k.logSoftmaxRows(x.storage.d, x.offset, logp.storage.d, 0, rows, cols);
        double eps = labelSmoothing, onTarget = 1 - eps, perClass = cols == 0 ? 0 : eps / cols;
        double total = 0;
        for (int i = 0; i < rows; i++) {
            if (t[i] == ignoreIndex) continue;
            int base = i * cols;
            double loss = -onTarget * logp.storage.get(base + (int) t[i]);
            if (eps > 0) {
                double sum = dtype == DType.FLOAT32 ? k.sum(logp.storage.f, base, cols) : k.sum(logp.storage.d, base, cols);
                loss -= perClass * sum;
            }
            total += loss;
        }
        // As PyTorch: the mean over no targets is 0/0 = NaN.
        double divisor = mean ? kept : 1;
        Tensor out = Tensor.full(dtype, total / divisor);
        return Tensor.record(op, out, new Tensor[] {logits}, new Tensor[] {logp}, g -> {
            if (Autograd.isGradEnabled()) {
                // Recorded backward: composed from differentiable ops of the logits.
                Tensor q = smoothedTargets(dtype, t, rows, cols, ignoreIndex, onTarget, perClass);
                Tensor keep = keptRows(dtype, t, ignoreIndex);
                return new Tensor[] {logits.logSoftmax(1).exp().sub(q).mul(keep).mul(g.div(divisor))};
            }
            double scale = g.item() / divisor;
            Tensor dx = Tensor.empty(dtype, new int[] {rows, cols});
            int n = rows * cols;
            if (dtype == DType.FLOAT32) {
                k.unary(UnaryOp.EXP, logp.storage.f, 0, dx.storage.f, 0, n, 0, 0);
                float[] d = dx.storage.f;
                for (int i = 0; i < rows; i++) {
                    int base = i * cols;
                    if (t[i] == ignoreIndex) {
                        Arrays.fill(d, base, base + cols, 0f);
                        continue;
                    }
                    for (int j = 0; j < cols; j++) d[base + j] = (float) ((d[base + j] - perClass) * scale);
                    d[base + (int) t[i]] -= (float) (onTarget * scale);
                }
            } else {
                k.unary(UnaryOp.EXP, logp.storage.d, 0, dx.storage.d, 0, n, 0, 0);
                double[] d = dx.storage.d;
                for (int i = 0; i < rows; i++) {
                    int base = i * cols;
                    if (t[i] == ignoreIndex) {
                        Arrays.fill(d, base, base + cols, 0.0);
                        continue;
                    }
                    for (int j = 0; j < cols; j++) d[base + j] = (d[base + j] - perClass) * scale;
                    d[base + (int) t[i]] -= onTarget * scale;
                }
            }
            return new Tensor[] {dx};
        });
    }

    /** q[i, c] = (1 − ε)·[c = t_i] + ε/C, zero rows for ignored targets. */
    private static Tensor smoothedTargets(DType dtype, long[] t, int rows, int cols, long ignoreIndex, double onTarget, double perClass) {
        double[] q = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            if (t[i] == ignoreIndex) continue;
            Arrays.fill(q, i * cols, (i + 1) * cols, perClass);
            q[i * cols + (int) t[i]] += onTarget;
        }
        return Tensor.of(q, rows, cols).to(dtype);
    }

    /** A column [N, 1] of 1 for the targets that count, 0 for ignored ones. */
    private static Tensor keptRows(DType dtype, long[] t, long ignoreIndex) {
        double[] keep = new double[t.length];
        for (int i = 0; i < t.length; i++) keep[i] = t[i] == ignoreIndex ? 0 : 1;
        return Tensor.of(keep, t.length, 1).to(dtype);
    }
}
