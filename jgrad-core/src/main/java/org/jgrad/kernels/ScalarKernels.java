package org.jgrad.kernels;

/**
 * Plain-Java kernels: always available, always correct, the reference the fast kernels are tested
 * against. Loops are written so that C2 can vectorize them: one array index per loop, no calls in
 * the simple cases. (Generated per element type; the float and double variants read alike.)
 */
final class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    // relu is written x <= 0 ? 0 : x so that NaN propagates, as in PyTorch (x > 0 ? x : 0 gives 0).
    @Override
    public void unary(UnaryOp op, float[] a, int ao, float[] c, int co, int n, double p, double q) {
        float pf = (float) p, qf = (float) q;
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) { float x = a[ao + i]; c[co + i] = -x; } }
            case EXP -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (Math.exp(x)); } }
            case LOG -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (Math.log(x)); } }
            case LOG1P -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (Math.log1p(x)); } }
            case SQRT -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (Math.sqrt(x)); } }
            case SIGN -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (Math.signum(x)); } }
            case SIN -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (Math.sin(x)); } }
            case COS -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (Math.cos(x)); } }
            case TANH -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (Math.tanh(x)); } }
            case SIGMOID -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (SpecialFunctions.sigmoid(x)); } }
            case RELU -> { for (int i = 0; i < n; i++) { float x = a[ao + i]; c[co + i] = x <= 0 ? 0f : x; } }
            case ELU -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (x > 0 ? x : p * Math.expm1(x)); } }
            case SOFTPLUS -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (SpecialFunctions.softplus(x)); } }
            case ATAN -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (Math.atan(x)); } }
            case CLAMP -> { for (int i = 0; i < n; i++) { float x = a[ao + i]; c[co + i] = Math.min(Math.max(x, pf), qf); } }
            case POW -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (pow(x, p)); } }
            case AFFINE -> { for (int i = 0; i < n; i++) { float x = a[ao + i]; c[co + i] = pf * x + qf; } }
            case DIV_SCALAR -> { for (int i = 0; i < n; i++) { float x = a[ao + i]; c[co + i] = x / pf; } }
            case NORMAL_CDF -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = (float) (SpecialFunctions.normalCdf(x)); } }
        }
    }

    @Override
    public void unary(UnaryOp op, double[] a, int ao, double[] c, int co, int n, double p, double q) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = -x; } }
            case EXP -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = Math.exp(x); } }
            case LOG -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = Math.log(x); } }
            case LOG1P -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = Math.log1p(x); } }
            case SQRT -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = Math.sqrt(x); } }
            case SIGN -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = Math.signum(x); } }
            case SIN -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = Math.sin(x); } }
            case COS -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = Math.cos(x); } }
            case TANH -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = Math.tanh(x); } }
            case SIGMOID -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = SpecialFunctions.sigmoid(x); } }
            case RELU -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = x <= 0 ? 0 : x; } }
            case ELU -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = x > 0 ? x : p * Math.expm1(x); } }
            case SOFTPLUS -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = SpecialFunctions.softplus(x); } }
            case ATAN -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = Math.atan(x); } }
            case CLAMP -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = Math.min(Math.max(x, p), q); } }
            case POW -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = pow(x, p); } }
            case AFFINE -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = p * x + q; } }
            case DIV_SCALAR -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = x / p; } }
            case NORMAL_CDF -> { for (int i = 0; i < n; i++) { double x = a[ao + i]; c[co + i] = SpecialFunctions.normalCdf(x); } }
        }
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] c, int co, int n) {
        if (as == 1 && bs == 1) {
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = x + y; } }
                case SUB -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = x - y; } }
                case MUL -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = x * y; } }
                case DIV -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = x / y; } }
                case POW -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = (float) Math.pow(x, y); } }
                case MAX -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = Math.max(x, y); } }
                case MIN -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = Math.min(x, y); } }
                case GT -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = x > y ? 1 : 0; } }
                case GE -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = x >= y ? 1 : 0; } }
                case LT -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = x < y ? 1 : 0; } }
                case LE -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = x <= y ? 1 : 0; } }
                case EQ -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = x == y ? 1 : 0; } }
                case NE -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = x != y ? 1 : 0; } }
                case RELU_GRAD -> { for (int i = 0; i < n; i++) { float x = a[ao + i], y = b[bo + i]; c[co + i] = y > 0 ? x : 0; } }
            }
            return;
        }
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x + y; } }
            case SUB -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x - y; } }
            case MUL -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x * y; } }
            case DIV -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x / y; } }
            case POW -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = (float) Math.pow(x, y); } }
            case MAX -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = Math.max(x, y); } }
            case MIN -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = Math.min(x, y); } }
            case GT -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x > y ? 1 : 0; } }
            case GE -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x >= y ? 1 : 0; } }
            case LT -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x < y ? 1 : 0; } }
            case LE -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x <= y ? 1 : 0; } }
            case EQ -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x == y ? 1 : 0; } }
            case NE -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x != y ? 1 : 0; } }
            case RELU_GRAD -> { for (int i = 0; i < n; i++) { float x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = y > 0 ? x : 0; } }
        }
    }

    @Override
    public void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] c, int co, int n) {
        if (as == 1 && bs == 1) {
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = x + y; } }
                case SUB -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = x - y; } }
                case MUL -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = x * y; } }
                case DIV -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = x / y; } }
                case POW -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = Math.pow(x, y); } }
                case MAX -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = Math.max(x, y); } }
                case MIN -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = Math.min(x, y); } }
                case GT -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = x > y ? 1 : 0; } }
                case GE -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = x >= y ? 1 : 0; } }
                case LT -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = x < y ? 1 : 0; } }
                case LE -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = x <= y ? 1 : 0; } }
                case EQ -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = x == y ? 1 : 0; } }
                case NE -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = x != y ? 1 : 0; } }
                case RELU_GRAD -> { for (int i = 0; i < n; i++) { double x = a[ao + i], y = b[bo + i]; c[co + i] = y > 0 ? x : 0; } }
            }
            return;
        }
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x + y; } }
            case SUB -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x - y; } }
            case MUL -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x * y; } }
            case DIV -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x / y; } }
            case POW -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = Math.pow(x, y); } }
            case MAX -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = Math.max(x, y); } }
            case MIN -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = Math.min(x, y); } }
            case GT -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x > y ? 1 : 0; } }
            case GE -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x >= y ? 1 : 0; } }
            case LT -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x < y ? 1 : 0; } }
            case LE -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x <= y ? 1 : 0; } }
            case EQ -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x == y ? 1 : 0; } }
            case NE -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = x != y ? 1 : 0; } }
            case RELU_GRAD -> { for (int i = 0; i < n; i++) { double x = a[ao + i * as], y = b[bo + i * bs]; c[co + i] = y > 0 ? x : 0; } }
        }
    }

    /** x to a scalar power, with the common exponents exact and fast. */
    private static double pow(double x, double p) {
        if (p == 2) return x * x;
        if (p == 1) return x;
        if (p == 0.5) return Math.sqrt(x);
        if (p == -1) return 1 / x;
        return Math.pow(x, p);
    }

    @Override
    public double sum(float[] a, int off, int n) {
        // Four independent chains: a single accumulator is latency-bound (4 GB/s here).
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[off + i];
            s1 += a[off + i + 1];
            s2 += a[off + i + 2];
            s3 += a[off + i + 3];
        }
        for (; i < n; i++) s0 += a[off + i];
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void maxPool2x2(float[] x, int xo, float[] y, int yo, int[] idx, int planes, int h, int w) {
        int hw = h * w, oh = h / 2, ow = w / 2, l = oh * ow;
        for (int pl = 0; pl < planes; pl++) {
            int xb = xo + pl * hw, yb = yo + pl * l;
            for (int r = 0; r < oh; r++) {
                int top = 2 * r * w, bottom = top + w, yr = yb + r * ow;
                for (int q = 0; q < ow; q++) {
                    int a0 = top + 2 * q, a2 = bottom + 2 * q;
                    float max = x[xb + a0];
                    int arg = a0;
                    float v = x[xb + a0 + 1];
                    if (v > max || v != v) { max = v; arg = a0 + 1; }
                    v = x[xb + a2];
                    if (v > max || v != v) { max = v; arg = a2; }
                    v = x[xb + a2 + 1];
                    if (v > max || v != v) { max = v; arg = a2 + 1; }
                    y[yr + q] = max;
                    idx[yr + q] = arg;
                }
            }
        }
    }

    @Override
    public void axpy(double alpha, float[] x, int xo, float[] y, int yo, int n) {
        java.util.Objects.checkFromIndexSize(xo, n, x.length);
        java.util.Objects.checkFromIndexSize(yo, n, y.length);
        float a = (float) alpha;
        for (int i = 0; i < n; i++) y[yo + i] = y[yo + i] + x[xo + i] * a;
    }

    @Override
    public void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        java.util.Objects.checkFromIndexSize(xo, n, x.length);
        java.util.Objects.checkFromIndexSize(yo, n, y.length);
        for (int i = 0; i < n; i++) y[yo + i] = y[yo + i] + x[xo + i] * alpha;
    }

    @Override
    public double sum(double[] a, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[off + i];
            s1 += a[off + i + 1];
            s2 += a[off + i + 2];
            s3 += a[off + i + 3];
        }
        for (; i < n; i++) s0 += a[off + i];
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int ao, int lda, float[] b, int bo, int ldb,
                     float[] c, int co, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0f);
        } else if (k > 0) {
            // C + (a sum started at +0), as the vector and BLAS kernels add a fresh accumulator to C:
            // −0 + (+0) is +0, which adding the products straight into a −0 would keep as −0.
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[co + i * ldc + j] += 0f;
        }
        // From here on no element of C is −0 (x + y is −0 only when both are), so adding a ±0 product
        // changes nothing and a zero a[i][p] may be skipped, but only when row p of op(B) is finite:
        // 0·NaN and 0·∞ are NaN, as in the vector kernels, BLAS and PyTorch.
        // i-p-j order: the inner loop streams one row of B into one row of C.
        float[] bRow = transB ? new float[n] : null;
        for (int p = 0; p < k; p++) {
            float[] br;
            int bOff;
            if (transB) {
                for (int j = 0; j < n; j++) bRow[j] = b[bo + j * ldb + p];
                br = bRow;
                bOff = 0;
            } else {
                br = b;
                bOff = bo + p * ldb;
            }
            int finiteRow = -1; // unknown until the first zero in column p of op(A)
            for (int i = 0; i < m; i++) {
                float aip = transA ? a[ao + p * lda + i] : a[ao + i * lda + p];
                if (aip == 0) {
                    if (finiteRow < 0) finiteRow = allFinite(br, bOff, n) ? 1 : 0;
                    if (finiteRow == 1) continue;
                }
                int cOff = co + i * ldc;
                for (int j = 0; j < n; j++) c[cOff + j] += aip * br[bOff + j];
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double[] a, int ao, int lda, double[] b, int bo, int ldb,
                     double[] c, int co, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0.0);
        } else if (k > 0) {
            // C + (a sum started at +0), as the vector and BLAS kernels add a fresh accumulator to C:
            // −0 + (+0) is +0, which adding the products straight into a −0 would keep as −0.
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[co + i * ldc + j] += 0.0;
        }
        // From here on no element of C is −0 (x + y is −0 only when both are), so adding a ±0 product
        // changes nothing and a zero a[i][p] may be skipped, but only when row p of op(B) is finite:
        // 0·NaN and 0·∞ are NaN, as in the vector kernels, BLAS and PyTorch.
        double[] bRow = transB ? new double[n] : null;
        for (int p = 0; p < k; p++) {
            double[] br;
            int bOff;
            if (transB) {
                for (int j = 0; j < n; j++) bRow[j] = b[bo + j * ldb + p];
                br = bRow;
                bOff = 0;
            } else {
                br = b;
                bOff = bo + p * ldb;
            }
            int finiteRow = -1; // unknown until the first zero in column p of op(A)
            for (int i = 0; i < m; i++) {
                double aip = transA ? a[ao + p * lda + i] : a[ao + i * lda + p];
                if (aip == 0) {
                    if (finiteRow < 0) finiteRow = allFinite(br, bOff, n) ? 1 : 0;
                    if (finiteRow == 1) continue;
                }
                int cOff = co + i * ldc;
                for (int j = 0; j < n; j++) c[cOff + j] += aip * br[bOff + j];
            }
        }
    }

    private static boolean allFinite(float[] x, int off, int n) {
        for (int j = 0; j < n; j++) if (!Float.isFinite(x[off + j])) return false;
        return true;
    }

    private static boolean allFinite(double[] x, int off, int n) {
        for (int j = 0; j < n; j++) if (!Double.isFinite(x[off + j])) return false;
        return true;
    }

    @Override
    public void logSoftmaxRows(float[] x, int xo, float[] out, int oo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * cols, oi = oo + r * cols;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) m = Math.max(m, x[xi + j]);
            if (Float.isInfinite(m)) m = 0;
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.exp(x[xi + j] - m);
            // (x − m) − log s, not x − (m + log s): the shift by m is exact, folding it into the
            // logarithm would round away log s when m is large.
            float lse = (float) Math.log(s);
            for (int j = 0; j < cols; j++) out[oi + j] = (x[xi + j] - m) - lse;
        }
    }

    @Override
    public void logSoftmaxRows(double[] x, int xo, double[] out, int oo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * cols, oi = oo + r * cols;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) m = Math.max(m, x[xi + j]);
            if (Double.isInfinite(m)) m = 0;
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.exp(x[xi + j] - m);
            double lse = Math.log(s);
            for (int j = 0; j < cols; j++) out[oi + j] = (x[xi + j] - m) - lse;
        }
    }

    @Override
    public void logSoftmaxBackwardRows(float[] g, int go, float[] out, int oo, float[] dx, int dxo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int gi = go + r * cols, oi = oo + r * cols, di = dxo + r * cols;
            double s = 0;
            for (int j = 0; j < cols; j++) s += g[gi + j];
            for (int j = 0; j < cols; j++) dx[di + j] = (float) (g[gi + j] - Math.exp(out[oi + j]) * s);
        }
    }

    @Override
    public void logSoftmaxBackwardRows(double[] g, int go, double[] out, int oo, double[] dx, int dxo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int gi = go + r * cols, oi = oo + r * cols, di = dxo + r * cols;
            double s = 0;
            for (int j = 0; j < cols; j++) s += g[gi + j];
            for (int j = 0; j < cols; j++) dx[di + j] = g[gi + j] - Math.exp(out[oi + j]) * s;
        }
    }
}
