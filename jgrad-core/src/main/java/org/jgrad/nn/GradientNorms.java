package org.jgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrad.Tensor;

/**
 * The L2 norms of the gradients left by backward, to see how well a network passes gradient back:
 * in a deep stack of sigmoids the norms shrink layer by layer towards the input (each sigmoid
 * multiplies by at most 1/4), while ReLU with He initialization keeps them of one order. Parameters
 * that have no gradient (backward did not reach them) are left out.
 */
public final class GradientNorms {
    private GradientNorms() {}

    /** ‖grad‖₂ of each parameter, by its name in {@link Module#namedParameters()}. */
    public static LinkedHashMap<String, Double> perParameter(Module module) {
        LinkedHashMap<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            if (g != null) out.put(e.getKey(), Math.sqrt(sumOfSquares(g)));
        }
        return out;
    }

    /**
     * The norm of all gradients of each module's own parameters together (a {@link Linear}'s weight and
     * bias), by module name ({@code 0}, {@code encoder.fc1}; "" for the top module's own), in
     * parameter order.
     */
    public static LinkedHashMap<String, Double> perLayer(Module module) {
        LinkedHashMap<String, Double> squares = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null) continue;
            String name = e.getKey();
            int dot = name.lastIndexOf('.');
            squares.merge(dot < 0 ? "" : name.substring(0, dot), sumOfSquares(g), Double::sum);
        }
        LinkedHashMap<String, Double> out = new LinkedHashMap<>();
        squares.forEach((k, v) -> out.put(k, Math.sqrt(v)));
        return out;
    }

    private static double sumOfSquares(Tensor g) {
        double s = 0;
        for (double v : g.toDoubleArray()) s += v * v;
        return s;
    }
}
