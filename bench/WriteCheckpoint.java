import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.Autograd;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.jgrad.io.Checkpoint;
import org.jgrad.io.SafeTensors;
import org.jgrad.nn.BatchNorm1d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Losses;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Tanh;
import org.jgrad.optim.Adam;

/**
 * Writes the files bench/pytorch-load-checkpoint.py checks: a small trained model as a jgrad
 * checkpoint (weights only, and weights + Adam state), plus an input batch and the model's output on it.
 *
 *   java -cp jgrad-core/target/classes bench/WriteCheckpoint.java OUT_DIR
 */
public class WriteCheckpoint {
    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]));
        Generator gen = new Generator(42);
        var model = new Sequential(new Linear(4, 8, gen), new BatchNorm1d(8), new ReLU(), new Linear(8, 3, gen), new Tanh());
        var opt = new Adam(model.parameters(), 0.01);
        Tensor x = Tensor.randn(gen, 32, 4), target = Tensor.randn(gen, 32, 3);
        for (int step = 0; step < 5; step++) {
            opt.zeroGrad();
            Losses.mse(model.call(x), target).backward();
            opt.step();
        }
        model.eval(); // running statistics, as PyTorch's model.eval()
        Tensor y;
        try (var _ = Autograd.noGrad()) {
            y = model.call(x);
        }
        Checkpoint.saveModel(out.resolve("model.safetensors"), model, Map.of("note", "bench/WriteCheckpoint.java"));
        Checkpoint.save(out.resolve("training.safetensors"), model, opt, Map.of("step", "5"));
        SafeTensors.write(out.resolve("io.safetensors"), Map.of("x", x, "y", y), null);
        System.out.println("wrote " + out + "/{model,training,io}.safetensors");
    }
}
