package org.jgrad.nn;

import org.jgrad.Generator;
import org.jgrad.nn.init.Init;

/**
 * Standard small networks, ready to train (a command line or a test calls these by name). Each
 * takes the generator that initializes its weights, so a seeded run repeats exactly; the
 * parameter names are PyTorch's for the same {@code nn.Sequential}, so state dicts interchange.
 */
public final class Models {
    private Models() {}

    /**
     * The standard small CNN for 28×28 grey images with 10 classes (Fashion-MNIST, MNIST):
     * conv(1→32, 3×3, pad 1)–ReLU–maxpool 2 – conv(32→64, 3×3, pad 1)–ReLU–maxpool 2 – flatten –
     * Linear(3136→128)–ReLU–Linear(128→10). Input [N, 1, 28, 28], output logits [N, 10];
     * 421,642 parameters.
     */
    public static Sequential fashionCnn(Generator gen) {
        return fashionCnn(gen, 0);
    }

    /**
     * {@link #fashionCnn(Generator)} with a {@link Dropout} of probability {@code dropout} before the last
     * Linear (none when 0); the dropout masks come from a generator split off {@code gen}.
     */
    public static Sequential fashionCnn(Generator gen, double dropout) {
        Sequential net = new Sequential(
                new Conv2d(1, 32, 3, 1, 1, gen), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1, gen), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(64 * 7 * 7, 128, gen), new ReLU());
        if (dropout > 0) net.add(new Dropout(dropout, new Generator(gen.nextLong())));
        return net.add(new Linear(128, 10, gen));
    }

    /** {@link #fashionCnn(Generator)} with the default generator ({@link Init#newDefaultGenerator()}). */
    public static Sequential fashionCnn() {
        return fashionCnn(Init.newDefaultGenerator());
    }

    /**
     * The multilayer perceptron baseline for the same data: flatten – Linear(784→256)–ReLU –
     * Linear(256→128)–ReLU – Linear(128→10). Input [N, 1, 28, 28] or [N, 784]; 235,146 parameters.
     */
    public static Sequential fashionMlp(Generator gen) {
        return new Sequential(
                new Flatten(),
                new Linear(784, 256, gen), new ReLU(),
                new Linear(256, 128, gen), new ReLU(),
                new Linear(128, 10, gen));
    }

    public static Sequential fashionMlp() {
        return fashionMlp(Init.newDefaultGenerator());
    }
}
