package org.jgrad.nn.classic;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.Predicate;
import org.jgrad.DType;
import org.jgrad.Generator;
import org.jgrad.Tensor;
import org.junit.jupiter.api.Test;

class ThresholdNetworkTest {

    /** Every assignment of n variables, one per row in truth-table order, as 0/1 float32 [2ⁿ, n]. */
    static Tensor allAssignments(int n) {
        float[] x = new float[(1 << n) * n];
        for (int r = 0; r < 1 << n; r++) {
            for (int i = 0; i < n; i++) x[r * n + i] = (r >> (n - 1 - i) & 1);
        }
        return Tensor.of(x, 1 << n, n);
    }

    /** The network's answer on every row equals the table's. */
    static void assertComputes(boolean[] table, ThresholdNetwork net, String what) {
        int n = Integer.numberOfTrailingZeros(table.length);
        Tensor out = net.call(allAssignments(n));
        assertArrayEquals(new int[] {table.length, 1}, out.shape(), what);
        double[] y = out.toDoubleArray();
        for (int r = 0; r < table.length; r++) assertEquals(table[r] ? 1 : 0, y[r], 0, what + ", row " + r);
    }

    static int count(boolean[] table, boolean value) {
        int c = 0;
        for (boolean v : table) if (v == value) c++;
        return c;
    }

    @Test
    void randomFunctionsOfUpToSixVariablesInBothForms() {
        Generator g = new Generator(15);
        for (int n = 1; n <= 6; n++) {
            for (int trial = 0; trial < 20; trial++) {
                boolean[] table = new boolean[1 << n];
                for (int r = 0; r < table.length; r++) table[r] = g.nextDouble() < 0.5;
                for (NormalForm form : NormalForm.values()) {
                    ThresholdNetwork net = ThresholdNetwork.fromTruthTable(table, form);
                    assertComputes(table, net, "n " + n + ", trial " + trial + ", " + form);
                    int rows = count(table, form == NormalForm.DNF);
                    assertEquals(Math.max(rows, 1), net.hidden().weight().size(0), "one hidden unit per "
                            + (form == NormalForm.DNF ? "true" : "false") + " row");
                    assertEquals(0, net.parameterCount(), "fixed weights are buffers");
                }
            }
        }
    }

    @Test
    void xorByHandInBothForms() {
        boolean[] xor = {false, true, true, false};
        ThresholdNetwork dnf = ThresholdNetwork.fromTruthTable(xor, NormalForm.DNF);
        assertComputes(xor, dnf, "XOR, DNF");
        // minterms of (0,1) and (1,0): x̄₁x₂ and x₁x̄₂, each with one 1 in its row: bias −1 + ½
        assertArrayEquals(new double[] {-1, 1, 1, -1}, dnf.hidden().weight().toDoubleArray(), 0);
        assertArrayEquals(new double[] {-0.5, -0.5}, dnf.hidden().bias().toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 1}, dnf.output().weight().toDoubleArray(), 0);
        assertEquals(-0.5, dnf.output().bias().item(), 0);
        ThresholdNetwork cnf = ThresholdNetwork.fromTruthTable(xor, NormalForm.CNF);
        assertComputes(xor, cnf, "XOR, CNF");
        // maxterms of (0,0) and (1,1): (x₁ ∨ x₂) and (x̄₁ ∨ x̄₂) — OR and NAND, as in LogicGates.xor()
        assertArrayEquals(new double[] {1, 1, -1, -1}, cnf.hidden().weight().toDoubleArray(), 0);
        assertArrayEquals(new double[] {-0.5, 1.5}, cnf.hidden().bias().toDoubleArray(), 0);
        assertEquals(-1.5, cnf.output().bias().item(), 0);
        assertEquals(DType.FLOAT32, cnf.call(allAssignments(2)).dtype());
    }

    @Test
    void parityOfUpToSixVariables() {
        Predicate<boolean[]> parity = x -> {
            boolean p = false;
            for (boolean b : x) p ^= b;
            return p;
        };
        for (int n = 1; n <= 6; n++) {
            boolean[] table = new boolean[1 << n];
            for (int r = 0; r < table.length; r++) table[r] = Integer.bitCount(r) % 2 == 1;
            for (NormalForm form : NormalForm.values()) {
                ThresholdNetwork net = ThresholdNetwork.fromFunction(n, parity, form);
                assertComputes(table, net, "parity of " + n + ", " + form);
                assertEquals(1 << (n - 1), net.hidden().weight().size(0), "half the rows are true, half false");
                assertEquals(n, net.variables());
                assertEquals(form, net.form());
            }
        }
    }

    @Test
    void constantFunctionsHaveOneConstantHiddenUnit() {
        for (int n = 1; n <= 4; n++) {
            for (boolean value : new boolean[] {false, true}) {
                boolean[] table = new boolean[1 << n];
                java.util.Arrays.fill(table, value);
                for (NormalForm form : NormalForm.values()) {
                    ThresholdNetwork net = ThresholdNetwork.fromTruthTable(table, form);
                    assertComputes(table, net, "constant " + value + " of " + n + ", " + form);
                    boolean empty = (form == NormalForm.DNF) != value;
                    assertEquals(empty ? 1 : 1 << n, net.hidden().weight().size(0), form + " of constant " + value);
                }
            }
        }
        ThresholdNetwork never = ThresholdNetwork.fromFunction(3, x -> false, NormalForm.DNF);
        assertArrayEquals(new double[] {0, 0, 0}, never.hidden().weight().toDoubleArray(), 0);
        assertEquals(-1, never.hidden().bias().item(), 0, "an empty OR: a unit that never fires");
        ThresholdNetwork always = ThresholdNetwork.fromFunction(3, x -> true, NormalForm.CNF);
        assertEquals(1, always.hidden().bias().item(), 0, "an empty AND: a unit that always fires");
    }

    @Test
    void fromFunctionSeesTheTruthTableOrder() {
        // x₁ is the most significant bit: "x₁ and not x₂" is true on row 2 = (1, 0) only.
        ThresholdNetwork net = ThresholdNetwork.fromFunction(2, x -> x[0] && !x[1], NormalForm.DNF);
        assertArrayEquals(new double[] {0, 0, 1, 0}, net.call(allAssignments(2)).toDoubleArray(), 0);
        assertArrayEquals(new boolean[] {true, false, true}, ThresholdNetwork.assignment(3, 5));
    }

    @Test
    void badArgumentsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ThresholdNetwork.fromTruthTable(new boolean[3], NormalForm.DNF));
        assertTrue(e.getMessage().contains("ThresholdNetwork.fromTruthTable") && e.getMessage().contains("2^n rows")
                && e.getMessage().contains("got 3 rows"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ThresholdNetwork.fromTruthTable(new boolean[1], NormalForm.CNF));
        assertThrows(IllegalArgumentException.class, () -> ThresholdNetwork.fromTruthTable(new boolean[0], NormalForm.CNF));
        assertThrows(NullPointerException.class, () -> ThresholdNetwork.fromTruthTable(new boolean[2], null));
        e = assertThrows(IllegalArgumentException.class, () -> ThresholdNetwork.fromFunction(0, x -> true, NormalForm.DNF));
        assertTrue(e.getMessage().contains("ThresholdNetwork.fromFunction") && e.getMessage().contains("got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ThresholdNetwork.fromFunction(ThresholdNetwork.MAX_VARIABLES + 1, x -> true, NormalForm.DNF));
        assertThrows(IllegalArgumentException.class, () -> ThresholdNetwork.assignment(2, 4));
        ThresholdNetwork net = ThresholdNetwork.fromTruthTable(new boolean[] {false, true, true, false}, NormalForm.DNF);
        e = assertThrows(IllegalArgumentException.class, () -> net.call(Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("ThresholdNetwork") && e.getMessage().contains("[n, 2]")
                && e.getMessage().contains("[4, 3]"), e.getMessage());
    }
}
