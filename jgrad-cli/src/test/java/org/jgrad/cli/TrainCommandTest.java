package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** jgrad train end to end, in-process: the epoch lines, the confusion matrix, the final accuracy line, the plot. */
class TrainCommandTest {
    static final Pattern EPOCH = Pattern.compile(
            "epoch (\\d+)/(\\d+) loss (\\d+\\.\\d{4}) train_acc ([01]\\.\\d{4}) test_acc ([01]\\.\\d{4}) time (\\d+\\.\\d{2})s");
    static final Pattern FINAL = Pattern.compile("test accuracy: ([01]\\.\\d{4})");

    private static String savedData, savedSystem, savedHome;

    /** Hide every real copy of Fashion-MNIST, so the default data set is the embedded sample (fast, and the same everywhere). */
    @BeforeAll
    static void onlyTheSample(@TempDir Path empty) {
        savedData = System.getProperty("jgrad.data");
        savedSystem = System.getProperty("jgrad.data.system");
        savedHome = System.getProperty("user.home");
        System.setProperty("jgrad.data", empty.toString());
        System.setProperty("jgrad.data.system", empty.toString());
        System.setProperty("user.home", empty.toString());
    }

    @AfterAll
    static void restore() {
        restore("jgrad.data", savedData);
        restore("jgrad.data.system", savedSystem);
        restore("user.home", savedHome);
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void defaultDatasetFallsBackToTheEmbeddedSampleAndSaysSo() {
        CliRunner r = CliRunner.run("train", "--epochs", "1", "--hidden", "64", "--threads", "2");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().startsWith("data: Fashion-MNIST: 6000 training / 1000 test images"), r::toString);
        assertTrue(r.out().contains("sample"), "the user must be told the data is only a sample\n" + r);
        assertTrue(r.out().contains("mlp 784-64-10 relu, 50,890 parameters"), r::toString);    // 784·64+64 + 64·10+10
        List<String> epochs = r.outLines().stream().filter(l -> l.startsWith("epoch ")).toList();
        assertEquals(1, epochs.size(), r::toString);
        Matcher m = EPOCH.matcher(epochs.getFirst());
        assertTrue(m.matches(), "epoch line format: " + epochs.getFirst());
        assertEquals("1", m.group(1));
        assertEquals("1", m.group(2));
        double testAcc = Double.parseDouble(m.group(5));
        // One epoch on 6,000 images: well above chance (0.1), below what the full set gives.
        assertTrue(testAcc > 0.6 && testAcc < 0.95, "test accuracy after one epoch on the sample: " + testAcc);

        String last = r.outLines().getLast();
        Matcher f = FINAL.matcher(last);
        assertTrue(f.matches(), "last line: " + last);
        assertEquals(m.group(5), f.group(1), "the final accuracy is the last epoch's test accuracy");

        // The confusion matrix: ten rows named by class, counting the 1,000 test images, its diagonal the accuracy.
        int at = r.outLines().indexOf("confusion matrix (rows: true class, columns: predicted class)");
        assertTrue(at > 0, r::toString);
        long total = 0, diagonal = 0;
        List<String> names = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        for (int i = 0; i < 10; i++) {
            String row = r.outLines().get(at + 2 + i);
            assertTrue(row.startsWith(i + " " + names.get(i)), row);
            String[] cells = row.substring((i + " " + names.get(i)).length()).trim().split("\\s+");
            assertEquals(10, cells.length, row);
            for (int j = 0; j < 10; j++) {
                total += Long.parseLong(cells[j]);
                if (i == j) diagonal += Long.parseLong(cells[j]);
            }
        }
        assertEquals(1000, total);
        assertEquals(testAcc, diagonal / 1000.0, 1e-9);
    }

    @Test
    void theCnnTrainsWithAugmentationAndDropoutAndItsFileEvaluatesTheSame(@TempDir Path dir) {
        Path file = dir.resolve("cnn.safetensors");
        CliRunner r = CliRunner.run("train", "--model", "cnn", "--epochs", "1", "--lr", "0.05", "--dropout", "0.3",
                "--augment", "flip,crop", "--threads", "2", "--save", file.toString());
        assertEquals(0, r.status(), r::toString);
        // conv 1→32 3×3 (320) + conv 32→64 3×3 (18,496) + Linear 3136→128 (401,536) + Linear 128→10 (1,290)
        assertTrue(r.out().contains("model: cnn 1x28x28 -> 10 dropout 0.3, 421,642 parameters"), r::toString);
        assertTrue(r.out().contains("; augmentation: flip, crop"), r::toString);
        Matcher m = r.outLines().stream().map(EPOCH::matcher).filter(Matcher::matches).findFirst().orElseThrow();
        double testAcc = Double.parseDouble(m.group(5));
        // One epoch on the 6,000-image sample: far above chance; the full set reaches about 0.88.
        assertTrue(testAcc > 0.6, "cnn test accuracy after one epoch on the sample: " + testAcc);

        // The file holds the dropout layer's place in the network: eval rebuilds it and, in evaluation
        // mode (no dropout, no augmentation), gets the same accuracy.
        CliRunner eval = CliRunner.run("eval", "--model", file.toString());
        assertEquals(0, eval.status(), eval::toString);
        assertEquals(String.format(java.util.Locale.ROOT, "test accuracy: %.4f", testAcc), eval.outLines().getLast(), eval::toString);
    }

    @Test
    void augmentationChangesTheBatchesButASeedStillRepeatsTheRun() {
        String[] plain = {"train", "--model", "logreg", "--epochs", "1", "--seed", "3"};
        String[] flipped = {"train", "--model", "logreg", "--epochs", "1", "--seed", "3", "--augment", "flip"};
        CliRunner a = CliRunner.run(plain), b = CliRunner.run(flipped), c = CliRunner.run(flipped);
        assertEquals(0, b.status(), b::toString);
        assertNotEquals(withoutTimes(a.out()).replace("; augmentation: flip", ""), withoutTimes(b.out()).replace("; augmentation: flip", ""),
                "flipped images must change the training");
        assertEquals(withoutTimes(b.out()), withoutTimes(c.out()));
    }

    @Test
    void moonsAreLearnedAlmostPerfectly() {
        CliRunner r = CliRunner.run("train", "--dataset", "moons", "--epochs", "20");
        assertEquals(0, r.status(), r::toString);
        List<Matcher> epochs = r.outLines().stream().map(EPOCH::matcher).filter(Matcher::matches).toList();
        assertEquals(20, epochs.size(), r::toString);
        for (int i = 0; i < 20; i++) assertEquals(Integer.toString(i + 1), epochs.get(i).group(1));
        double firstLoss = Double.parseDouble(epochs.getFirst().group(3));
        double lastLoss = Double.parseDouble(epochs.getLast().group(3));
        assertTrue(lastLoss < firstLoss / 2, "loss should fall (label smoothing 0.1 keeps it above 0.2): " + firstLoss + " -> " + lastLoss);
        Matcher f = FINAL.matcher(r.outLines().getLast());
        assertTrue(f.matches(), r::toString);
        // Two moons with noise 0.1 are separable up to a few points that cross over.
        assertTrue(Double.parseDouble(f.group(1)) >= 0.97, r::toString);
    }

    @Test
    void aSeedRepeatsTheRunExactly() {
        CliRunner a = CliRunner.run("train", "--dataset", "spiral", "--epochs", "3", "--hidden", "16", "--seed", "7");
        CliRunner b = CliRunner.run("train", "--dataset", "spiral", "--epochs", "3", "--hidden", "16", "--seed", "7");
        CliRunner c = CliRunner.run("train", "--dataset", "spiral", "--epochs", "3", "--hidden", "16", "--seed", "8");
        assertEquals(withoutTimes(a.out()), withoutTimes(b.out()));
        assertNotEquals(withoutTimes(a.out()), withoutTimes(c.out()));
    }

    private static String withoutTimes(String s) {
        return s.replaceAll("time \\d+\\.\\d+s", "time");
    }

    @Test
    void aCsvTableTrainsWithNamedClasses(@TempDir Path dir) throws IOException {
        // Two well separated clusters in 3 features; the label is a word, the class names come from it.
        StringBuilder csv = new StringBuilder("a,b,c,kind\n");
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < 200; i++) {
            boolean big = i % 2 == 0;
            double o = big ? 100 : 90;
            csv.append(o + rnd.nextGaussian() * 2).append(',').append(rnd.nextGaussian()).append(',')
                    .append(big ? 5 + rnd.nextGaussian() : -5 + rnd.nextGaussian()).append(',').append(big ? "big" : "small").append('\n');
        }
        Path file = dir.resolve("t.csv");
        Files.writeString(file, csv);
        CliRunner r = CliRunner.run("train", "--dataset", "csv:" + file, "--epochs", "10", "--hidden", "8", "--batch", "16");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("200 rows, 3 features, label 'kind' with 2 classes; 160 training / 40 test rows"), r::toString);
        assertTrue(r.out().contains("0 big") && r.out().contains("1 small"), r::toString);
        Matcher f = FINAL.matcher(r.outLines().getLast());
        assertTrue(f.matches() && Double.parseDouble(f.group(1)) >= 0.95, r::toString);
    }

    @Test
    void plotIsWellFormedSvgWithCurvesAndDecisionRegions(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("sub/curves.svg");
        CliRunner r = CliRunner.run("train", "--dataset", "circle", "--epochs", "4", "--hidden", "8,8", "--samples", "200", "--plot", svg.toString());
        assertEquals(0, r.status(), r::toString);
        Document doc = parse(Files.readString(svg));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
        // Two curves per panel, each with one marker per epoch; 200 training points; a 50×50 grid of regions.
        assertEquals(4, doc.getElementsByTagNameNS("*", "polyline").getLength());
        assertEquals(4 * 4 + 200, doc.getElementsByTagNameNS("*", "circle").getLength());
        assertTrue(doc.getElementsByTagNameNS("*", "rect").getLength() >= 2500);
        assertTrue(Files.readString(svg).contains("decision regions"));
        try (var files = Files.list(svg.getParent())) {
            assertEquals(List.of(svg), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void plotForImagesHasOnlyTheCurves(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("c.svg");
        CliRunner r = CliRunner.run("train", "--model", "logreg", "--epochs", "2", "--plot", svg.toString());
        assertEquals(0, r.status(), r::toString);
        Document doc = parse(Files.readString(svg));
        assertEquals(4, doc.getElementsByTagNameNS("*", "polyline").getLength());
        assertFalse(Files.readString(svg).contains("decision regions"));
    }

    @Test
    void adamAndOtherActivationsRun() {
        CliRunner r = CliRunner.run("train", "--dataset", "xor", "--epochs", "10", "--hidden", "16", "--activation", "tanh",
                "--optimizer", "adam", "--lr", "0.01", "--dropout", "0.1", "--weight-decay", "1e-4", "--batch", "32");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("mlp 2-16-2 tanh dropout 0.1"), r::toString);
        assertTrue(r.out().contains("adam lr 0.01"), r::toString);
        Matcher f = FINAL.matcher(r.outLines().getLast());
        assertTrue(f.matches() && Double.parseDouble(f.group(1)) >= 0.9, r::toString);
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
