package org.jgrad.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Tensor;

/**
 * A building block of a network, as PyTorch's {@code nn.Module}: it owns parameters (leaf tensors
 * that require grad), buffers (state that is saved but not trained, such as running statistics)
 * and sub-modules, each registered under a name. From these registrations come {@link #parameters()},
 * {@link #stateDict()} with PyTorch's dotted names ({@code layers.0.weight}), {@link #train()} /
 * {@link #eval()} for the whole tree, {@link #to(DType)} and a readable {@link #toString()}.
 *
 * <pre>{@code
 * class Mlp extends Module {
 *     private final Linear fc1 = registerModule("fc1", new Linear(784, 256));
 *     private final Linear fc2 = registerModule("fc2", new Linear(256, 10));
 *     public Tensor forward(Tensor x) { return fc2.call(fc1.call(x).relu()); }
 * }
 * }</pre>
 *
 * <p>{@link #call(Tensor)} runs {@link #forward(Tensor)} and then the forward hooks; containers call
 * their children through it, so call the top module the same way when hooks matter (as PyTorch's
 * {@code model(x)} versus {@code model.forward(x)}).
 *
 * <p>{@link #to(DType)} converts the registered parameter and buffer tensors in place: they stay the
 * same objects, so references kept in fields, in optimizers or in their state remain valid.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final List<ForwardHook> forwardHooks = new CopyOnWriteArrayList<>();
    private boolean training = true;

    /** The computation of this module on one input. */
    public abstract Tensor forward(Tensor input);

    /** True when a forward hook is registered, which a container must then call through {@link #call}. */
    final boolean hasForwardHooks() {
        return !forwardHooks.isEmpty();
    }

    /** Runs {@link #forward(Tensor)} and then every forward hook, in registration order. */
    public final Tensor call(Tensor input) {
        Tensor output = forward(input);
        for (ForwardHook hook : forwardHooks) hook.onForward(this, input, output);
        return output;
    }

    // ------------------------------------------------------------ registration

    /**
     * Registers {@code tensor} as a parameter named {@code name}, marking it as requiring grad, and
     * returns it. It must be a floating-point leaf (computed tensors belong to a graph and cannot be
     * trained in place).
     */
    protected final Tensor registerParameter(String name, Tensor tensor) {
        checkName(name);
        Objects.requireNonNull(tensor, () -> name() + ": parameter '" + name + "' is null");
        if (!tensor.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(name() + ": parameter '" + name + "' must be floating point, got "
                    + tensor.dtype());
        }
        if (!tensor.isLeaf()) {
            throw new IllegalArgumentException(name() + ": parameter '" + name + "' was computed by "
                    + tensor.gradFnName() + "; register a leaf (detach() it first)");
        }
        tensor.requiresGrad(true);
        parameters.put(name, tensor);
        return tensor;
    }

    /** Registers state that is saved in {@link #stateDict()} and converted by {@link #to(DType)} but not trained. */
    protected final Tensor registerBuffer(String name, Tensor tensor) {
        checkName(name);
        Objects.requireNonNull(tensor, () -> name() + ": buffer '" + name + "' is null");
        if (tensor.requiresGrad()) {
            throw new IllegalArgumentException(name() + ": buffer '" + name + "' requires grad; register it as a"
                    + " parameter or detach() it");
        }
        buffers.put(name, tensor);
        return tensor;
    }

    /** Registers a sub-module; its parameters appear under {@code name.}. Returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        Objects.requireNonNull(module, () -> name() + ": module '" + name + "' is null");
        if (module == this) throw new IllegalArgumentException(name() + ": a module cannot contain itself");
        modules.put(name, module);
        return module;
    }

    private void checkName(String name) {
        Objects.requireNonNull(name, () -> name() + ": name is null");
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(name() + ": name '" + name + "' must be non-empty and contain no '.'"
                    + " (dots separate the levels of state-dict names)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || modules.containsKey(name)) {
            throw new IllegalArgumentException(name() + ": name '" + name + "' is already registered");
        }
    }

    /** This module's own parameter {@code name}. */
    protected final Tensor parameter(String name) {
        Tensor t = parameters.get(name);
        if (t == null) throw new IllegalArgumentException(name() + ": no parameter '" + name + "'");
        return t;
    }

    /** This module's own buffer {@code name}. */
    protected final Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) throw new IllegalArgumentException(name() + ": no buffer '" + name + "'");
        return t;
    }

    // ------------------------------------------------------------ traversal

    /** The direct sub-modules, by name, in registration order. */
    public final Map<String, Module> namedChildren() {
        return java.util.Collections.unmodifiableMap(modules);
    }

    /**
     * This module (under the name "") and every module below it, depth first in registration order,
     * each once even if registered in several places.
     */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out, new IdentityHashMap<>());
        return out;
    }

    private static void collectModules(String prefix, Module m, Map<String, Module> out, Map<Module, Boolean> seen) {
        if (seen.put(m, Boolean.TRUE) != null) return;
        out.put(prefix, m);
        for (var e : m.modules.entrySet()) {
            collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out, seen);
        }
    }

    /**
     * Every parameter of the tree by dotted name ({@code encoder.layers.1.bias}), in PyTorch's order:
     * a module's own parameters, then its sub-modules'. A tensor shared by several modules appears once,
     * under its first name.
     */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (var m : namedModules().entrySet()) {
            for (var p : m.getValue().parameters.entrySet()) {
                if (seen.put(p.getValue(), Boolean.TRUE) == null) out.put(join(m.getKey(), p.getKey()), p.getValue());
            }
        }
        return out;
    }

    /** The parameters of {@link #namedParameters()}, in the same order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer of the tree by dotted name ({@code bn.running_mean}). */
    public final LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (var m : namedModules().entrySet()) {
            for (var b : m.getValue().buffers.entrySet()) {
                if (seen.put(b.getValue(), Boolean.TRUE) == null) out.put(join(m.getKey(), b.getKey()), b.getValue());
            }
        }
        return out;
    }

    /** The number of trainable values: the sum of the element counts of {@link #parameters()}. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    // ------------------------------------------------------------ modes, gradients, dtype

    /** Puts this module and all below it in training mode (dropout active, batch statistics). Returns this. */
    public Module train() {
        return train(true);
    }

    public Module train(boolean mode) {
        for (Module m : namedModules().values()) m.training = mode;
        return this;
    }

    /** Puts this module and all below it in evaluation mode (dropout off, running statistics). Returns this. */
    public Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Forgets the gradient of every parameter (sets it to null, as PyTorch's {@code set_to_none}). */
    public final void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    /**
     * Converts every floating-point parameter and buffer of the tree to {@code dtype} in place (int64
     * buffers such as {@code num_batches_tracked} keep their type), as PyTorch's {@code module.to(dtype)}:
     * each stays the same tensor object with new values ({@link Tensor#toInPlace}), so an optimizer built
     * before the conversion keeps training this module, and accumulated gradients are converted along.
     * Returns this.
     */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(name() + ".to: modules hold floating-point parameters, cannot convert to "
                    + dtype);
        }
        for (Tensor t : state().values()) {
            if (t.dtype().isFloatingPoint()) t.toInPlace(dtype);
        }
        return this;
    }

    // ------------------------------------------------------------ state dict

    /**
     * Parameters and buffers by the names PyTorch gives them ({@code 0.weight}, {@code bn.running_var},
     * {@code bn.num_batches_tracked}): a module's own parameters, its own buffers, then each sub-module's.
     * The values are detached views of the module's tensors (no copies).
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : state().entrySet()) out.put(e.getKey(), e.getValue().detach());
        return out;
    }

    /** The registered parameters and buffers by state-dict name, each tensor once. */
    private LinkedHashMap<String, Tensor> state() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (var m : namedModules().entrySet()) {
            for (var p : m.getValue().parameters.entrySet()) {
                if (seen.put(p.getValue(), Boolean.TRUE) == null) out.put(join(m.getKey(), p.getKey()), p.getValue());
            }
            for (var b : m.getValue().buffers.entrySet()) {
                if (seen.put(b.getValue(), Boolean.TRUE) == null) out.put(join(m.getKey(), b.getKey()), b.getValue());
            }
        }
        return out;
    }

    /** Names missing from, and names not expected in, a state dict loaded with {@code strict = false}. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

    /** {@link #loadStateDict(Map, boolean)} with {@code strict = true}. */
    public final LoadResult loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * Copies the values of {@code state} into this module's parameters and buffers, in place and without
     * recording (tensors keep their identity, so an optimizer holding them sees the new values). Values
     * are converted to each tensor's dtype.
     *
     * <p>An entry whose shape differs is always an error. With {@code strict}, so are missing and
     * unexpected names. All problems are reported together in one IllegalArgumentException, and
     * nothing is copied unless the whole load can succeed.
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Objects.requireNonNull(state, "loadStateDict: state");
        Map<String, Tensor> own = state();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), misshaped = new ArrayList<>();
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                misshaped.add(e.getKey() + ": expected shape " + Arrays.toString(e.getValue().shape()) + ", got "
                        + Arrays.toString(src.shape()));
            }
        }
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        boolean fail = !misshaped.isEmpty() || strict && (!missing.isEmpty() || !unexpected.isEmpty());
        if (fail) {
            StringBuilder msg = new StringBuilder(name() + ".loadStateDict: cannot load the state dict");
            if (strict && !missing.isEmpty()) msg.append("\n  missing keys: ").append(missing);
            if (strict && !unexpected.isEmpty()) msg.append("\n  unexpected keys: ").append(unexpected);
            if (!misshaped.isEmpty()) msg.append("\n  shape mismatches: ").append(String.join("; ", misshaped));
            throw new IllegalArgumentException(msg.toString());
        }
        try (var _ = Autograd.noGrad()) {
            for (var e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) e.getValue().copyInPlace(src);
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    // ------------------------------------------------------------ hooks

    /**
     * Adds a hook that {@link #call(Tensor)} runs after forward with the module, its input and its
     * output. Remove it with the returned handle.
     */
    public final RemovableHandle registerForwardHook(ForwardHook hook) {
        Objects.requireNonNull(hook, "registerForwardHook: hook");
        // A wrapper per registration, so registering one lambda twice gives two handles that each remove one.
        ForwardHook entry = hook::onForward;
        forwardHooks.add(entry);
        return () -> forwardHooks.remove(entry);
    }

    // ------------------------------------------------------------ printing

    /** The layer's settings shown between the parentheses of {@link #toString()}, e.g. {@code in=784, out=256}. */
    protected String extraRepr() {
        return "";
    }

    /**
     * The module tree as PyTorch prints it:
     * <pre>
     * Sequential(
     *   (0): Linear(in=784, out=256, bias=true)
     *   (1): ReLU()
     * )
     * </pre>
     */
    @Override
    public String toString() {
        String extra = extraRepr();
        if (modules.isEmpty()) return name() + "(" + extra + ")";
        StringBuilder sb = new StringBuilder(name()).append("(\n");
        if (!extra.isEmpty()) sb.append("  ").append(extra.replace("\n", "\n  ")).append('\n');
        for (var e : modules.entrySet()) {
            sb.append("  (").append(e.getKey()).append("): ").append(e.getValue().toString().replace("\n", "\n  "))
                    .append('\n');
        }
        return sb.append(')').toString();
    }

    /** The class name shown by toString and in error messages. */
    protected String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? "Module" : simple;
    }
}
