package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.jgrad.Tensor;
import org.jgrad.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --save, then eval and info on the file: the model comes back from its metadata alone. */
class SaveEvalInfoTest {

    @Test
    void evalReproducesTheTrainingRunsTestAccuracy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("moons.safetensors");
        CliRunner train = CliRunner.run("train", "--dataset", "moons", "--epochs", "5", "--hidden", "16,8", "--activation", "tanh",
                "--noise", "0.2", "--seed", "3", "--save", file.toString());
        assertEquals(0, train.status(), train::toString);
        Matcher trained = TrainCommandTest.FINAL.matcher(train.outLines().getLast());
        assertTrue(trained.matches());

        // The file: PyTorch's Sequential names, and the architecture in the metadata.
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(List.of("1.bias", "1.weight", "3.bias", "3.weight", "5.bias", "5.weight"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {16, 2}, c.tensors().get("1.weight").shape());
        Map<String, String> m = c.metadata();
        assertEquals("mlp", m.get("jgrad.model"));
        assertEquals("16,8", m.get("jgrad.hidden"));
        assertEquals("tanh", m.get("jgrad.activation"));
        assertEquals("moons", m.get("jgrad.dataset"));
        assertEquals("0.2", m.get("jgrad.noise"));
        assertEquals("3", m.get("jgrad.seed"));
        assertEquals(ModelFile.version(), m.get("jgrad.version"));
        assertTrue(m.get("jgrad.version").matches("\\d+\\.\\d+\\.\\d+.*"), "the build filled in the version: " + m.get("jgrad.version"));

        // eval regenerates the same test points from the saved seed and noise: the same accuracy.
        CliRunner eval = CliRunner.run("eval", "--model", file.toString());
        assertEquals(0, eval.status(), eval::toString);
        assertEquals("test accuracy: " + trained.group(1), eval.outLines().getLast(), eval::toString);
        assertTrue(eval.out().contains("mlp 2-16-8-2 tanh"), eval::toString);

        // Other data of the right shape can be given; data of the wrong shape is refused clearly.
        assertEquals(0, CliRunner.run("eval", "--model", file.toString(), "--dataset", "xor").status());
        CliRunner wrong = CliRunner.run("eval", "--model", file.toString(), "--dataset", "fashion-mnist");
        assertEquals(1, wrong.status(), wrong::toString);
        assertTrue(wrong.err().contains("the model takes inputs of shape [2] but fashion-mnist has [1, 28, 28]"), wrong::toString);

        CliRunner info = CliRunner.run("info", file.toString());
        assertEquals(0, info.status(), info::toString);
        assertTrue(info.out().contains("model: mlp 2-16-8-2 tanh"), info::toString);
        // 2·16+16 + 16·8+8 + 8·2+2
        assertTrue(info.out().contains("parameters: " + (2 * 16 + 16 + 16 * 8 + 8 + 8 * 2 + 2)), info::toString);
        assertTrue(info.out().lines().anyMatch(l -> l.matches("\\s+3\\.weight\\s+float32\\s+\\[8, 16]")), info::toString);
    }

    @Test
    void csvModelKeepsItsStandardization(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("f1,f2,y\n");
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < 120; i++) {
            int y = i % 3;
            csv.append(1000 + 50 * y + rnd.nextGaussian() * 5).append(',').append(0.01 * y + rnd.nextGaussian() * 0.001).append(',').append(y).append('\n');
        }
        Path data = dir.resolve("d.csv");
        Files.writeString(data, csv);
        Path file = dir.resolve("csv.safetensors");
        CliRunner train = CliRunner.run("train", "--dataset", "csv:" + data, "--epochs", "15", "--hidden", "8", "--batch", "16",
                "--save", file.toString());
        assertEquals(0, train.status(), train::toString);
        Map<String, String> m = SafeTensors.read(file).metadata();
        String[] mean = m.get("jgrad.feature_mean").split(",");
        assertEquals(2, mean.length);
        assertEquals(1050, Float.parseFloat(mean[0]), 15, "mean of f1 over the training rows");
        // All 120 rows, standardized with the saved statistics: a model that learned anything is far above 1/3.
        CliRunner eval = CliRunner.run("eval", "--model", file.toString());
        assertEquals(0, eval.status(), eval::toString);
        Matcher acc = TrainCommandTest.FINAL.matcher(eval.outLines().getLast());
        assertTrue(acc.matches() && Double.parseDouble(acc.group(1)) >= 0.9, eval::toString);
    }

    @Test
    void infoOnAForeignFileListsItsTensors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.zeros(3, 4), "idx", Tensor.of(new long[] {1, 2}, 2)), Map.of("author", "someone"));
        CliRunner info = CliRunner.run("info", file.toString());
        assertEquals(0, info.status(), info::toString);
        assertTrue(info.out().contains("model: unknown"), info::toString);
        assertTrue(info.out().contains("parameters: 14"), info::toString);
        assertTrue(info.out().lines().anyMatch(l -> l.matches("\\s+idx\\s+int64\\s+\\[2]")), info::toString);
        assertTrue(info.out().contains("author: someone"), info::toString);
        // eval needs the architecture and says so.
        CliRunner eval = CliRunner.run("eval", "--model", file.toString());
        assertEquals(1, eval.status());
        assertTrue(eval.err().contains("no 'jgrad.model' in the file's metadata"), eval::toString);
    }

    @Test
    void tensorsThatDoNotFitTheArchitectureAreReported(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.safetensors");
        ModelSpec spec = new ModelSpec("mlp", new int[] {2}, new int[] {4}, "relu", 0, 2);
        Map<String, String> meta = new java.util.HashMap<>(spec.toMetadata());
        meta.put("jgrad.dataset", "moons");
        SafeTensors.write(file, Map.of("1.weight", Tensor.zeros(5, 2), "1.bias", Tensor.zeros(5),
                "3.weight", Tensor.zeros(2, 5), "3.bias", Tensor.zeros(2)), meta);
        CliRunner eval = CliRunner.run("eval", "--model", file.toString());
        assertEquals(1, eval.status(), eval::toString);
        assertTrue(eval.err().contains("do not fit the architecture") && eval.err().contains("1.weight"), eval::toString);
    }
}
