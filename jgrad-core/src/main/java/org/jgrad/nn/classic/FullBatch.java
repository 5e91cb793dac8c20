package org.jgrad.nn.classic;

import java.util.function.Supplier;
import org.jgrad.Tensor;
import org.jgrad.nn.Module;
import org.jgrad.optim.SGD;

/** Plain gradient descent on the whole training set: the textbook loop shared by the regressions. */
final class FullBatch {
    private FullBatch() {}

    static double[] descend(Module model, Supplier<Tensor> loss, double lr, int epochs) {
        if (epochs < 1) throw new IllegalArgumentException(model.getClass().getSimpleName() + ".fit: expected epochs >= 1, got " + epochs);
        SGD sgd = new SGD(model.parameters(), lr);
        double[] curve = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            sgd.zeroGrad();
            Tensor j = loss.get();
            curve[e] = j.item();
            j.backward();
            sgd.step();
        }
        return curve;
    }
}
