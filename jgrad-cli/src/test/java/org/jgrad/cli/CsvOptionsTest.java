package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train/eval on CSV tables: --one-hot and --drop, and the messages for cells and columns a model cannot use. */
class CsvOptionsTest {
    private static final List<String> COLOURS = List.of("red", "green", "blue");
    private static final List<String> ANIMALS = List.of("fox", "frog", "whale");

    /** id,colour,x,animal: the animal follows the colour; x is noise and id a row number. */
    private static Path animals(Path dir, String name, int rows, List<String> colours) throws IOException {
        StringBuilder csv = new StringBuilder("id,colour,x,animal\n");
        Random rnd = new Random(1);
        for (int i = 0; i < rows; i++) {
            String colour = colours.get(i % colours.size());
            csv.append("row").append(i).append(',').append(colour).append(',').append(rnd.nextGaussian()).append(',')
                    .append(ANIMALS.get(COLOURS.indexOf(colour))).append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, csv);
        return f;
    }

    private static String firstErrLine(CliRunner r) {
        return r.err().lines().findFirst().orElseThrow();
    }

    private static double accuracy(CliRunner r) {
        String last = r.outLines().getLast();
        assertTrue(last.startsWith("test accuracy: "), r::toString);
        return Double.parseDouble(last.substring("test accuracy: ".length()));
    }

    @Test
    void aTextColumnNamesTheFlagsThatFixIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("iris.csv");
        Files.writeString(f, "petal,species,label\n1.5,setosa,0\n4.5,versicolor,1\n");
        CliRunner r = CliRunner.run("train", "--dataset", "csv:" + f, "--label", "label");
        assertEquals(Cli.FAILED, r.status(), r::toString);
        assertEquals("jgrad: " + f + ":2: column 'species' holds text ('setosa'): one-hot encode it with --one-hot species,"
                + " or leave it out with --drop species", firstErrLine(r));
    }

    @Test
    void oneHotAndDropTrainAndTheSavedModelEvaluatesAnotherFileByColumnName(@TempDir Path dir) throws Exception {
        Path data = animals(dir, "animals.csv", 120, COLOURS);
        Path model = dir.resolve("animals.safetensors");
        CliRunner train = CliRunner.run("train", "--dataset", "csv:" + data, "--one-hot", "colour", "--drop", "id",
                "--epochs", "30", "--hidden", "8", "--batch", "16", "--save", model.toString());
        assertEquals(Cli.OK, train.status(), train::toString);
        assertTrue(train.out().contains("4 features"), "colour=blue, colour=green, colour=red, x: " + train);
        assertTrue(accuracy(train) >= 0.95, train::toString);
        ModelFile.Loaded m = ModelFile.load(model);
        assertEquals(List.of("colour=blue", "colour=green", "colour=red", "x"), m.list("jgrad.features"));
        assertEquals(List.of("colour"), m.list("jgrad.one_hot"));
        assertEquals(List.of("id"), m.list("jgrad.drop"));

        // Another table: columns in another order and only two of the three colours, so reading it alone
        // gives 3 features in another order; matched by name, the model still gets its 4.
        StringBuilder csv = new StringBuilder("animal,x,colour,id\n");
        for (int i = 0; i < 40; i++) {
            String colour = i % 2 == 0 ? "green" : "blue";
            csv.append(ANIMALS.get(COLOURS.indexOf(colour))).append(',').append(0.1 * (i % 7) - 0.3).append(',').append(colour)
                    .append(",r").append(i).append('\n');
        }
        Path other = dir.resolve("other.csv");
        Files.writeString(other, csv);
        CliRunner eval = CliRunner.run("eval", "--model", model.toString(), "--dataset", "csv:" + other, "--label", "animal");
        assertEquals(Cli.OK, eval.status(), eval::toString);
        assertTrue(accuracy(eval) >= 0.95, eval::toString);

        Files.writeString(other, "id,colour,x,animal\n1,purple,0.5,fox\n2,red,0.1,frog\n");
        CliRunner unseen = CliRunner.run("eval", "--model", model.toString(), "--dataset", "csv:" + other);
        assertEquals(Cli.FAILED, unseen.status(), unseen::toString);
        assertEquals("jgrad: " + other + ": column 'colour' holds 'purple', a value the model was not trained on"
                + " (it knows [blue, green, red])", firstErrLine(unseen));
    }

    @Test
    void flagMistakesAreUsageErrors(@TempDir Path dir) throws IOException {
        Path data = animals(dir, "animals.csv", 10, COLOURS);
        List<List<String>> cases = List.of(
                List.of("--dataset", "moons", "--one-hot", "colour"),
                List.of("--dataset", "csv:" + data, "--one-hot", "colour,"),
                List.of("--dataset", "csv:" + data, "--one-hot", "colour", "--drop", "colour"),
                List.of("--dataset", "csv:" + data, "--label", "animal", "--drop", "animal"));
        List<String> expected = List.of(
                "jgrad: --one-hot applies to csv:PATH data, not moons",
                "jgrad: --one-hot: expected names like a,b, got 'colour,'",
                "jgrad: column 'colour' is given to both --one-hot and --drop",
                "jgrad: --drop: 'animal' is the --label column");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new java.util.ArrayList<>(List.of("train"));
            args.addAll(cases.get(i));
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(Cli.USAGE, r.status(), r::toString);
            assertEquals(expected.get(i), firstErrLine(r));
        }
        CliRunner unknown = CliRunner.run("train", "--dataset", "csv:" + data, "--drop", "colour,nope");
        assertEquals(Cli.FAILED, unknown.status(), unknown::toString);
        assertTrue(firstErrLine(unknown).contains("no column named 'nope'"), unknown::toString);
    }

    @Test
    void aValueBeyondFloat32NamesItsColumnInsteadOfANanLoss(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 20; i++) csv.append(i).append(',').append(i == 7 ? "1e300" : Integer.toString(i)).append(',').append(i % 2).append('\n');
        Path f = dir.resolve("huge.csv");
        Files.writeString(f, csv);
        CliRunner r = CliRunner.run("train", "--dataset", "csv:" + f, "--epochs", "1");
        assertEquals(Cli.FAILED, r.status(), r::toString);
        assertEquals("jgrad: " + f + ":9: column 'x2' holds 1e300, beyond float32's range (about ±3.4e38): rescale the column,"
                + " or leave it out with --drop x2", firstErrLine(r));

        Files.writeString(f, "x1,x2,y\n1,2,0\n3,NaN,1\n");
        CliRunner nan = CliRunner.run("train", "--dataset", "csv:" + f);
        assertEquals(Cli.FAILED, nan.status(), nan::toString);
        assertEquals("jgrad: " + f + ":3: column 'x2' holds 'NaN', not a finite number: fix the cell, or leave the column out with --drop x2",
                firstErrLine(nan));
    }

    @Test
    void floatExtremesAndConstantColumnsStandardizeToFiniteValues(@TempDir Path dir) throws Exception {
        // big's mean is 1.5e38, and in float32 -3e38 - 1.5e38 is -Infinity: standardizing with float32
        // tensor arithmetic made the loss NaN ("training diverged; try a smaller --lr").
        StringBuilder csv = new StringBuilder("big,flat,huge_flat,tiny,y\n");
        for (int i = 0; i < 40; i++) {
            boolean one = i % 4 == 0;
            csv.append(one ? "-3e38" : "3e38").append(",5,1e30,").append(i % 2 == 0 ? "1e-30" : "-1e-30").append(',')
                    .append(one ? 1 : 0).append('\n');
        }
        Path f = dir.resolve("extremes.csv");
        Files.writeString(f, csv);
        Path model = dir.resolve("m.safetensors");
        CliRunner r = CliRunner.run("train", "--dataset", "csv:" + f, "--epochs", "5", "--hidden", "4", "--batch", "8",
                "--save", model.toString());
        assertEquals(Cli.OK, r.status(), r::toString);
        assertEquals(1.0, accuracy(r), r::toString);
        ModelFile.Loaded m = ModelFile.load(model);
        // A constant column: std 1, so it standardizes to (5 - 5) / 1 = 0 like scikit-learn's StandardScaler.
        assertEquals(List.of(5f, 1e30f), List.of(m.mean()[1], m.mean()[2]));
        assertEquals(List.of(1f, 1f), List.of(m.std()[1], m.std()[2]));

        // A value the training spread (1e-30) cannot standardize within float32: the column is named.
        Files.writeString(f, "big,flat,huge_flat,tiny,y\n3e38,5,1e30,0,0\n-3e38,5,1e30,1e10,1\n");
        CliRunner eval = CliRunner.run("eval", "--model", model.toString(), "--dataset", "csv:" + f);
        assertEquals(Cli.FAILED, eval.status(), eval::toString);
        assertTrue(firstErrLine(eval).startsWith("jgrad: " + f + ": column 'tiny' overflows to Infinity when standardized (value 1.0E10,"),
                eval::toString);
    }
}
