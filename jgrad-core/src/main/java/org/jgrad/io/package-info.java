/**
 * Model files. {@link org.jgrad.io.SafeTensors} saves and loads named tensors in the safetensors format
 * (data only, no code; every header claim checked before allocation; atomic replacement on write),
 * {@link org.jgrad.io.Checkpoint} saves a model, or a model with its optimizer, as one such file under
 * PyTorch's state-dict names, and {@link org.jgrad.io.CorruptFileException} reports a file that cannot
 * be trusted.
 */
package org.jgrad.io;
