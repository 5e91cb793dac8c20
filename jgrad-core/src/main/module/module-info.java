/**
 * jgrad: tensors, reverse-mode automatic differentiation, neural-network layers, optimizers, data
 * loading and model files, in pure Java.
 *
 * <p>The exported packages are the API. {@code org.jgrad.kernels} (the numeric inner loops and their
 * provider) and {@code org.jgrad.internal} (what jgrad's own packages share) are not exported: on the
 * module path a program cannot compile against them. Knobs a user sets have an exported home
 * ({@link org.jgrad.Parallelism}); the kernel choice is made by system properties ({@code jgrad.kernels},
 * {@code jgrad.blas}).
 *
 * <p>On the module path:
 * <ul>
 *   <li>{@code --add-modules jdk.incubator.vector} selects the Vector API kernels. The module is
 *       required {@code static}, so jgrad resolves without it and then uses its plain-Java kernels.</li>
 *   <li>{@code --enable-native-access=org.jgrad} lets the optional OpenBLAS products
 *       ({@code -Djgrad.blas=openblas}) call native code; on the class path it is
 *       {@code --enable-native-access=ALL-UNNAMED}.</li>
 *   <li>The embedded Fashion-MNIST sample is read as a resource of the jgrad-datasets jar, which is
 *       found on the class path or as an automatic module.</li>
 * </ul>
 * On the class path ({@code -cp}, {@code java -jar}) this descriptor is ignored and every package is
 * visible, as before.
 */
module org.jgrad {
    requires static jdk.incubator.vector;
    requires java.net.http;

    exports org.jgrad;
    exports org.jgrad.data;
    exports org.jgrad.io;
    exports org.jgrad.nn;
    exports org.jgrad.nn.classic;
    exports org.jgrad.nn.estimators;
    exports org.jgrad.nn.init;
    exports org.jgrad.optim;
    exports org.jgrad.optim.lr;
}
