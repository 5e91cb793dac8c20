package org.jgrad.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jgrad.Tensor;

/**
 * Modules applied one after another, registered under the names {@code 0, 1, 2, ...} (so the
 * state-dict names are PyTorch's {@code 0.weight}, {@code 2.bias}). A {@link Linear} directly followed
 * by a {@link ReLU} runs as one fused op ({@link org.jgrad.Fused#linear}) unless a forward hook
 * watches either of them.
 */
public final class Sequential extends Module implements Iterable<Module> {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    /** Appends a module under the next index. Returns this. */
    public Sequential add(Module module) {
        layers.add(registerModule(Integer.toString(layers.size()), module));
        return this;
    }

    public Module get(int index) {
        if (index < 0 || index >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential: index " + index + " out of range for " + layers.size()
                    + " modules");
        }
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(layers).iterator();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            // Linear then ReLU, neither observed by a hook: one fused op (the same values and
            // gradients, one graph node "linear+relu" instead of three; see Fused.linear).
            if (m instanceof Linear linear && i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU relu
                    && !linear.hasForwardHooks() && !relu.hasForwardHooks()) {
                x = linear.forward(x, true);
                i++;
                continue;
            }
            x = m.call(x);
        }
        return x;
    }
}
