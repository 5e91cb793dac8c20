package org.jgrad.optim;

import java.util.Map;
import org.jgrad.Tensor;

/**
 * RMSprop, as PyTorch's {@code torch.optim.RMSprop}: v ← αv + (1 − α)g²; centered, also
 * ḡ ← αḡ + (1 − α)g and v − ḡ² replaces v; with denominator a = √v + ε the step is g/a, or with
 * momentum b ← μb + g/a; w ← w − lr·step. State: {@code step}, {@code square_avg},
 * {@code momentum_buffer}, {@code grad_avg}.
 */
public final class RMSprop extends Optimizer<RMSprop.Options> {

    public record Options(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered)
            implements Optimizer.Options<Options> {
        /** PyTorch's defaults with this learning rate: α = 0.99, ε = 1e-8, no momentum, not centered. */
        public static Options of(double lr) {
            return new Options(lr, 0.99, 1e-8, 0, 0, false);
        }

        @Override
        public Options withLr(double lr) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered);
        }

        public Options withAlpha(double alpha) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered);
        }

        public Options withEps(double eps) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered);
        }

        public Options withWeightDecay(double weightDecay) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered);
        }

        public Options withMomentum(double momentum) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered);
        }

        public Options withCentered(boolean centered) {
            return new Options(lr, alpha, eps, weightDecay, momentum, centered);
        }
    }

    public RMSprop(Iterable<Tensor> params, Options options) {
        super("RMSprop", params, options);
    }

    public RMSprop(Iterable<Tensor> params, double lr) {
        this(params, Options.of(lr));
    }

    @Override
    protected void validate(Options o) {
        require(o.lr() >= 0, "invalid learning rate " + o.lr() + " (must be >= 0)");
        require(o.eps() >= 0, "invalid epsilon " + o.eps() + " (must be >= 0)");
        require(o.momentum() >= 0, "invalid momentum " + o.momentum() + " (must be >= 0)");
        require(o.weightDecay() >= 0, "invalid weight decay " + o.weightDecay() + " (must be >= 0)");
        require(o.alpha() >= 0, "invalid alpha " + o.alpha() + " (must be >= 0)");
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, Options o) {
        incrementStep(state);
        Tensor squareAvg = buffer(state, "square_avg", param);
        Tensor buf = o.momentum() > 0 ? buffer(state, "momentum_buffer", param) : null;
        Tensor gradAvg = o.centered() ? buffer(state, "grad_avg", param) : null;
        Tensor g = o.weightDecay() == 0 ? grad : grad.add(param.mul(o.weightDecay()));
        squareAvg.mulInPlace(o.alpha()).addInPlace(g.mul(g), 1 - o.alpha());
        Tensor avg;
        if (o.centered()) {
            gradAvg.mulInPlace(o.alpha()).addInPlace(g, 1 - o.alpha());
            avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt();
        } else {
            avg = squareAvg.sqrt();
        }
        avg = avg.add(o.eps());
        if (buf != null) {
            buf.mulInPlace(o.momentum()).addInPlace(g.div(avg));
            param.addInPlace(buf, -o.lr());
        } else {
            param.addInPlace(g.div(avg), -o.lr());
        }
    }
}
