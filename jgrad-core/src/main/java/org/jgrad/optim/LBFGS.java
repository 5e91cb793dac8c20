package org.jgrad.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * Limited-memory BFGS, as PyTorch's {@code torch.optim.LBFGS} (itself after minFunc): each
 * {@link #step(Supplier)} runs up to {@code maxIter} iterations, re-evaluating the closure, with either a
 * fixed step {@code lr} or a strong-Wolfe line search (cubic interpolation, PyTorch's
 * {@code _strong_wolfe}). It works on all parameters as one flat vector, so it takes a single parameter
 * group. The vectors are kept in float64 whatever the parameters' dtype.
 *
 * <pre>{@code
 * var opt = new LBFGS(params, LBFGS.Options.of(1).withLineSearch(LBFGS.LineSearch.STRONG_WOLFE));
 * opt.step(() -> { opt.zeroGrad(); Tensor loss = f(params); loss.backward(); return loss; });
 * }</pre>
 */
public final class LBFGS extends Optimizer<LBFGS.Options> {

    public enum LineSearch { NONE, STRONG_WOLFE }

    /**
     * lr (the fixed step, or the line search's first trial), iterations and closure evaluations per
     * {@code step}, tolerances on the largest gradient component and on changes of loss or parameters,
     * the number of (s, y) pairs kept, and the line search.
     */
    public record Options(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange,
            int historySize, LineSearch lineSearch) implements Optimizer.Options<Options> {
        /** PyTorch's defaults: 20 iterations, 25 evaluations, tolerances 1e-7 and 1e-9, history 100, no line search. */
        public static Options of(double lr) {
            return new Options(lr, 20, 25, 1e-7, 1e-9, 100, LineSearch.NONE);
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearch);
        }

        /** Also sets maxEval to maxIter·5/4, PyTorch's default; call {@link #withMaxEval} after to override. */
        public Options withMaxIter(int maxIter) {
            return new Options(lr, maxIter, maxIter * 5 / 4, toleranceGrad, toleranceChange, historySize, lineSearch);
        }

        public Options withMaxEval(int maxEval) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearch);
        }

        public Options withToleranceGrad(double toleranceGrad) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearch);
        }

        public Options withToleranceChange(double toleranceChange) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearch);
        }

        public Options withHistorySize(int historySize) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearch);
        }

        public Options withLineSearch(LineSearch lineSearch) {
            return new Options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearch);
        }
    }

    // Global state (PyTorch files it under the first parameter; so do the state dict names).
    private int funcEvals;
    private int nIter;
    private double[] d;
    private double t;
    private final List<double[]> oldDirs = new ArrayList<>();
    private final List<double[]> oldStps = new ArrayList<>();
    private final List<Double> ro = new ArrayList<>();
    private double hDiag = 1;
    private double[] prevFlatGrad;
    private double prevLoss;

    public LBFGS(Iterable<Tensor> params, Options options) {
        super("LBFGS", params, options);
    }

    public LBFGS(Iterable<Tensor> params, double lr) {
        this(params, Options.of(lr));
    }

    @Override
    protected void validate(Options o) {
        require(o.lr() > 0, "invalid learning rate " + o.lr() + " (must be > 0)");
        require(o.maxIter() >= 1, "invalid maxIter " + o.maxIter() + " (must be >= 1)");
        require(o.maxEval() >= 1, "invalid maxEval " + o.maxEval() + " (must be >= 1)");
        require(o.toleranceGrad() >= 0, "invalid toleranceGrad " + o.toleranceGrad() + " (must be >= 0)");
        require(o.toleranceChange() >= 0, "invalid toleranceChange " + o.toleranceChange() + " (must be >= 0)");
        require(o.historySize() >= 1, "invalid historySize " + o.historySize() + " (must be >= 1)");
        require(o.lineSearch() != null, "lineSearch must be NONE or STRONG_WOLFE, not null");
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, Options options) {
        throw new IllegalStateException(missingClosure());
    }

    /** Always fails: L-BFGS evaluates the loss several times per step. Use {@link #step(Supplier)}. */
    @Override
    public void step() {
        throw new IllegalStateException(missingClosure());
    }

    private static String missingClosure() {
        return "LBFGS.step needs a closure that zeroes the grads, computes the loss, calls backward and returns "
                + "the loss: step(() -> ...)";
    }

    /** Total number of closure evaluations and of iterations so far (over all steps). */
    public int funcEvals() {
        return funcEvals;
    }

    public int iterations() {
        return nIter;
    }

    /** Runs up to {@code maxIter} iterations; returns the loss of the first closure evaluation. */
    @Override
    public Tensor step(Supplier<Tensor> closure) {
        if (paramGroups().size() != 1) {
            throw new IllegalStateException("LBFGS doesn't support parameter groups (it has " + paramGroups().size() + ")");
        }
        Options o = paramGroups().get(0).options();
        List<Tensor> params = params();
        try (var _ = Autograd.noGrad()) {
            Tensor origLoss = evaluate(closure);
            double loss = origLoss.item();
            int currentEvals = 1;
            funcEvals++;
            double[] flatGrad = gatherFlatGrad(params);
            if (maxAbs(flatGrad) <= o.toleranceGrad()) return origLoss;

            int n = 0;
            while (n < o.maxIter()) {
                n++;
                nIter++;
                if (nIter == 1) {
                    d = neg(flatGrad);
                    oldDirs.clear();
                    oldStps.clear();
                    ro.clear();
                    hDiag = 1;
                } else {
                    d = direction(flatGrad, o.historySize());
                }
                prevFlatGrad = flatGrad.clone();
                prevLoss = loss;

                // The first step ever is scaled down so that it moves at most lr along the gradient's 1-norm.
                t = nIter == 1 ? Math.min(1, 1 / sumAbs(flatGrad)) * o.lr() : o.lr();
                double gtd = dot(flatGrad, d);
                if (gtd > -o.toleranceChange()) break;

                int lsFuncEvals = 0;
                boolean optCond = false;
                if (o.lineSearch() == LineSearch.STRONG_WOLFE) {
                    List<Tensor> xInit = new ArrayList<>();
                    for (Tensor p : params) xInit.add(p.copy());
                    WolfeResult r = strongWolfe((x, step, dir) -> directionalEvaluate(closure, params, x, step, dir),
                            xInit, t, d, loss, flatGrad, gtd, 1e-4, 0.9, o.toleranceChange(), 25);
                    loss = r.f;
                    flatGrad = r.g;
                    t = r.t;
                    lsFuncEvals = r.evals;
                    addToParams(params, t, d);
                    optCond = maxAbs(flatGrad) <= o.toleranceGrad();
                } else {
                    addToParams(params, t, d);
                    // The last iteration does not re-evaluate: with a stochastic loss it would be wasted.
                    if (n != o.maxIter()) {
                        loss = evaluate(closure).item();
                        flatGrad = gatherFlatGrad(params);
                        optCond = maxAbs(flatGrad) <= o.toleranceGrad();
                        lsFuncEvals = 1;
                    }
                }
                currentEvals += lsFuncEvals;
                funcEvals += lsFuncEvals;

                if (n == o.maxIter() || currentEvals >= o.maxEval() || optCond) break;
                if (maxAbs(d) * Math.abs(t) <= o.toleranceChange()) break;
                if (Math.abs(loss - prevLoss) < o.toleranceChange()) break;
            }
            return origLoss;
        }
    }

    /** The two-loop recursion: −H·g with H the L-BFGS inverse Hessian, after storing the newest (s, y). */
    private double[] direction(double[] flatGrad, int historySize) {
        double[] y = sub(flatGrad, prevFlatGrad);
        double[] s = scale(d, t);
        double ys = dot(y, s);
        // Skip pairs with too little curvature: they would make H indefinite.
        if (ys > 1e-10) {
            if (oldDirs.size() == historySize) {
                oldDirs.removeFirst();
                oldStps.removeFirst();
                ro.removeFirst();
            }
            oldDirs.add(y);
            oldStps.add(s);
            ro.add(1 / ys);
            hDiag = ys / dot(y, y);
        }
        int m = oldDirs.size();
        double[] al = new double[m];
        double[] q = neg(flatGrad);
        for (int i = m - 1; i >= 0; i--) {
            al[i] = dot(oldStps.get(i), q) * ro.get(i);
            axpy(-al[i], oldDirs.get(i), q);
        }
        double[] r = scale(q, hDiag);
        for (int i = 0; i < m; i++) {
            double be = dot(oldDirs.get(i), r) * ro.get(i);
            axpy(al[i] - be, oldStps.get(i), r);
        }
        return r;
    }

    private static Tensor evaluate(Supplier<Tensor> closure) {
        try (var _ = Autograd.enableGrad()) {
            Tensor loss = closure.get();
            if (loss == null || loss.numel() != 1) {
                throw new IllegalArgumentException("LBFGS: the closure must return the scalar loss, got "
                        + (loss == null ? "null" : "shape " + java.util.Arrays.toString(loss.shape())));
            }
            return loss;
        }
    }

    private record Eval(double f, double[] g) {}

    private interface Objective {
        Eval at(List<Tensor> x, double t, double[] d);
    }

    /** f and ∇f at x + t·d; the parameters are put back to x afterwards. */
    private Eval directionalEvaluate(Supplier<Tensor> closure, List<Tensor> params, List<Tensor> x, double t, double[] d) {
        addToParams(params, t, d);
        double f = evaluate(closure).item();
        double[] g = gatherFlatGrad(params);
        for (int i = 0; i < params.size(); i++) params.get(i).copyInPlace(x.get(i));
        return new Eval(f, g);
    }

    private static double[] gatherFlatGrad(List<Tensor> params) {
        int n = 0;
        for (Tensor p : params) n += p.numel();
        double[] flat = new double[n];
        int offset = 0;
        for (Tensor p : params) {
            // A parameter without a gradient does not move: its part of the direction is 0.
            if (p.grad() != null) System.arraycopy(p.grad().toDoubleArray(), 0, flat, offset, p.numel());
            offset += p.numel();
        }
        return flat;
    }

    private static void addToParams(List<Tensor> params, double t, double[] d) {
        int offset = 0;
        for (Tensor p : params) {
            double[] part = new double[p.numel()];
            for (int i = 0; i < part.length; i++) part[i] = t * d[offset + i];
            p.addInPlace(Tensor.of(part, p.shape()).to(p.dtype()));
            offset += part.length;
        }
    }

    // ------------------------------------------------------------------ strong-Wolfe line search

    private record WolfeResult(double f, double[] g, double t, int evals) {}

    /**
     * Finds t satisfying the strong Wolfe conditions f(x + t·d) ≤ f + c₁·t·gᵀd and |∇f(x + t·d)ᵀd| ≤
     * c₂·|gᵀd|: first brackets an interval that contains such a t (growing t by cubic extrapolation),
     * then zooms in by cubic interpolation. Port of PyTorch's {@code _strong_wolfe} (from lswolfe.lua).
     */
    private static WolfeResult strongWolfe(Objective obj, List<Tensor> x, double t, double[] d, double f, double[] g,
            double gtd, double c1, double c2, double toleranceChange, int maxLs) {
        double dNorm = maxAbs(d);
        Eval e = obj.at(x, t, d);
        double fNew = e.f;
        double[] gNew = e.g;
        int evals = 1;
        double gtdNew = dot(gNew, d);

        double tPrev = 0;
        double fPrev = f;
        double[] gPrev = g;
        double gtdPrev = gtd;
        boolean done = false;
        int lsIter = 0;
        double[] bracket = null;
        double[] bracketF = null;
        double[][] bracketG = null;
        double[] bracketGtd = null;
        while (lsIter < maxLs) {
            if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new double[][] {gPrev, gNew};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            if (Math.abs(gtdNew) <= -c2 * gtd) {
                bracket = new double[] {t};
                bracketF = new double[] {fNew};
                bracketG = new double[][] {gNew};
                done = true;
                break;
            }
            if (gtdNew >= 0) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new double[][] {gPrev, gNew};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            // Extrapolate: between a little beyond t and ten times t.
            double minStep = t + 0.01 * (t - tPrev);
            double maxStep = t * 10;
            double tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew;
            gtdPrev = gtdNew;
            e = obj.at(x, t, d);
            fNew = e.f;
            gNew = e.g;
            evals++;
            gtdNew = dot(gNew, d);
            lsIter++;
        }
        if (lsIter == maxLs) {
            bracket = new double[] {0, t};
            bracketF = new double[] {f, fNew};
            bracketG = new double[][] {g, gNew};
            // PyTorch leaves the bracket's slopes unset here; the zoom loop below cannot run (lsIter == maxLs).
        }

        boolean insufProgress = false;
        int lowPos = bracketF[0] <= bracketF[bracketF.length - 1] ? 0 : 1;
        int highPos = 1 - lowPos;
        while (!done && lsIter < maxLs) {
            if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1],
                    Math.min(bracket[0], bracket[1]), Math.max(bracket[0], bracket[1]));
            // An interpolant too close to an end of the bracket shrinks it too slowly: after two such
            // steps in a row (or one at the very end) move to 10% of the bracket's length inside.
            double hi = Math.max(bracket[0], bracket[1]);
            double lo = Math.min(bracket[0], bracket[1]);
            double eps = 0.1 * (hi - lo);
            if (Math.min(hi - t, t - lo) < eps) {
                if (insufProgress || t >= hi || t <= lo) {
                    t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
                    insufProgress = false;
                } else {
                    insufProgress = true;
                }
            } else {
                insufProgress = false;
            }
            e = obj.at(x, t, d);
            fNew = e.f;
            gNew = e.g;
            evals++;
            gtdNew = dot(gNew, d);
            lsIter++;

            if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]) {
                // Not enough decrease, or not below the low end: t becomes the high end.
                bracket[highPos] = t;
                bracketF[highPos] = fNew;
                bracketG[highPos] = gNew;
                bracketGtd[highPos] = gtdNew;
                lowPos = bracketF[0] <= bracketF[1] ? 0 : 1;
                highPos = 1 - lowPos;
            } else {
                if (Math.abs(gtdNew) <= -c2 * gtd) {
                    done = true;
                } else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
                    bracket[highPos] = bracket[lowPos];
                    bracketF[highPos] = bracketF[lowPos];
                    bracketG[highPos] = bracketG[lowPos];
                    bracketGtd[highPos] = bracketGtd[lowPos];
                }
                bracket[lowPos] = t;
                bracketF[lowPos] = fNew;
                bracketG[lowPos] = gNew;
                bracketGtd[lowPos] = gtdNew;
            }
        }
        return new WolfeResult(bracketF[lowPos], bracketG[lowPos], bracket[lowPos], evals);
    }

    /**
     * The minimizer, clamped to [lo, hi], of the cubic through (x1, f1) and (x2, f2) with slopes g1 and
     * g2; the middle of [lo, hi] when the cubic has no minimum.
     */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo,
            double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.min(Math.max(minPos, lo), hi);
        }
        return (lo + hi) / 2;
    }

    // ------------------------------------------------------------------ state dict

    @Override
    protected void writeState(Map<String, Tensor> out) {
        String s = "state.0.";
        out.put(s + "func_evals", Tensor.scalar(DType.FLOAT64, funcEvals));
        out.put(s + "n_iter", Tensor.scalar(DType.FLOAT64, nIter));
        if (d == null) return;
        out.put(s + "d", Tensor.of(d.clone(), d.length));
        out.put(s + "t", Tensor.scalar(DType.FLOAT64, t));
        out.put(s + "H_diag", Tensor.scalar(DType.FLOAT64, hDiag));
        out.put(s + "prev_flat_grad", Tensor.of(prevFlatGrad.clone(), prevFlatGrad.length));
        out.put(s + "prev_loss", Tensor.scalar(DType.FLOAT64, prevLoss));
        for (int i = 0; i < oldDirs.size(); i++) {
            out.put(s + "old_dirs." + i, Tensor.of(oldDirs.get(i).clone(), d.length));
            out.put(s + "old_stps." + i, Tensor.of(oldStps.get(i).clone(), d.length));
            out.put(s + "ro." + i, Tensor.scalar(DType.FLOAT64, ro.get(i)));
        }
    }

    @Override
    protected void readState(Map<String, Tensor> in) {
        int n = 0;
        for (Tensor p : params()) n += p.numel();
        Map<String, Tensor> s = new LinkedHashMap<>();
        for (var e : in.entrySet()) {
            if (!e.getKey().startsWith("state.0.")) {
                throw new IllegalArgumentException("LBFGS.loadStateDict: unexpected tensor " + e.getKey()
                        + " (L-BFGS keeps all its state under state.0)");
            }
            s.put(e.getKey().substring("state.0.".length()), e.getValue());
        }
        int history = 0;
        while (s.containsKey("old_dirs." + history)) history++;
        double[] newD = s.containsKey("d") ? vector(s, "d", n) : null;
        List<double[]> dirs = new ArrayList<>();
        List<double[]> stps = new ArrayList<>();
        List<Double> ros = new ArrayList<>();
        for (int i = 0; i < history; i++) {
            dirs.add(vector(s, "old_dirs." + i, n));
            stps.add(vector(s, "old_stps." + i, n));
            ros.add(scalar(s, "ro." + i, 0));
        }
        double[] newPrev = newD == null ? null : vector(s, "prev_flat_grad", n);
        funcEvals = (int) scalar(s, "func_evals", 0);
        nIter = (int) scalar(s, "n_iter", 0);
        d = newD;
        t = scalar(s, "t", 0);
        hDiag = scalar(s, "H_diag", 1);
        prevFlatGrad = newPrev;
        prevLoss = scalar(s, "prev_loss", 0);
        oldDirs.clear();
        oldDirs.addAll(dirs);
        oldStps.clear();
        oldStps.addAll(stps);
        ro.clear();
        ro.addAll(ros);
    }

    private static double[] vector(Map<String, Tensor> s, String key, int n) {
        Tensor v = s.get(key);
        if (v == null || v.numel() != n) {
            throw new IllegalArgumentException("LBFGS.loadStateDict: state.0." + key + " must hold " + n
                    + " values (all parameters flattened), got " + (v == null ? "nothing" : java.util.Arrays.toString(v.shape())));
        }
        return v.toDoubleArray();
    }

    private static double scalar(Map<String, Tensor> s, String key, double fallback) {
        Tensor v = s.get(key);
        return v == null ? fallback : v.item();
    }

    // ------------------------------------------------------------------ flat vector helpers

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static double sumAbs(double[] a) {
        double s = 0;
        for (double v : a) s += Math.abs(v);
        return s;
    }

    private static double[] neg(double[] a) {
        return scale(a, -1);
    }

    private static double[] scale(double[] a, double c) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] * c;
        return out;
    }

    private static double[] sub(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] - b[i];
        return out;
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) y[i] += alpha * x[i];
    }
}
