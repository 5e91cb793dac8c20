package org.jgrad.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.nn.Module;

/** Placeholder until org.jgrad.io.SafeTensors is on main. */
final class ModelFile {
    private ModelFile() {}

    static void save(Path file, Module model, ModelSpec spec, DataSets.Data data, Map<String, String> extra) throws IOException {
        throw new IOException("--save needs org.jgrad.io.SafeTensors, not yet in this build");
    }
}
