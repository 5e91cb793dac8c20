package org.jgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jgrad.Autograd;
import org.jgrad.Generator;
import org.jgrad.Parallelism;
import org.jgrad.Tensor;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.FashionMnist;
import org.jgrad.data.ImageData;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.Losses;
import org.jgrad.nn.Models;
import org.jgrad.nn.Module;
import org.jgrad.nn.Sequential;
import org.jgrad.optim.SGD;
import org.jgrad.optim.lr.CosineAnnealingLR;
import org.jgrad.data.Transforms;

/**
 * Trains the standard small CNN ({@link Models#fashionCnn}) on Fashion-MNIST with SGD and momentum,
 * printing each epoch's mean training loss, test accuracy and wall time; {@code ./jgrad cnn} (or {@code bin/jgrad cnn}).
 *
 * <pre>
 * ./jgrad cnn [--epochs 3] [--lr 0.05] [--momentum 0.9] [--batch 128] [--seed 0] [--data DIR]
 *               [--limit N] [--threads N] [--images DIR]
 * </pre>
 *
 * {@code --limit} trains on the first N training images only (a quick look); {@code --images} writes
 * the first layer's filters and the feature maps of the first test image as PNG files there
 * ({@link FilterImages}).
 */
public final class FashionCnn {
    private FashionCnn() {}

    /**
     * The plain recipe by default; {@code augment} (random 28×28 crop of the 2-padded image and a
     * horizontal flip), {@code dropout} before the last Linear, {@code cosine} (learning rate annealed
     * over the epochs, Nesterov momentum, label smoothing 0.1) are the "more epochs" recipe.
     */
    public record Config(int epochs, double lr, double momentum, int batchSize, long seed, Path data, int limit,
                         Path images, boolean augment, double dropout, boolean cosine) {
        public Config(int epochs, double lr, double momentum, int batchSize, long seed, Path data, int limit, Path images) {
            this(epochs, lr, momentum, batchSize, seed, data, limit, images, false, 0, false);
        }

        public static Config defaults() {
            return new Config(3, 0.05, 0.9, 128, 0, null, 0, null);
        }
    }

    /** Per epoch: mean training loss, test accuracy, wall seconds of the training pass (evaluation excluded). */
    public record Epoch(int epoch, double loss, double testAccuracy, double seconds) {}

    public record Result(Sequential model, List<Epoch> epochs) {}

    public static void main(String[] args) throws IOException {
        Config c = Config.defaults();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: jgrad cnn [--epochs 3] [--lr 0.05] [--momentum 0.9] [--batch 128] [--seed 0]"
                        + " [--data DIR] [--limit N] [--threads N] [--images DIR] [--augment] [--dropout P] [--cosine]");
                return;
            }
            if (a.equals("--augment") || a.equals("--cosine")) {
                c = new Config(c.epochs(), c.lr(), c.momentum(), c.batchSize(), c.seed(), c.data(), c.limit(), c.images(),
                        c.augment() || a.equals("--augment"), c.dropout(), c.cosine() || a.equals("--cosine"));
                continue;
            }
            if (a.equals("--dropout")) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("cnn: option --dropout needs a value");
                c = new Config(c.epochs(), c.lr(), c.momentum(), c.batchSize(), c.seed(), c.data(), c.limit(), c.images(),
                        c.augment(), Double.parseDouble(args[++i]), c.cosine());
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException("cnn: option " + a + " needs a value");
            String v = args[++i];
            c = switch (a) {
                case "--epochs" -> new Config(Integer.parseInt(v), c.lr(), c.momentum(), c.batchSize(), c.seed(), c.data(), c.limit(), c.images(), c.augment(), c.dropout(), c.cosine());
                case "--lr" -> new Config(c.epochs(), Double.parseDouble(v), c.momentum(), c.batchSize(), c.seed(), c.data(), c.limit(), c.images(), c.augment(), c.dropout(), c.cosine());
                case "--momentum" -> new Config(c.epochs(), c.lr(), Double.parseDouble(v), c.batchSize(), c.seed(), c.data(), c.limit(), c.images(), c.augment(), c.dropout(), c.cosine());
                case "--batch" -> new Config(c.epochs(), c.lr(), c.momentum(), Integer.parseInt(v), c.seed(), c.data(), c.limit(), c.images(), c.augment(), c.dropout(), c.cosine());
                case "--seed" -> new Config(c.epochs(), c.lr(), c.momentum(), c.batchSize(), Long.parseLong(v), c.data(), c.limit(), c.images(), c.augment(), c.dropout(), c.cosine());
                case "--data" -> new Config(c.epochs(), c.lr(), c.momentum(), c.batchSize(), c.seed(), Path.of(v), c.limit(), c.images(), c.augment(), c.dropout(), c.cosine());
                case "--limit" -> new Config(c.epochs(), c.lr(), c.momentum(), c.batchSize(), c.seed(), c.data(), Integer.parseInt(v), c.images(), c.augment(), c.dropout(), c.cosine());
                case "--images" -> new Config(c.epochs(), c.lr(), c.momentum(), c.batchSize(), c.seed(), c.data(), c.limit(), Path.of(v), c.augment(), c.dropout(), c.cosine());
                case "--threads" -> {
                    Parallelism.setNumThreads(Integer.parseInt(v));
                    yield c;
                }
                default -> throw new IllegalArgumentException("cnn: unknown option " + a + " (try --help)");
            };
        }
        ImageData data = FashionMnist.load(c.data(), false);
        System.out.println(data.describe());
        TensorDataset train = data.train();
        if (c.limit() > 0 && c.limit() < train.size()) {
            train = new TensorDataset(train.features().slice(0, 0, c.limit()), train.labels().slice(0, 0, c.limit()));
        }
        Result r = train(c, train, data.test(), System.out);
        if (c.images() != null) writeImages(r.model(), data.test().features().select(0, 0), c.images(), System.out);
    }

    /** Trains a fresh {@link Models#fashionCnn} seeded by {@code c.seed()} and evaluates it after every epoch. */
    public static Result train(Config c, TensorDataset train, TensorDataset test, PrintStream out) {
        Sequential model = Models.fashionCnn(new Generator(c.seed()), c.dropout());
        SGD opt = new SGD(model.parameters(), SGD.Options.of(c.lr()).withMomentum(c.momentum()).withNesterov(c.cosine()));
        CosineAnnealingLR schedule = c.cosine() ? new CosineAnnealingLR(opt, c.epochs()) : null;
        Losses.CrossEntropyOptions lossOptions = Losses.CrossEntropyOptions.defaults().labelSmoothing(c.cosine() ? 0.1 : 0);
        DataLoader.Builder loaderBuilder = DataLoader.builder(train).batchSize(c.batchSize()).shuffle(true).seed(c.seed());
        if (c.augment()) loaderBuilder.transform(Transforms.randomCrop(28, 2).andThen(Transforms.randomHorizontalFlip(0.5)));
        out.println(model);
        out.printf(Locale.ROOT, "parameters: %,d; %d training images, batch %d, SGD lr %s momentum %s, %d threads%n",
                model.parameterCount(), train.size(), c.batchSize(), c.lr(), c.momentum(), Parallelism.getNumThreads());
        List<Epoch> epochs = new ArrayList<>();
        try (DataLoader loader = loaderBuilder.build()) {
            for (int e = 1; e <= c.epochs(); e++) {
                model.train();
                long t0 = System.nanoTime();
                double lossSum = 0;
                int seen = 0;
                for (Batch b : loader) {
                    opt.zeroGrad();
                    Tensor loss = Losses.crossEntropy(model.call(b.features()), b.labels(), lossOptions);
                    loss.backward();
                    opt.step();
                    lossSum += loss.item() * b.size();
                    seen += b.size();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (schedule != null) schedule.step();
                double acc = accuracy(model, test);
                Epoch ep = new Epoch(e, lossSum / seen, acc, seconds);
                epochs.add(ep);
                out.printf(Locale.ROOT, "epoch %d  loss %.4f  test accuracy %.4f  epoch time %.1f s%n", e, ep.loss(),
                        acc, seconds);
            }
        }
        return new Result(model, epochs);
    }

    /** The fraction of {@code data} whose largest logit is the label, in evaluation mode and without recording. */
    public static double accuracy(Module model, TensorDataset data) {
        model.eval();
        int correct = 0, n = data.size();
        try (var _ = Autograd.noGrad()) {
            for (int i = 0; i < n; i += 1000) {
                int end = Math.min(n, i + 1000);
                Tensor pred = model.call(data.features().slice(0, i, end)).argmax(1, false);
                correct += (int) pred.eq(data.labels().slice(0, i, end)).sum().item();
            }
        }
        return n == 0 ? 0 : (double) correct / n;
    }

    /**
     * Writes {@code filters.png} (the first convolution's 32 filters), {@code sample.png} (the image)
     * and {@code feature-maps.png} (the first block's 32 maps after ReLU for that image) into {@code dir}.
     */
    public static List<Path> writeImages(Sequential model, Tensor image, Path dir, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        Tensor maps;
        try (var _ = Autograd.noGrad()) {
            model.eval();
            maps = model.get(1).call(model.get(0).call(image.unsqueeze(0))).select(0, 0); // conv1 → ReLU
        }
        Path filters = dir.resolve("filters.png"), sample = dir.resolve("sample.png"), featureMaps = dir.resolve("feature-maps.png");
        FilterImages.writePng(FilterImages.filters(model.stateDict().get("0.weight"), 16), filters);
        FilterImages.writePng(FilterImages.grid(image.reshape(1, image.size(image.dim() - 2), image.size(image.dim() - 1)), 8), sample);
        FilterImages.writePng(FilterImages.featureMaps(maps, 4), featureMaps);
        for (Path p : List.of(filters, sample, featureMaps)) out.println("wrote " + p);
        return List.of(filters, sample, featureMaps);
    }
}
