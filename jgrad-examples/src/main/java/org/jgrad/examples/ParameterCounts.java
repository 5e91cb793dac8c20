package org.jgrad.examples;

import java.util.Locale;
import org.jgrad.Generator;
import org.jgrad.nn.Models;
import org.jgrad.nn.Module;
import org.jgrad.nn.Sequential;

/**
 * Prints the trainable parameters of the Fashion-MNIST MLP and CNN ({@link Models}), layer by layer,
 * as {@link Module#parameterCount()} counts them (the figures of docs/cnn.md).
 */
public final class ParameterCounts {
    private ParameterCounts() {}

    public static void main(String[] args) {
        print("MLP", Models.fashionMlp(new Generator(0)));
        print("CNN", Models.fashionCnn(new Generator(0)));
    }

    static void print(String title, Sequential model) {
        System.out.printf(Locale.ROOT, "%s: %,d parameters%n", title, model.parameterCount());
        for (int i = 0; i < model.size(); i++) {
            Module m = model.get(i);
            if (m.parameterCount() > 0) System.out.printf(Locale.ROOT, "  (%d) %-70s %,9d%n", i, m, m.parameterCount());
        }
    }
}
