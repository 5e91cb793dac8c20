package org.jgrad.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code jgrad} command line: {@code train}, {@code eval}, {@code info}, {@code example}. {@link #run}
 * returns the exit status instead of exiting, so tests drive it in-process with their own streams: 0 on
 * success, 2 for a usage error (one line saying what is wrong, then the usage), 1 when the data or a
 * file is unusable (the reader's message; the stack trace only with {@code --debug}) or when an
 * example's claim does not hold.
 */
public final class Cli {
    static final int OK = 0, FAILED = 1, USAGE = 2;

    static final String USAGE_TEXT = """
            usage: jgrad <command> [options]
              jgrad train [options]            train a classifier, print one line per epoch and the test accuracy
              jgrad eval --model FILE [options] rebuild a saved model and report its accuracy
              jgrad info FILE                   architecture, parameter count and tensors of a saved model
              jgrad example [NAME]              list the course's demonstrations, or run one and check its claim
              jgrad help [command]              this text, or a command's options
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    /**
     * @param out results (epoch lines, confusion matrix, accuracy)
     * @param err diagnostics and the progress bar
     * @param terminal whether a person watches: draw a progress bar instead of plain lines
     */
    public Cli(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** Runs one command line and returns its exit status. */
    public int run(String... args) {
        List<String> list = Arrays.asList(args);
        boolean debug = list.contains("--debug");
        String command = list.isEmpty() ? "help" : list.getFirst();
        List<String> rest = list.isEmpty() ? List.of() : list.subList(1, list.size());
        try {
            if (isCommand(command) && (rest.contains("--help") || rest.contains("-h"))) {
                out.print(help(command));
                out.flush();
                return OK;
            }
            int status = OK;
            switch (command) {
                case "train" -> new TrainCommand(out, err, terminal).run(rest);
                case "eval" -> new EvalCommand(out).run(rest);
                case "info" -> new InfoCommand(out).run(rest);
                case "example" -> status = new ExampleCommand(out, err).run(rest);
                case "help", "-h", "--help" -> out.print(help(rest.isEmpty() ? null : rest.getFirst()));
                default -> throw new UsageException("unknown command '" + command + "'");
            }
            out.flush();
            return status;
        } catch (UsageException e) {
            out.flush();
            err.println("jgrad: " + e.getMessage());
            err.print(help(command));
            return USAGE;
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            out.flush();
            err.println("jgrad: " + message(e));
            if (debug) e.printStackTrace(err);
            else err.println("jgrad: (run with --debug for the stack trace)");
            return FAILED;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            out.flush();
            err.println("jgrad: internal error: " + e);
            if (debug) e.printStackTrace(err);
            else err.println("jgrad: (run with --debug for the stack trace)");
            return FAILED;
        }
    }

    /** The reader's own message, with the file named for the JDK's terse file exceptions. */
    static String message(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) e = u.getCause();
        return switch (e) {
            case NoSuchFileException n -> n.getFile() + ": no such file";
            case AccessDeniedException a -> a.getFile() + ": permission denied";
            case FileNotFoundException f -> f.getMessage();
            default -> e.getMessage() != null ? e.getMessage() : e.toString();
        };
    }

    private static boolean isCommand(String command) {
        return command.equals("train") || command.equals("eval") || command.equals("info") || command.equals("example");
    }

    static String help(String command) {
        return switch (command == null ? "" : command) {
            case "train" -> TrainCommand.USAGE_TEXT;
            case "eval" -> EvalCommand.USAGE_TEXT;
            case "info" -> InfoCommand.USAGE_TEXT;
            case "example" -> ExampleCommand.usageText();
            default -> USAGE_TEXT;
        };
    }
}
