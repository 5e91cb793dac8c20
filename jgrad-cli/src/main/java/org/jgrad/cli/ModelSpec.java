package org.jgrad.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jgrad.Generator;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.ELU;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.GELU;
import org.jgrad.nn.LeakyReLU;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.SELU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.SiLU;
import org.jgrad.nn.Sigmoid;
import org.jgrad.nn.Softplus;
import org.jgrad.nn.Tanh;

/**
 * Everything needed to rebuild a network: its type, input shape, hidden sizes, activation, dropout
 * and number of classes. It travels in a saved model's {@code __metadata__} under {@code jgrad.*}
 * keys, so {@code jgrad eval} can rebuild the same {@link Sequential} and load its weights by name.
 */
record ModelSpec(String type, int[] inputShape, int[] hidden, String activation, double dropout, int numClasses) {
    static final List<String> TYPES = List.of("mlp", "logreg", "cnn");
    static final List<String> ACTIVATIONS =
            List.of("relu", "tanh", "sigmoid", "gelu", "silu", "leaky-relu", "elu", "selu", "softplus");

    ModelSpec {
        inputShape = inputShape.clone();
        hidden = type.equals("mlp") ? hidden.clone() : new int[0];
    }

    int inputSize() {
        return Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
    }

    /** The network, its weights drawn from {@code gen}. */
    Sequential build(Generator gen) throws UsageException {
        return switch (type) {
            case "logreg" -> new Sequential(new Flatten(), new Linear(inputSize(), numClasses, gen));
            case "mlp" -> {
                Sequential s = new Sequential(new Flatten());
                int in = inputSize();
                for (int h : hidden) {
                    s.add(new Linear(in, h, gen));
                    s.add(activation(activation));
                    if (dropout > 0) s.add(new Dropout(dropout, gen));
                    in = h;
                }
                yield s.add(new Linear(in, numClasses, gen));
            }
            case "cnn" -> cnn(gen);
            default -> throw new UsageException("unknown model '" + type + "'; expected one of " + String.join(", ", TYPES));
        };
    }

    /** The convolutional network for 28×28 grey images with 10 classes: {@link org.jgrad.nn.Models#fashionCnn}. */
    private Sequential cnn(Generator gen) throws UsageException {
        if (!Arrays.equals(inputShape, new int[] {1, 28, 28}) || numClasses != 10) {
            throw new UsageException("--model cnn takes 28x28 grey images in 10 classes (fashion-mnist, mnist), not inputs of shape "
                    + Arrays.toString(inputShape) + " in " + numClasses + " classes");
        }
        return org.jgrad.nn.Models.fashionCnn(gen, dropout);
    }

    private static Module activation(String name) throws UsageException {
        return switch (name) {
            case "relu" -> new ReLU();
            case "tanh" -> new Tanh();
            case "sigmoid" -> new Sigmoid();
            case "gelu" -> new GELU();
            case "silu" -> new SiLU();
            case "leaky-relu" -> new LeakyReLU();
            case "elu" -> new ELU();
            case "selu" -> new SELU();
            case "softplus" -> new Softplus();
            default -> throw new UsageException("--activation: expected one of " + String.join(", ", ACTIVATIONS) + ", got '" + name + "'");
        };
    }

    /** "mlp 784-256-128-10 relu" and the like, for the console. */
    String describe() {
        return switch (type) {
            case "mlp" -> {
                StringBuilder sb = new StringBuilder("mlp ").append(inputSize());
                for (int h : hidden) sb.append('-').append(h);
                sb.append('-').append(numClasses).append(' ').append(activation);
                if (dropout > 0) sb.append(" dropout ").append(dropout);
                yield sb.toString();
            }
            case "logreg" -> "logreg " + inputSize() + "-" + numClasses;
            case "cnn" -> "cnn " + join(inputShape, "x") + " -> " + numClasses + (dropout > 0 ? " dropout " + dropout : "");
            default -> type + " " + join(inputShape, "x") + " -> " + numClasses;
        };
    }

    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("jgrad.model", type);
        m.put("jgrad.input_shape", join(inputShape, ","));
        m.put("jgrad.hidden", join(hidden, ","));
        m.put("jgrad.activation", activation);
        m.put("jgrad.dropout", Double.toString(dropout));
        m.put("jgrad.num_classes", Integer.toString(numClasses));
        return m;
    }

    /** The spec saved by {@link #toMetadata()}; a missing or malformed key names the key. */
    static ModelSpec fromMetadata(Map<String, String> m, String source) throws ModelFileException {
        String type = required(m, "jgrad.model", source);
        if (!TYPES.contains(type)) throw new ModelFileException(source + ": unknown model type '" + type + "' in jgrad.model");
        String activation = m.getOrDefault("jgrad.activation", "relu");
        if (!ACTIVATIONS.contains(activation)) {
            throw new ModelFileException(source + ": unknown activation '" + activation + "' in jgrad.activation");
        }
        try {
            int[] input = parseInts(required(m, "jgrad.input_shape", source));
            int[] hidden = parseInts(m.getOrDefault("jgrad.hidden", ""));
            double dropout = Double.parseDouble(m.getOrDefault("jgrad.dropout", "0"));
            int classes = Integer.parseInt(required(m, "jgrad.num_classes", source));
            if (input.length == 0 || classes <= 0 || Arrays.stream(input).anyMatch(v -> v <= 0)
                    || Arrays.stream(hidden).anyMatch(v -> v <= 0) || !(dropout >= 0 && dropout < 1)) {
                throw new NumberFormatException("sizes must be positive and dropout in [0, 1)");
            }
            return new ModelSpec(type, input, hidden, activation, dropout, classes);
        } catch (NumberFormatException e) {
            throw new ModelFileException(source + ": malformed model description in its metadata: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> m, String key, String source) throws ModelFileException {
        String v = m.get(key);
        if (v == null) {
            throw new ModelFileException(source + ": no '" + key + "' in the file's metadata; was it saved by jgrad train --save?");
        }
        return v;
    }

    static int[] parseInts(String s) {
        if (s.isBlank()) return new int[0];
        return Arrays.stream(s.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    }

    static String join(int[] v, String sep) {
        return Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(sep));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec s && type.equals(s.type) && Arrays.equals(inputShape, s.inputShape)
                && Arrays.equals(hidden, s.hidden) && activation.equals(s.activation)
                && Double.compare(dropout, s.dropout) == 0 && numClasses == s.numClasses;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(inputShape) * 7 + Arrays.hashCode(hidden) + numClasses;
    }

    @Override
    public String toString() {
        return describe();
    }
}
