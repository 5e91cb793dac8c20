package org.jgrad.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jgrad.Tensor;

/**
 * Modules applied one after another, registered under the names {@code 0, 1, 2, ...} (so the
 * state-dict names are PyTorch's {@code 0.weight}, {@code 2.bias}).
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
        for (Module m : layers) x = m.call(x);
        return x;
    }
}
