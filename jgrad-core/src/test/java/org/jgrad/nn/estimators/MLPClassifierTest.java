package org.jgrad.nn.estimators;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.data.TensorDataset;
import org.jgrad.data.ToyDatasets;
import org.junit.jupiter.api.Test;

class MLPClassifierTest {

    static MLPOptions twoBySixteen() {
        return MLPOptions.defaults().withHiddenLayerSizes(16, 16).withActivation(Activation.TANH)
                .withLearningRateInit(0.02).withMaxIter(1500).withTol(1e-6).withNIterNoChange(200).withRandomState(1);
    }

    @Test
    void learnsTwoSpirals() {
        // Both arms start at the origin, so one of those two identical points is always wrong: 199/200 is the ceiling.
        TensorDataset d = ToyDatasets.spiral(200, 0, 7);
        var clf = new MLPClassifier(twoBySixteen().withLearningRateInit(0.05).withMaxIter(400)).fit(d.features(), d.labels());
        assertTrue(clf.score(d.features(), d.labels()) >= 0.99, "accuracy " + clf.score(d.features(), d.labels()));
        assertEquals(List.of(16, 16, 2), clf.coefs().stream().map(w -> w.size(0)).toList());
        assertEquals(2, clf.coefs().get(0).size(1));
        List<Double> curve = clf.lossCurve();
        assertEquals(clf.nIter(), curve.size());
        assertTrue(curve.getLast() < 0.1 * curve.getFirst());
    }

    @Test
    void learnsXorWhichALinearModelCannot() {
        TensorDataset d = ToyDatasets.xor(200, 0, 3);
        MLPOptions o = twoBySixteen().withActivation(Activation.RELU).withMaxIter(600);
        var clf = new MLPClassifier(o).fit(d.features(), d.labels());
        assertTrue(clf.score(d.features(), d.labels()) >= 0.99, "accuracy " + clf.score(d.features(), d.labels()));
        // identity activations collapse the network to one linear map: no better than 3 quadrants of 4
        var linear = new MLPClassifier(o.withActivation(Activation.IDENTITY).withMaxIter(200)).fit(d.features(), d.labels());
        assertTrue(linear.score(d.features(), d.labels()) < 0.8, "linear accuracy " + linear.score(d.features(), d.labels()));
    }

    @Test
    void everySolverAndActivationFitsGaussians() {
        TensorDataset d = ToyDatasets.gaussian(120, 0, 5);
        for (Solver s : Solver.values()) {
            for (Activation a : Activation.values()) {
                MLPOptions o = MLPOptions.defaults().withHiddenLayerSizes(8).withActivation(a).withSolver(s)
                        .withLearningRateInit(0.05).withBatchSize(32).withMaxIter(60).withRandomState(2);
                var clf = new MLPClassifier(o).fit(d.features(), d.labels());
                assertTrue(clf.score(d.features(), d.labels()) >= 0.95, s + "/" + a + ": " + clf.score(d.features(), d.labels()));
                assertTrue(clf.lossCurve().getLast() < clf.lossCurve().getFirst(), s + "/" + a);
            }
        }
    }

    @Test
    void arbitraryLabelsProbabilitiesAndAccuracy() {
        TensorDataset d = ToyDatasets.blobs(90, 3, 0.5, 4);
        long[] raw = d.labels().toLongArray();
        long[] names = {10, -3, 7};
        long[] y = new long[raw.length];
        for (int i = 0; i < y.length; i++) y[i] = names[(int) raw[i]];
        Tensor labels = Tensor.of(y, y.length);
        var clf = new MLPClassifier(MLPOptions.defaults().withHiddenLayerSizes(10).withSolver(Solver.LBFGS).withMaxIter(50))
                .fit(d.features(), labels);
        assertArrayEquals(new long[] {-3, 7, 10}, clf.classes().toLongArray());
        Tensor p = clf.predictProba(d.features());
        assertArrayEquals(new int[] {90, 3}, p.shape());
        double[] rowSums = p.sum(1, false).toDoubleArray();
        for (double s : rowSums) assertEquals(1, s, 1e-5);
        long[] pred = clf.predict(d.features()).toLongArray();
        int right = 0;
        for (int i = 0; i < 90; i++) {
            int argmax = 0;
            for (int k = 1; k < 3; k++) if (p.get(i, k) > p.get(i, argmax)) argmax = k;
            assertEquals(clf.classes().toLongArray()[argmax], pred[i]);
            if (pred[i] == y[i]) right++;
        }
        assertEquals(right / 90.0, clf.score(d.features(), labels), 0);
        assertTrue(right >= 85);
    }

    @Test
    void seededFitsRepeatExactly() {
        TensorDataset d = ToyDatasets.moons(100, 0.1, 1);
        MLPOptions o = MLPOptions.defaults().withHiddenLayerSizes(12).withBatchSize(16).withMaxIter(20).withRandomState(9);
        var a = new MLPClassifier(o).fit(d.features(), d.labels());
        var b = new MLPClassifier(o).fit(d.features(), d.labels());
        assertEquals(a.lossCurve(), b.lossCurve());
        assertArrayEquals(a.predictProba(d.features()).toDoubleArray(), b.predictProba(d.features()).toDoubleArray(), 0);
        var c = new MLPClassifier(o.withRandomState(10)).fit(d.features(), d.labels());
        assertNotEquals(a.lossCurve(), c.lossCurve());
        // refitting starts over
        a.fit(d.features(), d.labels());
        assertEquals(b.lossCurve(), a.lossCurve());
    }

    @Test
    void batchSizeIsClippedToTheDataAndDefaultsToMin200N() {
        TensorDataset d = ToyDatasets.circle(150, 0, 2);
        MLPOptions o = MLPOptions.defaults().withHiddenLayerSizes(6).withMaxIter(5).withSolver(Solver.SGD).withLearningRateInit(0.1);
        var full = new MLPClassifier(o.withBatchSize(150)).fit(d.features(), d.labels());
        var huge = new MLPClassifier(o.withBatchSize(10_000)).fit(d.features(), d.labels());
        var auto = new MLPClassifier(o.withBatchSize(0)).fit(d.features(), d.labels());
        var small = new MLPClassifier(o.withBatchSize(10)).fit(d.features(), d.labels());
        assertEquals(full.lossCurve(), huge.lossCurve());
        assertEquals(full.lossCurve(), auto.lossCurve());
        assertNotEquals(full.lossCurve(), small.lossCurve());
    }

    @Test
    void earlyStoppingStopsOnAPlateauAndKeepsTheBestWeights() {
        // random labels: nothing to learn, so the held-out accuracy plateaus at once
        Generator g = new Generator(3);
        long[] y = new long[200];
        for (int i = 0; i < y.length; i++) y[i] = g.nextInt(2);
        Tensor x = Tensor.randn(new Generator(4), 200, 2), labels = Tensor.of(y, 200);
        int patience = 5;
        MLPOptions o = MLPOptions.defaults().withHiddenLayerSizes(8).withMaxIter(500).withEarlyStopping(true)
                .withValidationFraction(0.2).withNIterNoChange(patience).withRandomState(1);
        var clf = new MLPClassifier(o).fit(x, labels);
        List<Double> scores = clf.validationScores();
        assertTrue(clf.nIter() < 100, "stopped after " + clf.nIter());
        assertEquals(clf.nIter(), scores.size());
        assertEquals(scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), clf.bestValidationScore(), 0);
        // the last patience + 1 epochs all failed to beat the best before them by tol
        double bestBefore = scores.subList(0, scores.size() - patience - 1).stream().mapToDouble(Double::doubleValue).max()
                .orElse(Double.NEGATIVE_INFINITY);
        for (double s : scores.subList(scores.size() - patience - 1, scores.size())) {
            assertTrue(s < bestBefore + o.tol());
            bestBefore = Math.max(bestBefore, s);
        }
        for (double s : scores) assertEquals(0, (s * 40) % 1, 1e-9, "accuracy on 40 held-out examples");
        // the kept weights are the best epoch's, not the last one's: seen on a seed whose last epoch scored lower
        boolean sawWorseLast = false;
        for (long seed = 1; seed <= 20 && !sawWorseLast; seed++) {
            var c = new MLPClassifier(o.withRandomState(seed)).fit(x, labels);
            Tensor val = Tensor.of(c.validationIndices(), 40);
            assertEquals(c.bestValidationScore(), c.score(x.indexSelect(0, val), labels.indexSelect(0, val)), 0);
            sawWorseLast = c.validationScores().getLast() < c.bestValidationScore();
        }
        assertTrue(sawWorseLast);
        // without early stopping it trains on
        var full = new MLPClassifier(o.withEarlyStopping(false).withMaxIter(30)).fit(x, labels);
        assertTrue(full.validationScores().isEmpty());
        assertTrue(Double.isNaN(full.bestValidationScore()));
    }

    @Test
    void trainingLossPlateauStopsAfterNIterNoChangePlusOne() {
        TensorDataset d = ToyDatasets.gaussian(60, 0, 1);
        // with a huge tol no epoch after the first counts as an improvement
        var clf = new MLPClassifier(MLPOptions.defaults().withHiddenLayerSizes(4).withTol(1e9).withNIterNoChange(3))
                .fit(d.features(), d.labels());
        assertEquals(3 + 2, clf.nIter());
    }

    @Test
    void alphaShrinksTheWeights() {
        TensorDataset d = ToyDatasets.moons(100, 0.1, 2);
        MLPOptions o = MLPOptions.defaults().withHiddenLayerSizes(16).withSolver(Solver.LBFGS).withMaxIter(100);
        double plain = squaredNorm(new MLPClassifier(o.withAlpha(0)).fit(d.features(), d.labels()));
        double decayed = squaredNorm(new MLPClassifier(o.withAlpha(5)).fit(d.features(), d.labels()));
        assertTrue(decayed < 0.5 * plain, decayed + " vs " + plain);
    }

    static double squaredNorm(MLPEstimator e) {
        return e.coefs().stream().mapToDouble(w -> w.pow(2).sum().item()).sum();
    }

    @Test
    void float64DataGivesAFloat64Network() {
        TensorDataset d = ToyDatasets.gaussian(40, 0, 1);
        var clf = new MLPClassifier(MLPOptions.defaults().withHiddenLayerSizes(3).withMaxIter(3))
                .fit(d.features().to(DType.FLOAT64), d.labels());
        assertEquals(DType.FLOAT64, clf.coefs().get(0).dtype());
        assertEquals(DType.FLOAT64, clf.predictProba(d.features()).dtype());
    }

    @Test
    void badInputsAreRefused() {
        var clf = new MLPClassifier(MLPOptions.defaults().withHiddenLayerSizes(2).withMaxIter(2));
        var e = assertThrows(IllegalStateException.class, () -> clf.predict(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("MLPClassifier.predict"), e.getMessage());
        assertThrows(IllegalStateException.class, clf::lossCurve);
        var bad = assertThrows(IllegalArgumentException.class, () -> clf.fit(Tensor.zeros(3, 2), Tensor.zeros(3)));
        assertTrue(bad.getMessage().contains("int64") && bad.getMessage().contains("float32"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> clf.fit(Tensor.zeros(3, 2), Tensor.of(new long[] {1, 1, 1}, 3)));
        assertTrue(bad.getMessage().contains("2 classes"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> clf.fit(Tensor.zeros(3), Tensor.of(new long[] {0, 1, 1}, 3)));
        assertTrue(bad.getMessage().contains("[n, features]"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> clf.fit(Tensor.zeros(3, 2), Tensor.of(new long[] {0, 1}, 2)));
        clf.fit(Tensor.randn(new Generator(1), 4, 2), Tensor.of(new long[] {0, 1, 0, 1}, 4));
        bad = assertThrows(IllegalArgumentException.class, () -> clf.predict(Tensor.zeros(3, 5)));
        assertTrue(bad.getMessage().contains("[n, 2]") && bad.getMessage().contains("[3, 5]"), bad.getMessage());
        var early = new MLPClassifier(MLPOptions.defaults().withEarlyStopping(true).withValidationFraction(0.9));
        bad = assertThrows(IllegalArgumentException.class, () -> early.fit(Tensor.zeros(2, 2), Tensor.of(new long[] {0, 1}, 2)));
        assertTrue(bad.getMessage().contains("holds out 2 of 2"), bad.getMessage());
    }

    @Test
    void optionsAreValidated() {
        MLPOptions d = MLPOptions.defaults();
        assertArrayEquals(new int[] {100}, d.hiddenLayerSizes());
        assertEquals(Activation.RELU, d.activation());
        assertEquals(Solver.ADAM, d.solver());
        assertEquals(1e-4, d.alpha());
        assertEquals(200, d.maxIter());
        assertEquals(d, MLPOptions.defaults());
        var e = assertThrows(IllegalArgumentException.class, () -> d.withHiddenLayerSizes(4, 0));
        assertTrue(e.getMessage().contains("hiddenLayerSizes") && e.getMessage().contains("[4, 0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withHiddenLayerSizes());
        assertThrows(IllegalArgumentException.class, () -> d.withAlpha(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withLearningRateInit(0));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxIter(0));
        assertThrows(IllegalArgumentException.class, () -> d.withTol(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withNIterNoChange(0));
        assertThrows(IllegalArgumentException.class, () -> d.withValidationFraction(1));
        assertThrows(IllegalArgumentException.class, () -> d.withActivation(null));
        assertThrows(IllegalArgumentException.class, () -> d.withSolver(null));
        int[] sizes = {3};
        MLPOptions o = d.withHiddenLayerSizes(sizes);
        sizes[0] = 99;
        assertArrayEquals(new int[] {3}, o.hiddenLayerSizes(), "the options keep their own copy");
    }
}
