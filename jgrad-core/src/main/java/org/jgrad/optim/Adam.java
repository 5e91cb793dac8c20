package org.jgrad.optim;

import java.util.Map;
import org.jgrad.Tensor;

/**
 * Adam, as PyTorch's {@code torch.optim.Adam}: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * w ← w − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε) (ε outside the square root, after bias correction).
 * Weight decay is the L2 kind (added to g); {@link AdamW} decouples it. With {@code amsgrad} the
 * running maximum of v replaces v. State: {@code step}, {@code exp_avg}, {@code exp_avg_sq},
 * {@code max_exp_avg_sq}.
 */
public final class Adam extends Optimizer<Adam.Options> {

    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
            implements Optimizer.Options<Options> {
        /** PyTorch's defaults with this learning rate: β = (0.9, 0.999), ε = 1e-8, no weight decay. */
        public static Options of(double lr) {
            return new Options(lr, 0.9, 0.999, 1e-8, 0, false);
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }

        public Options withBetas(double beta1, double beta2) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }

        public Options withEps(double eps) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }

        public Options withAmsgrad(boolean amsgrad) {
            return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }
    }

    public Adam(Iterable<Tensor> params, Options options) {
        super("Adam", params, options);
    }

    public Adam(Iterable<Tensor> params, double lr) {
        this(params, Options.of(lr));
    }

    @Override
    protected void validate(Options o) {
        validate(this, o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay());
    }

    static void validate(Optimizer<?> opt, double lr, double beta1, double beta2, double eps, double weightDecay) {
        opt.require(lr >= 0, "invalid learning rate " + lr + " (must be >= 0)");
        opt.require(eps >= 0, "invalid epsilon " + eps + " (must be >= 0)");
        opt.require(beta1 >= 0 && beta1 < 1, "invalid beta1 " + beta1 + " (must be in [0, 1))");
        opt.require(beta2 >= 0 && beta2 < 1, "invalid beta2 " + beta2 + " (must be in [0, 1))");
        opt.require(weightDecay >= 0, "invalid weight decay " + weightDecay + " (must be >= 0)");
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, Options o) {
        update(param, grad, state, o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(), o.amsgrad(), false);
    }

    /** The update shared with AdamW; {@code decoupled} shrinks w by (1 − lr·λ) instead of adding λw to g. */
    static void update(Tensor param, Tensor grad, Map<String, Tensor> state, double lr, double beta1, double beta2,
            double eps, double weightDecay, boolean amsgrad, boolean decoupled) {
        double step = incrementStep(state);
        Tensor expAvg = buffer(state, "exp_avg", param);
        Tensor expAvgSq = buffer(state, "exp_avg_sq", param);
        Tensor maxExpAvgSq = amsgrad ? buffer(state, "max_exp_avg_sq", param) : null;
        Tensor g = grad;
        if (weightDecay != 0) {
            if (decoupled) param.mulInPlace(1 - lr * weightDecay);
            else g = g.add(param.mul(weightDecay));
        }
        // addInPlace(x, α) multiplies, then adds: the same bits as adding a temporary x·α.
        expAvg.mulInPlace(beta1).addInPlace(g, 1 - beta1);
        expAvgSq.mulInPlace(beta2).addInPlace(g.mul(g), 1 - beta2);
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        Tensor second = expAvgSq;
        if (amsgrad) {
            maxExpAvgSq.copyInPlace(maxExpAvgSq.maximum(expAvgSq));
            second = maxExpAvgSq;
        }
        Tensor denom = second.sqrt().div(biasCorrection2Sqrt).add(eps);
        param.addInPlace(expAvg.div(denom), -(lr / biasCorrection1));
    }
}
