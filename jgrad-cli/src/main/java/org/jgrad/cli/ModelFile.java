package org.jgrad.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.io.SafeTensors;
import org.jgrad.nn.Module;
import org.jgrad.nn.Sequential;

/**
 * A trained model on disk: its state dict as safetensors, and in {@code __metadata__} what is needed to
 * rebuild and feed it ({@link ModelSpec}, the class names, the feature standardization, the data set
 * and the jgrad version). Tensor names are PyTorch's for the same {@code nn.Sequential}.
 */
final class ModelFile {
    private ModelFile() {}

    /** A model read back: the rebuilt network with its weights, and the metadata it came with. */
    record Loaded(Sequential model, ModelSpec spec, Map<String, String> metadata, float[] mean, float[] std) {
        List<String> classes() {
            String c = metadata.get("jgrad.classes");
            if (c == null) return java.util.stream.IntStream.range(0, spec.numClasses()).mapToObj(Integer::toString).toList();
            return List.of(c.split("\n", -1));
        }

        /** The saved value of a "\n"-separated list, empty when absent. */
        List<String> list(String key) {
            String v = metadata.get(key);
            return v == null || v.isEmpty() ? List.of() : List.of(v.split("\n", -1));
        }
    }

    static void save(Path file, Module model, ModelSpec spec, DataSets.Data data, Map<String, String> extra) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(spec.toMetadata());
        meta.put("jgrad.classes", String.join("\n", data.classes()));
        if (data.mean() != null) {
            meta.put("jgrad.feature_mean", join(data.mean()));
            meta.put("jgrad.feature_std", join(data.std()));
        }
        if (data.featureNames() != null) meta.put("jgrad.features", String.join("\n", data.featureNames()));
        meta.putAll(extra);
        meta.put("jgrad.version", version());
        meta.put("format", "pt");      // what Hugging Face tools expect of a PyTorch state dict
        SafeTensors.write(file, model.stateDict(), meta);
    }

    static Loaded load(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        ModelSpec spec = ModelSpec.fromMetadata(c.metadata(), file.toString());
        Sequential model;
        try {
            model = spec.build(new Generator(0));
        } catch (UsageException e) {
            throw new ModelFileException(file + ": " + e.getMessage());
        }
        try {
            model.loadStateDict(c.tensors(), true);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file + ": its tensors do not fit the architecture in its metadata (" + spec.describe() + "): "
                    + e.getMessage());
        }
        String classes = c.metadata().get("jgrad.classes");
        if (classes != null && classes.split("\n", -1).length != spec.numClasses()) {
            throw new ModelFileException(file + ": jgrad.classes names " + classes.split("\n", -1).length + " classes, the model has "
                    + spec.numClasses());
        }
        float[] mean, std;
        try {
            mean = floats(c.metadata().get("jgrad.feature_mean"));
            std = floats(c.metadata().get("jgrad.feature_std"));
        } catch (NumberFormatException e) {
            throw new ModelFileException(file + ": malformed jgrad.feature_mean or jgrad.feature_std in its metadata");
        }
        if ((mean == null) != (std == null) || mean != null && mean.length != std.length) {
            throw new ModelFileException(file + ": jgrad.feature_mean and jgrad.feature_std must come together, with one value each per feature");
        }
        model.eval();
        return new Loaded(model, spec, c.metadata(), mean, std);
    }

    /** The version of this jgrad, from the build. */
    static String version() {
        try (var in = ModelFile.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static long parameterCount(Map<String, Tensor> tensors) {
        return tensors.values().stream().mapToLong(Tensor::numel).sum();
    }

    private static String join(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(v[i]);     // Float.toString round-trips
        return sb.toString();
    }

    private static float[] floats(String s) {
        if (s == null || s.isBlank()) return null;
        String[] parts = s.split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(parts[i].strip());
        return v;
    }

    static String shape(int[] s) {
        return Arrays.stream(s).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
