package org.jgrad.nn.classic;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Predicate;
import org.jgrad.Tensor;
import org.jgrad.nn.Module;

/**
 * Any Boolean function of n variables as a two-layer network of threshold units, built from its
 * disjunctive or conjunctive {@link NormalForm}: inputs [batch, n] of 0/1, output [batch, 1] of 0/1
 * in the input's type.
 *
 * <p>The truth table lists the 2ⁿ assignments in binary order with x₁ as the most significant bit:
 * row r has xᵢ = bit (n − i) of r, so for two variables the rows are (0,0), (0,1), (1,0), (1,1).
 *
 * <p><b>DNF</b>: for each true row b, a hidden unit with wᵢ = +1 where bᵢ = 1 and −1 where bᵢ = 0,
 * and bias −k + ½ (k the number of ones in b). On 0/1 inputs ⟨w, x⟩ ≤ k, with equality only at x = b,
 * so the unit fires exactly on its row (a minterm). The output is their OR: weights 1, bias −½.
 *
 * <p><b>CNF</b>: for each false row b, the same unit with every sign flipped (w → −w, bias k − ½),
 * which fires everywhere except at x = b (a maxterm, the clause false only on b). The output is their
 * AND: weights 1, bias −m + ½ for m hidden units.
 *
 * <p>The constant functions have no row for their form (DNF of the constant 0 has no true row, CNF
 * of the constant 1 no false row). An empty OR is 0 and an empty AND is 1; the network keeps one
 * hidden unit with zero weights that never fires (bias −1, DNF) or always fires (bias +1, CNF), so
 * both layers keep a unit and the output is that constant.
 *
 * <p>The weights are fixed buffers, as in every {@link ThresholdLayer}. The hidden layer can have up
 * to 2ⁿ units, so n is limited to {@value #MAX_VARIABLES}.
 */
public final class ThresholdNetwork extends Module {
    /** The largest number of variables accepted (a table of 2¹⁶ rows). */
    public static final int MAX_VARIABLES = 16;

    private final int variables;
    private final NormalForm form;
    private final ThresholdLayer hidden;
    private final ThresholdLayer output;

    private ThresholdNetwork(int variables, NormalForm form, ThresholdLayer hidden, ThresholdLayer output) {
        this.variables = variables;
        this.form = form;
        this.hidden = registerModule("hidden", hidden);
        this.output = registerModule("output", output);
    }

    /**
     * The network of the function whose truth table is {@code table} (2ⁿ rows in the order described
     * above, 1 ≤ n ≤ {@value #MAX_VARIABLES}), in the given normal form.
     */
    public static ThresholdNetwork fromTruthTable(boolean[] table, NormalForm form) {
        Objects.requireNonNull(table, "ThresholdNetwork.fromTruthTable: table");
        Objects.requireNonNull(form, "ThresholdNetwork.fromTruthTable: form");
        int n = Integer.numberOfTrailingZeros(table.length);
        if (table.length < 2 || Integer.bitCount(table.length) != 1 || n > MAX_VARIABLES) {
            throw new IllegalArgumentException("ThresholdNetwork.fromTruthTable: expected a truth table of 2^n rows with 1 <= n <= "
                    + MAX_VARIABLES + ", got " + table.length + " rows");
        }
        // DNF takes the true rows, CNF the false ones.
        boolean wanted = form == NormalForm.DNF;
        int m = 0;
        for (boolean v : table) if (v == wanted) m++;
        double[][] w;
        double[] b;
        if (m == 0) {
            w = new double[][] {new double[n]};
            b = new double[] {wanted ? -1 : 1};
        } else {
            w = new double[m][n];
            b = new double[m];
            double sign = wanted ? 1 : -1;
            int unit = 0;
            for (int r = 0; r < table.length; r++) {
                if (table[r] != wanted) continue;
                int ones = 0;
                for (int i = 0; i < n; i++) {
                    boolean bit = (r >> (n - 1 - i) & 1) == 1;
                    if (bit) ones++;
                    w[unit][i] = sign * (bit ? 1 : -1);
                }
                b[unit] = sign * (0.5 - ones);
                unit++;
            }
        }
        int units = w.length;
        double[][] ones = new double[1][units];
        Arrays.fill(ones[0], 1);
        double outBias = wanted ? -0.5 : 0.5 - units;
        return new ThresholdNetwork(n, form, new ThresholdLayer(w, b), new ThresholdLayer(ones, new double[] {outBias}));
    }

    /**
     * The network of {@code f} on n variables (1 ≤ n ≤ {@value #MAX_VARIABLES}): f is asked once for
     * each of the 2ⁿ assignments, each a fresh array (x₁, …, xₙ), and its answers form the truth table.
     */
    public static ThresholdNetwork fromFunction(int variables, Predicate<boolean[]> f, NormalForm form) {
        Objects.requireNonNull(f, "ThresholdNetwork.fromFunction: f");
        if (variables < 1 || variables > MAX_VARIABLES) {
            throw new IllegalArgumentException("ThresholdNetwork.fromFunction: expected 1 <= variables <= " + MAX_VARIABLES
                    + ", got " + variables);
        }
        boolean[] table = new boolean[1 << variables];
        for (int r = 0; r < table.length; r++) table[r] = f.test(assignment(variables, r));
        return fromTruthTable(table, form);
    }

    /** Row r of the truth table of n variables: xᵢ = bit (n − i) of r, x₁ most significant. */
    public static boolean[] assignment(int variables, int row) {
        if (variables < 1 || variables > MAX_VARIABLES || row < 0 || row >= 1 << variables) {
            throw new IllegalArgumentException("ThresholdNetwork.assignment: expected 1 <= variables <= " + MAX_VARIABLES
                    + " and 0 <= row < 2^variables, got variables " + variables + ", row " + row);
        }
        boolean[] x = new boolean[variables];
        for (int i = 0; i < variables; i++) x[i] = (row >> (variables - 1 - i) & 1) == 1;
        return x;
    }

    public int variables() {
        return variables;
    }

    public NormalForm form() {
        return form;
    }

    /** One unit per true row (DNF) or false row (CNF), or the single constant unit. */
    public ThresholdLayer hidden() {
        return hidden;
    }

    /** The OR (DNF) or AND (CNF) unit. */
    public ThresholdLayer output() {
        return output;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 2 || x.size(1) != variables) {
            throw new IllegalArgumentException("ThresholdNetwork: expected input of shape [n, " + variables + "] of 0/1, got "
                    + Arrays.toString(x.shape()));
        }
        return output.call(hidden.call(x));
    }

    @Override
    protected String extraRepr() {
        return "variables=" + variables + ", form=" + form;
    }
}
