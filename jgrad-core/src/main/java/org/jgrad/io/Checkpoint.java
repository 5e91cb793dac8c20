package org.jgrad.io;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.jgrad.Tensor;
import org.jgrad.nn.Module;
import org.jgrad.optim.Optimizer;

/**
 * Saves a model, or a model with its optimizer, to one {@link SafeTensors} file, and restores it.
 *
 * <p>The model's weights are stored under their {@link Module#stateDict()} names exactly
 * ({@code 0.weight}, {@code fc2.bias}), so PyTorch loads the file into a model of the same structure with
 * {@code model.load_state_dict(safetensors.torch.load_file(path))}. The {@code __metadata__} holds
 * {@code format=jgrad}, {@code jgrad.version}, {@code architecture} (the module's {@code toString()} tree
 * unless the caller gives one) and the caller's extra pairs. A training checkpoint adds the optimizer's
 * state tensors under {@code optimizer.} ({@code optimizer.state.0.exp_avg}) and its hyper-parameters as
 * metadata {@code optimizer.<key>}, so one file resumes training exactly where it stopped.
 *
 * <pre>{@code
 * Checkpoint.save(Path.of("run/epoch3.safetensors"), model, opt, Map.of("epoch", "3"));
 * // later, in a fresh process
 * Map<String, String> meta = Checkpoint.load(Path.of("run/epoch3.safetensors"), model, opt);
 * }</pre>
 *
 * <p>Writes are atomic (a failed save leaves the previous file as it was) and files hold data only,
 * never code, so loading a checkpoint from a stranger cannot run anything.
 */
public final class Checkpoint {
    /** The value of the {@code format} metadata key in files written here. */
    public static final String FORMAT = "jgrad";

    /** The jgrad release this class belongs to; written as {@code jgrad.version}. Kept equal to the Maven version by a test. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    /** The prefix of the optimizer's tensors and hyper-parameters in a training checkpoint. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";

    private static final String FORMAT_KEY = "format";
    private static final String VERSION_KEY = "jgrad.version";
    private static final String ARCHITECTURE_KEY = "architecture";
    // Always present in an optimizer's hyper-parameters (its name); marks a file as a training checkpoint.
    private static final String OPTIMIZER_NAME_KEY = OPTIMIZER_PREFIX + "optimizer";

    private Checkpoint() {}

    // ------------------------------------------------------------------ model only

    /**
     * Writes {@code model}'s state dict to {@code file}, replacing it atomically.
     *
     * @param extraMetadata pairs added to the metadata (may be null); an {@code architecture} entry
     *     replaces the module's {@code toString()}; {@code format}, {@code jgrad.version} and keys
     *     starting with {@code optimizer.} are reserved
     * @throws IllegalArgumentException for a reserved key, a null key or value
     */
    public static void saveModel(Path file, Module model, Map<String, String> extraMetadata) throws IOException {
        saveModel(file, model, extraMetadata, ch -> ch);
    }

    static void saveModel(Path file, Module model, Map<String, String> extraMetadata,
                          UnaryOperator<WritableByteChannel> wrap) throws IOException {
        Objects.requireNonNull(model, "Checkpoint.saveModel: model");
        Map<String, String> metadata = metadata("Checkpoint.saveModel", model, extraMetadata);
        SafeTensorsWriter.write(file, model.stateDict(), metadata, wrap);
    }

    /**
     * Loads the weights of {@code file} into {@code model} (strictly: every name of the model's state dict
     * must be present with the same shape, and no other; values are converted to the model's dtypes).
     * The optimizer part of a training checkpoint is ignored, so such a file also loads here. Nothing is
     * changed unless the whole load succeeds.
     *
     * @return the file's metadata, unmodifiable
     * @throws IllegalArgumentException listing every missing, unexpected and mis-shaped entry
     * @throws CorruptFileException if the file is truncated or malformed
     */
    public static Map<String, String> loadModel(Path file, Module model) throws IOException {
        Objects.requireNonNull(model, "Checkpoint.loadModel: model");
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, Tensor> weights = split(contents).model();
        loadInto("Checkpoint.loadModel", file, model, weights);
        return contents.metadata();
    }

    // ------------------------------------------------------------------ model and optimizer

    /**
     * Writes {@code model}'s state dict and {@code optimizer}'s state to {@code file}, replacing it
     * atomically: the optimizer's tensors under {@code optimizer.<name>} and its hyper-parameters as
     * metadata {@code optimizer.<key>}, beside what {@link #saveModel} writes.
     *
     * @throws IllegalArgumentException for a reserved metadata key, or a model state name starting with
     *     {@code optimizer.} (it could not be told apart from the optimizer's)
     */
    public static void save(Path file, Module model, Optimizer<?> optimizer, Map<String, String> extraMetadata)
            throws IOException {
        save(file, model, optimizer, extraMetadata, ch -> ch);
    }

    static void save(Path file, Module model, Optimizer<?> optimizer, Map<String, String> extraMetadata,
                     UnaryOperator<WritableByteChannel> wrap) throws IOException {
        Objects.requireNonNull(model, "Checkpoint.save: model");
        Objects.requireNonNull(optimizer, "Checkpoint.save: optimizer");
        Map<String, String> metadata = metadata("Checkpoint.save", model, extraMetadata);
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
        for (String name : tensors.keySet()) {
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                throw new IllegalArgumentException("Checkpoint.save: the model's state name '" + name + "' starts with '"
                        + OPTIMIZER_PREFIX + "', which is reserved for the optimizer's state; rename the sub-module");
            }
        }
        Optimizer.StateDict state = optimizer.stateDict();
        state.tensors().forEach((k, t) -> tensors.put(OPTIMIZER_PREFIX + k, t));
        state.hyperParameters().forEach((k, v) -> metadata.put(OPTIMIZER_PREFIX + k, v));
        SafeTensorsWriter.write(file, tensors, metadata, wrap);
    }

    /**
     * Restores what {@link #save} wrote into {@code model} (strictly, as {@link #loadModel}) and
     * {@code optimizer} (built over the model's parameters in the same groups). Training then continues
     * bit for bit as if it had not stopped. If either part does not fit, neither is changed.
     *
     * @return the file's metadata, unmodifiable
     * @throws IllegalArgumentException if the file holds no optimizer state, was saved by another
     *     optimizer, or does not fit the model or the optimizer; the message says what differs
     * @throws CorruptFileException if the file is truncated or malformed
     */
    public static Map<String, String> load(Path file, Module model, Optimizer<?> optimizer) throws IOException {
        Objects.requireNonNull(model, "Checkpoint.load: model");
        Objects.requireNonNull(optimizer, "Checkpoint.load: optimizer");
        SafeTensors.Contents contents = SafeTensors.read(file);
        Parts parts = split(contents);
        if (parts.hyper().isEmpty()) {
            throw new IllegalArgumentException("Checkpoint.load: " + file + " holds no optimizer state (no '"
                    + OPTIMIZER_NAME_KEY + "' metadata); load the weights alone with Checkpoint.loadModel");
        }
        // The optimizer's load checks everything before it changes anything, and so does the model's; the
        // model goes first, and is put back from this copy if the optimizer then refuses the state.
        Map<String, Tensor> before = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> before.put(k, t.copy()));
        loadInto("Checkpoint.load", file, model, parts.model());
        try {
            optimizer.loadStateDict(parts.optimizer(), parts.hyper());
        } catch (RuntimeException e) {
            model.loadStateDict(before);
            throw new IllegalArgumentException("Checkpoint.load: " + file + ": the optimizer state does not fit "
                    + optimizer.name() + ": " + e.getMessage(), e);
        }
        return contents.metadata();
    }

    // ------------------------------------------------------------------ helpers

    private record Parts(Map<String, Tensor> model, Map<String, Tensor> optimizer, Map<String, String> hyper) {}

    /** Separates a file's model weights from the optimizer's tensors and hyper-parameters (prefix removed). */
    private static Parts split(SafeTensors.Contents contents) {
        Map<String, String> hyper = new LinkedHashMap<>();
        for (var e : contents.metadata().entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) hyper.put(e.getKey().substring(OPTIMIZER_PREFIX.length()), e.getValue());
        }
        // Only a training checkpoint reserves the prefix: in any other file (one written by PyTorch, say) a
        // tensor named optimizer.x is an ordinary weight.
        boolean training = contents.metadata().containsKey(OPTIMIZER_NAME_KEY);
        Map<String, Tensor> model = new LinkedHashMap<>(), optimizer = new LinkedHashMap<>();
        for (var e : contents.tensors().entrySet()) {
            if (training && e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                optimizer.put(e.getKey().substring(OPTIMIZER_PREFIX.length()), e.getValue());
            } else {
                model.put(e.getKey(), e.getValue());
            }
        }
        return new Parts(model, optimizer, training ? hyper : Map.of());
    }

    private static void loadInto(String op, Path file, Module model, Map<String, Tensor> weights) {
        try {
            model.loadStateDict(weights, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + file + " does not fit the model:\n" + e.getMessage(), e);
        }
    }

    private static Map<String, String> metadata(String op, Module model, Map<String, String> extra) {
        Map<String, String> out = new TreeMap<>();
        out.put(FORMAT_KEY, FORMAT);
        out.put(VERSION_KEY, VERSION);
        out.put(ARCHITECTURE_KEY, model.toString());
        if (extra == null) return out;
        for (var e : extra.entrySet()) {
            String key = e.getKey();
            if (key == null) throw new IllegalArgumentException(op + ": a metadata key is null");
            if (e.getValue() == null) throw new IllegalArgumentException(op + ": metadata '" + key + "' has a null value");
            if (key.equals(FORMAT_KEY) || key.equals(VERSION_KEY) || key.startsWith(OPTIMIZER_PREFIX)) {
                throw new IllegalArgumentException(op + ": metadata key '" + key + "' is reserved (reserved: "
                        + List.of(FORMAT_KEY, VERSION_KEY, OPTIMIZER_PREFIX + "*") + ")");
            }
            out.put(key, e.getValue());
        }
        return out;
    }
}
