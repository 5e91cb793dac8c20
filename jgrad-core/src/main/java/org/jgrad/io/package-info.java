/**
 * Model files. {@link org.jgrad.io.SafeTensors} saves and loads named tensors in the safetensors format
 * (data only, no code; every header claim checked before allocation; atomic replacement on write), and
 * {@link org.jgrad.io.CorruptFileException} reports a file that cannot be trusted.
 */
package org.jgrad.io;
