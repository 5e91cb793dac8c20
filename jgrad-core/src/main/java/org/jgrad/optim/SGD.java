package org.jgrad.optim;

import java.util.Map;
import org.jgrad.Tensor;

/**
 * Stochastic gradient descent with momentum, as PyTorch's {@code torch.optim.SGD}: with
 * d = g + λ·w, the buffer b is d on the first step and μ·b + (1 − τ)·d after; the step is d + μ·b
 * (Nesterov) or b, and w ← w − lr·step. State: {@code momentum_buffer} (only with momentum).
 */
public final class SGD extends Optimizer<SGD.Options> {

    /** lr, momentum μ, dampening τ, nesterov, weight decay λ (L2 penalty added to the gradient). */
    public record Options(double lr, double momentum, double dampening, boolean nesterov, double weightDecay)
            implements Optimizer.Options<Options> {
        /** Plain gradient descent with this learning rate. */
        public static Options of(double lr) {
            return new Options(lr, 0, 0, false, 0);
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, momentum, dampening, nesterov, weightDecay);
        }

        public Options withMomentum(double momentum) {
            return new Options(lr, momentum, dampening, nesterov, weightDecay);
        }

        public Options withDampening(double dampening) {
            return new Options(lr, momentum, dampening, nesterov, weightDecay);
        }

        public Options withNesterov(boolean nesterov) {
            return new Options(lr, momentum, dampening, nesterov, weightDecay);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, momentum, dampening, nesterov, weightDecay);
        }
    }

    public SGD(Iterable<Tensor> params, Options options) {
        super("SGD", params, options);
    }

    public SGD(Iterable<Tensor> params, double lr) {
        this(params, Options.of(lr));
    }

    @Override
    protected void validate(Options o) {
        require(o.lr() >= 0, "invalid learning rate " + o.lr() + " (must be >= 0)");
        require(o.momentum() >= 0, "invalid momentum " + o.momentum() + " (must be >= 0)");
        require(o.weightDecay() >= 0, "invalid weight decay " + o.weightDecay() + " (must be >= 0)");
        require(!o.nesterov() || (o.momentum() > 0 && o.dampening() == 0),
                "Nesterov momentum requires a momentum > 0 and zero dampening (got momentum " + o.momentum()
                        + ", dampening " + o.dampening() + ")");
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, Options o) {
        Tensor d = o.weightDecay() == 0 ? grad : grad.add(param.mul(o.weightDecay()));
        if (o.momentum() != 0) {
            Tensor buf = state.get("momentum_buffer");
            if (buf == null) {
                // PyTorch starts the buffer at the first gradient itself, not at (1 − τ)·d.
                buf = d.copy();
                state.put("momentum_buffer", buf);
            } else {
                buf.mulInPlace(o.momentum()).addInPlace(o.dampening() == 0 ? d : d.mul(1 - o.dampening()));
            }
            d = o.nesterov() ? d.add(buf.mul(o.momentum())) : buf;
        }
        param.addInPlace(d, -o.lr());
    }
}
