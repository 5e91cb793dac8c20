package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jgrad.DType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MNIST's loader on small synthetic IDX files with MNIST's file names, written to a temporary
 * directory; every search root points there, so the tests never read /usr/share or the network.
 */
class MnistTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void isolate() {
        Mnist.FAMILY.roots = new MnistFamily.Roots(null, tmp.resolve("home"), tmp.resolve("usr-share"));
    }

    @AfterEach
    void restore() {
        Mnist.FAMILY.roots = null;
    }

    /** MNIST's four files: n training and n test images of 28×28 (pixel 0 of image 0 set), labels i mod 10. */
    static void writeSet(Path dir, int nTrain, int nTest, int firstPixel, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        int[] counts = {nTrain, nTest};
        String[] splits = {"train", "t10k"};
        for (int s = 0; s < 2; s++) {
            int n = counts[s];
            byte[] pixels = new byte[n * 28 * 28];
            if (n > 0) pixels[0] = (byte) firstPixel;
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) labels[i] = (byte) ((i + 3 * s) % 10);
            write(dir, splits[s] + "-images-idx3-ubyte", IdxTest.idx(0x08, new int[] {n, 28, 28}, pixels), gzip);
            write(dir, splits[s] + "-labels-idx1-ubyte", IdxTest.idx(0x08, new int[] {n}, labels), gzip);
        }
    }

    private static void write(Path dir, String name, byte[] raw, boolean gzip) throws IOException {
        if (gzip) Files.write(dir.resolve(name + ".gz"), IdxTest.gzip(raw));
        else Files.write(dir.resolve(name), raw);
    }

    @Test
    void loadsShapesTypesAndLabels() throws IOException {
        Path dir = tmp.resolve("d");
        writeSet(dir, 12, 7, 255, true);
        ImageData d = Mnist.load(dir, false);
        assertEquals("MNIST", d.name());
        assertArrayEquals(new int[] {12, 1, 28, 28}, d.train().features().shape());
        assertArrayEquals(new int[] {7, 1, 28, 28}, d.test().features().shape());
        assertEquals(DType.FLOAT32, d.train().features().dtype());
        assertEquals(DType.INT64, d.train().labels().dtype());
        assertEquals(1.0, d.train().features().get(0, 0, 0, 0), 0, "pixel 255 scales to 1");
        assertEquals(0.0, d.train().features().get(0, 0, 0, 1), 0);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}, d.train().labels().toLongArray());
        assertArrayEquals(new long[] {3, 4, 5, 6, 7, 8, 9}, d.test().labels().toLongArray());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), d.classes());
        assertEquals(Mnist.CLASSES, d.classes());
        assertFalse(d.isSample());
        assertEquals("MNIST: 12 training / 7 test images from " + dir, d.describe());
    }

    @Test
    void pixelsAreScaledToTheUnitInterval() throws IOException {
        Path dir = tmp.resolve("d");
        writeSet(dir, 2, 2, 51, true);
        assertEquals(0.2, Mnist.load(dir, false).train().features().get(0, 0, 0, 0), 1e-6, "51 / 255");
    }

    @Test
    void uncompressedFilesAndTheMnistSubdirectoryAreFound() throws IOException {
        Path plain = tmp.resolve("plain");
        writeSet(plain, 3, 2, 9, false);
        assertEquals(Optional.of(plain), Mnist.find(plain));
        assertEquals(3, Mnist.load(plain, false).train().size());
        Path parent = tmp.resolve("parent");
        writeSet(parent.resolve("mnist"), 4, 2, 9, true);
        assertEquals(Optional.of(parent.resolve("mnist")), Mnist.find(parent), "the directory given, then its mnist/");
        assertEquals(4, Mnist.load(parent).train().size(), "found, so nothing is downloaded");
    }

    @Test
    void searchOrderUsesTheMnistDirectoryName() throws IOException {
        Path data = tmp.resolve("data");
        Mnist.FAMILY.roots = new MnistFamily.Roots(data, tmp.resolve("home"), tmp.resolve("usr-share"));
        assertEquals(Optional.empty(), Mnist.find(null));
        // Fashion-MNIST's files, though MNIST's names, sit under another directory name: not MNIST.
        writeSet(tmp.resolve("usr-share/fashion-mnist"), 2, 2, 1, true);
        assertEquals(Optional.empty(), Mnist.find(null));
        writeSet(tmp.resolve("usr-share/mnist"), 2, 2, 1, true);
        assertEquals(Optional.of(tmp.resolve("usr-share/mnist")), Mnist.find(null));
        writeSet(tmp.resolve("home/.jgrad/datasets/mnist"), 2, 2, 2, true);
        assertEquals(Optional.of(tmp.resolve("home/.jgrad/datasets/mnist")), Mnist.find(null));
        writeSet(data.resolve("mnist"), 2, 2, 3, true);
        assertEquals(Optional.of(data.resolve("mnist")), Mnist.find(null));
        assertEquals(3, Mnist.load(null, false).train().features().get(0, 0, 0, 0) * 255, 1e-4);
        // A directory missing one of the four files does not count.
        Files.delete(data.resolve("mnist/t10k-images-idx3-ubyte.gz"));
        assertEquals(Optional.of(tmp.resolve("home/.jgrad/datasets/mnist")), Mnist.find(null));
        assertEquals(2, Mnist.load(null, false).train().features().get(0, 0, 0, 0) * 255, 1e-4);
    }

    @Test
    void missingFilesAreReportedWithWhereItLookedAndHowToGetThem() throws IOException {
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> Mnist.load(null, false));
        String m = e.getMessage();
        assertTrue(m.startsWith("MNIST not found. Looked for train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
                + " t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz in:"), m);
        assertTrue(m.contains(tmp.resolve("home/.jgrad/datasets/mnist") + "  (the user's data directory)"), m);
        assertTrue(m.contains(tmp.resolve("usr-share/mnist") + "  (the system's data sets)"), m);
        assertTrue(m.contains("$JGRAD_DATA is not set"), m);
        assertFalse(m.contains("apt-get"), "MNIST has no Debian package to suggest: " + m);
        assertTrue(m.contains("https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz"), m);
        assertTrue(m.contains("into " + tmp.resolve("home/.jgrad/datasets/mnist")), m);
        assertTrue(m.contains("--data DIR"), m);

        // A directory given that lacks one file: listed first, as the directory given.
        Path partial = tmp.resolve("partial");
        writeSet(partial, 2, 2, 0, true);
        Files.delete(partial.resolve("train-labels-idx1-ubyte.gz"));
        m = assertThrows(FileNotFoundException.class, () -> Mnist.load(partial, false)).getMessage();
        assertTrue(m.contains("\n  " + partial + "  (the directory given)"), m);
        assertTrue(m.contains("\n  " + partial.resolve("mnist") + "  (the directory given)"), m);

        FileNotFoundException missingDir = assertThrows(FileNotFoundException.class, () -> Mnist.load(tmp.resolve("nope"), false));
        assertTrue(missingDir.getMessage().startsWith("MNIST: the data directory " + tmp.resolve("nope") + " does not exist"),
                missingDir.getMessage());
    }

    @Test
    void corruptFilesAreRejectedByName() throws IOException {
        Path dir = tmp.resolve("bad");
        writeSet(dir, 3, 2, 0, true);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxTest.gzip(IdxTest.idx(0x08, new int[] {2}, new byte[] {4, 10})));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> Mnist.load(dir, false));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz") && e.getMessage().contains("label 10 at index 1")
                && e.getMessage().contains("0..9"), e.getMessage());
        writeSet(dir, 3, 2, 0, true);
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"),
                IdxTest.gzip(IdxTest.idx(0x08, new int[] {3, 27, 27}, new byte[3 * 27 * 27])));
        e = assertThrows(InvalidDataException.class, () -> Mnist.load(dir, false));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("expected 28x28"),
                e.getMessage());
        writeSet(dir, 3, 2, 0, true);
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTest.gzip(IdxTest.idx(0x08, new int[] {2}, new byte[] {1, 2})));
        e = assertThrows(InvalidDataException.class, () -> Mnist.load(dir, false));
        assertTrue(e.getMessage().contains("has 2 labels but") && e.getMessage().contains("3 images"), e.getMessage());
    }
}
