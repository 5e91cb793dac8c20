package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jgrad.Tensor;
import org.jgrad.io.SafeTensors;

/**
 * {@code jgrad info FILE}: the architecture, the parameter count and every tensor of a safetensors file.
 * Works on any safetensors file; the architecture needs the metadata {@code jgrad train --save} writes.
 */
final class InfoCommand {
    static final String USAGE_TEXT = """
            usage: jgrad info FILE
              prints the architecture, parameter count, training summary and tensors (name, dtype, shape)
              of a model saved by jgrad train --save, or the tensors of any safetensors file
            """;

    private final PrintStream out;

    InfoCommand(PrintStream out) {
        this.out = out;
    }

    void run(List<String> argList) throws UsageException, IOException {
        Args a = Args.parse(argList, Set.of(), Set.of("debug"));
        if (a.positional().size() != 1) {
            throw new UsageException(a.positional().isEmpty() ? "missing the model FILE" : "expected one FILE, got " + a.positional());
        }
        Path file = Path.of(a.positional().getFirst());
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        out.println("file: " + file);
        if (meta.containsKey("jgrad.model")) {
            ModelSpec spec = ModelSpec.fromMetadata(meta, file.toString());
            out.println("model: " + spec.describe());
            out.println("input shape: " + ModelFile.shape(spec.inputShape()));
        } else {
            out.println("model: unknown (no jgrad.model in the metadata: not saved by jgrad train)");
        }
        out.println(String.format(Locale.ROOT, "parameters: %,d", ModelFile.parameterCount(c.tensors())));
        if (meta.containsKey("jgrad.dataset")) {
            out.println("trained on: " + meta.get("jgrad.dataset")
                    + (meta.containsKey("jgrad.epochs") ? ", " + meta.get("jgrad.epochs") + " epochs" : "")
                    + (meta.containsKey("jgrad.test_accuracy") ? ", test accuracy " + meta.get("jgrad.test_accuracy") : "")
                    + (meta.containsKey("jgrad.version") ? " (jgrad " + meta.get("jgrad.version") + ")" : ""));
        }
        if (meta.containsKey("jgrad.classes")) out.println("classes: " + String.join(", ", meta.get("jgrad.classes").split("\n", -1)));
        int width = Math.max(4, c.tensors().keySet().stream().mapToInt(String::length).max().orElse(0));
        out.println("tensors:");
        out.println(String.format(Locale.ROOT, "  %-" + width + "s  %-7s  %s", "name", "dtype", "shape"));
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            Tensor t = e.getValue();
            out.println(String.format(Locale.ROOT, "  %-" + width + "s  %-7s  %s", e.getKey(), t.dtype().name().toLowerCase(Locale.ROOT),
                    ModelFile.shape(t.shape())));
        }
        List<String> other = meta.keySet().stream().filter(k -> !k.startsWith("jgrad.")).toList();
        if (!other.isEmpty()) {
            out.println("other metadata:");
            for (String k : other) out.println("  " + k + ": " + meta.get(k));
        }
    }
}
