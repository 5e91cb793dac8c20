package org.jgrad.nn;

import org.jgrad.Tensor;

/**
 * Called by {@link Module#call(Tensor)} after a module's forward, to observe activations (record
 * them, log their statistics) without changing the module. Register with
 * {@link Module#registerForwardHook(ForwardHook)}.
 */
@FunctionalInterface
public interface ForwardHook {
    void onForward(Module module, Tensor input, Tensor output);
}
