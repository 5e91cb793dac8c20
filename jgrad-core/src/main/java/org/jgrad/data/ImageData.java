package org.jgrad.data;

import java.util.List;
import java.util.Objects;

/**
 * An image classification data set as loaded: training and test splits (features float32
 * [N, 1, H, W] in [0, 1], labels int64 [N]), the class names, and where it came from — a directory,
 * or the embedded sample ({@code isSample()}), which a program should tell its user about.
 */
public record ImageData(String name, TensorDataset train, TensorDataset test, List<String> classes, String source, boolean isSample) {
    public ImageData {
        Objects.requireNonNull(train, "ImageData: train");
        Objects.requireNonNull(test, "ImageData: test");
        classes = List.copyOf(classes);
    }

    /** One line for a log or a console, e.g. "Fashion-MNIST: 60000 training / 10000 test images from /usr/share/...". */
    public String describe() {
        return name + ": " + train.size() + " training / " + test.size() + " test images from " + source
                + (isSample ? " (a small sample of the full data set)" : "");
    }
}
