package org.jgrad;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An n-dimensional array of float32, float64 or int64 values that records, as it is computed
 * with, the graph that reverse-mode automatic differentiation walks back.
 *
 * <p>A tensor is a view: a shared {@link Storage}, an offset, a shape and strides. Movement ops
 * (reshape, transpose, permute, slice, select, expand, squeeze, unsqueeze) return views without
 * copying. Ops are immutable: each returns a new tensor; the few in-place methods end in
 * {@code InPlace} and refuse tensors that are part of a recorded graph.
 *
 * <p>Each op's forward and backward live side by side in the package-private classes named after
 * their family: {@link Elementwise}, {@link Reductions}, {@link LinearAlgebra}, {@link Views},
 * {@link Indexing}. Backward rules are written with tensor ops, so gradients are differentiable.
 */
public final class Tensor {
    Storage storage; // with strides and offset, replaced only by toInPlace
    final int[] shape;
    int[] strides;
    int offset;

    private boolean requiresGrad;
    private Tensor grad;
    /** The op that produced this tensor; null for leaves (tensors created by the user). */
    Node gradFn;
    /** Forward mode: this tensor's tangent and the dual level it belongs to (see {@link ForwardAD}); usually null. */
    ForwardAD.Tangent tangent;

    Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ---------------------------------------------------------------- creation

    /** A new contiguous tensor of the given type and shape, filled with zeros. */
    static Tensor empty(DType dtype, int[] shape) {
        Shapes.checkShape("empty", shape);
        int[] s = shape.clone();
        return new Tensor(Storage.allocate(dtype, Shapes.numel(s)), s, Shapes.contiguousStrides(s), 0);
    }

    /** float64 tensor of the given shape holding {@code values} in row-major order (copied). */
    public static Tensor of(double[] values, int... shape) {
        checkLength("of", values.length, shape);
        return new Tensor(Storage.of(values.clone()), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** float32 tensor of the given shape holding {@code values} in row-major order (copied). */
    public static Tensor of(float[] values, int... shape) {
        checkLength("of", values.length, shape);
        return new Tensor(Storage.of(values.clone()), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** int64 tensor (indices) of the given shape holding {@code values} in row-major order (copied). */
    public static Tensor of(long[] values, int... shape) {
        checkLength("of", values.length, shape);
        return new Tensor(Storage.of(values.clone()), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** 1-D float64 tensor of {@code values}. */
    public static Tensor of(double... values) {
        return of(values, values.length);
    }

    /** float32 matrix from rows (all of one length). */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return of(flat, rows.length, cols);
    }

    /** float64 matrix from rows (all of one length). */
    public static Tensor of(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return of(flat, rows.length, cols);
    }

    /** A rank-0 float32 tensor. */
    public static Tensor scalar(double value) {
        return scalar(DType.FLOAT32, value);
    }

    public static Tensor scalar(DType dtype, double value) {
        Tensor t = empty(dtype, new int[0]);
        t.storage.set(0, value);
        return t;
    }

    private static void checkLength(String op, int length, int[] shape) {
        Shapes.checkShape(op, shape);
        if (Shapes.numel(shape) != length) {
            throw new IllegalArgumentException(op + ": " + length + " values cannot fill shape " + Shapes.str(shape)
                    + " (" + Shapes.numel(shape) + " elements)");
        }
    }

    public static Tensor zeros(int... shape) {
        return empty(DType.FLOAT32, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return empty(dtype, shape);
    }

    public static Tensor ones(int... shape) {
        return full(DType.FLOAT32, 1, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1, shape);
    }

    public static Tensor full(double value, int... shape) {
        return full(DType.FLOAT32, value, shape);
    }

    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = empty(dtype, shape);
        switch (dtype) {
            case FLOAT32 -> Arrays.fill(t.storage.f, (float) value);
            case FLOAT64 -> Arrays.fill(t.storage.d, value);
            case INT64 -> Arrays.fill(t.storage.l, (long) value);
        }
        return t;
    }

    public static Tensor zerosLike(Tensor t) {
        return empty(t.dtype(), t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return full(t.dtype(), 1, t.shape);
    }

    /** The n×n float32 identity matrix. */
    public static Tensor eye(int n) {
        return eye(DType.FLOAT32, n);
    }

    public static Tensor eye(DType dtype, int n) {
        Tensor t = empty(dtype, new int[] {n, n});
        for (int i = 0; i < n; i++) t.storage.set(i * n + i, 1);
        return t;
    }

    /** float32 values start, start+step, … below end (above end for a negative step). */
    public static Tensor arange(double start, double end, double step) {
        return arange(DType.FLOAT32, start, end, step);
    }

    public static Tensor arange(double end) {
        return arange(DType.FLOAT32, 0, end, 1);
    }

    public static Tensor arange(DType dtype, double start, double end, double step) {
        if (step == 0 || Double.isNaN(step)) throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        long n = (long) Math.ceil((end - start) / step);
        if (n < 0) n = 0;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("arange: " + n + " elements is too many");
        Tensor t = empty(dtype, new int[] {(int) n});
        for (int i = 0; i < n; i++) t.storage.set(i, start + i * step);
        return t;
    }

    /** {@code steps} float32 values evenly spaced from start to end, both included. */
    public static Tensor linspace(double start, double end, int steps) {
        return linspace(DType.FLOAT32, start, end, steps);
    }

    public static Tensor linspace(DType dtype, double start, double end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        Tensor t = empty(dtype, new int[] {steps});
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) t.storage.set(i, i == steps - 1 && steps > 1 ? end : start + i * step);
        return t;
    }

    /** float32 samples uniform in [0, 1). */
    public static Tensor rand(Generator gen, int... shape) {
        return uniform(gen, DType.FLOAT32, 0, 1, shape);
    }

    /** float32 samples of the standard normal distribution. */
    public static Tensor randn(Generator gen, int... shape) {
        return normal(gen, DType.FLOAT32, 0, 1, shape);
    }

    public static Tensor uniform(Generator gen, double low, double high, int... shape) {
        return uniform(gen, DType.FLOAT32, low, high, shape);
    }

    public static Tensor uniform(Generator gen, DType dtype, double low, double high, int... shape) {
        Objects.requireNonNull(gen, "uniform: generator");
        if (!(low <= high)) throw new IllegalArgumentException("uniform: expected low <= high, got " + low + " and " + high);
        Tensor t = empty(floating("uniform", dtype), shape);
        int n = t.numel();
        for (int i = 0; i < n; i++) t.storage.set(i, low + (high - low) * gen.nextDouble());
        return t;
    }

    public static Tensor normal(Generator gen, double mean, double std, int... shape) {
        return normal(gen, DType.FLOAT32, mean, std, shape);
    }

    public static Tensor normal(Generator gen, DType dtype, double mean, double std, int... shape) {
        Objects.requireNonNull(gen, "normal: generator");
        if (!(std >= 0)) throw new IllegalArgumentException("normal: expected std >= 0, got " + std);
        Tensor t = empty(floating("normal", dtype), shape);
        int n = t.numel();
        for (int i = 0; i < n; i++) t.storage.set(i, mean + std * gen.nextGaussian());
        return t;
    }

    private static DType floating(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException(op + ": expected a floating-point dtype, got " + dtype);
        return dtype;
    }

    // ---------------------------------------------------------------- metadata and values

    public DType dtype() {
        return storage.dtype;
    }

    /** The sizes of the dimensions (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code dim} (negative counts from the end). */
    public int size(int dim) {
        return shape[Shapes.dim("size", dim, shape.length)];
    }

    /** Element steps between neighbours along each dimension (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public boolean isContiguous() {
        if (numel() == 0) return true; // no element to misplace; strides of empty tensors are arbitrary
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: expected a tensor with one element, got shape " + Shapes.str(shape));
        }
        return storage.get(offset);
    }

    /** Row-major values, converted to double whatever the dtype. */
    public double[] toDoubleArray() {
        Tensor c = rawContiguous(DType.FLOAT64);
        return c.storage.d == null ? null : Arrays.copyOfRange(c.storage.d, c.offset, c.offset + numel());
    }

    /** Row-major values, converted to float whatever the dtype. */
    public float[] toFloatArray() {
        Tensor c = rawContiguous(DType.FLOAT32);
        return Arrays.copyOfRange(c.storage.f, c.offset, c.offset + numel());
    }

    /** Row-major values, converted to long (truncating floats) whatever the dtype. */
    public long[] toLongArray() {
        Tensor c = rawContiguous(DType.INT64);
        return Arrays.copyOfRange(c.storage.l, c.offset, c.offset + numel());
    }

    /** A contiguous tensor of the given dtype with these values, without recording; may be this. */
    Tensor rawContiguous(DType dtype) {
        if (dtype == dtype() && isContiguous()) return this;
        Tensor out = empty(dtype, shape);
        Strided.copy(this, out);
        return out;
    }

    /** Element at a multi-index, e.g. {@code t.get(1, 2)}. */
    public double get(int... index) {
        return storage.get(flatIndex("get", index));
    }

    private int flatIndex(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + index.length + " indices for a tensor of rank " + shape.length
                    + " (shape " + Shapes.str(shape) + ")");
        }
        int o = offset;
        for (int i = 0; i < index.length; i++) {
            int k = index[i] < 0 ? index[i] + shape[i] : index[i];
            if (k < 0 || k >= shape[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + index[i] + " out of range for dimension " + i
                        + " of size " + shape[i]);
            }
            o += k * strides[i];
        }
        return o;
    }

    // ---------------------------------------------------------------- autograd

    /** Marks a leaf tensor as one whose gradient backward should compute. Returns this. */
    public Tensor requiresGrad(boolean requires) {
        if (gradFn != null && !requires) {
            throw new IllegalStateException("requiresGrad: this tensor was computed by " + gradFn.op
                    + " and is part of the graph; use detach() to get a tensor that does not require grad");
        }
        if (requires && !dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("requiresGrad: only floating-point tensors can require grad, this one is " + dtype());
        }
        this.requiresGrad = requires;
        return this;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True for tensors the user created (no recorded op produced them). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The name of the op that produced this tensor, or null for a leaf. */
    public String gradFnName() {
        return gradFn == null ? null : gradFn.op;
    }

    /** The gradient accumulated by backward, or null before any backward reached this leaf. */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the accumulated gradient (PyTorch's {@code grad = None}). */
    public void zeroGrad() {
        grad = null;
    }

    /** Replaces the gradient (optimizers and gradient clipping use this). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + Shapes.str(g.shape)
                    + " for a tensor of shape " + Shapes.str(shape));
        }
        grad = g;
    }

    /**
     * Set by a backward function on a gradient it has just allocated and holds no other reference to
     * ({@link #markUnshared}); the leaf that receives it keeps it as its grad without a copy.
     */
    private boolean unshared;

    Tensor markUnshared() {
        unshared = true;
        return this;
    }

    /**
     * Adds a gradient that backward computed into {@link #grad()}. Outside createGraph the first
     * gradient is adopted without a copy when its producer marked it unshared (nobody else holds it;
     * grad() is then this leaf's own buffer, which optimizers may change in place). A recorded
     * gradient is copied through a recorded op: the same tensor may reach several leaves
     * ({@code a.add(b)} passes one gradient to both), and their grads must not be one object.
     */
    void accumulateGrad(Tensor g) {
        if (grad == null) {
            if (Autograd.isGradEnabled()) {
                grad = g.copy();
            } else if (g.unshared && g.gradFn == null) {
                g.unshared = false;
                grad = g;
            } else {
                // Own the buffer: the incoming gradient may be shared with other parts of the graph.
                grad = g.detach().rawClone();
            }
        } else if (Autograd.isGradEnabled()) {
            grad = grad.add(g);
        } else {
            grad = grad.detach().add(g);
        }
    }

    /** Backpropagates from this scalar: accumulates d this / d leaf into every leaf's grad. */
    public void backward() {
        Autograd.run("backward", this, null, false, false, null);
    }

    /** Backpropagates {@code gradient} (the gradient of some scalar with respect to this tensor). */
    public void backward(Tensor gradient) {
        Autograd.run("backward", this, gradient, false, false, null);
    }

    /**
     * As {@link #backward(Tensor)}; with {@code retainGraph} the graph can be walked again; {@code
     * gradient} may be null for a scalar.
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.run("backward", this, gradient, retainGraph, false, null);
    }

    /** The same values, cut from the graph: shares storage and does not require grad. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset);
    }

    Tensor detachUnlessRecording(boolean recording) {
        return recording ? this : detach();
    }

    /** A contiguous copy with its own storage, not recorded. */
    Tensor rawClone() {
        Tensor out = empty(dtype(), shape);
        Strided.copy(this, out);
        return out;
    }

    /**
     * Attaches {@code derivative} to {@code out} if recording is on and some input requires grad.
     * {@code saved} are the tensors the derivative reads ({@link Node#saved(int)}): they are freed
     * after backward, and changing one in place before is detected.
     */
    static Tensor record(String op, Tensor out, Tensor[] inputs, Tensor[] saved, Node.Derivative derivative) {
        return recordWithFastPath(op, out, inputs, saved, derivative, null, null);
    }

    /**
     * As {@link #record(String, Tensor, Tensor[], Tensor[], Node.Derivative)}, with the op's
     * forward-mode rule: given the tangents of the inputs, the tangent of {@code out} ({@link ForwardAD}).
     * The rule runs at once, if an input carries a tangent, so it may use the inputs and {@code out}
     * directly. An op recorded without a rule refuses a tangent.
     */
    static Tensor record(String op, Tensor out, Tensor[] inputs, Tensor[] saved, Node.Derivative derivative,
                         ForwardAD.Rule tangentRule) {
        return recordWithFastPath(op, out, inputs, saved, derivative, null, tangentRule);
    }

    /**
     * As {@link #record(String, Tensor, Tensor[], Tensor[], Node.Derivative)}, with a second form of
     * the same derivative that the engine runs when the backward pass is not recorded: a fused loop
     * that is faster but not differentiable. The two must agree in value (FastDerivativeTest checks).
     */
    static Tensor recordWithFastPath(String op, Tensor out, Tensor[] inputs, Tensor[] saved, Node.Derivative derivative,
                                     Node.Derivative fastDerivative) {
        return recordWithFastPath(op, out, inputs, saved, derivative, fastDerivative, null);
    }

    /** As the above, with the op's forward-mode rule (see {@link #record(String, Tensor, Tensor[], Tensor[], Node.Derivative, ForwardAD.Rule)}). */
    static Tensor recordWithFastPath(String op, Tensor out, Tensor[] inputs, Tensor[] saved, Node.Derivative derivative,
                                     Node.Derivative fastDerivative, ForwardAD.Rule tangentRule) {
        ForwardAD.propagate(op, out, inputs, tangentRule);
        if (!Autograd.isGradEnabled()) return out;
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                out.gradFn = new Node(op, out, inputs, saved, derivative, fastDerivative);
                out.requiresGrad = true;
                return out;
            }
        }
        return out;
    }

    /** The node through which gradients reach this leaf; one per leaf, made on first use. */
    private Node gradAccumulator;

    Node gradAccumulator() {
        if (gradAccumulator == null) gradAccumulator = new Node(this);
        return gradAccumulator;
    }

    static final Tensor[] NONE = new Tensor[0];

    // ---------------------------------------------------------------- conversion and copies

    /** This tensor as {@code dtype} (this if it already is); differentiable between float types. */
    public Tensor to(DType dtype) {
        if (dtype == dtype()) return this;
        Tensor out = rawContiguous(dtype);
        if (!dtype.isFloatingPoint()) return out;
        DType from = dtype();
        return record("to(" + dtype + ")", out, new Tensor[] {this}, NONE, (n, g) -> new Tensor[] {g.to(from)},
                t -> t[0].to(dtype));
    }

    /**
     * Converts this leaf to {@code dtype} in place, as PyTorch's {@code param.data = param.data.to(dtype)}:
     * the tensor keeps its identity (so a module, an optimizer and its per-parameter state that hold it
     * still hold it) and takes a new contiguous storage with the converted values. Its gradient is
     * converted too. Views and detached tensors made from it earlier keep the old storage. Not recorded.
     * Returns this.
     *
     * <p>Refuses a tensor computed by a recorded op. A graph that saved this tensor for backward
     * notices the change (the version moves on) and refuses to backward through it.
     */
    public Tensor toInPlace(DType dtype) {
        Objects.requireNonNull(dtype, "toInPlace: dtype");
        if (gradFn != null) {
            throw new IllegalStateException("toInPlace: this tensor (shape " + Shapes.str(shape) + ") was computed by "
                    + gradFn.op + " and is part of the recorded graph; convert the leaf it came from, or use to(dtype)");
        }
        if (requiresGrad && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("toInPlace: this tensor requires grad and must stay floating point, got "
                    + dtype);
        }
        if (dtype == dtype()) return this;
        Tensor converted = rawContiguous(dtype);
        converted.storage.followVersionOf(storage);
        storage = converted.storage;
        strides = converted.strides;
        offset = converted.offset;
        if (grad != null) grad = grad.detach().rawContiguous(dtype);
        return this;
    }

    /** A contiguous tensor with the same values: this if already contiguous, else a copy. */
    public Tensor contiguous() {
        if (isContiguous()) return this;
        return record("contiguous", rawClone(), new Tensor[] {this}, NONE, (n, g) -> new Tensor[] {g}, t -> t[0]);
    }

    /** A copy with its own storage (differentiable). */
    public Tensor copy() {
        return record("copy", rawClone(), new Tensor[] {this}, NONE, (n, g) -> new Tensor[] {g}, t -> t[0]);
    }

    // ---------------------------------------------------------------- views (see Views)

    public Tensor reshape(int... newShape) {
        return Views.reshape(this, newShape);
    }

    /** As reshape, but never copies: throws if the strides do not allow a view. */
    public Tensor view(int... newShape) {
        return Views.view(this, newShape);
    }

    public Tensor transpose(int dim0, int dim1) {
        return Views.transpose(this, dim0, dim1);
    }

    /** Transpose of a matrix (rank ≤ 2). */
    public Tensor t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("t: expected a tensor of rank <= 2, got shape " + Shapes.str(shape)
                    + "; use transpose(dim0, dim1)");
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    public Tensor permute(int... dims) {
        return Views.permute(this, dims);
    }

    /** Elements start, start+step, … below end along {@code dim}; negative start/end count from the end. */
    public Tensor slice(int dim, int start, int end, int step) {
        return Views.slice(this, dim, start, end, step);
    }

    public Tensor slice(int dim, int start, int end) {
        return Views.slice(this, dim, start, end, 1);
    }

    /** The sub-tensor at {@code index} along {@code dim}, that dimension removed. */
    public Tensor select(int dim, int index) {
        return Views.select(this, dim, index);
    }

    /** Broadcasts size-1 dimensions (and new leading ones) to {@code newShape}; -1 keeps a size. */
    public Tensor expand(int... newShape) {
        return Views.expand(this, newShape);
    }

    /** Removes all size-1 dimensions. */
    public Tensor squeeze() {
        return Views.squeeze(this);
    }

    /** Removes dimension {@code dim} if its size is 1. */
    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim);
    }

    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    public Tensor flatten() {
        return reshape(numel());
    }

    /** Merges dimensions startDim..endDim (inclusive) into one. */
    public Tensor flatten(int startDim, int endDim) {
        return Views.flatten(this, startDim, endDim);
    }

    /**
     * Sums this gradient-shaped tensor down to {@code target}, the inverse of broadcasting: the
     * backward of every broadcasting op.
     */
    Tensor sumToShape(int... target) {
        return Reductions.sumToShape(this, target);
    }

    // ---------------------------------------------------------------- elementwise (see Elementwise)

    public Tensor add(Tensor other) { return Elementwise.add(this, other); }
    public Tensor add(double c) { return Elementwise.affine("add", this, 1, c); }
    public Tensor sub(Tensor other) { return Elementwise.sub(this, other); }
    public Tensor sub(double c) { return Elementwise.affine("sub", this, 1, -c); }
    public Tensor mul(Tensor other) { return Elementwise.mul(this, other); }
    // mul and neg add −0, not +0: that keeps the sign of a zero product (neg(+0) is −0).
    public Tensor mul(double c) { return Elementwise.affine("mul", this, c, -0.0); }
    public Tensor div(Tensor other) { return Elementwise.div(this, other); }
    public Tensor div(double c) { return Elementwise.divScalar(this, c); }
    public Tensor neg() { return Elementwise.neg(this); }
    public Tensor pow(double exponent) { return Elementwise.pow(this, exponent); }
    public Tensor pow(Tensor exponent) { return Elementwise.pow(this, exponent); }
    public Tensor exp() { return Elementwise.exp(this); }
    public Tensor log() { return Elementwise.log(this); }
    public Tensor log1p() { return Elementwise.log1p(this); }
    public Tensor sqrt() { return Elementwise.sqrt(this); }
    public Tensor abs() { return Elementwise.abs(this); }
    public Tensor sign() { return Elementwise.sign(this); }
    public Tensor sin() { return Elementwise.sin(this); }
    public Tensor cos() { return Elementwise.cos(this); }
    public Tensor tanh() { return Elementwise.tanh(this); }
    public Tensor sigmoid() { return Elementwise.sigmoid(this); }
    public Tensor relu() { return Elementwise.relu(this); }
    /**
     * x for x &gt; 0, αx otherwise, with PyTorch's default slope α = 0.01 (the one of
     * {@link org.jgrad.nn.LeakyReLU#DEFAULT_ALPHA}); the lecture uses α = 0.1, {@code leakyRelu(0.1)}.
     */
    public Tensor leakyRelu() { return Elementwise.leakyRelu(this, 0.01); }
    /** x for x &gt; 0, αx otherwise (the slope at 0 is α, as in PyTorch). */
    public Tensor leakyRelu(double alpha) { return Elementwise.leakyRelu(this, alpha); }
    public Tensor elu(double alpha) { return Elementwise.elu(this, alpha); }
    public Tensor softplus() { return Elementwise.softplus(this); }
    public Tensor atan() { return Elementwise.atan(this); }
    public Tensor softsign() { return Elementwise.softsign(this); }
    public Tensor gelu() { return Elementwise.gelu(this); }
    public Tensor clamp(double min, double max) { return Elementwise.clamp(this, min, max); }
    public Tensor maximum(Tensor other) { return Elementwise.maximum(this, other); }
    public Tensor minimum(Tensor other) { return Elementwise.minimum(this, other); }

    /** Elementwise {@code cond != 0 ? a : b}, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Elementwise.where(cond, a, b); }

    // Comparisons: 1 where true, 0 where false, in the promoted floating type; not differentiable.
    public Tensor gt(Tensor other) { return Elementwise.compare(org.jgrad.kernels.BinaryOp.GT, this, other); }
    public Tensor ge(Tensor other) { return Elementwise.compare(org.jgrad.kernels.BinaryOp.GE, this, other); }
    public Tensor lt(Tensor other) { return Elementwise.compare(org.jgrad.kernels.BinaryOp.LT, this, other); }
    public Tensor le(Tensor other) { return Elementwise.compare(org.jgrad.kernels.BinaryOp.LE, this, other); }
    public Tensor eq(Tensor other) { return Elementwise.compare(org.jgrad.kernels.BinaryOp.EQ, this, other); }
    public Tensor ne(Tensor other) { return Elementwise.compare(org.jgrad.kernels.BinaryOp.NE, this, other); }
    public Tensor gt(double c) { return gt(scalar(dtype().isFloatingPoint() ? dtype() : DType.FLOAT64, c)); }
    public Tensor ge(double c) { return ge(scalar(dtype().isFloatingPoint() ? dtype() : DType.FLOAT64, c)); }
    public Tensor lt(double c) { return lt(scalar(dtype().isFloatingPoint() ? dtype() : DType.FLOAT64, c)); }
    public Tensor le(double c) { return le(scalar(dtype().isFloatingPoint() ? dtype() : DType.FLOAT64, c)); }
    public Tensor eq(double c) { return eq(scalar(dtype().isFloatingPoint() ? dtype() : DType.FLOAT64, c)); }
    public Tensor ne(double c) { return ne(scalar(dtype().isFloatingPoint() ? dtype() : DType.FLOAT64, c)); }

    // ---------------------------------------------------------------- in place (not recorded)

    /** this += other (broadcast into this shape). Refuses tensors that take part in a recorded graph. */
    public Tensor addInPlace(Tensor other) { return Elementwise.inPlace("addInPlace", this, org.jgrad.kernels.BinaryOp.ADD, other); }
    /** this += alpha·other in place (PyTorch's {@code add_(other, alpha=alpha)}), without a temporary when the shapes match. */
    public Tensor addInPlace(Tensor other, double alpha) { return Elementwise.addScaledInPlace(this, other, alpha); }
    public Tensor subInPlace(Tensor other) { return Elementwise.inPlace("subInPlace", this, org.jgrad.kernels.BinaryOp.SUB, other); }
    public Tensor mulInPlace(Tensor other) { return Elementwise.inPlace("mulInPlace", this, org.jgrad.kernels.BinaryOp.MUL, other); }
    public Tensor mulInPlace(double c) { return Elementwise.inPlace("mulInPlace", this, org.jgrad.kernels.BinaryOp.MUL, scalar(DType.FLOAT64, c)); }
    /** Overwrites this tensor's values with {@code src}'s (broadcast). */
    public Tensor copyInPlace(Tensor src) { return Elementwise.copyInPlace(this, src); }
    public Tensor fillInPlace(double value) { return Elementwise.copyInPlace(this, scalar(dtype(), value)); }

    void checkInPlaceAllowed(String op) {
        if (Autograd.isGradEnabled() && (requiresGrad || gradFn != null)) {
            throw new IllegalStateException(op + ": this tensor (shape " + Shapes.str(shape) + ") requires grad, and an"
                    + " in-place change would silently corrupt the recorded graph; do it inside Autograd.noGrad()"
                    + " (as optimizers do) or use the out-of-place op");
        }
    }

    void bumpVersion() {
        storage.bumpVersion();
    }

    // ---------------------------------------------------------------- reductions (see Reductions)

    public Tensor sum() { return Reductions.sum(this, Shapes.allDims(shape.length), false); }
    public Tensor sum(int dim, boolean keepDim) { return Reductions.sum(this, new int[] {dim}, keepDim); }
    public Tensor sum(int[] dims, boolean keepDim) { return Reductions.sum(this, dims, keepDim); }
    public Tensor mean() { return Reductions.mean(this, Shapes.allDims(shape.length), false); }
    public Tensor mean(int dim, boolean keepDim) { return Reductions.mean(this, new int[] {dim}, keepDim); }
    public Tensor mean(int[] dims, boolean keepDim) { return Reductions.mean(this, dims, keepDim); }
    /** Unbiased variance (divides by n − 1) over all elements. */
    public Tensor var() { return Reductions.var(this, Shapes.allDims(shape.length), false, 1); }
    public Tensor var(int dim, boolean keepDim) { return Reductions.var(this, new int[] {dim}, keepDim, 1); }
    /** Variance dividing by n − correction (0: population, 1: unbiased). */
    public Tensor var(int[] dims, boolean keepDim, int correction) { return Reductions.var(this, dims, keepDim, correction); }
    public Tensor std() { return Reductions.std(this, Shapes.allDims(shape.length), false, 1); }
    public Tensor std(int dim, boolean keepDim) { return Reductions.std(this, new int[] {dim}, keepDim, 1); }
    public Tensor std(int[] dims, boolean keepDim, int correction) { return Reductions.std(this, dims, keepDim, correction); }
    public Tensor prod() { return Reductions.prod(this, Shapes.allDims(shape.length), false); }
    public Tensor prod(int dim, boolean keepDim) { return Reductions.prod(this, new int[] {dim}, keepDim); }
    /** Largest element. At ties the gradient is split evenly among them ({@link TieRule#SPLIT}). */
    public Tensor max() { return Reductions.maxAll(this, true, TieRule.SPLIT); }
    /** Smallest element, the gradient split at ties ({@link TieRule#SPLIT}). */
    public Tensor min() { return Reductions.maxAll(this, false, TieRule.SPLIT); }
    /** Largest element, its gradient at ties sent where {@code ties} says. */
    public Tensor max(TieRule ties) { return Reductions.maxAll(this, true, ties); }
    /** Smallest element, its gradient at ties sent where {@code ties} says. */
    public Tensor min(TieRule ties) { return Reductions.maxAll(this, false, ties); }
    /**
     * Largest values along {@code dim} and their (first) indices. The values' gradient is split
     * evenly at ties ({@link TieRule#SPLIT}); {@link #max(int, boolean, TieRule)} with {@link
     * TieRule#FIRST} sends it to the returned index instead, as PyTorch's {@code max(dim)}.
     */
    public ValuesAndIndices max(int dim, boolean keepDim) { return Reductions.maxDim(this, dim, keepDim, true, TieRule.SPLIT); }
    /** Smallest values along {@code dim} and their (first) indices; the gradient split at ties. */
    public ValuesAndIndices min(int dim, boolean keepDim) { return Reductions.maxDim(this, dim, keepDim, false, TieRule.SPLIT); }
    /** Largest values along {@code dim} and their (first) indices, the gradient at ties sent where {@code ties} says. */
    public ValuesAndIndices max(int dim, boolean keepDim, TieRule ties) { return Reductions.maxDim(this, dim, keepDim, true, ties); }
    /** Smallest values along {@code dim} and their (first) indices, the gradient at ties sent where {@code ties} says. */
    public ValuesAndIndices min(int dim, boolean keepDim, TieRule ties) { return Reductions.maxDim(this, dim, keepDim, false, ties); }
    /** Index of the (first) largest element of the flattened tensor, as an int64 scalar. */
    public Tensor argmax() { return Reductions.argAll(this, true); }
    public Tensor argmin() { return Reductions.argAll(this, false); }
    public Tensor argmax(int dim, boolean keepDim) { return max(dim, keepDim).indices(); }
    public Tensor argmin(int dim, boolean keepDim) { return min(dim, keepDim).indices(); }
    public Tensor logsumexp() { return Reductions.logsumexp(this, Shapes.allDims(shape.length), false); }
    public Tensor logsumexp(int dim, boolean keepDim) { return Reductions.logsumexp(this, new int[] {dim}, keepDim); }
    /**
     * The softmax-weighted mean ⟨x, softmax(x)⟩ = Σ xᵢ·e^(xᵢ) / Σ e^(xᵢ) along {@code dim}: a soft
     * maximum that, unlike {@link #logsumexp(int, boolean)}, lies between the mean and the max (equal
     * to a when every element is a, where logsumexp gives a + ln n) and moves by c under x + c. It is
     * not convex and its gradient is not softmax(x). A composite of mul, softmax and sum.
     */
    public Tensor softmaxWeightedMean(int dim, boolean keepDim) { return Reductions.softmaxWeightedMean(this, dim, keepDim); }
    /** Euclidean (L2) norm of all elements. */
    public Tensor norm() { return Reductions.norm(this, 2, Shapes.allDims(shape.length), false); }
    /** p-norm over all elements (p = ∞ gives the largest absolute value). */
    public Tensor norm(double p) { return Reductions.norm(this, p, Shapes.allDims(shape.length), false); }
    public Tensor norm(double p, int[] dims, boolean keepDim) { return Reductions.norm(this, p, dims, keepDim); }
    public Tensor softmax(int dim) { return Reductions.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return Reductions.logSoftmax(this, dim); }

    /** Values of a reduction or sort, with the int64 indices they came from. */
    public record ValuesAndIndices(Tensor values, Tensor indices) {}

    // ---------------------------------------------------------------- matrices (see LinearAlgebra)

    /**
     * Matrix product with PyTorch's rules: vector·vector gives a scalar, a 1-D argument is promoted
     * to a matrix and the added dimension removed afterwards, leading (batch) dimensions broadcast.
     */
    public Tensor matmul(Tensor other) { return LinearAlgebra.matmul(this, other); }
    /**
     * Einstein summation, with NumPy's and PyTorch's rules: each operand's dimensions are named by
     * letters ({@code a-z}, {@code A-Z}), and the result is the sum, over every label that is not in
     * the output, of the product of the operands' matching elements.
     *
     * <pre>{@code
     * Tensor.einsum("ij,jk->ik", a, b)        // a.matmul(b), computed as exactly that
     * Tensor.einsum("bij,bjk->bik", a, b)     // batched matmul
     * Tensor.einsum("...ij,...jk->...ik", a, b) // '...' names broadcast batch dimensions
     * Tensor.einsum("ii->", a)                // trace: a repeated label takes the diagonal
     * Tensor.einsum("ii->i", a)               // the diagonal itself
     * Tensor.einsum("i,ij,j->", x, A, y)      // the bilinear form xᵀAy
     * Tensor.einsum("ij,jk", a, b)            // implicit output: the labels used once, sorted ("ik")
     * }</pre>
     *
     * <p>Without {@code ->} the output is the ellipsis dimensions followed by the labels that appear
     * exactly once, in alphabetical order. A label of size 1 broadcasts against the same label of
     * another size; ellipsis dimensions broadcast right-aligned and are summed when the output has no
     * {@code ...}. Spaces are ignored.
     *
     * <p>einsum is a composite: the operands are contracted left to right, each pair as one (batched)
     * {@code matmul}, with permute, reshape, slice (for diagonals), sum and mul around it. So its
     * gradient is that of those ops, which works out to the same contraction with the indices swapped
     * (for {@code "ij,jk->ik"}: ∂a = einsum("ik,jk->ij", g, b)), and it is differentiable again.
     *
     * @throws IllegalArgumentException for a malformed equation (an invalid character, subscripts for a
     *     different number of operands, an output label in no operand or repeated), subscripts that do
     *     not fit an operand's rank, or a label whose sizes disagree (neither being 1)
     */
    public static Tensor einsum(String equation, Tensor... operands) { return Einsum.einsum(equation, operands); }
    /** Inverse of a square matrix (or of each matrix in a batch). */
    public Tensor inverse() { return LinearAlgebra.inverse(this); }
    /** Lower-triangular L with L·Lᵀ = this, for a symmetric positive-definite matrix (or batch). */
    public Tensor cholesky() { return LinearAlgebra.cholesky(this); }

    // ---------------------------------------------------------------- joining and indexing (see Indexing)

    public static Tensor cat(List<Tensor> tensors, int dim) { return Indexing.cat(tensors, dim); }
    public static Tensor stack(List<Tensor> tensors, int dim) { return Indexing.stack(tensors, dim); }
    /** Pieces of {@code splitSize} along {@code dim} (the last may be smaller); views. */
    public List<Tensor> split(int splitSize, int dim) { return Indexing.split(this, splitSize, dim); }
    /** Pieces of the given sizes along {@code dim}; views. */
    public List<Tensor> split(int[] sizes, int dim) { return Indexing.split(this, sizes, dim); }
    /** out[i][j] = this[index[i][j]][j] for dim 0 (and likewise for other dims); index is int64. */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }
    /** A copy of this with src added at the positions index names along dim. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatterAdd(this, dim, index, src); }
    /** The entries at the int64 indices along dim. */
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }
    /** A copy with {@code value} where mask (broadcast) is non-zero. */
    public Tensor maskedFill(Tensor mask, double value) { return Indexing.maskedFill(this, mask, value); }
    /**
     * Pads with a constant, as torch.nn.functional.pad: {@code padding} holds (before, after) pairs
     * starting from the last dimension.
     */
    public Tensor pad(int[] padding, double value) { return Indexing.pad(this, padding, value); }
    /** Sorted values along dim (stable) and the int64 indices they came from. */
    public ValuesAndIndices sort(int dim, boolean descending) { return Indexing.sort(this, dim, descending); }

    // ---------------------------------------------------------------- printing

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
