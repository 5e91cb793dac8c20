package org.jgrad.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * Updates parameters from their gradients. Parameters are split into {@link ParamGroup}s, each with its
 * own hyper-parameters of type {@code O} (an optimizer's {@code Options} record).
 *
 * <pre>{@code
 * var opt = new SGD(params, SGD.Options.of(0.1).withMomentum(0.9));
 * for (...) { opt.zeroGrad(); loss(...).backward(); opt.step(); }
 * }</pre>
 *
 * <p>State (momentum buffers, moment estimates, step counts) is kept per parameter and saved by
 * {@link #stateDict()} as tensors named {@code state.<param index>.<name>}, PyTorch's names, with
 * parameters numbered in group order. Hyper-parameters are saved as strings, so a checkpoint can hold
 * both as tensors plus string metadata.
 */
public abstract class Optimizer<O extends Record & Optimizer.Options<O>> {

    /** Hyper-parameters of one group. Every optimizer has a learning rate; schedulers change it. */
    public interface Options<O> {
        double lr();

        O withLr(double lr);
    }

    /** What {@link #stateDict()} returns: state tensors, and hyper-parameters as strings. */
    public record StateDict(Map<String, Tensor> tensors, Map<String, String> hyperParameters) {}

    private final String name;
    private final List<ParamGroup<O>> groups = new ArrayList<>();
    private final Map<Tensor, Map<String, Tensor>> state = new IdentityHashMap<>();

    // validate() runs here on the first group; implementations must not read their own fields in it.
    @SuppressWarnings("this-escape")
    protected Optimizer(String name, Iterable<Tensor> params, O options) {
        this.name = name;
        addParamGroup(params, options);
    }

    /** Checks hyper-parameters; throws {@link IllegalArgumentException} naming the optimizer and the value. */
    protected abstract void validate(O options);

    /**
     * Updates one parameter in place from its gradient (never null here). Runs with recording off.
     * {@code state} is this parameter's state, empty before its first update.
     */
    protected abstract void update(Tensor param, Tensor grad, Map<String, Tensor> state, O options);

    public final String name() {
        return name;
    }

    /** Adds parameters with their own hyper-parameters (PyTorch's {@code add_param_group}). */
    public final void addParamGroup(Iterable<Tensor> params, O options) {
        if (options == null) throw new IllegalArgumentException(name + ": options must not be null");
        List<Tensor> list = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Tensor p : params()) seen.put(p, true);
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException(name + ": a parameter is null");
            if (!p.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(name + ": can only optimize floating-point tensors, got " + p.dtype()
                        + " of shape " + Arrays.toString(p.shape()));
            }
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor (computed by "
                        + p.gradFnName() + "); optimize the leaf it was computed from");
            }
            if (seen.put(p, true) != null) {
                throw new IllegalArgumentException(name + ": a parameter of shape " + Arrays.toString(p.shape())
                        + " appears more than once (in one group or in several)");
            }
            list.add(p);
        }
        if (list.isEmpty()) throw new IllegalArgumentException(name + ": got an empty parameter list");
        groups.add(new ParamGroup<>(list, options, this::validate));
    }

    public final List<ParamGroup<O>> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** All parameters, group after group: the numbering used by {@link #stateDict()}. */
    public final List<Tensor> params() {
        List<Tensor> all = new ArrayList<>();
        for (ParamGroup<O> g : groups) all.addAll(g.params());
        return all;
    }

    /** One update of every parameter that has a gradient; parameters whose grad is null are left alone. */
    public void step() {
        try (var _ = Autograd.noGrad()) {
            for (ParamGroup<O> g : groups) {
                for (Tensor p : g.params()) {
                    if (p.grad() == null) continue;
                    Map<String, Tensor> s = state.computeIfAbsent(p, k -> new LinkedHashMap<>());
                    followDtype(s, p);
                    update(p, p.grad().detach(), s, g.options());
                }
            }
        }
    }

    /**
     * Converts the state of {@code param} to its dtype, which {@code Module.to} may have changed since the
     * state was made, as PyTorch does on loading: the moments then keep the parameter's precision. The
     * step count keeps its float64.
     */
    private static void followDtype(Map<String, Tensor> s, Tensor param) {
        for (var e : s.entrySet()) {
            Tensor t = e.getValue();
            if (!e.getKey().equals("step") && t.dtype().isFloatingPoint() && t.dtype() != param.dtype()) {
                t.toInPlace(param.dtype());
            }
        }
    }

    /**
     * Evaluates {@code closure} (which typically zeroes grads, computes the loss and calls backward) with
     * recording on, then steps; returns the loss.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var _ = Autograd.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** Forgets every parameter's gradient (sets it to null, as PyTorch does by default). */
    public void zeroGrad() {
        for (Tensor p : params()) p.zeroGrad();
    }

    // ------------------------------------------------------------------ state dict

    /** A snapshot (copies, not views) of the state and hyper-parameters; see {@link #loadStateDict}. */
    public final StateDict stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (var _ = Autograd.noGrad()) {
            writeState(tensors);
            tensors.replaceAll((k, t) -> t.copy());
        }
        Map<String, String> hyper = new LinkedHashMap<>();
        hyper.put("optimizer", name);
        hyper.put("param_groups", Integer.toString(groups.size()));
        int index = 0;
        for (int g = 0; g < groups.size(); g++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < groups.get(g).params().size(); i++) ids.add(Integer.toString(index++));
            hyper.put("param_groups." + g + ".params", String.join(",", ids));
            for (var e : OptionsCodec.write(groups.get(g).options()).entrySet()) {
                hyper.put("param_groups." + g + "." + e.getKey(), e.getValue());
            }
        }
        return new StateDict(tensors, hyper);
    }

    public final void loadStateDict(StateDict dict) {
        loadStateDict(dict.tensors(), dict.hyperParameters());
    }

    /**
     * Restores what {@link #stateDict()} saved, into an optimizer built over the same parameters in the
     * same groups: hyper-parameters and state are replaced exactly (tensors are copied), so training
     * continues bit for bit as if it had not stopped. Nothing changes if the dict does not fit.
     */
    public final void loadStateDict(Map<String, Tensor> tensors, Map<String, String> hyper) {
        String saved = hyper.get("optimizer");
        if (saved != null && !saved.equals(name)) {
            throw new IllegalArgumentException(name + ".loadStateDict: the state was saved by " + saved);
        }
        String count = hyper.get("param_groups");
        if (count == null || Integer.parseInt(count) != groups.size()) {
            throw new IllegalArgumentException(name + ".loadStateDict: the state has " + count
                    + " parameter groups, this optimizer has " + groups.size());
        }
        List<O> options = new ArrayList<>();
        int index = 0;
        for (int g = 0; g < groups.size(); g++) {
            String prefix = "param_groups." + g + ".";
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < groups.get(g).params().size(); i++) ids.add(Integer.toString(index++));
            String savedIds = hyper.get(prefix + "params");
            if (!String.join(",", ids).equals(savedIds)) {
                throw new IllegalArgumentException(name + ".loadStateDict: group " + g + " holds parameters ["
                        + savedIds + "] in the state but [" + String.join(",", ids) + "] here");
            }
            Map<String, String> values = new TreeMap<>();
            for (var e : hyper.entrySet()) {
                if (e.getKey().startsWith(prefix)) values.put(e.getKey().substring(prefix.length()), e.getValue());
            }
            O current = groups.get(g).options();
            @SuppressWarnings("unchecked")
            Class<O> type = (Class<O>) current.getClass();
            O o = OptionsCodec.read(type, values, current, name + ".loadStateDict");
            validate(o);
            options.add(o);
        }
        Map<String, Tensor> copies = new LinkedHashMap<>();
        try (var _ = Autograd.noGrad()) {
            for (var e : tensors.entrySet()) copies.put(e.getKey(), e.getValue().detach().copy());
        }
        readState(copies);
        for (int g = 0; g < groups.size(); g++) groups.get(g).setOptions(options.get(g));
    }

    /** Puts the state into {@code out} under {@code state.<param index>.<name>}; views are fine (copied after). */
    protected void writeState(Map<String, Tensor> out) {
        List<Tensor> params = params();
        for (int i = 0; i < params.size(); i++) {
            Map<String, Tensor> s = state.get(params.get(i));
            if (s == null) continue;
            for (var e : s.entrySet()) out.put("state." + i + "." + e.getKey(), e.getValue());
        }
    }

    /** Replaces the state with {@code in} (tensors already copied) after checking that it fits. */
    protected void readState(Map<String, Tensor> in) {
        List<Tensor> params = params();
        Map<Tensor, Map<String, Tensor>> loaded = new IdentityHashMap<>();
        for (var e : in.entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            int i = parts.length == 3 && parts[0].equals("state") ? parseIndex(parts[1]) : -1;
            if (i < 0 || i >= params.size()) {
                throw new IllegalArgumentException(name + ".loadStateDict: unexpected tensor " + e.getKey()
                        + " (expected state.<i>.<name> with i < " + params.size() + ")");
            }
            Tensor p = params.get(i);
            Tensor t = e.getValue();
            if (t.dim() > 0 && !Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException(name + ".loadStateDict: " + e.getKey() + " has shape "
                        + Arrays.toString(t.shape()) + " but parameter " + i + " has shape " + Arrays.toString(p.shape()));
            }
            loaded.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(parts[2], t);
        }
        state.clear();
        state.putAll(loaded);
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ helpers for subclasses

    /** Adds one to the {@code step} count in {@code state} (a float64 scalar, as a tensor so it is saved). */
    protected static double incrementStep(Map<String, Tensor> state) {
        Tensor step = state.computeIfAbsent("step", k -> Tensor.scalar(DType.FLOAT64, 0));
        double next = step.item() + 1;
        step.fillInPlace(next);
        return next;
    }

    /** A zero buffer shaped and typed like {@code param}, created in {@code state} on first use. */
    protected static Tensor buffer(Map<String, Tensor> state, String key, Tensor param) {
        return state.computeIfAbsent(key, k -> Tensor.zerosLike(param));
    }

    protected final void require(boolean ok, String what) {
        if (!ok) throw new IllegalArgumentException(name + ": " + what);
    }
}
