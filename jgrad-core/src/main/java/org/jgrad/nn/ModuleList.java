package org.jgrad.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jgrad.Tensor;

/**
 * A list of sub-modules registered under {@code 0, 1, 2, ...}: their parameters are the owner's,
 * but the owner decides how to call them (unlike {@link Sequential}, a ModuleList has no forward).
 */
public final class ModuleList extends Module implements Iterable<Module> {
    private final List<Module> items = new ArrayList<>();

    public ModuleList(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module under the next index. Returns this. */
    public ModuleList add(Module module) {
        items.add(registerModule(Integer.toString(items.size()), module));
        return this;
    }

    public Module get(int index) {
        if (index < 0 || index >= items.size()) {
            throw new IndexOutOfBoundsException("ModuleList: index " + index + " out of range for " + items.size()
                    + " modules");
        }
        return items.get(index);
    }

    public int size() {
        return items.size();
    }

    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(items).iterator();
    }

    /** Always throws: a ModuleList only holds modules; iterate over it in the owner's forward. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward; call its modules from the owner's forward");
    }
}
