package org.jgrad.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fashion-MNIST (Zalando Research, MIT license): 60,000 training and 10,000 test grayscale 28×28
 * images of clothing in 10 classes, as float32 [N, 1, 28, 28] in [0, 1] and int64 labels.
 *
 * <p>{@link #load} looks, in this order, in the directory given, in {@code $JGRAD_DATA/fashion-mnist}
 * (or the {@code jgrad.data} system property), {@code ~/.jgrad/datasets/fashion-mnist} and
 * {@code /usr/share/datasets/fashion-mnist} (Debian's {@code dataset-fashion-mnist}); if none has the
 * files it downloads them from the official mirrors into {@code ~/.jgrad/datasets/fashion-mnist}
 * (or {@code $JGRAD_DATA}), checking their SHA-256; if that fails too, the exception says how to get
 * them. {@link #sample} loads the first 6,000 training and 1,000 test images embedded in the
 * jgrad-datasets jar, which needs neither files nor network.
 */
public final class FashionMnist {
    private FashionMnist() {}

    public static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final MnistFamily FAMILY = new MnistFamily("fashion-mnist", "Fashion-MNIST", CLASSES,
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                    URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
            Map.of("train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                    "train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                    "t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                    "t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
            "dataset-fashion-mnist", "org/jgrad/datasets/fashion-mnist-sample");

    /** Finds the files in the usual places, else downloads them; see the class comment. */
    public static ImageData load() throws IOException {
        return FAMILY.load(null, true);
    }

    /** Looks in {@code dir} first (may be null), then in the usual places, then downloads. */
    public static ImageData load(Path dir) throws IOException {
        return FAMILY.load(dir, true);
    }

    /** As {@link #load(Path)}, downloading only if {@code download} is true. */
    public static ImageData load(Path dir, boolean download) throws IOException {
        return FAMILY.load(dir, download);
    }

    /**
     * The full data set if {@link #load(Path, boolean)} finds it (or downloads it), else the embedded
     * sample; {@link ImageData#isSample()} says which. A directory given explicitly must hold the data.
     */
    public static ImageData loadOrSample(Path dir, boolean download) throws IOException {
        return FAMILY.loadOrSample(dir, download);
    }

    /** The embedded sample: the first 6,000 training and 1,000 test images (needs the jgrad-datasets jar). */
    public static ImageData sample() throws IOException {
        return FAMILY.sample();
    }

    /** The directory {@link #load(Path)} would read, if any holds the files. */
    public static Optional<Path> find(Path dir) {
        return FAMILY.find(dir);
    }
}
