package org.jgrad.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MNIST handwritten digits: 60,000 training and 10,000 test grayscale 28×28 images in 10 classes,
 * as float32 [N, 1, 28, 28] in [0, 1] and int64 labels. Found and downloaded as {@link FashionMnist}
 * is, in directories named {@code mnist}: the directory given, {@code $JGRAD_DATA/mnist},
 * {@code ~/.jgrad/datasets/mnist}, {@code /usr/share/datasets/mnist}.
 */
public final class Mnist {
    private Mnist() {}

    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    static final MnistFamily FAMILY = new MnistFamily("mnist", "MNIST", CLASSES,
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
            Map.of("train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                    "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                    "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                    "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
            null, null);

    public static ImageData load() throws IOException {
        return FAMILY.load(null, true);
    }

    public static ImageData load(Path dir) throws IOException {
        return FAMILY.load(dir, true);
    }

    public static ImageData load(Path dir, boolean download) throws IOException {
        return FAMILY.load(dir, download);
    }

    public static Optional<Path> find(Path dir) {
        return FAMILY.find(dir);
    }
}
