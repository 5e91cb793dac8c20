package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors give status 2, one line and the usage; data errors a non-zero status and the reader's message, no stack trace. */
class CliErrorsTest {

    private static void assertUsageError(CliRunner r, String expectedMessage) {
        assertEquals(2, r.status(), r::toString);
        String first = r.err().lines().findFirst().orElse("");
        assertEquals("jgrad: " + expectedMessage, first, r::toString);
        assertTrue(r.err().contains("usage: jgrad"), "the usage follows the message\n" + r);
        assertFalse(r.out().contains("epoch "), "nothing may have been trained\n" + r);
        assertNoStackTrace(r);
    }

    private static void assertNoStackTrace(CliRunner r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace without --debug\n" + r);
    }

    @Test
    void unknownOption() {
        assertUsageError(CliRunner.run("train", "--epochz", "3"), "unknown option --epochz");
    }

    @Test
    void badNumbers() {
        assertUsageError(CliRunner.run("train", "--epochs", "five"), "--epochs: expected an integer, got 'five'");
        assertUsageError(CliRunner.run("train", "--epochs", "0"), "--epochs: expected an integer in [1, 1000000], got 0");
        assertUsageError(CliRunner.run("train", "--lr=fast"), "--lr: expected a number, got 'fast'");
        assertUsageError(CliRunner.run("train", "--hidden", "256,x"), "--hidden: expected sizes like 256,128, got '256,x'");
        assertUsageError(CliRunner.run("train", "--batch"), "option --batch needs a value");
    }

    @Test
    void unknownNames() {
        assertUsageError(CliRunner.run("train", "--dataset", "cifar"),
                "unknown dataset 'cifar'; expected one of fashion-mnist, mnist, csv:PATH, circle, xor, gauss, spiral, moons");
        assertUsageError(CliRunner.run("train", "--optimizer", "lion"), "--optimizer: expected one of sgd, adam, got 'lion'");
        assertUsageError(CliRunner.run("train", "--activation", "swish"),
                "--activation: expected one of relu, tanh, sigmoid, gelu, silu, leaky-relu, elu, selu, softplus, got 'swish'");
        assertUsageError(CliRunner.run("fit"), "unknown command 'fit'");
        assertUsageError(CliRunner.run("train", "extra"), "unexpected argument 'extra'");
        assertUsageError(CliRunner.run("train", "--download=yes"), "option --download takes no value");
    }

    @Test
    void augmentationNamesAndData() {
        assertUsageError(CliRunner.run("train", "--augment", "flip,spin"),
                "--augment: expected none or a comma-separated list of flip, crop, got 'flip,spin'");
        assertUsageError(CliRunner.run("train", "--augment", "flip,flip"), "--augment: 'flip' is given twice in 'flip,flip'");
        assertUsageError(CliRunner.run("train", "--dataset", "moons", "--augment", "flip"),
                "--augment works on images; moons has inputs of shape [2]");
    }

    @Test
    void missingArguments() {
        assertUsageError(CliRunner.run("eval"), "missing --model FILE");
        assertUsageError(CliRunner.run("info"), "missing the model FILE");
    }

    @Test
    void helpIsNotAnError() {
        CliRunner r = CliRunner.run("help", "train");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("--epochs N"), r::toString);
        assertEquals(0, CliRunner.run().status());
        // The README tells users to run `./jgrad train --help`: the command's options, status 0.
        for (String command : new String[] {"train", "eval", "info"}) {
            for (String flag : new String[] {"--help", "-h"}) {
                CliRunner h = CliRunner.run(command, flag);
                assertEquals(0, h.status(), h::toString);
                assertEquals(Cli.help(command), h.out());
                assertEquals("", h.err(), h::toString);
            }
        }
        // After other options too, without running anything.
        CliRunner late = CliRunner.run("train", "--epochs", "1", "--help");
        assertEquals(0, late.status(), late::toString);
        assertEquals(Cli.help("train"), late.out());
    }

    @Test
    void missingCsvFileIsADataError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.csv");
        CliRunner r = CliRunner.run("train", "--dataset", "csv:" + missing);
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().startsWith("jgrad: " + missing + ": no such file\n"), r::toString);
        assertNoStackTrace(r);
    }

    @Test
    void malformedCsvReportsTheReadersMessage(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "x,y,label\n1,2,a\n3,oops,b\n");
        CliRunner r = CliRunner.run("train", "--dataset", "csv:" + f);
        assertEquals(1, r.status(), r::toString);
        String first = r.err().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("jgrad: ") && first.contains(f.toString()) && first.contains("bad.csv:3") && first.contains("'y'"),
                r::toString);
        assertNoStackTrace(r);
    }

    @Test
    void debugShowsTheStackTrace(@TempDir Path dir) {
        CliRunner r = CliRunner.run("train", "--dataset", "csv:" + dir.resolve("nope.csv"), "--debug");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("NoSuchFileException") && r.err().contains("\tat "), r::toString);
    }

    @Test
    void missingImageDirectoryNamesIt(@TempDir Path dir) {
        CliRunner r = CliRunner.run("train", "--data", dir.resolve("nothing").toString());
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().contains("nothing"), r::toString);
        assertNoStackTrace(r);
    }

    @Test
    void notASafetensorsFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.safetensors");
        Files.writeString(f, "definitely not safetensors");
        for (CliRunner r : new CliRunner[] {CliRunner.run("info", f.toString()), CliRunner.run("eval", "--model", f.toString())}) {
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.err().startsWith("jgrad: ") && r.err().contains(f.toString()), r::toString);
            assertNoStackTrace(r);
        }
    }
}
