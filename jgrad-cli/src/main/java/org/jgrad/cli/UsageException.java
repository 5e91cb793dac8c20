package org.jgrad.cli;

/** A command line the CLI cannot run: the message is one line for the user, followed by the usage. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
