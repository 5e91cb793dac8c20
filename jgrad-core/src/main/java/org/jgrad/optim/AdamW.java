package org.jgrad.optim;

import java.util.Map;
import org.jgrad.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as PyTorch's {@code torch.optim.AdamW}:
 * w ← w·(1 − lr·λ) before the {@link Adam} update, which then sees the plain gradient. The default
 * λ is 0.01.
 */
public final class AdamW extends Optimizer<AdamW.Options> {

    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
            implements Optimizer.Options<Options> {
        /** PyTorch's defaults with this learning rate: β = (0.9, 0.999), ε = 1e-8, λ = 0.01. */
        public static Options of(double lr) {
            return new Options(lr, 0.9, 0.999, 1e-8, 1e-2, false);
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

    public AdamW(Iterable<Tensor> params, Options options) {
        super("AdamW", params, options);
    }

    public AdamW(Iterable<Tensor> params, double lr) {
        this(params, Options.of(lr));
    }

    @Override
    protected void validate(Options o) {
        Adam.validate(this, o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay());
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, Options o) {
        Adam.update(param, grad, state, o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(), o.amsgrad(), true);
    }
}
