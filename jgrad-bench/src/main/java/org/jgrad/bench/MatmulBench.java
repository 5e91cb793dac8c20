package org.jgrad.bench;

import java.util.concurrent.TimeUnit;
import org.jgrad.Parallelism;
import org.jgrad.kernels.Kernels;
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

    private MatmulVsOpenBlas.Shape s;
    private final Kernels kernels = Kernels.get();

    @Setup(Level.Trial)
    public void setup() {
        s = MatmulVsOpenBlas.Shape.parse(shape);
        s.allocateHeap();
        Parallelism.setNumThreads(threads);
    }

    @Benchmark
    public float[] gemm() {
        s.jgrad(kernels);
        return s.c;
    }
}
