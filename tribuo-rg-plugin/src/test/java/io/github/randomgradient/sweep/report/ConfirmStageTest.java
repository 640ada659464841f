package io.github.randomgradient.sweep.report;

import io.github.randomgradient.sweep.ConfirmCell;
import io.github.randomgradient.sweep.PlannedRun;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The confirm stage's side of the sweep results: the cells the tuning stage chooses (the input of
 * the stage-2 plan) and each chosen cell's confirm runs, on runs built by hand.
 */
public class ConfirmStageTest {

    private static final String RG = "rg(rg-uniform)";

    private static RunOutcome run(String label, String lr, long seed, String status, double validation, double test) {
        String arm = label.equals(PlannedRun.BASELINE) ? label : label.substring(0, label.indexOf('('));
        return new RunOutcome(arm, label, arm.equals(PlannedRun.BASELINE) ? "" : "rg-uniform", Map.of("learningRate", lr, "momentum", "0.9"),
                seed, lr, label + lr + "-" + seed, status, test, validation, test, 1, true, 0.1, List.of(test), 0, 0);
    }

    @Test
    public void theChosenCellsAreTheBestValidationCellsAndTheirConfirmRunsAreTheFreshSeedsOfThoseCellsOnly() {
        List<RunOutcome> tuning = new ArrayList<>();
        // Baseline: lr 0.1 wins on validation (0.80 vs 0.70) although lr 0.01 is better on test.
        for (long seed = 1; seed <= 2; seed++) {
            tuning.add(run(PlannedRun.BASELINE, "0.01", seed, RunOutcome.OK, 0.70, 0.90));
            tuning.add(run(PlannedRun.BASELINE, "0.1", seed, RunOutcome.OK, 0.80, 0.60));
            tuning.add(run(RG, "0.01", seed, RunOutcome.OK, 0.75, 0.75));
            // RG at 0.1 is better on validation but one run collapsed, so the cell cannot be chosen.
            tuning.add(run(RG, "0.1", seed, seed == 2 ? RunOutcome.COLLAPSED : RunOutcome.OK, 0.95, 0.95));
        }
        List<SweepResults.TunedArm> tuned = new ArrayList<>();
        SweepResults.tune("", PlannedRun.BASELINE, tuning).ifPresent(tuned::add);
        SweepResults.tune("", RG, tuning).ifPresent(tuned::add);
        SweepResults results = new SweepResults("t", 0.8, 1, 2, List.of("0.01", "0.1"), List.of("0.9"), tuning, List.of(), tuned,
                List.of(), List.of());
        assertEquals(List.of(new ConfirmCell(PlannedRun.BASELINE, "", Map.of("learningRate", "0.1", "momentum", "0.9")),
                new ConfirmCell(PlannedRun.RG, "rg-uniform", Map.of("learningRate", "0.01", "momentum", "0.9"))), results.chosenCells());

        // Confirm runs: the chosen cells with seeds 11 and 12, and a decoy of an unchosen cell.
        List<RunOutcome> confirm = List.of(
                run(PlannedRun.BASELINE, "0.1", 11, RunOutcome.OK, 0.81, 0.61),
                run(PlannedRun.BASELINE, "0.1", 12, RunOutcome.OK, 0.79, 0.65),
                run(RG, "0.01", 11, RunOutcome.OK, 0.70, 0.72),
                run(RG, "0.01", 12, RunOutcome.DIVERGED, Double.NaN, Double.NaN),
                run(PlannedRun.BASELINE, "0.01", 11, RunOutcome.OK, 0.70, 0.99));
        List<SweepResults.TunedArm> arms = SweepResults.confirmed(tuned, confirm);
        assertEquals(2, arms.size());
        SweepResults.TunedArm base = arms.get(0);
        assertEquals(List.of(11L, 12L), base.runs().stream().map(RunOutcome::seed).toList());
        assertTrue(base.runs().stream().allMatch(r -> r.grid().get("learningRate").equals("0.1")), "the decoy is not the chosen cell's");
        assertEquals((0.61 + 0.65) / 2, base.meanTestAccuracy(), 1e-12);
        assertEquals((0.81 + 0.79) / 2, base.meanValidationAccuracy(), 1e-12);
        assertEquals("0.1", base.learningRate());
        SweepResults.TunedArm rg = arms.get(1);
        // The diverged run stays in the list (and out of every pair) but not in the means.
        assertEquals(2, rg.runs().size());
        assertEquals(0.72, rg.meanTestAccuracy(), 1e-12);
        // Paired by seed, only seed 11 has two normal runs: RG − baseline = 0.72 − 0.61.
        PairedComparison c = SweepResults.compare(rg.runs(), base.runs(), Metric.ACCURACY, new ArrayList<>(), 1);
        assertEquals(1, c.n());
        assertEquals(0.72 - 0.61, c.meanDifference(), 1e-12);
    }
}
