package io.github.randomgradient.sweep.report;

import io.github.randomgradient.sweep.PlannedRun;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A heatmap's cells are one family of tests, and so are the report's verdicts: marks and verdicts
 * use Holm-adjusted p-values, computed here by hand from the raw p-values.
 */
public class HeatmapHolmTest {

    private static final double[] REFERENCE = {0.80, 0.81, 0.82};

    private static RunOutcome run(String arm, String lr, String momentum, long seed, double accuracy) {
        return new RunOutcome(arm, arm, "rg-uniform", Map.of("learningRate", lr, "momentum", momentum), seed, lr,
                arm + lr + momentum + seed, RunOutcome.OK, accuracy, accuracy, accuracy, 1, true, 0.1, List.of(accuracy), 0, 0);
    }

    @Test
    public void marksUseHolmAdjustedPValuesOverTheHeatmapsCells() {
        // RG − baseline per seed in each cell (lr, momentum): a large consistent gain, a small one that is
        // significant alone (p ≈ 0.045) but not among 4 tests, and two with no consistent sign.
        Map<String, double[]> diffs = Map.of(
                "0.1/0.9", new double[]{0.10, 0.1005, 0.10},
                "0.1/0", new double[]{0.01, 0.02, 0.012},
                "0.01/0.9", new double[]{0.01, -0.01, 0.005},
                "0.01/0", new double[]{-0.02, 0.01, 0.0});
        List<RunOutcome> runs = new ArrayList<>();
        for (Map.Entry<String, double[]> e : diffs.entrySet()) {
            String[] point = e.getKey().split("/");
            for (int s = 0; s < 3; s++) {
                runs.add(run("rg", point[0], point[1], s + 1, REFERENCE[s] + e.getValue()[s]));
                runs.add(run(PlannedRun.BASELINE, point[0], point[1], s + 1, REFERENCE[s]));
            }
        }
        SweepResults.Heatmap h = SweepResults.heatmap("", "rg-uniform", "rg", PlannedRun.BASELINE, Metric.ACCURACY, runs,
                List.of("0.01", "0.1"), List.of("0", "0.9"), 3);

        TTest t = new TTest();
        double[] raw = new double[4];
        String[] keys = {"0.01/0", "0.1/0", "0.01/0.9", "0.1/0.9"};
        for (int i = 0; i < 4; i++) {
            double[] d = diffs.get(keys[i]);
            double[] rg = {REFERENCE[0] + d[0], REFERENCE[1] + d[1], REFERENCE[2] + d[2]};
            raw[i] = t.pairedTTest(rg, REFERENCE);
        }
        // Holm by hand: ascending raw p are 0.1/0.9, 0.1/0, then the two others; m = 4.
        double strong = raw[3];
        double small = raw[1];
        assertTrue(strong < small && small < 0.05 && small < raw[0] && small < raw[2], java.util.Arrays.toString(raw));
        double adjStrong = 4 * strong;
        double adjSmall = Math.max(adjStrong, 3 * small);
        double adjThird = Math.min(1, Math.max(adjSmall, 2 * Math.min(raw[0], raw[2])));
        double adjLast = Math.min(1, Math.max(adjThird, Math.max(raw[0], raw[2])));

        List<List<SweepResults.Cell>> cells = h.cells(); // rows: momentum 0, 0.9; columns: lr 0.01, 0.1
        assertEquals(raw[1], cells.get(0).get(1).comparison().pValue(), 1e-12);
        assertEquals(adjStrong, cells.get(1).get(1).adjustedPValue(), 1e-12);
        assertEquals(adjSmall, cells.get(0).get(1).adjustedPValue(), 1e-12);
        assertEquals(raw[0] < raw[2] ? adjThird : adjLast, cells.get(0).get(0).adjustedPValue(), 1e-12);
        assertEquals(raw[0] < raw[2] ? adjLast : adjThird, cells.get(1).get(0).adjustedPValue(), 1e-12);
        assertEquals("**", cells.get(1).get(1).mark());
        assertEquals("", cells.get(0).get(1).mark(), "raw p " + small + " does not survive the correction");
    }

    @Test
    public void armsWhoseTunedCellsAreTheSameRunsAreNamed() {
        List<RunOutcome> base = List.of(run(PlannedRun.BASELINE, "0.005", "0.95", 1, 0.87), run(PlannedRun.BASELINE, "0.005", "0.95", 2, 0.86));
        List<RunOutcome> rg = List.of(run("rg", "0.1", "0.5", 1, 0.85), run("rg", "0.1", "0.5", 2, 0.86));
        List<SweepResults.TunedArm> tuned = List.of(
                new SweepResults.TunedArm("", "baseline", "0.005", "0.95", 0.88, 0.87, base),
                new SweepResults.TunedArm("", "rg(rg-uniform)", "0.1", "0.5", 0.86, 0.85, rg),
                new SweepResults.TunedArm("", "lr-matched(rg-uniform)", "0.01", "0.95", 0.88, 0.87, List.of(base.get(1), base.get(0))));
        SweepResults r = new SweepResults("t", 0.8, 3, 2, List.of(), List.of(), List.of(), List.of(), tuned, List.of(), List.of());
        assertEquals(List.of("The tuned cell of lr-matched(rg-uniform) is the tuned cell of baseline (the same runs), so their curves "
                + "coincide and RG's comparisons with the two are one test."), SweepReportText.sharedCells(r));
    }
}
