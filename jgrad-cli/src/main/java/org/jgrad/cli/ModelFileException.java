package org.jgrad.cli;

import java.io.IOException;

/** A model file that jgrad eval or info cannot use (no architecture in its metadata, wrong tensors). */
final class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    ModelFileException(String message) {
        super(message);
    }
}
