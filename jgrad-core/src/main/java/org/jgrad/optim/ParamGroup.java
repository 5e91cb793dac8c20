package org.jgrad.optim;

import java.util.List;
import java.util.function.Consumer;
import org.jgrad.Tensor;

/**
 * Parameters that share hyper-parameters inside an {@link Optimizer}, e.g. a backbone trained with a
 * smaller learning rate than a new head. Schedulers change {@link #lr()} through {@link #setLr}.
 */
public final class ParamGroup<O extends Optimizer.Options<O>> {
    private final List<Tensor> params;
    private final Consumer<O> validator;
    private O options;

    ParamGroup(List<Tensor> params, O options, Consumer<O> validator) {
        this.params = List.copyOf(params);
        this.validator = validator;
        validator.accept(options);
        this.options = options;
    }

    public List<Tensor> params() {
        return params;
    }

    public O options() {
        return options;
    }

    /** Replaces this group's hyper-parameters; they are checked as in the optimizer's constructor. */
    public void setOptions(O options) {
        validator.accept(options);
        this.options = options;
    }

    public double lr() {
        return options.lr();
    }

    public void setLr(double lr) {
        setOptions(options.withLr(lr));
    }
}
