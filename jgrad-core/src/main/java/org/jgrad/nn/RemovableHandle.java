package org.jgrad.nn;

/** Undoes a registration, such as a forward hook's. Removing twice does nothing the second time. */
@FunctionalInterface
public interface RemovableHandle {
    void remove();
}
