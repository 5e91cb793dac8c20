package org.jgrad.io;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jgrad.Autograd;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.nn.BatchNorm1d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Losses;
import org.jgrad.nn.Module;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Tanh;
import org.jgrad.optim.Adam;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir Path dir;
    @TempDir Path scratch; // a second directory, so probes do not count as files left behind in dir

    /** 4 → 8 → BatchNorm → tanh → 3: parameters, float buffers and the int64 num_batches_tracked. */
    private static Sequential mlp(long seed) {
        Generator gen = new Generator(seed);
        return new Sequential(new Linear(4, 8, gen), new BatchNorm1d(8), new Tanh(), new Linear(8, 3, gen));
    }

    private static final Tensor X = Tensor.randn(new Generator(1), 16, 4);
    private static final Tensor Y = Tensor.randn(new Generator(2), 16, 3);

    /** A different mini-batch per step (rows rotated), so the optimizer state matters for the next step. */
    private static Tensor batch(Tensor t, int step) {
        int shift = (step * 5) % 16;
        return shift == 0 ? t : Tensor.cat(List.of(t.slice(0, shift, 16), t.slice(0, 0, shift)), 0);
    }

    /** Runs steps [from, to) and returns each step's loss bits. */
    private static List<Float> train(Module model, Optimizer<?> opt, int from, int to) {
        model.train();
        List<Float> losses = new ArrayList<>();
        for (int step = from; step < to; step++) {
            opt.zeroGrad();
            Tensor loss = Losses.mse(model.call(batch(X, step)), batch(Y, step));
            loss.backward();
            opt.step();
            losses.add((float) loss.item());
        }
        return losses;
    }

    private static float[] predict(Module model) {
        model.eval();
        try (var _ = Autograd.noGrad()) {
            return model.call(X).toFloatArray();
        }
    }

    private static void assertSameState(Module expected, Module actual) {
        Map<String, Tensor> e = expected.stateDict(), a = actual.stateDict();
        assertEquals(e.keySet(), a.keySet());
        for (String k : e.keySet()) {
            assertEquals(e.get(k).dtype(), a.get(k).dtype(), k);
            assertArrayEquals(e.get(k).shape(), a.get(k).shape(), k);
            assertArrayEquals(e.get(k).toDoubleArray(), a.get(k).toDoubleArray(), 0.0, k);
        }
    }

    private void assertOnlyFile(Path file) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file may remain");
        }
    }

    // ------------------------------------------------------------------ model round trip

    @Test
    void trainedModelLoadsIntoAFreshModelWithIdenticalPredictions() throws IOException {
        Sequential model = mlp(10);
        List<Float> losses = train(model, new SGD(model.parameters(), SGD.Options.of(0.1).withMomentum(0.9)), 0, 5);
        assertTrue(losses.get(4) < losses.get(0), "the model trained: " + losses);
        Path file = dir.resolve("model.safetensors");
        Checkpoint.saveModel(file, model, Map.of("epoch", "5"));

        Sequential fresh = mlp(11);
        float[] expected = predict(model);
        assertFalse(Arrays.equals(expected, predict(fresh)), "a different init predicts differently");
        Map<String, String> meta = Checkpoint.loadModel(file, fresh);
        assertArrayEquals(expected, predict(fresh));
        assertSameState(model, fresh);
        assertEquals(5L, fresh.stateDict().get("1.num_batches_tracked").toLongArray()[0]);
        assertEquals(Map.of("format", "jgrad", "jgrad.version", Checkpoint.VERSION, "architecture", model.toString(),
                "epoch", "5"), meta);
    }

    @Test
    void fileHoldsTheStateDictUnderItsOwnNames() throws IOException {
        Sequential model = mlp(3);
        Path file = dir.resolve("model.safetensors");
        Checkpoint.saveModel(file, model, Map.of("architecture", "torch.nn.Sequential(Linear(4, 8), ...)"));
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(Set.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "3.weight", "3.bias"), c.tensors().keySet());
        assertEquals(model.stateDict().keySet(), c.tensors().keySet());
        assertEquals(DType.INT64, c.tensors().get("1.num_batches_tracked").dtype());
        assertArrayEquals(new int[] {8, 4}, c.tensors().get("0.weight").shape());
        assertEquals("torch.nn.Sequential(Linear(4, 8), ...)", c.metadata().get("architecture"), "the caller's description wins");
        // The model's toString is multi-line and has parentheses and '=': it must survive JSON intact.
        Checkpoint.saveModel(file, model, null);
        assertEquals(model.toString(), SafeTensors.read(file).metadata().get("architecture"));
        assertTrue(model.toString().contains("\n"));
    }

    @Test
    void reservedOrNullMetadataIsRefused() {
        Sequential model = mlp(3);
        Path file = dir.resolve("m.safetensors");
        for (String key : List.of("format", "jgrad.version", "optimizer.lr")) {
            var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.saveModel(file, model, Map.of(key, "x")));
            assertTrue(e.getMessage().contains("'" + key + "' is reserved"), e.getMessage());
        }
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("note", null);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.saveModel(file, model, nullValue));
        assertTrue(e.getMessage().contains("'note' has a null value"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void versionMatchesTheMavenVersion() throws IOException {
        // Surefire runs in the module directory; the version lives in the <parent> element of its pom.
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), "jgrad-core/pom.xml has a parent version");
        assertEquals(m.group(1), Checkpoint.VERSION);
    }

    // ------------------------------------------------------------------ wrong files

    @Test
    void wrongArchitectureIsReportedWithEveryMismatchAndChangesNothing() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Checkpoint.saveModel(file, mlp(3), null);
        Generator gen = new Generator(4);
        // 16 hidden units instead of 8, no BatchNorm, one more layer.
        Sequential other = new Sequential(new Linear(4, 16, gen), new Tanh(), new Tanh(), new Linear(16, 3, gen),
                new Linear(3, 3, gen));
        float[] before = predict(other);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadModel(file, other));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("Checkpoint.loadModel: " + file + " does not fit the model"), msg);
        assertTrue(msg.contains("missing keys: [4.weight, 4.bias]"), msg);
        assertTrue(msg.contains("unexpected keys: [1.bias, 1.num_batches_tracked, 1.running_mean, 1.running_var, 1.weight]"), msg);
        assertTrue(msg.contains("0.weight: expected shape [16, 4], got [8, 4]"), msg);
        assertTrue(msg.contains("0.bias: expected shape [16], got [8]"), msg);
        assertTrue(msg.contains("3.weight: expected shape [3, 16], got [3, 8]"), msg);
        assertFalse(msg.contains("3.bias"), "3.bias fits: " + msg);
        assertArrayEquals(before, predict(other), "a refused load changes nothing");
    }

    @Test
    void truncatedFileIsCorrupt() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Checkpoint.saveModel(file, mlp(3), Map.of("epoch", "1"));
        byte[] full = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(full, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        Sequential target = mlp(5);
        float[] before = predict(target);
        // Inside the length, inside the header, at the data start, one byte short.
        for (int length : new int[] {0, 5, 8 + (int) headerLength / 2, 8 + (int) headerLength, full.length - 1}) {
            Path cut = dir.resolve("cut" + length + ".safetensors");
            Files.write(cut, Arrays.copyOf(full, length));
            assertThrows(CorruptFileException.class, () -> Checkpoint.loadModel(cut, target), "length " + length);
            assertThrows(CorruptFileException.class, () -> Checkpoint.load(cut, target,
                    new SGD(target.parameters(), 0.1)), "length " + length);
        }
        assertArrayEquals(before, predict(target));
    }

    // ------------------------------------------------------------------ atomic saves

    /** Accepts {@code budget} bytes, then fails like a full disk. */
    private static WritableByteChannel failingAfter(WritableByteChannel inner, long budget) {
        return new WritableByteChannel() {
            long left = budget;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (left == 0) throw new IOException("No space left on device");
                ByteBuffer part = src.slice().limit((int) Math.min(src.remaining(), left));
                int n = inner.write(part);
                src.position(src.position() + n);
                left -= n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return inner.isOpen();
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Test
    void failedSavesLeaveThePreviousFileByteIdentical() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Sequential model = mlp(6);
        SGD opt = new SGD(model.parameters(), SGD.Options.of(0.05).withMomentum(0.9));
        train(model, opt, 0, 2);
        Checkpoint.save(file, model, opt, Map.of("epoch", "1"));
        byte[] previous = Files.readAllBytes(file);
        train(model, opt, 2, 4);

        // The disk fills up part-way: in the header, in the data, one byte short.
        long size = previous.length;
        for (long budget : new long[] {0, 8, 100, size / 2, size - 1}) {
            IOException e = assertThrows(IOException.class, () -> Checkpoint.save(file, model, opt, Map.of("epoch", "2"),
                    ch -> failingAfter(ch, budget)));
            assertEquals("No space left on device", e.getMessage());
            assertArrayEquals(previous, Files.readAllBytes(file), "budget " + budget);
            assertOnlyFile(file);
        }
        Path probe = scratch.resolve("weights.safetensors");
        Checkpoint.saveModel(probe, model, null);
        long weightsSize = Files.size(probe);
        for (long budget : new long[] {0, 8, 100, weightsSize / 2, weightsSize - 1}) {
            IOException m = assertThrows(IOException.class, () -> Checkpoint.saveModel(file, model, null,
                    ch -> failingAfter(ch, budget)));
            assertEquals("No space left on device", m.getMessage());
            assertArrayEquals(previous, Files.readAllBytes(file), "budget " + budget);
            assertOnlyFile(file);
        }

        // Through the public API: metadata that cannot be written, a map that throws while it is read.
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(file, model, opt, Map.of("format", "mine")));
        Map<String, String> throwing = new AbstractMap<>() {
            @Override
            public Set<Entry<String, String>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, String>> iterator() {
                        throw new IllegalStateException("metadata source failed");
                    }

                    @Override
                    public int size() {
                        return 1;
                    }
                };
            }
        };
        var t = assertThrows(IllegalStateException.class, () -> Checkpoint.save(file, model, opt, throwing));
        assertEquals("metadata source failed", t.getMessage());
        // A sub-module called "optimizer" would mix its weights with the optimizer's state.
        Module clash = new Module() {
            final Linear optimizer = registerModule("optimizer", new Linear(2, 2, new Generator(1)));

            @Override
            public Tensor forward(Tensor x) {
                return optimizer.call(x);
            }
        };
        var c = assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(file, clash,
                new SGD(clash.parameters(), 0.1), null));
        assertTrue(c.getMessage().contains("'optimizer.weight' starts with 'optimizer.'"), c.getMessage());
        assertArrayEquals(previous, Files.readAllBytes(file));
        assertOnlyFile(file);

        // The file is still a good checkpoint: it resumes the state saved after step 2.
        Sequential back = mlp(7);
        SGD backOpt = new SGD(back.parameters(), 0.5);
        assertEquals("1", Checkpoint.load(file, back, backOpt).get("epoch"));
    }

    @Test
    void savingOntoADirectoryFailsAndKeepsIt() throws IOException {
        Path target = Files.createDirectory(dir.resolve("ckpt.safetensors"));
        Path inside = Files.writeString(target.resolve("keep.txt"), "precious");
        Sequential model = mlp(1);
        assertThrows(IOException.class, () -> Checkpoint.saveModel(target, model, null));
        assertTrue(Files.isDirectory(target));
        assertEquals("precious", Files.readString(inside));
        assertOnlyFile(target);
    }

    // ------------------------------------------------------------------ model and optimizer

    private static void assertResumesExactly(Function<Module, Optimizer<?>> makeOptimizer,
                                             Function<Module, Optimizer<?>> makeOtherOptimizer, Path file) throws IOException {
        Sequential straight = mlp(20);
        List<Float> straightLosses = train(straight, makeOptimizer.apply(straight), 0, 6);

        Sequential first = mlp(20);
        Optimizer<?> firstOpt = makeOptimizer.apply(first);
        List<Float> resumedLosses = new ArrayList<>(train(first, firstOpt, 0, 3));
        Checkpoint.save(file, first, firstOpt, Map.of("step", "3"));

        // A new process: different init, and an optimizer built with other hyper-parameters, which the
        // checkpoint must overwrite.
        Sequential second = mlp(21);
        Optimizer<?> secondOpt = makeOtherOptimizer.apply(second);
        Map<String, String> meta = Checkpoint.load(file, second, secondOpt);
        assertEquals("3", meta.get("step"));
        assertEquals(firstOpt.paramGroups().getFirst().options(), secondOpt.paramGroups().getFirst().options());
        resumedLosses.addAll(train(second, secondOpt, 3, 6));

        assertEquals(straightLosses, resumedLosses);
        assertSameState(straight, second);
        assertArrayEquals(predict(straight), predict(second));
    }

    @Test
    void sgdWithMomentumResumesBitIdentically() throws IOException {
        assertResumesExactly(m -> new SGD(m.parameters(), SGD.Options.of(0.05).withMomentum(0.9).withNesterov(true)),
                m -> new SGD(m.parameters(), SGD.Options.of(0.7).withMomentum(0.1)), dir.resolve("sgd.safetensors"));
        SafeTensors.Contents c = SafeTensors.read(dir.resolve("sgd.safetensors"));
        assertEquals("SGD", c.metadata().get("optimizer.optimizer"));
        assertEquals("0.05", c.metadata().get("optimizer.param_groups.0.lr"));
        assertEquals(DType.FLOAT32, c.tensors().get("optimizer.state.0.momentum_buffer").dtype());
        assertArrayEquals(new int[] {8, 4}, c.tensors().get("optimizer.state.0.momentum_buffer").shape());
    }

    @Test
    void adamResumesBitIdentically() throws IOException {
        assertResumesExactly(m -> new Adam(m.parameters(), Adam.Options.of(0.01).withWeightDecay(1e-3)),
                m -> new Adam(m.parameters(), 0.3), dir.resolve("adam.safetensors"));
        SafeTensors.Contents c = SafeTensors.read(dir.resolve("adam.safetensors"));
        assertEquals("Adam", c.metadata().get("optimizer.optimizer"));
        assertEquals(3.0, c.tensors().get("optimizer.state.5.step").item(), 0.0);
        assertTrue(c.tensors().containsKey("optimizer.state.5.exp_avg_sq"));
    }

    @Test
    void trainingCheckpointLoadsAsWeightsAloneButAWeightsFileDoesNotResume() throws IOException {
        Sequential model = mlp(30);
        Adam opt = new Adam(model.parameters(), 0.01);
        train(model, opt, 0, 2);
        Path full = dir.resolve("full.safetensors"), weights = dir.resolve("weights.safetensors");
        Checkpoint.save(full, model, opt, null);
        Checkpoint.saveModel(weights, model, null);

        Sequential inference = mlp(31);
        Map<String, String> meta = Checkpoint.loadModel(full, inference);
        assertEquals("Adam", meta.get("optimizer.optimizer"));
        assertArrayEquals(predict(model), predict(inference));

        Sequential other = mlp(32);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(weights, other,
                new Adam(other.parameters(), 0.01)));
        assertTrue(e.getMessage().contains("holds no optimizer state"), e.getMessage());
    }

    @Test
    void optimizerMismatchRollsBackTheModel() throws IOException {
        Sequential model = mlp(40);
        SGD opt = new SGD(model.parameters(), SGD.Options.of(0.1).withMomentum(0.5));
        train(model, opt, 0, 2);
        Path file = dir.resolve("sgd.safetensors");
        Checkpoint.save(file, model, opt, null);

        Sequential other = mlp(41);
        float[] before = predict(other);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, other,
                new Adam(other.parameters(), 0.01)));
        assertTrue(e.getMessage().contains("the optimizer state does not fit Adam"), e.getMessage());
        assertTrue(e.getMessage().contains("saved by SGD"), e.getMessage());
        assertArrayEquals(before, predict(other), "the model is put back when the optimizer refuses");

        // An optimizer over only part of the parameters numbers them differently: refused as well.
        Sequential third = mlp(42);
        float[] thirdBefore = predict(third);
        var p = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, third,
                new SGD(List.of(third.parameters().getFirst()), 0.1)));
        assertTrue(p.getMessage().contains("group 0 holds parameters"), p.getMessage());
        assertArrayEquals(thirdBefore, predict(third));
    }

    // ------------------------------------------------------------------ interop with the Python tool

    private Path pythonTool() throws IOException {
        assumeTrue(pythonAvailable(), "python3 is not installed");
        Path script = dir.resolve("safetensors_dump.py");
        try (InputStream in = CheckpointTest.class.getResourceAsStream("safetensors_dump.py")) {
            assertNotNull(in, "test resource safetensors_dump.py");
            Files.copy(in, script);
        }
        return script;
    }

    private static boolean pythonAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String python(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), "python failed:\n" + out);
        return out;
    }

    @Test
    void pythonReadsAJgradCheckpoint() throws Exception {
        Path script = pythonTool();
        Sequential model = mlp(50);
        Adam opt = new Adam(model.parameters(), 0.01);
        train(model, opt, 0, 3);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, model, opt, Map.of("epoch", "3"));

        Map<String, Tensor> expected = new LinkedHashMap<>(model.stateDict());
        opt.stateDict().tensors().forEach((k, v) -> expected.put("optimizer." + k, v));
        Map<String, String[]> printed = new HashMap<>();
        String metaLine = null;
        for (String line : python(script, file.toString()).split("\n")) {
            if (line.startsWith("__metadata__ ")) metaLine = line;
            else if (!line.isBlank()) printed.put(line.split(" ")[0], line.split(" "));
        }
        assertEquals(expected.keySet(), printed.keySet());
        for (var e : expected.entrySet()) {
            String[] p = printed.get(e.getKey());
            Tensor t = e.getValue();
            String dtype = switch (t.dtype()) {
                case FLOAT32 -> "F32";
                case FLOAT64 -> "F64";
                case INT64 -> "I64";
            };
            assertEquals(dtype, p[1], e.getKey());
            String shape = t.dim() == 0 ? "scalar"
                    : String.join("x", Arrays.stream(t.shape()).mapToObj(Integer::toString).toList());
            assertEquals(shape, p[2], e.getKey());
            // Python may sum in another order (3.12 compensates); both sum the same values in double.
            double sum = 0, abs = 0;
            for (double v : t.toDoubleArray()) {
                sum += v;
                abs += Math.abs(v);
            }
            assertEquals(sum, Double.parseDouble(p[3]), 1e-12 * abs, e.getKey());
        }
        assertNotNull(metaLine);
        // json.dumps escapes the architecture's newlines; the keys we set are there, sorted.
        assertTrue(metaLine.contains("\"epoch\": \"3\""), metaLine);
        assertTrue(metaLine.contains("\"format\": \"jgrad\""), metaLine);
        assertTrue(metaLine.contains("\"jgrad.version\": \"" + Checkpoint.VERSION + "\""), metaLine);
        assertTrue(metaLine.contains("\"optimizer.optimizer\": \"Adam\""), metaLine);
        assertTrue(metaLine.contains("\"architecture\": \"Sequential(\\n  (0): Linear(in=4, out=8, bias=true)\\n"), metaLine);
    }

    /** The names the Python tool writes: layer.weight [2, 3], layer.bias [2] (F32), scale [1] (F64). */
    private static final class Scaled extends Module {
        final Linear layer = registerModule("layer", new Linear(3, 2, new Generator(9)));

        Scaled() {
            registerParameter("scale", Tensor.zeros(DType.FLOAT64, 1));
        }

        @Override
        public Tensor forward(Tensor x) {
            return layer.call(x).mul(parameter("scale").to(DType.FLOAT32));
        }
    }

    @Test
    void aFileWrittenByThePythonToolLoadsIntoAMatchingModule() throws Exception {
        Path script = pythonTool();
        Path file = dir.resolve("python.safetensors");
        python(script, "--write", file.toString());
        Scaled m = new Scaled();
        assertEquals(Map.of("writer", "safetensors_dump.py"), Checkpoint.loadModel(file, m));
        // The values hard-coded in the tool.
        assertArrayEquals(new float[] {0.5f, -1f, 2f, 3.25f, 0f, -0.125f}, m.layer.weight().toFloatArray());
        assertArrayEquals(new float[] {1f, -2f}, m.layer.bias().toFloatArray());
        assertEquals(0.1, m.stateDict().get("scale").item(), 0.0);
        // y = (W x + b) * 0.1 for x = [1, 2, 4]: W x = [0.5 - 2 + 8, 3.25 + 0 - 0.5] = [6.5, 2.75].
        float[] y = m.call(Tensor.of(new float[] {1, 2, 4}, 1, 3)).toFloatArray();
        assertArrayEquals(new float[] {7.5f * (float) 0.1, 0.75f * (float) 0.1}, y, 1e-6f);

        // A module with only the linear layer: the extra "scale" is reported, not silently dropped.
        Sequential plain = new Sequential(new Linear(3, 2, new Generator(1)));
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadModel(file, plain));
        assertTrue(e.getMessage().contains("missing keys: [0.weight, 0.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys: [layer.bias, layer.weight, scale]"), e.getMessage());
    }
}
