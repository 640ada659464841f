package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.stats.ExpectedMaximum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each arm's budget curve over the tuning stage's grid: the expected best mean validation accuracy when
 * n of the arm's N cells (learning rate × momentum, within its slice) are tried, drawn uniformly without
 * replacement, and the expected test accuracy of the cell that choice picks, for n = 1, ..., N
 * ({@link ExpectedMaximum}, Dodge et al. 2019):
 * <pre>
 *   J. Dodge, S. Gururangan, D. Card, R. Schwartz, N. A. Smith, "Show Your Work: Improved Reporting of
 *   Experimental Results", EMNLP 2019.
 * </pre>
 * A cell's values are the means over its tuning seeds of every run that has a model, whatever its status:
 * a collapsed run, or one that diverged under {@code divergencePolicy=STOP}, enters with the accuracy it
 * observed, so an arm whose large steps collapse pays for them at small budgets (dropping the cell would
 * flatter it). A run that diverged under {@code divergencePolicy=FAIL} has no model and enters with accuracy 0.
 * A run not yet published (failed twice) is left out of its cell, and a cell with no published run is
 * left out of the curve; both are counted.
 *
 * @param slice The slice (other axes' values), empty if none.
 * @param arm The arm label, e.g. {@code rg(rg-uniform)}.
 * @param cells The arm's cells, in grid order.
 * @param points The curve, budget 1 first; N = the number of cells.
 * @param missingRuns Runs left out because they are not published.
 * @param missingCells Cells left out because none of their runs is published.
 */
public record BudgetCurves(String slice, String arm, List<BudgetCell> cells, List<ExpectedMaximum.Point> points, int missingRuns,
                           int missingCells) {

    /**
     * One cell of an arm's grid as the budget curve sees it.
     * @param learningRate The grid's learning rate.
     * @param momentum The grid's momentum.
     * @param validation Mean validation accuracy over the cell's published runs (see {@link BudgetCurves} for abnormal runs).
     * @param test Mean test accuracy over the same runs.
     * @param runs The published runs averaged.
     * @param abnormalRuns Of those, the runs that collapsed or diverged (entered with their observed accuracy, or 0).
     */
    public record BudgetCell(String learningRate, String momentum, double validation, double test, int runs, int abnormalRuns) {}

    /**
     * The budget curves of every arm of the tuning stage, in the order the arms first appear among the runs.
     * @param results The sweep's results; only {@link SweepResults#runs()} (the tuning stage) is read.
     * @return One curve per (slice, arm) with at least one published cell.
     */
    public static List<BudgetCurves> of(SweepResults results) {
        Map<String, Map<String, List<RunOutcome>>> byArm = new LinkedHashMap<>();
        for (RunOutcome r : results.runs()) {
            String key = SweepResults.slice(r) + "\u0000" + r.armLabel();
            String cell = r.grid().getOrDefault("learningRate", "base") + "\u0000" + r.grid().getOrDefault("momentum", "base");
            byArm.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(cell, k -> new ArrayList<>()).add(r);
        }
        List<BudgetCurves> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<RunOutcome>>> arm : byArm.entrySet()) {
            String[] key = arm.getKey().split("\u0000", -1);
            List<BudgetCell> cells = new ArrayList<>();
            int missingRuns = 0;
            int missingCells = 0;
            for (Map.Entry<String, List<RunOutcome>> c : arm.getValue().entrySet()) {
                List<RunOutcome> published = c.getValue().stream().filter(r -> !RunOutcome.MISSING.equals(r.status())).toList();
                missingRuns += c.getValue().size() - published.size();
                if (published.isEmpty()) {
                    missingCells++;
                    continue;
                }
                String[] point = c.getKey().split("\u0000", -1);
                cells.add(new BudgetCell(point[0], point[1],
                        published.stream().mapToDouble(r -> observed(r.validationAccuracy())).average().orElseThrow(),
                        published.stream().mapToDouble(r -> observed(r.testAccuracy())).average().orElseThrow(),
                        published.size(), (int) published.stream().filter(r -> !r.ok()).count()));
            }
            if (!cells.isEmpty()) {
                ExpectedMaximum.Point[] points = ExpectedMaximum.curve(cells.stream()
                        .map(c -> new ExpectedMaximum.Configuration(c.validation(), c.test())).toArray(ExpectedMaximum.Configuration[]::new));
                out.add(new BudgetCurves(key[0], key[1], List.copyOf(cells), Arrays.asList(points), missingRuns, missingCells));
            }
        }
        return out;
    }

    /** A published run's accuracy: as observed, or 0 for a run without a model (diverged under FAIL). */
    private static double observed(double accuracy) {
        return Double.isFinite(accuracy) ? accuracy : 0.0;
    }
}
