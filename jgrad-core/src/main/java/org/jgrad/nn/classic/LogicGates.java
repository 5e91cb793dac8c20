package org.jgrad.nn.classic;

import org.jgrad.nn.Module;
import org.jgrad.nn.Sequential;

/**
 * Boolean functions as threshold units, with inputs and outputs 0/1 (inputs [n, 2], NOT's [n, 1];
 * outputs [n, 1]). AND, OR, NAND and NOT are linearly separable, so one unit each suffices; XOR is
 * not (no line splits {(0,1), (1,0)} from {(0,0), (1,1)}), so it takes two layers:
 * XOR(a, b) = AND(OR(a, b), NAND(a, b)).
 */
public final class LogicGates {
    private LogicGates() {}

    /** w = (1, 1), b = −1.5: fires only when both inputs are on. */
    public static ThresholdLayer and() {
        return new ThresholdLayer(new double[][] {{1, 1}}, new double[] {-1.5});
    }

    /** w = (1, 1), b = −0.5: fires when at least one input is on. */
    public static ThresholdLayer or() {
        return new ThresholdLayer(new double[][] {{1, 1}}, new double[] {-0.5});
    }

    /** w = (−1, −1), b = 1.5: AND with every sign flipped. */
    public static ThresholdLayer nand() {
        return new ThresholdLayer(new double[][] {{-1, -1}}, new double[] {1.5});
    }

    /** w = −1, b = 0.5 on a single input. */
    public static ThresholdLayer not() {
        return new ThresholdLayer(new double[][] {{-1}}, new double[] {0.5});
    }

    /** Two layers: hidden units OR and NAND side by side, then AND of the two. */
    public static Module xor() {
        ThresholdLayer hidden = new ThresholdLayer(new double[][] {{1, 1}, {-1, -1}}, new double[] {-0.5, 1.5});
        return new Sequential(hidden, and());
    }
}
