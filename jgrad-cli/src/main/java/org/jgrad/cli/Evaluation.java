package org.jgrad.cli;

import java.util.List;
import org.jgrad.Autograd;
import org.jgrad.Tensor;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.Losses;
import org.jgrad.nn.Module;

/** Mean cross-entropy and the confusion matrix of a classifier on a data set, in eval mode without recording. */
record Evaluation(double loss, ConfusionMatrix confusion) {
    double accuracy() {
        return confusion.accuracy();
    }

    static Evaluation of(Module model, TensorDataset data, List<String> classes, int batchSize) {
        boolean wasTraining = model.isTraining();
        model.eval();
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        double lossSum = 0;
        try (var _ = Autograd.noGrad();
             DataLoader loader = DataLoader.builder(data).batchSize(batchSize).build()) {
            for (Batch b : loader) {
                Tensor logits = model.call(b.features());
                lossSum += Losses.crossEntropy(logits, b.labels()).item() * b.size();
                cm.add(b.labels().toLongArray(), logits.argmax(1, false).toLongArray());
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(lossSum / Math.max(1, data.size()), cm);
    }
}
