package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jgrad.DType;
import org.jgrad.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        FashionMnist.FAMILY.roots = null;
    }

    /** Four small valid gzip IDX files (n training, n test images of 28×28) in dir; returns their bytes by name. */
    static Map<String, byte[]> writeFakeSet(Path dir, int n, int firstPixel) throws IOException {
        Files.createDirectories(dir);
        Map<String, byte[]> files = new HashMap<>();
        for (String split : new String[] {"train", "t10k"}) {
            byte[] pixels = new byte[n * 28 * 28];
            pixels[0] = (byte) firstPixel;
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) labels[i] = (byte) (i % 10);
            files.put(split + "-images-idx3-ubyte.gz", IdxTest.gzip(IdxTest.idx(0x08, new int[] {n, 28, 28}, pixels)));
            files.put(split + "-labels-idx1-ubyte.gz", IdxTest.gzip(IdxTest.idx(0x08, new int[] {n}, labels)));
        }
        for (var e : files.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
        return files;
    }

    private MnistFamily.Roots roots(Path data) {
        return new MnistFamily.Roots(data, tmp.resolve("home"), tmp.resolve("usr-share"));
    }

    @Test
    void searchOrderIsExplicitThenJgradDataThenHomeThenSystem() throws IOException {
        Path explicit = tmp.resolve("explicit"), data = tmp.resolve("data");
        Path home = tmp.resolve("home/.jgrad/datasets/fashion-mnist"), system = tmp.resolve("usr-share/fashion-mnist");
        FashionMnist.FAMILY.roots = roots(data);
        assertEquals(Optional.empty(), FashionMnist.find(null));
        writeFakeSet(system, 2, 4);
        assertEquals(Optional.of(system), FashionMnist.find(null));
        writeFakeSet(home, 2, 3);
        assertEquals(Optional.of(home), FashionMnist.find(null));
        writeFakeSet(data.resolve("fashion-mnist"), 2, 2);
        assertEquals(Optional.of(data.resolve("fashion-mnist")), FashionMnist.find(null));
        writeFakeSet(explicit, 2, 1);
        assertEquals(Optional.of(explicit), FashionMnist.find(explicit));
        // Each is really the one loaded: the first pixel tells them apart.
        assertEquals(1, FashionMnist.load(explicit, false).train().features().get(0, 0, 0, 0) * 255, 1e-4);
        assertEquals(2, FashionMnist.load(null, false).train().features().get(0, 0, 0, 0) * 255, 1e-4);
        // An incomplete directory does not count.
        Files.delete(data.resolve("fashion-mnist/t10k-labels-idx1-ubyte.gz"));
        assertEquals(Optional.of(home), FashionMnist.find(null));
    }

    @Test
    void jgradDataSystemPropertyOverridesTheEnvironment() throws IOException {
        String oldData = System.getProperty("jgrad.data"), oldHome = System.getProperty("user.home");
        try {
            System.setProperty("jgrad.data", tmp.resolve("prop").toString());
            System.setProperty("user.home", tmp.resolve("home").toString());
            writeFakeSet(tmp.resolve("home/.jgrad/datasets/fashion-mnist"), 2, 3);
            writeFakeSet(tmp.resolve("prop/fashion-mnist"), 2, 2);
            assertEquals(Optional.of(tmp.resolve("prop/fashion-mnist")), FashionMnist.find(null));
            System.clearProperty("jgrad.data");
            if (System.getenv("JGRAD_DATA") == null) {
                assertEquals(Optional.of(tmp.resolve("home/.jgrad/datasets/fashion-mnist")), FashionMnist.find(null));
            }
        } finally {
            restoreProperty("jgrad.data", oldData);
            restoreProperty("user.home", oldHome);
        }
    }

    private static void restoreProperty(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void loadsFilesAsFloatImagesAndInt64Labels() throws IOException {
        writeFakeSet(tmp.resolve("d"), 12, 255);
        ImageData d = FashionMnist.load(tmp.resolve("d"), false);
        assertArrayEquals(new int[] {12, 1, 28, 28}, d.train().features().shape());
        assertEquals(DType.FLOAT32, d.train().features().dtype());
        assertEquals(1.0, d.train().features().get(0, 0, 0, 0));
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}, d.test().labels().toLongArray());
        assertFalse(d.isSample());
        assertEquals(FashionMnist.CLASSES, d.classes());
        assertTrue(d.describe().contains("12 training / 12 test images from " + tmp.resolve("d")), d.describe());
    }

    @Test
    void inconsistentFilesAreRejectedByName() throws IOException {
        Path dir = tmp.resolve("bad");
        writeFakeSet(dir, 3, 0);
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTest.gzip(IdxTest.idx(0x08, new int[] {2}, new byte[] {1, 2})));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> FashionMnist.load(dir, false));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz: has 2 labels but") && e.getMessage().contains("3 images"),
                e.getMessage());
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTest.gzip(IdxTest.idx(0x08, new int[] {3}, new byte[] {1, 12, 2})));
        assertTrue(assertThrows(InvalidDataException.class, () -> FashionMnist.load(dir, false)).getMessage().contains("label 12"));
    }

    @Test
    void notFoundSaysExactlyHowToGetTheFiles() {
        FashionMnist.FAMILY.roots = roots(null);
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> FashionMnist.load(null, false));
        String m = e.getMessage();
        assertTrue(m.startsWith("Fashion-MNIST not found."), m);
        assertTrue(m.contains(tmp.resolve("home/.jgrad/datasets/fashion-mnist").toString()), m);
        assertTrue(m.contains(tmp.resolve("usr-share/fashion-mnist").toString()), m);
        assertTrue(m.contains("$JGRAD_DATA is not set"), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz"), m);
        assertTrue(m.contains("--data DIR"), m);
        FileNotFoundException missingDir = assertThrows(FileNotFoundException.class, () -> FashionMnist.load(tmp.resolve("nope"), false));
        assertTrue(missingDir.getMessage().contains(tmp.resolve("nope") + " does not exist"), missingDir.getMessage());
    }

    /** A family like Fashion-MNIST's but with its mirrors and roots pointed at this test. */
    private MnistFamily family(List<URI> mirrors, Map<String, String> sha) {
        MnistFamily f = new MnistFamily("fashion-mnist", "Fashion-MNIST", FashionMnist.CLASSES, mirrors, sha, "dataset-fashion-mnist", null);
        f.roots = roots(null);
        f.downloader = new Downloader(Duration.ofSeconds(5), Duration.ofSeconds(20), 1 << 20);
        return f;
    }

    @Test
    void downloadFailureIsReportedWithTheInstructions() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        MnistFamily f = family(List.of(URI.create("http://127.0.0.1:" + closedPort + "/")), FashionMnist.FAMILY.sha256);
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> f.load(null, true));
        assertTrue(e.getMessage().contains("The download failed: could not download train-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("http://127.0.0.1:" + closedPort + "/train-images-idx3-ubyte.gz: ConnectException"),
                e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        try (var files = Files.list(tmp.resolve("home/.jgrad/datasets/fashion-mnist"))) {
            assertEquals(0, files.count(), "no partial file left behind");
        }
    }

    @Test
    void downloadVerifiesSha256BeforeUsingAFile() throws Exception {
        Map<String, byte[]> files = writeFakeSet(tmp.resolve("served"), 4, 7);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath().substring(1));
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                if (body != null) os.write(body);
            }
        });
        server.start();
        try {
            URI mirror = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            Map<String, String> right = new HashMap<>();
            for (var e : files.entrySet()) right.put(e.getKey(), HexFormat.of().formatHex(Downloader.sha256().digest(e.getValue())));
            Map<String, String> wrong = new HashMap<>(right);
            wrong.put("train-images-idx3-ubyte.gz", "00".repeat(32));

            FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> family(List.of(mirror), wrong).load(null, true));
            assertTrue(e.getMessage().contains("checksum mismatch, SHA-256 " + right.get("train-images-idx3-ubyte.gz")), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("home/.jgrad/datasets/fashion-mnist/train-images-idx3-ubyte.gz")));

            ImageData d = family(List.of(URI.create("http://127.0.0.1:9/missing/"), mirror), right).load(null, true);
            assertEquals(4, d.train().size());
            assertEquals(7, d.train().features().get(0, 0, 0, 0) * 255, 1e-4);
            assertEquals(tmp.resolve("home/.jgrad/datasets/fashion-mnist").toString(), d.source());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void sampleNeedsTheDatasetsJar() {
        assumeTrue(FashionMnist.class.getClassLoader().getResource("org/jgrad/datasets/fashion-mnist-sample/train-labels-idx1-ubyte.gz") == null,
                "jgrad-datasets is on this class path; its own test covers the sample");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, FashionMnist::sample);
        assertTrue(e.getMessage().contains("jgrad-datasets"), e.getMessage());
        FashionMnist.FAMILY.roots = roots(null);
        FileNotFoundException both = assertThrows(FileNotFoundException.class, () -> FashionMnist.loadOrSample(null, false));
        assertTrue(both.getMessage().startsWith("Fashion-MNIST not found."));
        assertEquals(1, both.getSuppressed().length);
    }

    @Test
    void realDebianFilesLoad() throws IOException {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")), "dataset-fashion-mnist is not installed");
        FashionMnist.FAMILY.roots = new MnistFamily.Roots(null, tmp, Path.of("/usr/share/datasets"));
        assertEquals(Optional.of(dir), FashionMnist.find(null));
        ImageData d = FashionMnist.load(null, false);
        assertArrayEquals(new int[] {60000, 1, 28, 28}, d.train().features().shape());
        assertArrayEquals(new int[] {10000, 1, 28, 28}, d.test().features().shape());
        long[] counts = new long[10];
        for (long y : d.train().labels().toLongArray()) counts[(int) y]++;
        assertArrayEquals(new long[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, counts);
        Tensor first = d.train().features().select(0, 0);
        assertTrue(first.max().item() <= 1 && first.min().item() >= 0 && first.max().item() > 0.5);
        // Fashion-MNIST's training mean pixel is 0.2860 (the usual normalization constant).
        assertEquals(0.2860, d.train().features().mean().item(), 5e-4);
    }
}
