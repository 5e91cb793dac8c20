package org.jgrad.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jgrad.Generator;
import org.jgrad.Tensor;

/**
 * A finite, indexable collection of {@link Example}s, read by a {@link DataLoader}. Implementations
 * must allow concurrent calls to {@link #get} and {@link #getBatch} from several threads (the loader's
 * workers), which holds for datasets that only read immutable data.
 */
public interface Dataset {
    /** The number of examples. */
    int size();

    /** The example at {@code index}, 0 ≤ index &lt; size(). */
    Example get(int index);

    /**
     * The examples at {@code indices} stacked into one batch. The default calls {@link #get} for each
     * index and stacks the results; datasets backed by big tensors override it to copy rows directly.
     */
    default Batch getBatch(int[] indices) {
        if (indices.length == 0) throw new IllegalArgumentException("getBatch: expected at least one index, got none");
        List<Tensor> features = new ArrayList<>(indices.length);
        List<Tensor> labels = new ArrayList<>(indices.length);
        for (int i : indices) {
            Example e = get(i);
            features.add(e.features());
            labels.add(e.label());
        }
        return new Batch(Tensor.stack(features, 0), Tensor.stack(labels, 0));
    }

    /** A view of the examples at {@code indices} of this dataset, in that order (no copy). */
    default Dataset subset(int... indices) {
        return new Subset(this, indices);
    }

    /**
     * Splits {@code dataset} into non-overlapping random subsets of the given sizes, which must add
     * up to its size. The same seed gives the same split on every JVM.
     */
    static List<Dataset> randomSplit(Dataset dataset, long seed, int... sizes) {
        Objects.requireNonNull(dataset, "randomSplit: dataset");
        long total = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("randomSplit: sizes must be >= 0, got " + java.util.Arrays.toString(sizes));
            total += s;
        }
        if (total != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: sizes " + java.util.Arrays.toString(sizes) + " add up to " + total
                    + " but the dataset has " + dataset.size() + " examples");
        }
        int[] order = Shuffle.permutation(dataset.size(), new Generator(seed));
        List<Dataset> parts = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            parts.add(new Subset(dataset, java.util.Arrays.copyOfRange(order, start, start + s)));
            start += s;
        }
        return parts;
    }

    /**
     * Splits {@code dataset} by fractions that add up to 1 (e.g. 0.8, 0.2). Each part gets
     * floor(fraction × size) examples; the few left over go one each to the first parts.
     */
    static List<Dataset> randomSplit(Dataset dataset, long seed, double... fractions) {
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("randomSplit: fractions must be in [0, 1], got " + java.util.Arrays.toString(fractions));
            }
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("randomSplit: fractions " + java.util.Arrays.toString(fractions) + " add up to " + sum + ", not 1");
        }
        int n = dataset.size();
        int[] sizes = new int[fractions.length];
        int used = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = (int) Math.floor(fractions[i] * n);
            used += sizes[i];
        }
        for (int i = 0; used < n; i = (i + 1) % sizes.length, used++) sizes[i]++;
        return randomSplit(dataset, seed, sizes);
    }
}
