package io.github.randomgradient.sweep.report;

import io.github.randomgradient.sweep.PlannedRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Edge flags for a chosen cell on each edge of each axis (lower and upper, learning rate and momentum), at a
 * corner, and interior, over a 3 × 3 grid whose best cell (by validation accuracy) is the one named.
 */
public class EdgeFlagsTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "0.1;0.5;''",
            "0.01;0.5;learningRate lower 0.005",
            "1.0;0.5;learningRate upper 2.0",
            "0.1;0.0;momentum lower none",
            "0.1;0.9;momentum upper 0.95",
            "1.0;0.9;learningRate upper 2.0|momentum upper 0.95",
            "0.01;0.0;learningRate lower 0.005|momentum lower none"})
    public void flagsEveryEdgeWithTheNextValue(String bestLr, String bestMomentum, String expected) {
        List<String> lrs = List.of("0.01", "0.1", "1.0");
        List<String> momenta = List.of("0.0", "0.5", "0.9");
        List<RunOutcome> runs = new ArrayList<>();
        for (String lr : lrs) {
            for (String m : momenta) {
                double acc = lr.equals(bestLr) && m.equals(bestMomentum) ? 0.9 : 0.8;
                runs.add(BudgetCurvesTest.run(PlannedRun.BASELINE, lr, m, 1, RunOutcome.OK, acc, acc));
            }
        }
        SweepResults r = BudgetCurvesTest.results(runs, lrs, momenta);
        List<EdgeFlags> flags = EdgeFlags.of(r);
        assertEquals(1, flags.size());
        EdgeFlags f = flags.get(0);
        assertEquals(bestLr, f.learningRate());
        assertEquals(bestMomentum, f.momentum());
        String actual = String.join("|", f.edges().stream().map(e -> e.axis() + " " + e.side() + " "
                + (e.next() == null ? "none" : Double.toString(e.next()))).toList());
        assertEquals(expected, actual);
        assertEquals(expected.isEmpty(), f.interior());
    }
}
