package org.jgrad.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails at any point leaves the previous file byte-identical and no temporary file behind.
 * Failures are injected through the writer's channel hook: a channel that accepts {@code budget} bytes
 * and then throws, like a disk that fills up.
 */
class SafeTensorsAtomicWriteTest {
    @TempDir Path dir;
    private Path file;
    private byte[] previous;
    private Map<String, Tensor> next;

    /** Passes writes through until {@code budget} bytes have gone, then throws (possibly after a partial write). */
    private static final class FailingChannel implements WritableByteChannel {
        private final WritableByteChannel inner;
        private long budget;
        private final Supplier<? extends Throwable> failure;

        FailingChannel(WritableByteChannel inner, long budget, Supplier<? extends Throwable> failure) {
            this.inner = inner;
            this.budget = budget;
            this.failure = failure;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (budget == 0) throw sneaky(failure.get());
            int allowed = (int) Math.min(src.remaining(), budget);
            ByteBuffer part = src.slice().limit(allowed);
            int n = inner.write(part);
            src.position(src.position() + n);
            budget -= n;
            return n;
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
            throw (T) t;
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    @BeforeEach
    void writePreviousFile() throws IOException {
        file = dir.resolve("model.safetensors");
        Generator gen = new Generator(8);
        SafeTensors.write(file, Map.of("old", Tensor.randn(gen, 5, 5)), Map.of("version", "1"));
        previous = Files.readAllBytes(file);
        next = Map.of("w", Tensor.randn(gen, 100, 300), "b", Tensor.randn(gen, 300).to(DType.FLOAT64),
                "i", Tensor.of(new long[] {1, 2, 3}, 3));
    }

    private void assertUntouched() throws IOException {
        assertArrayEquals(previous, Files.readAllBytes(file), "the previous file must be byte-identical");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file may remain");
        }
    }

    private long fullSize() throws IOException {
        Path probe = dir.resolveSibling(dir.getFileName() + "-probe.safetensors");
        try {
            SafeTensors.write(probe, next, Map.of("version", "2"));
            return Files.size(probe);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    @Test
    void diskFullAtAnyPointKeepsThePreviousFile() throws IOException {
        long size = fullSize();
        assertTrue(size > 70_000, "the new file spans several 64 KiB chunks");
        // Before the length, inside it, inside the header, at the data start, across chunks, one byte short.
        for (long budget : new long[] {0, 3, 8, 20, 200, 65_543, 70_000, size / 2, size - 1}) {
            IOException e = assertThrows(IOException.class, () -> SafeTensorsWriter.write(file, next,
                    Map.of("version", "2"), ch -> new FailingChannel(ch, budget, () -> new IOException("No space left on device"))));
            assertEquals("No space left on device", e.getMessage(), "budget " + budget);
            assertUntouched();
        }
    }

    @Test
    void uncheckedExceptionsAndErrorsMidWriteKeepThePreviousFile() throws IOException {
        RuntimeException r = assertThrows(IllegalStateException.class, () -> SafeTensorsWriter.write(file, next,
                Map.of(), ch -> new FailingChannel(ch, 1000, () -> new IllegalStateException("boom"))));
        assertEquals("boom", r.getMessage());
        assertUntouched();
        OutOfMemoryError oom = assertThrows(OutOfMemoryError.class, () -> SafeTensorsWriter.write(file, next,
                Map.of(), ch -> new FailingChannel(ch, 50_000, () -> new OutOfMemoryError("simulated"))));
        assertEquals("simulated", oom.getMessage());
        assertUntouched();
        // A failure while setting up the channel, before a single byte.
        assertThrows(UnsupportedOperationException.class, () -> SafeTensorsWriter.write(file, next, Map.of(), ch -> {
            throw new UnsupportedOperationException("no channel");
        }));
        assertUntouched();
    }

    @Test
    void aMapThatThrowsWhileBeingReadKeepsThePreviousFile() throws IOException {
        Map<String, Tensor> broken = new AbstractMap<>() {
            @Override
            public Set<Entry<String, Tensor>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, Tensor>> iterator() {
                        Iterator<Entry<String, Tensor>> it = next.entrySet().iterator();
                        return new Iterator<>() {
                            int served;

                            @Override
                            public boolean hasNext() {
                                return true;
                            }

                            @Override
                            public Entry<String, Tensor> next() {
                                if (served++ == 2) throw new IllegalStateException("tensor source failed");
                                return it.next();
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return 4;
                    }
                };
            }
        };
        assertThrows(IllegalStateException.class, () -> SafeTensors.write(file, broken, Map.of()));
        assertUntouched();
    }

    @Test
    void failedFirstWriteLeavesNoFile() throws IOException {
        Path fresh = dir.resolve("fresh.safetensors");
        assertThrows(IOException.class, () -> SafeTensorsWriter.write(fresh, next, Map.of(),
                ch -> new FailingChannel(ch, 100, () -> new IOException("disk full"))));
        assertFalse(Files.exists(fresh));
        assertUntouched();
    }

    @Test
    void failedRenameRemovesTheTemporaryFile() throws IOException {
        // A non-empty directory where the file should go: everything succeeds except the final move.
        Path blocked = dir.resolve("blocked.safetensors");
        Files.createDirectory(blocked);
        Files.writeString(blocked.resolve("keep.txt"), "x");
        assertThrows(IOException.class, () -> SafeTensors.write(blocked, next, Map.of()));
        assertEquals("x", Files.readString(blocked.resolve("keep.txt")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of(file, blocked), Set.copyOf(files.toList()));
        }
    }

    @Test
    void successfulWriteReplacesTheFileAndLeavesNothingElse() throws IOException {
        SafeTensors.write(file, next, Map.of("version", "2"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(Set.of("w", "b", "i"), c.tensors().keySet());
        assertEquals("2", c.metadata().get("version"));
        assertArrayEquals(next.get("w").toFloatArray(), c.tensors().get("w").toFloatArray());
    }

    @Test
    void missingDirectoryFailsCleanly() {
        Path nowhere = dir.resolve("no/such/dir/model.safetensors");
        assertThrows(IOException.class, () -> SafeTensors.write(nowhere, next, Map.of()));
    }
}
