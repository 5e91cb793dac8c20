package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

final class InfoCommand {
    static final String USAGE_TEXT = "usage: jgrad info FILE\n";
    private final PrintStream out;

    InfoCommand(PrintStream out) {
        this.out = out;
    }

    void run(List<String> args) throws UsageException, IOException {
        throw new IOException("info needs org.jgrad.io.SafeTensors, not yet in this build");
    }
}
