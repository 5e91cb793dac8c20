package org.jgrad.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jgrad.kernels.BinaryOp;
import org.jgrad.kernels.Kernels;
import org.jgrad.kernels.UnaryOp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Memory-bound elementwise kernels on 10⁷ floats (40 MB per array, far beyond the caches) against
 * {@code System.arraycopy}: bandwidth = bytes read + written / time. add touches 3 arrays (120 MB),
 * relu and the copy 2 (80 MB); {@code copy3} copies 15·10⁶ floats = the same 120 MB as add.
 * exp runs on 10⁶ floats (8 MB, in L3-ish territory): elements/s = 10⁶ / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow"})
public class ElementwiseBench {
    static final int N = 10_000_000;
    static final int N_EXP = 1_000_000;

    private float[] a, b, c, big, bigOut, e, eOut;
    private final Kernels kernels = Kernels.get();

    @Setup(Level.Trial)
    public void setup() {
        Random r = new Random(1);
        a = new float[N];
        b = new float[N];
        c = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
        }
        big = new float[N * 3 / 2];
        bigOut = new float[N * 3 / 2];
        e = new float[N_EXP];
        eOut = new float[N_EXP];
        for (int i = 0; i < N_EXP; i++) e[i] = (float) r.nextGaussian() * 3;
    }

    @Benchmark
    public float[] add() {
        kernels.binary(BinaryOp.ADD, a, 0, 1, b, 0, 1, c, 0, N);
        return c;
    }

    @Benchmark
    public float[] relu() {
        kernels.unary(UnaryOp.RELU, a, 0, c, 0, N, 0, 0);
        return c;
    }

    /** The reference for relu: the same 80 MB moved. */
    @Benchmark
    public float[] copy() {
        System.arraycopy(a, 0, c, 0, N);
        return c;
    }

    /** The reference for add: the same 120 MB moved. */
    @Benchmark
    public float[] copy3() {
        System.arraycopy(big, 0, bigOut, 0, big.length);
        return bigOut;
    }

    @Benchmark
    public float[] exp() {
        kernels.unary(UnaryOp.EXP, e, 0, eOut, 0, N_EXP, 0, 0);
        return eOut;
    }
}
