package org.jgrad.cli;

/** Entry point of the runnable jar: the only place that ends the JVM with a status. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int status = new Cli(System.out, System.err, isTerminal()).run(args);
        System.out.flush();
        System.exit(status);
    }

    /** A person watching: JDK 22+ returns a Console even for pipes, so ask it whether it is a terminal. */
    private static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }
}
