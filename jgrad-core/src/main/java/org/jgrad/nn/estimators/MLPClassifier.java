package org.jgrad.nn.estimators;

import java.util.Arrays;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.jgrad.nn.Losses;

/**
 * A multi-layer perceptron classifier in the manner of scikit-learn's: softmax outputs, one per
 * class, trained on the cross-entropy plus the L2 penalty.
 *
 * <pre>{@code
 * var clf = new MLPClassifier(MLPOptions.defaults().withHiddenLayerSizes(16, 16).withRandomState(1));
 * clf.fit(x, y);                   // x float [n, d], y int64 labels [n]
 * Tensor labels = clf.predict(xNew);
 * double accuracy = clf.score(x, y);
 * }</pre>
 */
public final class MLPClassifier extends MLPEstimator {
    private long[] classes;

    public MLPClassifier() {
        this(MLPOptions.defaults());
    }

    public MLPClassifier(MLPOptions options) {
        super(options);
    }

    /**
     * Fits to labels y (int64 [n], any values; at least two distinct). The sorted distinct labels
     * become {@link #classes()}.
     */
    public MLPClassifier fit(Tensor x, Tensor y) {
        checkInput("fit", x);
        long[] labels = labels("fit", x, y);
        long[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
        if (distinct.length < 2) {
            throw new IllegalArgumentException("MLPClassifier.fit: expected at least 2 classes in y, got "
                    + Arrays.toString(distinct));
        }
        long[] index = new long[labels.length];
        for (int i = 0; i < labels.length; i++) index[i] = Arrays.binarySearch(distinct, labels[i]);
        classes = distinct;
        fitNetwork(x, Tensor.of(index, index.length), distinct.length);
        return this;
    }

    /** The class labels, sorted, int64 [K]; column k of {@link #predictProba} belongs to classes()[k]. */
    public Tensor classes() {
        requireFitted("classes");
        return Tensor.of(classes, classes.length);
    }

    /** Class probabilities, [n, K]. */
    public Tensor predictProba(Tensor x) {
        requireFitted("predictProba");
        checkInput("predictProba", x);
        return output(x).softmax(1);
    }

    /** The most probable label, int64 [n]. */
    public Tensor predict(Tensor x) {
        requireFitted("predict");
        checkInput("predict", x);
        long[] idx = output(x).argmax(1, false).toLongArray();
        long[] out = new long[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = classes[(int) idx[i]];
        return Tensor.of(out, out.length);
    }

    /** Accuracy: the share of examples whose predicted label equals y. */
    public double score(Tensor x, Tensor y) {
        long[] pred = predict(x).toLongArray();
        long[] labels = labels("score", x, y);
        int right = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == labels[i]) right++;
        return (double) right / pred.length;
    }

    @Override
    Tensor dataLoss(Tensor output, Tensor target) {
        return Losses.crossEntropy(output, target);
    }

    @Override
    double validationScore(Tensor output, Tensor target) {
        long[] pred = output.argmax(1, false).toLongArray();
        long[] t = target.toLongArray();
        int right = 0;
        for (int i = 0; i < t.length; i++) if (pred[i] == t[i]) right++;
        return (double) right / t.length;
    }

    private static long[] labels(String op, Tensor x, Tensor y) {
        if (y == null || y.dtype() != DType.INT64 || y.dim() != 1 || y.size(0) != x.size(0)) {
            throw new IllegalArgumentException("MLPClassifier." + op + ": expected y as int64 labels of shape [" + x.size(0)
                    + "], got " + (y == null ? "null" : y.dtype() + " " + Arrays.toString(y.shape())));
        }
        return y.toLongArray();
    }
}
