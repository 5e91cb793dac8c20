package org.jgrad;

import java.util.Arrays;

/**
 * One recorded op in the computation graph: what it was, its inputs, the tensors its backward
 * needs (with their versions at save time) and the backward rule itself. Backward rules are
 * written with tensor ops, so when the backward pass is recorded (createGraph) gradients are
 * themselves differentiable.
 */
final class Node {

    /** Maps the gradient of the op's output to the gradients of its inputs (null where none is needed). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    final String op;
    final Tensor[] inputs;
    private Tensor[] saved;
    private int[] savedVersions;
    private Backward backward;

    Node(String op, Tensor[] inputs, Tensor[] saved, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.saved = saved;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].storage.version();
        this.backward = backward;
    }

    boolean isFreed() {
        return backward == null;
    }

    Tensor[] apply(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException(op + ": trying to backward through the graph a second time, but its"
                    + " saved tensors were already freed; call backward(gradient, true) (retainGraph) the first time"
                    + " if you need to backward twice");
        }
        for (int i = 0; i < saved.length; i++) {
            if (saved[i].storage.version() != savedVersions[i]) {
                throw new IllegalStateException(op + ": a tensor of shape " + Shapes.str(saved[i].shape())
                        + " that this op saved for backward was modified in place afterwards (version "
                        + savedVersions[i] + " when saved, now " + saved[i].storage.version()
                        + "); the gradient would be wrong. Clone it before changing it in place");
            }
        }
        Tensor[] grads = backward.apply(gradOutput);
        if (grads.length != inputs.length) {
            throw new IllegalStateException(op + ": backward returned " + grads.length + " gradients for "
                    + inputs.length + " inputs");
        }
        return grads;
    }

    /** Drops what backward needed, so the memory of the forward pass can be reclaimed. */
    void free() {
        backward = null;
        saved = null;
        savedVersions = null;
    }

    Tensor[] saved() {
        return saved == null ? new Tensor[0] : Arrays.copyOf(saved, saved.length);
    }
}
