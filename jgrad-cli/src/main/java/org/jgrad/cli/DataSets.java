package org.jgrad.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.Tensor;
import org.jgrad.data.CsvReader;
import org.jgrad.data.Dataset;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.ImageData;
import org.jgrad.data.InvalidDataException;
import org.jgrad.data.Mnist;
import org.jgrad.data.Subset;
import org.jgrad.data.TensorDataset;
import org.jgrad.data.ToyDatasets;

/** Turns a {@code --dataset} name into training and test sets, ready for a model. */
final class DataSets {
    static final List<String> NAMES = List.of("fashion-mnist", "mnist", "csv:PATH", "circle", "xor", "gauss", "spiral", "moons");
    static final List<String> TOY = List.of("circle", "xor", "gauss", "spiral", "moons");

    private DataSets() {}

    /**
     * How to find or make the data; {@code labelColumn} null means the CSV's last column, {@code oneHot}
     * and {@code drop} are the CSV columns to encode one-hot and to leave out.
     */
    record Options(Path dir, boolean download, long seed, int samples, double noise, String labelColumn,
                   List<String> oneHot, List<String> drop) {
        Options {
            oneHot = List.copyOf(oneHot);
            drop = List.copyOf(drop);
        }
    }

    /**
     * A loaded data set. {@code mean}/{@code std} (null when unused) standardized the features, computed
     * on the training part and applied to both: one value per column of a CSV table, one value for all
     * the pixels of images. {@code twoD} marks the toy sets whose decision regions can be drawn.
     * {@code featureNames} names a CSV table's features ("petal_length", "species=setosa"), null otherwise.
     */
    record Data(String name, TensorDataset train, TensorDataset test, List<String> classes, int[] inputShape,
                String description, boolean twoD, float[] mean, float[] std, List<String> featureNames) {
        int numClasses() {
            return classes.size();
        }
    }

    /** The shape of one example, known without loading for every set but a CSV table (null). */
    static int[] knownInputShape(String spec) {
        if (TOY.contains(spec)) return new int[] {2};
        if (spec.equals("fashion-mnist") || spec.equals("mnist")) return new int[] {1, 28, 28};
        return null;
    }

    static Data load(String spec, Options o) throws UsageException, IOException {
        if (spec.startsWith("csv:")) return csv(spec, Path.of(spec.substring(4)), o, null, null, null, null);
        return switch (spec) {
            case "fashion-mnist" -> images(spec, FashionMnist.loadOrSample(o.dir(), o.download()));
            case "mnist" -> images(spec, Mnist.load(o.dir(), o.download()));
            case "circle", "xor", "gauss", "spiral", "moons" -> toy(spec, o);
            default -> throw new UsageException("unknown dataset '" + spec + "'; expected one of " + String.join(", ", NAMES));
        };
    }

    /**
     * As {@link #load}, but a CSV table is standardized with the statistics saved with a model and, when
     * {@code features} (the names saved with it) is not null, its columns are put in that order.
     */
    static Data loadForEval(String spec, Options o, float[] mean, float[] std, List<String> features, List<String> classes)
            throws UsageException, IOException {
        if (spec.startsWith("csv:")) return csv(spec, Path.of(spec.substring(4)), o, mean, std, features, classes);
        return switch (spec) {
            case "fashion-mnist" -> images(spec, FashionMnist.loadOrSample(o.dir(), o.download()), mean, std);
            case "mnist" -> images(spec, Mnist.load(o.dir(), o.download()), mean, std);
            default -> load(spec, o);
        };
    }

    private static Data images(String spec, ImageData d) {
        return images(spec, d, null, null);
    }

    /**
     * Pixels standardized to mean 0 and standard deviation 1 over the training images (torchvision's
     * Normalize): the first layer's inputs are then centred, which speeds up SGD on an MLP.
     */
    private static Data images(String spec, ImageData d, float[] mean, float[] std) {
        int[] shape = d.train().features().shape();
        int[] input = java.util.Arrays.copyOfRange(shape, 1, shape.length);
        if (mean == null) {
            float[][] s = stats(d.train().features(), 1);
            mean = s[0];
            std = s[1];
        }
        if (mean.length != 1) throw new IllegalArgumentException("images are standardized with one mean, got " + mean.length);
        return new Data(spec, standardize(d.train(), mean, std), standardize(d.test(), mean, std), d.classes(), input,
                d.describe(), false, mean, std, null);
    }

    private static Data toy(String spec, Options o) {
        double noise = Double.isNaN(o.noise()) ? defaultNoise(spec) : o.noise();
        // The test points come from another seed: fresh samples of the same distribution.
        TensorDataset train = generate(spec, o.samples(), noise, o.seed());
        TensorDataset test = generate(spec, o.samples(), noise, o.seed() + 1);
        String desc = spec + ": " + o.samples() + " training / " + o.samples() + " test points (2-D, noise " + noise + ", seed " + o.seed() + ")";
        return new Data(spec, train, test, List.of("0", "1"), new int[] {2}, desc, true, null, null, null);
    }

    /** Playground's default is no noise; moons without noise are two lines, so they get scikit-learn's usual 0.1. */
    static double defaultNoise(String spec) {
        return spec.equals("moons") ? 0.1 : 0;
    }

    private static TensorDataset generate(String spec, int n, double noise, long seed) {
        return switch (spec) {
            case "circle" -> ToyDatasets.circle(n, noise, seed);
            case "xor" -> ToyDatasets.xor(n, noise, seed);
            case "gauss" -> ToyDatasets.gaussian(n, noise, seed);
            case "spiral" -> ToyDatasets.spiral(n, noise, seed);
            case "moons" -> ToyDatasets.moons(n, noise, seed);
            default -> throw new IllegalStateException(spec);
        };
    }

    /**
     * A CSV table: label column as given (else the last one), features standardized, split 80/20 by a
     * seeded shuffle for training; for evaluation ({@code mean != null}) the whole table is the test set,
     * its features matched by name to the {@code features} the model was trained on (when known) and
     * its labels numbered as the model's {@code classes}.
     */
    private static Data csv(String spec, Path file, Options o, float[] mean, float[] std, List<String> features, List<String> classes)
            throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such file");
        String label = o.labelColumn() != null ? o.labelColumn() : lastColumn(file);
        CsvReader.Table t = read(file, label, o);
        TensorDataset all = t.dataset();
        if (t.classes().size() < 2) {
            throw new InvalidDataException(file.toString(), "label column '" + label + "' has fewer than 2 classes " + t.classes());
        }
        int n = all.size();
        int f = t.featureNames().size();
        if (mean == null) {
            int nTrain = Math.max(1, Math.min(n - 1, Math.round(n * 0.8f)));
            if (n < 2) throw new InvalidDataException(file.toString(), "need at least 2 rows to split into training and test sets, got " + n);
            List<Dataset> parts = Dataset.randomSplit(all, o.seed(), nTrain, n - nTrain);
            TensorDataset train = materialize(all, (Subset) parts.get(0));
            TensorDataset test = materialize(all, (Subset) parts.get(1));
            float[][] stats = stats(train.features(), f);
            mean = stats[0];
            std = stats[1];
            train = standardizeColumns(train, mean, std, t.featureNames(), file, true);
            test = standardizeColumns(test, mean, std, t.featureNames(), file, true);
            String desc = file + ": " + n + " rows, " + f + " features, label '" + label + "' with " + t.classes().size()
                    + " classes; " + train.size() + " training / " + test.size() + " test rows";
            return new Data(spec, train, test, t.classes(), new int[] {f}, desc, false, mean, std, t.featureNames());
        }
        if (classes != null) all = new TensorDataset(all.features(), relabel(all.labels(), t.classes(), classes, label, file));
        if (features != null) {
            all = new TensorDataset(alignFeatures(all.features(), t.featureNames(), features, o.oneHot(), file), all.labels());
            f = features.size();
        }
        if (mean.length != f) {
            throw new InvalidDataException(file.toString(), "has " + f + " features but the model was trained on " + mean.length);
        }
        List<String> names = features != null ? features : t.featureNames();
        TensorDataset test = standardizeColumns(all, mean, std, names, file, false);
        String desc = file + ": " + n + " rows (all used for evaluation), " + f + " features, label '" + label + "'";
        return new Data(spec, test, test, classes != null ? classes : t.classes(), new int[] {f}, desc, false, mean, std, names);
    }

    /** Reads the table, saying what to do about an unusable cell in terms of this command line's flags. */
    private static CsvReader.Table read(Path file, String label, Options o) throws IOException {
        try {
            return CsvReader.label(label).oneHot(o.oneHot().toArray(String[]::new)).drop(o.drop().toArray(String[]::new)).read(file);
        } catch (CsvReader.BadValueException e) {
            String c = e.column();
            String remedy = switch (e.kind()) {
                case TEXT -> "one-hot encode it with --one-hot " + c + ", or leave it out with --drop " + c;
                case NOT_FINITE -> "fix the cell, or leave the column out with --drop " + c;
                case OUT_OF_RANGE -> "rescale the column, or leave it out with --drop " + c;
            };
            throw new InvalidDataException(e.source(), e.line(), CsvReader.BadValueException.problem(c, e.value(), e.kind()) + ": " + remedy);
        }
    }

    /**
     * The columns of {@code x} (named {@code have}) rearranged into the model's {@code want}: a category
     * of a one-hot column that this file lacks is a column of zeros; a value the model never saw, or a
     * column it was not trained on, cannot be fed to it and is an error.
     */
    static Tensor alignFeatures(Tensor x, List<String> have, List<String> want, List<String> oneHot, Path file) throws InvalidDataException {
        for (String h : have) {
            if (want.contains(h)) continue;
            String column = oneHot.stream().filter(c -> h.startsWith(c + "=")).findFirst().orElse(null);
            if (column != null) {
                throw new InvalidDataException(file.toString(), "column '" + column + "' holds '" + h.substring(column.length() + 1)
                        + "', a value the model was not trained on (it knows " + categories(want, column) + ")");
            }
            throw new InvalidDataException(file.toString(), "column '" + h + "' was not among the model's features " + want
                    + "; leave it out with --drop " + h);
        }
        for (String w : want) {
            if (have.contains(w) || oneHot.stream().anyMatch(c -> w.startsWith(c + "="))) continue;
            throw new InvalidDataException(file.toString(), "has no column '" + w + "', which the model was trained on");
        }
        float[] v = x.contiguous().toFloatArray();
        int n = x.size(0), fh = have.size(), fw = want.size();
        float[] out = new float[n * fw];
        for (int j = 0; j < fw; j++) {
            int from = have.indexOf(want.get(j));
            if (from < 0) continue;
            for (int i = 0; i < n; i++) out[i * fw + j] = v[i * fh + from];
        }
        return Tensor.of(out, n, fw);
    }

    /**
     * Labels numbered as in this file's sorted {@code have} renumbered as the model's {@code want}: a file
     * holding only some of the classes numbers them differently from the training file.
     */
    private static Tensor relabel(Tensor labels, List<String> have, List<String> want, String label, Path file) throws InvalidDataException {
        long[] map = new long[have.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = want.indexOf(have.get(i));
            if (map[i] < 0) {
                throw new InvalidDataException(file.toString(), "label column '" + label + "' holds '" + have.get(i)
                        + "', not one of the model's classes " + want);
            }
        }
        long[] y = labels.toLongArray();
        for (int i = 0; i < y.length; i++) y[i] = map[(int) y[i]];
        return Tensor.of(y, y.length);
    }

    private static List<String> categories(List<String> features, String column) {
        return features.stream().filter(w -> w.startsWith(column + "=")).map(w -> w.substring(column.length() + 1)).toList();
    }

    private static TensorDataset materialize(TensorDataset all, Subset part) {
        int[] idx = part.indices();
        var batch = all.getBatch(idx);
        return new TensorDataset(batch.features(), batch.labels());
    }

    /**
     * Per column mean and population standard deviation. A constant column gets std 1, so it standardizes
     * to 0 rather than 0/0 = NaN (scikit-learn's StandardScaler does the same); it is recognised by its
     * values being equal, not by a small std, which rounding makes nonzero for a column of large values.
     */
    private static float[][] stats(Tensor x, int f) {
        float[] v = x.contiguous().toFloatArray();
        int n = v.length / f;
        float[] mean = new float[f];
        float[] std = new float[f];
        for (int j = 0; j < f; j++) {
            double s = 0, s2 = 0;
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                s += v[i * f + j];
                min = Math.min(min, v[i * f + j]);
                max = Math.max(max, v[i * f + j]);
            }
            double m = s / n;
            for (int i = 0; i < n; i++) s2 += (v[i * f + j] - m) * (v[i * f + j] - m);
            float sd = (float) Math.sqrt(s2 / n);
            mean[j] = (float) m;
            std[j] = min == max || sd == 0 ? 1f : sd;
        }
        return new float[][] {mean, std};
    }

    /**
     * (x - mean) / std per column, computed in double: in float32, 3e38 - (-3e38) is already Infinity.
     * A result beyond float32 (a test value far outside the training spread) is an error naming the column,
     * not a NaN loss later.
     */
    private static TensorDataset standardizeColumns(TensorDataset d, float[] mean, float[] std, List<String> names, Path file,
                                                    boolean training) throws InvalidDataException {
        int f = mean.length;
        float[] v = d.features().contiguous().toFloatArray();
        for (int k = 0; k < v.length; k++) {
            int j = k % f;
            float z = (float) (((double) v[k] - mean[j]) / std[j]);
            if (!Float.isFinite(z)) {
                throw new InvalidDataException(file.toString(), "column '" + names.get(j) + "' overflows to " + z + " when standardized ("
                        + "value " + v[k] + ", mean " + mean[j] + ", std " + std[j] + "); "
                        + (training ? "rescale the column, or leave it out with --drop " + names.get(j)
                                    : "the value lies far outside those the model was trained on"));
            }
            v[k] = z;
        }
        return new TensorDataset(Tensor.of(v, d.size(), f), d.labels());
    }

    private static TensorDataset standardize(TensorDataset d, float[] mean, float[] std) {
        int f = mean.length;
        Tensor x = d.features().sub(Tensor.of(mean, f)).div(Tensor.of(std, f));
        return new TensorDataset(x, d.labels());
    }

    private static String lastColumn(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null && line.isBlank()) { }
            if (line == null) throw new InvalidDataException(file.toString(), "empty file: expected a header row");
            String last = line.substring(line.lastIndexOf(',') + 1).strip();
            if (last.length() >= 2 && last.startsWith("\"") && last.endsWith("\"")) last = last.substring(1, last.length() - 1);
            return last;
        }
    }
}
