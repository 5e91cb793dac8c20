package org.jgrad;

import java.util.Arrays;
import org.jgrad.kernels.BinaryOp;
import org.jgrad.kernels.UnaryOp;

/**
 * Chains of ops that a training step runs every time, done as one op: one pass over the data and one
 * node in the graph instead of a node and a temporary per step. Each gives the same value and
 * gradient as the chain it replaces (the tests compare them), and is differentiable twice: when the
 * backward pass is itself recorded (createGraph) it falls back to the composed ops.
 */
final class Fused {
    private Fused() {}

    /**
     * Cross-entropy of logits [N, C] against int64 class indices [N], with label smoothing ε and
     * averaged over the targets that are not {@code ignoreIndex} ({@code mean}) or summed:
     * loss_i = −(1 − ε)·log softmax(z_i)[t_i] − (ε/C)·Σ_c log softmax(z_i)[c].
     * The same as {@code nn.Losses.crossEntropy} without class weights; that method calls this one.
     * The gradient is (softmax(z_i) − q_i)·g/divisor with q_i the smoothed one-hot target; the
     * forward-mode rule contracts the same with the logits' tangent.
     */
    static Tensor crossEntropy(Tensor logits, Tensor targets, double labelSmoothing, long ignoreIndex, boolean mean) {
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
        TypedKernels.logSoftmaxRows(x.storage, x.offset, logp.storage, 0, rows, cols);
        double eps = labelSmoothing, onTarget = 1 - eps, perClass = cols == 0 ? 0 : eps / cols;
        double total = 0;
        for (int i = 0; i < rows; i++) {
            if (t[i] == ignoreIndex) continue;
            int base = i * cols;
            double loss = -onTarget * logp.storage.get(base + (int) t[i]);
            if (eps > 0) {
                loss -= perClass * TypedKernels.sum(logp.storage, base, cols);
            }
            total += loss;
        }
        // As PyTorch: the mean over no targets is 0/0 = NaN.
        double divisor = mean ? kept : 1;
        Tensor out = Tensor.full(dtype, total / divisor);
        // The derivative (softmax − q)·g/divisor over the kept rows, composed from ops of the logits so
        // that it can be differentiated again; the fast form is one loop over the saved log-softmax.
        return Tensor.recordWithFastPath(op, out, new Tensor[] {logits}, new Tensor[] {logits, logp}, (n, g) -> {
            Tensor q = smoothedTargets(dtype, t, rows, cols, ignoreIndex, onTarget, perClass);
            Tensor keep = keptRows(dtype, t, ignoreIndex);
            return new Tensor[] {n.saved(0).softmax(1).sub(q).mul(keep).mul(g.div(divisor))};
        }, (n, g) -> {
            Tensor logpSaved = n.saved(1);
            double scale = g.item() / divisor;
            Tensor dx = Tensor.empty(dtype, new int[] {rows, cols});
            // Math.exp, not the Vector API's EXP: that one computes different bits before and after
            // C2 compiles the loop, and a seeded run must repeat exactly (logSoftmaxRows does the same).
            if (dtype == DType.FLOAT32) {
                float[] d = dx.storage.f, lp = logpSaved.storage.f;
                for (int i = 0; i < rows; i++) {
                    int base = i * cols;
                    if (t[i] == ignoreIndex) {
                        Arrays.fill(d, base, base + cols, 0f);
                        continue;
                    }
                    for (int j = 0; j < cols; j++) d[base + j] = (float) ((Math.exp(lp[base + j]) - perClass) * scale);
                    d[base + (int) t[i]] -= (float) (onTarget * scale);
                }
            } else {
                double[] d = dx.storage.d, lp = logpSaved.storage.d;
                for (int i = 0; i < rows; i++) {
                    int base = i * cols;
                    if (t[i] == ignoreIndex) {
                        Arrays.fill(d, base, base + cols, 0.0);
                        continue;
                    }
                    for (int j = 0; j < cols; j++) d[base + j] = (Math.exp(lp[base + j]) - perClass) * scale;
                    d[base + (int) t[i]] -= onTarget * scale;
                }
            }
            return new Tensor[] {dx.markUnshared()};
        }, dt -> {
            // The loss's tangent: Σ_ij (softmax(z) − q)_ij·keep_i·ż_ij / divisor, the derivative above
            // contracted with ż. Composed from ops of the logits, as the derivative is, so that a
            // recorded graph can differentiate it again.
            Tensor q = smoothedTargets(dtype, t, rows, cols, ignoreIndex, onTarget, perClass);
            Tensor keep = keptRows(dtype, t, ignoreIndex);
            return logits.softmax(1).sub(q).mul(keep).mul(dt[0]).sum().div(divisor);
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
    /**
     * x·Wᵀ + b for x [N, in], W [out, in] and b [out] (or null), followed by ReLU when {@code relu}:
     * torch.nn.functional.linear (and relu) as one op. The bias is written into the output before the
     * product accumulates onto it, ReLU is applied in place, and the backward masks the gradient and
     * runs the two products (dx = g'·W, dW = g'ᵀ·x) and the column sums (db) on it directly: no
     * transposed view, no broadcast add, no separate activation node and its temporaries.
     */
    static Tensor linear(Tensor x, Tensor weight, Tensor bias, boolean relu) {
        String op = relu ? "linear+relu" : "linear";
        int[] xs = x.shape(), ws = weight.shape();
        if (xs.length != 2 || ws.length != 2 || xs[1] != ws[1]) {
            throw new IllegalArgumentException(op + ": expected input [N, in] and weight [out, in], got input "
                    + Arrays.toString(xs) + " and weight " + Arrays.toString(ws));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != ws[0])) {
            throw new IllegalArgumentException(op + ": expected bias [" + ws[0] + "] for weight " + Arrays.toString(ws)
                    + ", got " + Arrays.toString(bias.shape()));
        }
        DType dtype = weight.dtype();
        if (!dtype.isFloatingPoint() || x.dtype() != dtype || (bias != null && bias.dtype() != dtype)) {
            throw new IllegalArgumentException(op + ": input, weight and bias must have one floating dtype, got "
                    + x.dtype() + ", " + weight.dtype() + (bias == null ? "" : ", " + bias.dtype()));
        }
        int n = xs[0], in = xs[1], out = ws[0];
        Tensor xc = x.rawContiguous(dtype), wc = weight.rawContiguous(dtype);
        Tensor y = Tensor.empty(dtype, new int[] {n, out});
        if (bias != null) {
            Tensor bc = bias.rawContiguous(dtype);
            for (int i = 0; i < n; i++) {
                if (dtype == DType.FLOAT32) System.arraycopy(bc.storage.f, bc.offset, y.storage.f, i * out, out);
                else System.arraycopy(bc.storage.d, bc.offset, y.storage.d, i * out, out);
            }
        }
        if (n > 0 && out > 0) {
            TypedKernels.gemm(false, true, n, out, in, xc.storage, xc.offset, in, wc.storage, wc.offset, in, y.storage, 0, out, bias != null);
            if (relu) TypedKernels.unary(UnaryOp.RELU, y.storage, 0, y.storage, 0, n * out, 0, 0);
        }
        Tensor[] inputs = bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
        int inputCount = inputs.length;
        // The derivative, composed from ops so that it can be differentiated again: g' = g masked where
        // the output is positive (ReLU), dx = g'·W, dW = g'ᵀ·x, db = Σ g'. The fast form runs the same
        // on raw arrays: relu's backward kernel, two gemms on the saved contiguous operands, column sums.
        return Tensor.recordWithFastPath(op, y, inputs, new Tensor[] {x, weight, y, xc, wc}, (nd, g) -> {
            Tensor gy = relu ? g.mul(nd.saved(2).gt(0)) : g;
            Tensor[] grads = new Tensor[inputCount];
            if (nd.needsGrad(0)) grads[0] = gy.matmul(nd.saved(1));
            if (nd.needsGrad(1)) grads[1] = gy.t().matmul(nd.saved(0));
            if (inputCount > 2 && nd.needsGrad(2)) grads[2] = gy.sum(new int[] {0}, false);
            return grads;
        }, (nd, g) -> {
            Tensor yv = nd.saved(2), xcv = nd.saved(3), wcv = nd.saved(4);
            Tensor gy = g.rawContiguous(dtype);
            if (relu) {
                // g' = g where the output is positive (relu's own backward kernel), into a fresh tensor:
                // g may be shared with other uses.
                Tensor masked = Tensor.empty(dtype, new int[] {n, out});
                TypedKernels.binary(BinaryOp.RELU_GRAD, gy.storage, gy.offset, 1, yv.storage, 0, 1, masked.storage, 0, n * out);
                gy = masked;
            }
            Tensor[] grads = new Tensor[inputCount];
            if (nd.needsGrad(0)) {
                Tensor dx = Tensor.empty(dtype, new int[] {n, in});
                TypedKernels.gemm(false, false, n, in, out, gy.storage, gy.offset, out, wcv.storage, wcv.offset, in, dx.storage, 0, in, false);
                grads[0] = dx.markUnshared();
            }
            if (nd.needsGrad(1)) {
                Tensor dw = Tensor.empty(dtype, new int[] {out, in});
                TypedKernels.gemm(true, false, out, in, n, gy.storage, gy.offset, out, xcv.storage, xcv.offset, in, dw.storage, 0, in, false);
                grads[1] = dw.markUnshared();
            }
            if (inputCount > 2 && nd.needsGrad(2)) grads[2] = columnSums(gy, n, out).markUnshared();
            return grads;
        }, dt -> {
            // ẏ = ẋ·Wᵀ + x·Ẇᵀ + ḃ, masked where the ReLU is off.
            Tensor ty = dt[0].matmul(weight.t()).add(x.matmul(dt[1].t()));
            if (inputCount > 2) ty = ty.add(dt[2]);
            return relu ? ty.mul(y.gt(0)) : ty;
        });
    }

    /** Σ_i g[i, j] for a contiguous [n, cols] g, accumulated in double. */
    private static Tensor columnSums(Tensor g, int n, int cols) {
        double[] acc = new double[cols];
        for (int i = 0; i < n; i++) {
            int base = g.offset + i * cols;
            if (g.dtype() == DType.FLOAT32) {
                float[] v = g.storage.f;
                for (int j = 0; j < cols; j++) acc[j] += v[base + j];
            } else {
                double[] v = g.storage.d;
                for (int j = 0; j < cols; j++) acc[j] += v[base + j];
            }
        }
        return Tensor.of(acc, cols).to(g.dtype());
    }
}
