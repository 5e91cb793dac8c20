package org.jgrad.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jgrad.kernels.Kernels;
import org.jgrad.kernels.Threads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * float32 products through {@link Kernels#get()}. GFLOPS = 2·m·n·k / (score in µs) / 1000.
 * Shapes: the square 1024³ and the three products of an MLP layer 784→256 at batch 128
 * (forward X·Wᵀ-like A·B, weight gradient Aᵀ·B, input gradient A·Bᵀ).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow"})
public class MatmulBench {

    /** m x n x k : transA transB. */
    @Param({"1024x1024x1024:NN", "128x256x784:NN", "784x256x128:TN", "128x784x256:NT"})
    public String shape;

    @Param({"2", "1"})
    public int threads;

    private int m, n, k;
    private boolean ta, tb;
    private float[] a, b, c;
    private final Kernels kernels = Kernels.get();

    @Setup(Level.Trial)
    public void setup() {
        String[] p = shape.split("[x:]");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        ta = p[3].charAt(0) == 'T';
        tb = p[3].charAt(1) == 'T';
        Random r = new Random(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        Threads.set(threads);
    }

    @Benchmark
    public float[] gemm() {
        kernels.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c, 0, n, false);
        return c;
    }
}
