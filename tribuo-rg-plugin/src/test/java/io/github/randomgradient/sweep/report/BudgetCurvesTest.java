package io.github.randomgradient.sweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.randomgradient.report.doc.Document;
import io.github.randomgradient.report.doc.MarkdownRenderer;
import io.github.randomgradient.report.stats.ExpectedMaximum;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.PlannedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep report's budget curves: values by hand through the report path (report.json and the page),
 * abnormal runs entering with their observed accuracy, and agreement with {@link ExpectedMaximum} on the
 * fixtures' runs.
 */
public class BudgetCurvesTest {

    static RunOutcome run(String label, String lr, String mom, long seed, String status, double val, double test) {
        Map<String, String> grid = new LinkedHashMap<>();
        grid.put("learningRate", lr);
        grid.put("momentum", mom);
        String arm = label.equals(PlannedRun.BASELINE) ? PlannedRun.BASELINE : label.substring(0, label.indexOf('('));
        return new RunOutcome(arm, label, arm.equals(PlannedRun.BASELINE) ? "" : "rg-uniform", grid, seed, lr,
                arm + "-" + lr + "-" + mom + "-" + seed, status, test, val, test, 4, false, 0.1, List.of(test), 1000, 500);
    }

    static SweepResults results(List<RunOutcome> runs, List<String> lrs, List<String> momenta) {
        List<SweepResults.TunedArm> tuned = new ArrayList<>();
        runs.stream().map(RunOutcome::armLabel).distinct().forEach(a -> SweepResults.tune("", a, runs).ifPresent(tuned::add));
        return new SweepResults("t", 0.8, 3, 2, lrs, momenta, runs, List.of(), tuned, List.of(), List.of());
    }

    /**
     * Three cells, two seeds each. Cell means (validation, test): (0.8, 0.78), (0.9, 0.88), and a cell with a
     * collapsed run (validation 0.1, test 0.1) and a run that diverged under FAIL (no model: 0, 0), so (0.05, 0.05).
     * Sorted validation 0.05, 0.8, 0.9; by hand:
     * n = 1: mean = (0.05 + 0.8 + 0.9) / 3 = 0.583333..., test (0.05 + 0.78 + 0.88) / 3 = 0.57;
     * n = 2: weights C(i-1, 1) / C(3, 2) = 0, 1/3, 2/3: 0.8 / 3 + 0.9 * 2 / 3 = 0.866667, test 0.78 / 3 + 0.88 * 2 / 3 = 0.846667;
     * n = 3: 0.9 and 0.88.
     */
    static SweepResults handCase() {
        List<RunOutcome> runs = new ArrayList<>();
        runs.add(run(PlannedRun.BASELINE, "0.01", "0.9", 1, RunOutcome.OK, 0.79, 0.77));
        runs.add(run(PlannedRun.BASELINE, "0.01", "0.9", 2, RunOutcome.OK, 0.81, 0.79));
        runs.add(run(PlannedRun.BASELINE, "0.1", "0.9", 1, RunOutcome.OK, 0.9, 0.87));
        runs.add(run(PlannedRun.BASELINE, "0.1", "0.9", 2, RunOutcome.OK, 0.9, 0.89));
        runs.add(run(PlannedRun.BASELINE, "1.0", "0.9", 1, RunOutcome.COLLAPSED, 0.1, 0.1));
        runs.add(run(PlannedRun.BASELINE, "1.0", "0.9", 2, RunOutcome.DIVERGED, Double.NaN, Double.NaN));
        return results(runs, List.of("0.01", "0.1", "1.0"), List.of("0.9"));
    }

    @Test
    public void handComputedCaseThroughTheReportJsonAndPage(@TempDir Path dir) throws Exception {
        SweepResults r = handCase();
        SweepReport.of(r).write(dir);
        JsonNode json = RunFiles.JSON.readTree(dir.resolve(SweepReport.JSON).toFile());
        JsonNode curve = json.get("budgetCurves");
        assertEquals(1, curve.size());
        assertEquals("baseline", curve.get(0).get("arm").asText());
        double[][] expected = {{0.05 / 3 + 0.8 / 3 + 0.9 / 3, 0.05 / 3 + 0.78 / 3 + 0.88 / 3}, {0.8 / 3 + 0.9 * 2 / 3, 0.78 / 3 + 0.88 * 2 / 3},
                {0.9, 0.88}};
        JsonNode points = curve.get(0).get("points");
        assertEquals(3, points.size());
        for (int n = 0; n < 3; n++) {
            assertEquals(n + 1, points.get(n).get("budget").asInt());
            assertEquals(expected[n][0], points.get(n).get("expectedBestValidation").asDouble(), 1e-12);
            assertEquals(expected[n][1], points.get(n).get("expectedTestOfChoice").asDouble(), 1e-12);
        }
        // The abnormal cell enters with its observed values (0.1 collapsed, 0 for the diverged run without a model).
        JsonNode cell = curve.get(0).get("cells").get(2);
        assertEquals(0.05, cell.get("validation").asDouble(), 1e-12);
        assertEquals(2, cell.get("abnormalRuns").asInt());
        Document page = SweepReportText.document(r, null, null, "no charts");
        String md = MarkdownRenderer.render(page);
        assertTrue(md.contains("| 1 | 0.5833 | 0.5700 |"), md);
        assertTrue(md.contains("| 2 | 0.8667 | 0.8467 |"), md);
        assertTrue(md.contains("| 3 | 0.9000 | 0.8800 |"), md);
        assertTrue(md.contains("(2 such run(s) here)"), md);
    }

    @Test
    public void equalsExpectedMaximumOnTheFixturesRuns() {
        SweepResults r = SweepFixtures.cases().get("abnormal");
        List<BudgetCurves> curves = BudgetCurves.of(r);
        assertEquals(List.of(SweepFixtures.BASE, SweepFixtures.RG, SweepFixtures.LRM), curves.stream().map(BudgetCurves::arm).toList());
        for (BudgetCurves c : curves) {
            List<ExpectedMaximum.Configuration> configs = new ArrayList<>();
            for (String lr : r.learningRates()) {
                for (String m : r.momenta()) {
                    List<RunOutcome> cell = r.runs().stream().filter(o -> o.armLabel().equals(c.arm())
                            && o.grid().get("learningRate").equals(lr) && o.grid().get("momentum").equals(m)).toList();
                    configs.add(new ExpectedMaximum.Configuration(
                            cell.stream().mapToDouble(o -> Double.isNaN(o.validationAccuracy()) ? 0 : o.validationAccuracy()).average().orElseThrow(),
                            cell.stream().mapToDouble(o -> Double.isNaN(o.testAccuracy()) ? 0 : o.testAccuracy()).average().orElseThrow()));
                }
            }
            ExpectedMaximum.Point[] want = ExpectedMaximum.curve(configs.toArray(new ExpectedMaximum.Configuration[0]));
            assertEquals(List.of(want), c.points(), c.arm());
            assertEquals(4, c.points().size());
        }
    }
}
