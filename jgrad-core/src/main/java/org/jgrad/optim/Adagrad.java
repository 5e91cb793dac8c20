package org.jgrad.optim;

import java.util.Map;
import org.jgrad.Tensor;

/**
 * Adagrad, as PyTorch's {@code torch.optim.Adagrad}: s ← s + g² (s starts at the initial accumulator
 * value), w ← w − lrₜ · g / (√s + ε) with lrₜ = lr / (1 + (t − 1)·lrDecay). State: {@code step},
 * {@code sum}.
 */
public final class Adagrad extends Optimizer<Adagrad.Options> {

    public record Options(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps)
            implements Optimizer.Options<Options> {
        /** PyTorch's defaults with this learning rate: no decay, accumulator 0, ε = 1e-10. */
        public static Options of(double lr) {
            return new Options(lr, 0, 0, 0, 1e-10);
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }

        public Options withLrDecay(double lrDecay) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }

        public Options withInitialAccumulatorValue(double value) {
            return new Options(lr, lrDecay, weightDecay, value, eps);
        }

        public Options withEps(double eps) {
            return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }
    }

    public Adagrad(Iterable<Tensor> params, Options options) {
        super("Adagrad", params, options);
    }

    public Adagrad(Iterable<Tensor> params, double lr) {
        this(params, Options.of(lr));
    }

    @Override
    protected void validate(Options o) {
        require(o.lr() >= 0, "invalid learning rate " + o.lr() + " (must be >= 0)");
        require(o.lrDecay() >= 0, "invalid lr decay " + o.lrDecay() + " (must be >= 0)");
        require(o.weightDecay() >= 0, "invalid weight decay " + o.weightDecay() + " (must be >= 0)");
        require(o.initialAccumulatorValue() >= 0,
                "invalid initial accumulator value " + o.initialAccumulatorValue() + " (must be >= 0)");
        require(o.eps() >= 0, "invalid epsilon " + o.eps() + " (must be >= 0)");
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, Options o) {
        Tensor sum = state.computeIfAbsent("sum",
                k -> Tensor.zerosLike(param).fillInPlace(o.initialAccumulatorValue()));
        double step = incrementStep(state);
        Tensor g = o.weightDecay() == 0 ? grad : grad.add(param.mul(o.weightDecay()));
        double clr = o.lr() / (1 + (step - 1) * o.lrDecay());
        sum.addInPlace(g.mul(g));
        param.addInPlace(g.div(sum.sqrt().add(o.eps())), -clr);
    }
}
