package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jgrad.Parallelism;

/** {@code jgrad eval}: rebuilds a saved model from its metadata and reports its accuracy and confusion matrix. */
final class EvalCommand {
    static final String USAGE_TEXT = """
            usage: jgrad eval --model FILE [options]
              --model FILE         a model saved by jgrad train --save
              --dataset NAME       the data to evaluate on (default: the one it was trained on); the
                                   test split of an image set or a toy set, all rows of a csv:PATH
              --data DIR           where the image files are
              --download           download fashion-mnist/mnist when not found
              --label COLUMN       csv: the label column (default: the one used in training, else the last);
                                   one-hot and dropped columns are those given in training
              --samples N, --noise X, --seed N
                                   toy sets: as in training (default: the values saved with the model)
              --batch N            evaluation batch size (default 1000)
              --threads N          threads for matrix products
              --debug              print stack traces on errors
            """;
    private static final Set<String> VALUED = Set.of("model", "dataset", "data", "label", "samples", "noise", "seed", "batch", "threads");
    private static final Set<String> FLAGS = Set.of("download", "debug");

    private final PrintStream out;

    EvalCommand(PrintStream out) {
        this.out = out;
    }

    private static void checkShape(ModelSpec spec, int[] dataShape, String dataset) {
        if (!Arrays.equals(spec.inputShape(), dataShape)) {
            throw new IllegalArgumentException("the model takes inputs of shape " + ModelFile.shape(spec.inputShape()) + " but "
                    + dataset + " has " + ModelFile.shape(dataShape));
        }
    }

    void run(List<String> argList) throws UsageException, IOException {
        Args a = Args.parse(argList, VALUED, FLAGS);
        if (!a.positional().isEmpty()) throw new UsageException("unexpected argument '" + a.positional().getFirst() + "'");
        if (!a.has("model")) throw new UsageException("missing --model FILE");
        int batch = a.integer("batch", 1000, 1, Integer.MAX_VALUE);
        if (a.has("threads")) Parallelism.setNumThreads(a.integer("threads", 1, 1, 4096));
        Path file = Path.of(a.string("model", null));
        ModelFile.Loaded m = ModelFile.load(file);
        Map<String, String> meta = m.metadata();
        String dataset = a.string("dataset", meta.get("jgrad.dataset"));
        if (dataset == null) throw new UsageException(file + " does not say which data it was trained on: give --dataset");
        if (!dataset.startsWith("csv:") && !DataSets.NAMES.contains(dataset) || dataset.equals("csv:PATH")) {
            throw new UsageException("unknown dataset '" + dataset + "'; expected one of " + String.join(", ", DataSets.NAMES));
        }
        long seed;
        int samples;
        double noise;
        try {
            seed = a.has("seed") ? a.longValue("seed", 0) : Long.parseLong(meta.getOrDefault("jgrad.seed", "0"));
            samples = a.has("samples") ? a.integer("samples", 500, 2, 10_000_000) : Integer.parseInt(meta.getOrDefault("jgrad.samples", "500"));
            noise = a.has("noise") ? a.number("noise", 0, 0, 100) : Double.parseDouble(meta.getOrDefault("jgrad.noise", "NaN"));
        } catch (NumberFormatException e) {
            throw new ModelFileException(file + ": malformed jgrad.seed, jgrad.samples or jgrad.noise in its metadata");
        }
        int[] known = DataSets.knownInputShape(dataset);
        if (known != null) checkShape(m.spec(), known, dataset);     // before reading 60,000 images for nothing
        Path dir = a.has("data") ? Path.of(a.string("data", null)) : null;
        String label = a.string("label", meta.get("jgrad.label"));
        // A CSV model's one-hot and dropped columns and its feature names (absent from files saved before
        // they were recorded) let the table be read as in training and its columns matched by name.
        List<String> features = m.metadata().containsKey("jgrad.features") ? m.list("jgrad.features") : null;
        if (features != null && m.mean() != null && features.size() != m.mean().length) {
            throw new ModelFileException(file + ": jgrad.features names " + features.size() + " features, jgrad.feature_mean has "
                    + m.mean().length);
        }
        DataSets.Data data = DataSets.loadForEval(dataset, new DataSets.Options(dir, a.flag("download"), seed, samples, noise, label,
                m.list("jgrad.one_hot"), m.list("jgrad.drop")), m.mean(), m.std(), features,
                m.metadata().containsKey("jgrad.classes") ? m.classes() : null);

        out.println(String.format(Locale.ROOT, "model: %s: %s, %,d parameters%s", file, m.spec().describe(), m.model().parameterCount(),
                meta.containsKey("jgrad.dataset") ? " (trained on " + meta.get("jgrad.dataset") + ")" : ""));
        out.println("data: " + data.description());
        checkShape(m.spec(), data.inputShape(), dataset);
        if (data.numClasses() > m.spec().numClasses()) {
            throw new IllegalArgumentException("the model predicts " + m.spec().numClasses() + " classes but " + dataset + " has "
                    + data.numClasses());
        }
        List<String> classes = m.classes().size() == m.spec().numClasses() ? m.classes() : data.classes();
        Evaluation e = Evaluation.of(m.model(), data.test(), classes, batch);
        out.print(e.confusion().format());
        out.println(String.format(Locale.ROOT, "test loss: %.4f", e.loss()));
        out.println(String.format(Locale.ROOT, "test accuracy: %.4f", e.accuracy()));
    }
}
