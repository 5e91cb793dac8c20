package org.jgrad.bench;

import java.util.concurrent.TimeUnit;
import org.jgrad.Generator;
import org.jgrad.Parallelism;
import org.jgrad.Tensor;
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
 * {@code Tensor.einsum("ij,jk->ik", a, b)} against {@code a.matmul(b)} on float32 tensors without grad:
 * einsum should add only its parsing and planning to the one matmul it runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow"})
public class EinsumBench {

    /** m x k x n: a is m×k, b is k×n; 8x8x8 shows einsum's fixed cost, the product being nearly free. */
    @Param({"256x256x256", "128x784x256", "8x8x8"})
    public String shape;

    @Param({"2"})
    public int threads;

    private Tensor a;
    private Tensor b;

    @Setup(Level.Trial)
    public void setup() {
        String[] p = shape.split("x");
        int m = Integer.parseInt(p[0]), k = Integer.parseInt(p[1]), n = Integer.parseInt(p[2]);
        Generator gen = new Generator(42);
        a = Tensor.randn(gen, m, k);
        b = Tensor.randn(gen, k, n);
        Parallelism.setNumThreads(threads);
    }

    @Benchmark
    public Tensor matmul() {
        return a.matmul(b);
    }

    @Benchmark
    public Tensor einsum() {
        return Tensor.einsum("ij,jk->ik", a, b);
    }
}
