package org.jgrad;

import java.util.Arrays;
import org.jgrad.kernels.BinaryOp;
import org.jgrad.kernels.Kernels;
import org.jgrad.kernels.UnaryOp;

/**
 * Elementwise ops. Each public-facing op is its forward (one kernel call) followed by its local
 * derivative, written with tensor ops so that it can be differentiated again. Binary ops broadcast
 * as NumPy does; their backward sums the gradient back to each input's shape.
 */
final class Elementwise {
    private Elementwise() {}

    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

    // ------------------------------------------------------------ raw forward (no graph)

    static Tensor unaryRaw(String name, UnaryOp op, Tensor x, double p, double q) {
        if (!x.dtype().isFloatingPoint()) x = x.rawContiguous(DType.FLOAT64);
        Tensor in = x.rawContiguous(x.dtype());
        Tensor out = Tensor.empty(x.dtype(), x.shape);
        TypedKernels.unary(op, in.storage, in.offset, out.storage, 0, out.numel(), p, q);
        return out;
    }

    /** Result type of arithmetic: the promoted type, with int64 computed as float64. */
    static DType arithmeticType(Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        return t == DType.INT64 ? DType.FLOAT64 : t;
    }

    static Tensor binaryRaw(String name, BinaryOp op, Tensor a, Tensor b, DType dtype) {
        int[] shape = Shapes.broadcast(name, a.shape, b.shape);
        if (a.dtype() != dtype) a = a.rawContiguous(dtype);
        if (b.dtype() != dtype) b = b.rawContiguous(dtype);
        Tensor out = Tensor.empty(dtype, shape);
        if (Arrays.equals(a.shape, shape) && Arrays.equals(b.shape, shape) && a.isContiguous() && b.isContiguous()) {
            // The common case: one run over everything.
            TypedKernels.binary(op, a.storage, a.offset, 1, b.storage, b.offset, 1, out.storage, 0, out.numel());
            return out;
        }
        // Broadcast operands are read in place (stride 0), never materialized. The kernels take inner
        // strides of 0 or 1 only, so an operand whose innermost run is strided (a transpose, a step
        // slice) is made contiguous in its own shape first.
        int[][] walk = layout(shape, a, b, out);
        if (Strided.innerStride(walk[1]) > 1) {
            a = a.rawContiguous(dtype);
            walk = layout(shape, a, b, out);
        }
        if (Strided.innerStride(walk[2]) > 1) {
            b = b.rawContiguous(dtype);
            walk = layout(shape, a, b, out);
        }
        int ai = Strided.innerStride(walk[1]), bi = Strided.innerStride(walk[2]);
        Kernels k = Kernels.get();
        Storage x = a.storage, y = b.storage, z = out.storage;
        Strided.forEachRun(walk[0], a.offset, walk[1], b.offset, walk[2], 0, walk[3],
                (ao, bo, co, len) -> TypedKernels.binary(k, op, x, ao, ai, y, bo, bi, z, co, len));
        return out;
    }

    /** {shape, a's strides, b's strides, out's strides} over the broadcast shape, coalesced. */
    private static int[][] layout(int[] shape, Tensor a, Tensor b, Tensor out) {
        return Strided.coalesce(shape, Strided.broadcastStrides(a, shape), Strided.broadcastStrides(b, shape), out.strides);
    }

    private static Tensor[] inputs(Tensor... ts) {
        return ts;
    }

    // ------------------------------------------------------------ arithmetic

    static Tensor add(Tensor a, Tensor b) {
        Tensor out = binaryRaw("add", BinaryOp.ADD, a, b, arithmeticType(a, b));
        return Tensor.record("add", out, inputs(a, b), Tensor.NONE, (n, g) -> new Tensor[] {
            n.needsGrad(0) ? g.sumToShape(n.inputShape(0)) : null,
            n.needsGrad(1) ? g.sumToShape(n.inputShape(1)) : null},
            t -> t[0].add(t[1]));
    }

    /** A primitive rather than add(neg(b)): one pass over the data instead of two, in every loss and update. */
    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = binaryRaw("sub", BinaryOp.SUB, a, b, arithmeticType(a, b));
        return Tensor.record("sub", out, inputs(a, b), Tensor.NONE, (n, g) -> new Tensor[] {
            n.needsGrad(0) ? g.sumToShape(n.inputShape(0)) : null,
            n.needsGrad(1) ? g.neg().sumToShape(n.inputShape(1)) : null},
            t -> t[0].sub(t[1]));
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = binaryRaw("mul", BinaryOp.MUL, a, b, arithmeticType(a, b));
        return Tensor.record("mul", out, inputs(a, b), inputs(a, b),
                (n, g) -> new Tensor[] {
                    n.needsGrad(0) ? g.mul(n.saved(1)).sumToShape(n.inputShape(0)) : null,
                    n.needsGrad(1) ? g.mul(n.saved(0)).sumToShape(n.inputShape(1)) : null},
                t -> t[0].mul(b).add(a.mul(t[1])));
    }

    static Tensor div(Tensor a, Tensor b) {
        Tensor out = binaryRaw("div", BinaryOp.DIV, a, b, arithmeticType(a, b));
        return Tensor.record("div", out, inputs(a, b), inputs(a, b),
                (n, g) -> {
                    Tensor a0 = n.saved(0), b0 = n.saved(1);
                    return new Tensor[] {
                        n.needsGrad(0) ? g.div(b0).sumToShape(n.inputShape(0)) : null,
                        // d(a/b)/db = −a/b²
                        n.needsGrad(1) ? g.mul(a0).div(b0.mul(b0)).neg().sumToShape(n.inputShape(1)) : null};
                },
                t -> t[0].div(b).sub(t[1].mul(a).div(b.mul(b))));
    }

    static Tensor neg(Tensor x) {
        Tensor out = unaryRaw("neg", UnaryOp.NEG, x, 0, 0);
        return Tensor.record("neg", out, inputs(x), Tensor.NONE, (n, g) -> new Tensor[] {g.neg()}, t -> t[0].neg());
    }

    /** p·x + q with scalars: add, sub and mul by a number. */
    static Tensor affine(String name, Tensor x, double p, double q) {
        Tensor out = unaryRaw(name, UnaryOp.AFFINE, x, p, q);
        return Tensor.record(name, out, inputs(x), Tensor.NONE, (n, g) -> new Tensor[] {p == 1 ? g : g.mul(p)},
                t -> p == 1 ? t[0] : t[0].mul(p));
    }

    /** x / c, a true division: x·(1/c) rounds twice and can differ in the last bit. */
    static Tensor divScalar(Tensor x, double c) {
        Tensor out = unaryRaw("div", UnaryOp.DIV_SCALAR, x, c, 0);
        return Tensor.record("div", out, inputs(x), Tensor.NONE, (n, g) -> new Tensor[] {g.div(c)}, t -> t[0].div(c));
    }

    static Tensor pow(Tensor x, double p) {
        Tensor out = unaryRaw("pow", UnaryOp.POW, x, p, 0);
        // d xᵖ/dx = p·x^(p−1)
        return Tensor.record("pow", out, inputs(x), inputs(x),
                (n, g) -> new Tensor[] {p == 0 ? g.mul(0) : g.mul(n.saved(0).pow(p - 1).mul(p))},
                t -> p == 0 ? t[0].mul(0) : t[0].mul(x.pow(p - 1).mul(p)));
    }

    static Tensor pow(Tensor a, Tensor b) {
        Tensor out = binaryRaw("pow", BinaryOp.POW, a, b, arithmeticType(a, b));
        return Tensor.record("pow", out, inputs(a, b), inputs(a, b, out),
                (n, g) -> {
                    Tensor a0 = n.saved(0), b0 = n.saved(1), y = n.saved(2);
                    return new Tensor[] {
                        n.needsGrad(0) ? g.mul(b0).mul(a0.pow(b0.sub(1))).sumToShape(n.inputShape(0)) : null,
                        // d aᵇ/db = aᵇ·ln a; where a = 0 the limit (for b > 0) is 0, not 0·(−∞).
                        n.needsGrad(1) ? g.mul(Tensor.where(a0.eq(0), Tensor.zerosLike(y), y.mul(a0.log())))
                                .sumToShape(n.inputShape(1)) : null};
                },
                t -> t[0].mul(b).mul(a.pow(b.sub(1)))
                        .add(t[1].mul(Tensor.where(a.eq(0), Tensor.zerosLike(out), out.mul(a.log())))));
    }

    // ------------------------------------------------------------ unary math

    static Tensor exp(Tensor x) {
        Tensor out = unaryRaw("exp", UnaryOp.EXP, x, 0, 0);
        return Tensor.record("exp", out, inputs(x), inputs(out), (n, g) -> new Tensor[] {g.mul(n.saved(0))},
                t -> t[0].mul(out));
    }

    static Tensor log(Tensor x) {
        Tensor out = unaryRaw("log", UnaryOp.LOG, x, 0, 0);
        return Tensor.record("log", out, inputs(x), inputs(x), (n, g) -> new Tensor[] {g.div(n.saved(0))},
                t -> t[0].div(x));
    }

    /** A primitive: log(1 + x) as a composite loses every digit of x below the ulp of 1. */
    static Tensor log1p(Tensor x) {
        Tensor out = unaryRaw("log1p", UnaryOp.LOG1P, x, 0, 0);
        return Tensor.record("log1p", out, inputs(x), inputs(x), (n, g) -> new Tensor[] {g.div(n.saved(0).add(1))},
                t -> t[0].div(x.add(1)));
    }

    /** A primitive: exact (IEEE) where pow(x, 0.5) is not, and its derivative reads only the saved output. */
    static Tensor sqrt(Tensor x) {
        Tensor out = unaryRaw("sqrt", UnaryOp.SQRT, x, 0, 0);
        return Tensor.record("sqrt", out, inputs(x), inputs(out), (n, g) -> new Tensor[] {g.div(n.saved(0).mul(2))},
                t -> t[0].div(out.mul(2)));
    }

    /** A composite: x·sign(x), whose derivative sign(x) takes the subgradient 0 at 0, as PyTorch does. */
    static Tensor abs(Tensor x) {
        return x.mul(x.sign());
    }

    static Tensor sign(Tensor x) {
        Tensor out = unaryRaw("sign", UnaryOp.SIGN, x, 0, 0);
        return Tensor.record("sign", out, inputs(x), Tensor.NONE, (n, g) -> new Tensor[] {g.mul(0)}, t -> t[0].mul(0));
    }

    static Tensor sin(Tensor x) {
        Tensor out = unaryRaw("sin", UnaryOp.SIN, x, 0, 0);
        return Tensor.record("sin", out, inputs(x), inputs(x), (n, g) -> new Tensor[] {g.mul(n.saved(0).cos())},
                t -> t[0].mul(x.cos()));
    }

    static Tensor cos(Tensor x) {
        Tensor out = unaryRaw("cos", UnaryOp.COS, x, 0, 0);
        return Tensor.record("cos", out, inputs(x), inputs(x), (n, g) -> new Tensor[] {g.mul(n.saved(0).sin()).neg()},
                t -> t[0].mul(x.sin()).neg());
    }

    /**
     * A primitive: the composite (e²ˣ − 1)/(e²ˣ + 1) overflows to ∞/∞ for x &gt; 44, and the derivative
     * reads only the saved output.
     */
    static Tensor tanh(Tensor x) {
        Tensor out = unaryRaw("tanh", UnaryOp.TANH, x, 0, 0);
        // tanh' = 1 − tanh²
        return Tensor.record("tanh", out, inputs(x), inputs(out),
                (n, g) -> {
                    Tensor y = n.saved(0);
                    return new Tensor[] {g.mul(y.mul(y).neg().add(1))};
                },
                t -> t[0].mul(out.mul(out).neg().add(1)));
    }

    /**
     * A primitive: its derivative reads only the saved output (σ·(1 − σ)), where the composite
     * 1/(1 + e⁻ˣ) would keep e⁻ˣ and 1 + e⁻ˣ for backward as well, for every gate of a recurrent net.
     */
    static Tensor sigmoid(Tensor x) {
        Tensor out = unaryRaw("sigmoid", UnaryOp.SIGMOID, x, 0, 0);
        // σ' = σ·(1 − σ)
        return Tensor.record("sigmoid", out, inputs(x), inputs(out),
                (n, g) -> {
                    Tensor y = n.saved(0);
                    return new Tensor[] {g.mul(y.mul(y.neg().add(1)))};
                },
                t -> t[0].mul(out.mul(out.neg().add(1))));
    }

    static Tensor relu(Tensor x) {
        Tensor out = unaryRaw("relu", UnaryOp.RELU, x, 0, 0);
        // The derivative at 0 is taken as 0, as PyTorch does.
        // Fast form: one fused pass, g where x > 0.
        return Tensor.recordWithFastPath("relu", out, inputs(x), inputs(x),
                (n, g) -> new Tensor[] {g.mul(n.saved(0).gt(0))},
                (n, g) -> new Tensor[] {binaryRaw("relu backward", BinaryOp.RELU_GRAD, g, n.saved(0), g.dtype())},
                t -> t[0].mul(x.gt(0)));
    }

    /**
     * A composite: x times a constant mask that is 1 where x &gt; 0 and α elsewhere, so the derivative
     * (1 or α, α at 0 as PyTorch) follows from mul's.
     */
    static Tensor leakyRelu(Tensor x, double alpha) {
        return x.mul(x.gt(0).mul(1 - alpha).add(alpha));
    }

    /** A primitive: expm1 keeps the precision of α(eˣ − 1) near 0, which exp(x) − 1 loses. */
    static Tensor elu(Tensor x, double alpha) {
        Tensor out = unaryRaw("elu", UnaryOp.ELU, x, alpha, 0);
        // For x ≤ 0: d α(eˣ−1)/dx = α·eˣ = out + α.
        return Tensor.record("elu", out, inputs(x), inputs(x, out),
                (n, g) -> {
                    Tensor x0 = n.saved(0), y = n.saved(1);
                    return new Tensor[] {g.mul(Tensor.where(x0.gt(0), Tensor.onesLike(y), y.add(alpha)))};
                },
                t -> t[0].mul(Tensor.where(x.gt(0), Tensor.onesLike(out), out.add(alpha))));
    }

    /** A primitive: the stable composite relu(x) + log1p(e^−|x|) has the derivative 0 at x = 0, not ½. */
    static Tensor softplus(Tensor x) {
        Tensor out = unaryRaw("softplus", UnaryOp.SOFTPLUS, x, 0, 0);
        return Tensor.record("softplus", out, inputs(x), inputs(x), (n, g) -> new Tensor[] {g.mul(n.saved(0).sigmoid())},
                t -> t[0].mul(x.sigmoid()));
    }

    /** A primitive: no composite of the others gives it. */
    static Tensor atan(Tensor x) {
        Tensor out = unaryRaw("atan", UnaryOp.ATAN, x, 0, 0);
        return Tensor.record("atan", out, inputs(x), inputs(x), (n, g) -> {
            Tensor x0 = n.saved(0);
            return new Tensor[] {g.div(x0.mul(x0).add(1))};
        }, t -> t[0].div(x.mul(x).add(1)));
    }

    /** A composite: x / (1 + |x|). */
    static Tensor softsign(Tensor x) {
        return x.div(x.abs().add(1));
    }

    /** A composite: x·Φ(x) with the exact normal CDF (PyTorch's default GELU). */
    static Tensor gelu(Tensor x) {
        return x.mul(normalCdf(x));
    }

    /** Φ(x), the standard normal CDF; its derivative is the density φ. */
    static Tensor normalCdf(Tensor x) {
        Tensor out = unaryRaw("normalCdf", UnaryOp.NORMAL_CDF, x, 0, 0);
        return Tensor.record("normalCdf", out, inputs(x), inputs(x), (n, g) -> new Tensor[] {g.mul(normalPdf(n.saved(0)))},
                t -> t[0].mul(normalPdf(x)));
    }

    /** φ(x) = e^(−x²/2)/√(2π), composed from ops. */
    static Tensor normalPdf(Tensor x) {
        return x.mul(x).mul(-0.5).exp().mul(INV_SQRT_2PI);
    }

    static Tensor clamp(Tensor x, double min, double max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        Tensor out = unaryRaw("clamp", UnaryOp.CLAMP, x, min, max);
        // Gradient passes where min ≤ x ≤ max (boundaries included, as PyTorch).
        return Tensor.record("clamp", out, inputs(x), inputs(x),
                (n, g) -> {
                    Tensor x0 = n.saved(0);
                    return new Tensor[] {g.mul(x0.ge(min).mul(x0.le(max)))};
                },
                t -> t[0].mul(x.ge(min).mul(x.le(max))));
    }

    static Tensor maximum(Tensor a, Tensor b) {
        return extremum("maximum", BinaryOp.MAX, BinaryOp.GT, a, b);
    }

    static Tensor minimum(Tensor a, Tensor b) {
        return extremum("minimum", BinaryOp.MIN, BinaryOp.LT, a, b);
    }

    /** At ties each side receives half of the gradient, as in PyTorch. */
    private static Tensor extremum(String name, BinaryOp op, BinaryOp wins, Tensor a, Tensor b) {
        Tensor out = binaryRaw(name, op, a, b, arithmeticType(a, b));
        return Tensor.record(name, out, inputs(a, b), inputs(a, b), (n, g) -> {
            Tensor a0 = n.saved(0), b0 = n.saved(1);
            Tensor tie = compare(BinaryOp.EQ, a0, b0).mul(0.5);
            return new Tensor[] {
                n.needsGrad(0) ? g.mul(compare(wins, a0, b0).add(tie)).sumToShape(n.inputShape(0)) : null,
                n.needsGrad(1) ? g.mul(compare(wins, b0, a0).add(tie)).sumToShape(n.inputShape(1)) : null};
        }, t -> {
            Tensor tie = compare(BinaryOp.EQ, a, b).mul(0.5);
            return t[0].mul(compare(wins, a, b).add(tie)).add(t[1].mul(compare(wins, b, a).add(tie)));
        });
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        DType dtype = arithmeticType(a, b);
        Tensor mask = compare(BinaryOp.NE, cond, Tensor.scalar(DType.FLOAT64, 0)).to(dtype);
        // out = mask·a + (1 − mask)·b, computed without NaN leaking from the unselected side.
        Tensor out = Tensor.empty(dtype, shape);
        Tensor ea = a.detach().expand(shape), eb = b.detach().expand(shape), em = mask.expand(shape);
        double[] av = ea.toDoubleArray(), bv = eb.toDoubleArray(), mv = em.toDoubleArray();
        for (int i = 0; i < av.length; i++) out.storage.set(i, mv[i] != 0 ? av[i] : bv[i]);
        return Tensor.record("where", out, inputs(a, b), inputs(mask),
                (n, g) -> {
                    Tensor m = n.saved(0);
                    return new Tensor[] {
                        n.needsGrad(0) ? g.mul(m).sumToShape(n.inputShape(0)) : null,
                        n.needsGrad(1) ? g.mul(m.neg().add(1)).sumToShape(n.inputShape(1)) : null};
                },
                t -> Tensor.where(mask, t[0], t[1]));
    }

    /** 1 where the comparison holds, else 0; not differentiable. */
    static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        if (t == DType.INT64) {
            // Exact for indices up to 2⁵³; the result is a float32 mask.
            return binaryRaw(op.name().toLowerCase(), op, a, b, DType.FLOAT64).rawContiguous(DType.FLOAT32);
        }
        return binaryRaw(op.name().toLowerCase(), op, a, b, t);
    }

    // ------------------------------------------------------------ in place

    static Tensor inPlace(String name, Tensor self, BinaryOp op, Tensor other) {
        self.checkInPlaceAllowed(name);
        ForwardAD.refuseInPlace(name, self, other);
        int[] shape = Shapes.broadcast(name, self.shape, other.shape);
        if (!Arrays.equals(shape, self.shape)) {
            throw new IllegalArgumentException(name + ": the result of shape " + Shapes.str(shape)
                    + " would not fit this tensor of shape " + Shapes.str(self.shape));
        }
        if (!inPlaceDirect(op, self, other)) {
            Tensor result = binaryRaw(name, op, self, other, self.dtype().isFloatingPoint() ? self.dtype() : DType.FLOAT64);
            Strided.copy(result, self);
        }
        self.bumpVersion();
        return self;
    }

    /**
     * The common in-place update (an optimizer's p −= lr·d, a momentum buffer's b ·= μ) straight into
     * self's storage, without a temporary: self contiguous and floating, other either a scalar or a
     * contiguous tensor of self's shape and dtype that is not a shifted view of the same storage
     * (each element is read before it is written, so only an exact alias is safe). False otherwise.
     */
    private static boolean inPlaceDirect(BinaryOp op, Tensor self, Tensor other) {
        DType dt = self.dtype();
        if (!dt.isFloatingPoint() || !self.isContiguous() || !other.dtype().isFloatingPoint()) return false;
        int n = self.numel();
        if (other.numel() == 1) {
            double v = other.storage.get(other.offset);
            Storage scalar = dt == DType.FLOAT32 ? Storage.of(new float[] {(float) v}) : Storage.of(new double[] {v});
            TypedKernels.binary(op, self.storage, self.offset, 1, scalar, 0, 0, self.storage, self.offset, n);
            return true;
        }
        if (!sameLayout(self, other)) return false;
        TypedKernels.binary(op, self.storage, self.offset, 1, other.storage, other.offset, 1, self.storage, self.offset, n);
        return true;
    }

    /**
     * True when other can be read element by element while self is written in place: both contiguous,
     * of one shape and dtype, and other not a shifted view of self's storage (each element is read
     * before it is written, so only an exact alias is safe).
     */
    private static boolean sameLayout(Tensor self, Tensor other) {
        return other.dtype() == self.dtype() && self.isContiguous() && other.isContiguous()
                && Arrays.equals(other.shape, self.shape)
                && (other.storage != self.storage || other.offset == self.offset);
    }

    /** self += alpha·other: straight into self's storage when both are contiguous with one shape and dtype. */
    static Tensor addScaledInPlace(Tensor self, Tensor other, double alpha) {
        self.checkInPlaceAllowed("addInPlace");
        ForwardAD.refuseInPlace("addInPlace", self, other);
        DType dt = self.dtype();
        if (!dt.isFloatingPoint() || !sameLayout(self, other)) return inPlace("addInPlace", self, BinaryOp.ADD, other.mul(alpha));
        TypedKernels.axpy(alpha, other.storage, other.offset, self.storage, self.offset, self.numel());
        self.bumpVersion();
        return self;
    }

    static Tensor copyInPlace(Tensor self, Tensor src) {
        self.checkInPlaceAllowed("copyInPlace");
        ForwardAD.refuseInPlace("copyInPlace", self, src);
        int[] shape = Shapes.broadcast("copyInPlace", self.shape, src.shape);
        if (!Arrays.equals(shape, self.shape)) {
            throw new IllegalArgumentException("copyInPlace: a source of shape " + Shapes.str(src.shape)
                    + " does not broadcast to this tensor's shape " + Shapes.str(self.shape));
        }
        // Copying from an overlapping view of the same storage would read values already overwritten.
        Tensor from = src.storage == self.storage ? src.rawClone() : src;
        Strided.copy(from, self);
        self.bumpVersion();
        return self;
    }
}
