package org.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jgrad.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jgrad-core as the module org.jgrad: a program in its own module that uses the exported API compiles
 * and runs on the module path; one that imports a kernel class does not compile. The same program
 * still compiles and runs on the class path, where the descriptor is ignored. The programs are
 * compiled with the JDK's compiler and run in child JVMs, as a user would.
 */
class ModulePathTest {
    /** Tensor, autograd, a Linear layer with SGD and cross-entropy, and Parallelism: exported API only. */
    private static final String PROGRAM = """
            package demo;

            import java.util.Arrays;
            import java.util.List;
            import org.jgrad.Autograd;
            import org.jgrad.Generator;
            import org.jgrad.Parallelism;
            import org.jgrad.Tensor;
            import org.jgrad.nn.Linear;
            import org.jgrad.nn.Losses;
            import org.jgrad.optim.SGD;

            public class Main {
                public static void main(String[] args) {
                    Tensor x = Tensor.of(1, 2, 3).requiresGrad(true);
                    Tensor dx = Autograd.grad(x.mul(x).sum(), List.of(x), false).get(0);
                    System.out.println("grad " + Arrays.toString(dx.toDoubleArray()));

                    Parallelism.setNumThreads(1);
                    Linear layer = new Linear(2, 3, new Generator(7));
                    SGD opt = new SGD(layer.parameters(), 0.5);
                    Tensor in = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 1}, {0, 0}});
                    Tensor targets = Tensor.of(new long[] {0, 1, 2, 0}, 4);
                    double first = Double.NaN, last = Double.NaN;
                    for (int step = 0; step < 20; step++) {
                        opt.zeroGrad();
                        Tensor loss = Losses.crossEntropy(layer.call(in), targets);
                        loss.backward();
                        opt.step();
                        if (step == 0) first = loss.item();
                        last = loss.item();
                    }
                    System.out.println("loss decreased " + (last < first));
                    System.out.println("threads " + Parallelism.getNumThreads());
                }
            }
            """;

    private static Path core;

    @TempDir
    Path dir;

    @BeforeAll
    static void findCore() throws URISyntaxException {
        // The jgrad-core this test runs against: target/classes (an exploded module) or the jar.
        core = Path.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theDescriptorExportsTheApiPackagesOnly() {
        ModuleDescriptor d = ModuleFinder.of(core).find("org.jgrad")
                .orElseThrow(() -> new AssertionError(core + " holds no module org.jgrad")).descriptor();
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("org.jgrad", "org.jgrad.data", "org.jgrad.io", "org.jgrad.nn",
                "org.jgrad.nn.classic", "org.jgrad.nn.estimators", "org.jgrad.nn.init", "org.jgrad.optim",
                "org.jgrad.optim.lr")), exported);
        assertTrue(d.packages().containsAll(List.of("org.jgrad.kernels", "org.jgrad.internal")), d.packages().toString());
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("jdk.incubator.vector")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)), d.requires().toString());
    }

    @Test
    void aProgramUsingTheApiCompilesAndRunsOnTheModulePath() throws Exception {
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), "module demo { requires org.jgrad; }\n");
        write(src.resolve("demo/Main.java"), PROGRAM);
        Path out = dir.resolve("mods/demo");
        Compilation c = compile(List.of("--module-path", core.toString(), "-d", out.toString()), src);
        assertTrue(c.ok, c.messages);

        String modulePath = core + java.io.File.pathSeparator + out;
        Run vector = run("--module-path", modulePath, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=org.jgrad", "-m", "demo/demo.Main");
        assertTrue(vector.out.contains("grad [2.0, 4.0, 6.0]"), vector.toString());
        assertTrue(vector.out.contains("loss decreased true"), vector.toString());
        assertTrue(vector.out.contains("threads 1"), vector.toString());
        assertTrue(vector.err.contains("jgrad kernels: vector("), vector.toString());
        assertFalse(vector.err.contains("Unknown module"), vector.toString());

        Run scalar = run("--module-path", modulePath, "-m", "demo/demo.Main");
        assertTrue(scalar.out.contains("grad [2.0, 4.0, 6.0]") && scalar.out.contains("loss decreased true"), scalar.toString());
        assertTrue(scalar.err.contains("jgrad kernels: scalar (module jdk.incubator.vector is not in the boot layer"),
                scalar.toString());
    }

    @Test
    void aProgramImportingAKernelClassDoesNotCompileOnTheModulePath() throws Exception {
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), "module intruder { requires org.jgrad; }\n");
        write(src.resolve("intruder/Main.java"), """
                package intruder;

                import org.jgrad.kernels.Kernels;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(Kernels.get().name());
                    }
                }
                """);
        Compilation c = compile(List.of("--module-path", core.toString(), "-d", dir.resolve("mods/intruder").toString()), src);
        assertFalse(c.ok, "importing org.jgrad.kernels compiled:\n" + c.messages);
        assertTrue(c.messages.contains("package org.jgrad.kernels is not visible")
                && c.messages.contains("does not export it"), c.messages);
    }

    @Test
    void theSameProgramStillCompilesAndRunsOnTheClassPath() throws Exception {
        Path src = dir.resolve("src");
        write(src.resolve("demo/Main.java"), PROGRAM);
        Path out = dir.resolve("classes");
        Compilation c = compile(List.of("-cp", core.toString(), "-d", out.toString()), src);
        assertTrue(c.ok, c.messages);
        Run r = run("-cp", core + java.io.File.pathSeparator + out, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "demo.Main");
        assertTrue(r.out.contains("grad [2.0, 4.0, 6.0]") && r.out.contains("loss decreased true"), r.toString());
        assertTrue(r.err.contains("jgrad kernels: vector("), r.toString());
    }

    private record Compilation(boolean ok, String messages) {}

    private Compilation compile(List<String> options, Path sourceRoot) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<Path> sources;
        try (var files = Files.walk(sourceRoot)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> all = new ArrayList<>(options);
            if (!all.contains("-cp")) {
                // Else javac takes this JVM's class path, where every jgrad package is visible.
                all.addAll(List.of("-cp", Files.createDirectories(dir.resolve("empty")).toString()));
            }
            all.add("-Xlint:-incubating");
            boolean ok = javac.getTask(null, fm, diagnostics, all, null, fm.getJavaFileObjectsFromPaths(sources)).call();
            String messages = diagnostics.getDiagnostics().stream()
                    .map(d -> d.getKind() + ": " + d.getMessage(null))
                    .collect(Collectors.joining("\n"));
            return new Compilation(ok && diagnostics.getDiagnostics().stream()
                    .noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR), messages);
        }
    }

    private record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // Settings from the caller's environment would change which kernels the child picks.
        for (String v : List.of("JGRAD_KERNELS", "JGRAD_BLAS", "JGRAD_THREADS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS")) {
            pb.environment().remove(v);
        }
        Path stdout = Files.createTempFile(dir, "out", ".txt"), stderr = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        Run r = new Run(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
        assertEquals(0, r.status, () -> command + "\n" + r);
        return r;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
