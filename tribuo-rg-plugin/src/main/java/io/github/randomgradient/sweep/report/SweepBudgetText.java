package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.Palette;
import io.github.randomgradient.report.doc.Block;
import io.github.randomgradient.report.doc.Block.BulletList;
import io.github.randomgradient.report.doc.Block.Cell;
import io.github.randomgradient.report.doc.Block.Figure;
import io.github.randomgradient.report.doc.Block.Heading;
import io.github.randomgradient.report.doc.Block.Paragraph;
import io.github.randomgradient.report.doc.Block.Table;
import io.github.randomgradient.report.stats.ExpectedMaximum;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The sweep report's blocks on tuning: where each arm's chosen cell lies on the grid (its edges), the
 * budget curves, and each arm's absolute-accuracy heatmap.
 */
final class SweepBudgetText {

    private SweepBudgetText() {}

    /** The outline of a marked heatmap cell (a significant difference, or a chosen cell), set after its background colour. */
    static final String OUTLINE = ";box-shadow:inset 0 0 0 2px #222";

    /**
     * One line per tuned arm: interior, or on which edge (with the value that would extend the grid).
     * @param edges The arms' edge flags.
     * @param extension What the grid extension did, or null when the sweep did not extend the grid.
     * @return The blocks.
     */
    static List<Block> edges(List<EdgeFlags> edges, String extension) {
        List<Block> b = new ArrayList<>();
        List<String> items = new ArrayList<>();
        boolean any = false;
        for (EdgeFlags e : edges) {
            any |= !e.interior();
            items.add(e.arm() + (e.slice().isEmpty() ? "" : " (" + e.slice() + ")") + ", grid point lr=" + e.learningRate() + " m="
                    + e.momentum() + ": " + e.describe());
        }
        if (items.isEmpty()) {
            return b;
        }
        b.add(new Paragraph("Grid edges: where each arm's chosen cell lies on the learning-rate and momentum axes (the grid's values; "
                + "the lr-matched arm trains at lr × E[u]). A cell on an edge "
                + "says only that the best value is at or beyond it" + (any ? "; extend the grid on that side (sweep --extend: learning "
                + "rate × 2 or ÷ 2, momentum towards 1 by halving 1 − momentum) to find out." : "."), any));
        b.add(new BulletList(items, "None.", any ? "note" : ""));
        if (extension != null) {
            b.add(new Paragraph(extension));
        }
        return b;
    }

    /**
     * The budget curves: chart, explanation and table.
     * @param curves The arms' curves.
     * @param png The chart's image file, or null.
     * @param svg The chart as inline SVG, or null.
     * @return The blocks.
     */
    static List<Block> budget(List<BudgetCurves> curves, String png, String svg) {
        List<Block> b = new ArrayList<>();
        b.add(new Heading(2, "Budget curves: expected best validation accuracy against the number of configurations tried"));
        long abnormal = curves.stream().flatMap(c -> c.cells().stream()).mapToInt(BudgetCurves.BudgetCell::abnormalRuns).sum();
        long missing = curves.stream().mapToInt(BudgetCurves::missingRuns).sum();
        b.add(new Paragraph("For a tuning budget of n configurations (cells of learning rate × momentum) drawn at random without "
                + "replacement from an arm's N tuning-stage cells, the expected best mean validation accuracy, and the expected test "
                + "accuracy of the cell that the best validation accuracy picks (Dodge et al. 2019, 'Show your work'). At n = N it is "
                + "the tuned cell. A cell's value is the mean over its tuning seeds of every run with a model: collapsed and diverged "
                + "runs enter with the accuracy they observed (a run that diverged under divergencePolicy=FAIL has no model and enters "
                + "with 0), so an arm that fails at some settings pays for it at small budgets"
                + String.format(Locale.ROOT, " (%d such run(s) here)", abnormal)
                + (missing == 0 ? "." : String.format(Locale.ROOT, "; %d run(s) not published are left out.", missing))));
        if (png != null || svg != null) {
            b.add(new Figure("Budget curves: expected best validation accuracy (solid) and test accuracy of that choice (dashed) "
                    + "against the configurations tried", png, svg, false));
        }
        List<String> header = new ArrayList<>(List.of("configurations tried"));
        int rows = 0;
        for (BudgetCurves c : curves) {
            String name = c.arm() + (c.slice().isEmpty() ? "" : " (" + c.slice() + ")");
            header.add(name + ": E[best validation]");
            header.add(name + ": test of that choice");
            rows = Math.max(rows, c.points().size());
        }
        List<List<String>> body = new ArrayList<>();
        for (int n = 1; n <= rows; n++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(n)));
            for (BudgetCurves c : curves) {
                if (n <= c.points().size()) {
                    ExpectedMaximum.Point p = c.points().get(n - 1);
                    row.add(num(p.expectedBestValidation()));
                    row.add(num(p.expectedTestOfChoice()));
                } else {
                    row.add("—");
                    row.add("—");
                }
            }
            body.add(row);
        }
        b.add(Table.of(header, body));
        return b;
    }

    /**
     * Each arm's mean test accuracy over learning rate × momentum in the tuning stage, shaded from the
     * arm's lowest to its highest cell; the cell the arm chose (on validation) is outlined.
     * @param r The results.
     * @return The blocks.
     */
    static List<Block> absoluteHeatmaps(SweepResults r) {
        List<Block> b = new ArrayList<>();
        b.add(new Heading(2, "Tuning stage: mean test accuracy of each arm over learning rate × momentum"));
        b.add(new Paragraph("Mean test accuracy in %, over the runs that trained normally (pale to dark: the arm's lowest to highest cell); the cell the "
                + "arm chose on the validation split is outlined; † counts runs left out (diverged, collapsed or missing)."));
        Set<String> arms = new LinkedHashSet<>();
        r.runs().forEach(o -> arms.add(SweepResults.slice(o) + "\u0000" + o.armLabel()));
        for (String key : arms) {
            String[] k = key.split("\u0000", -1);
            String slice = k[0];
            String arm = k[1];
            List<RunOutcome> runs = r.runs().stream().filter(o -> SweepResults.slice(o).equals(slice) && o.armLabel().equals(arm)).toList();
            SweepResults.TunedArm chosen = r.tuned().stream().filter(t -> t.slice().equals(slice) && t.arm().equals(arm)).findFirst().orElse(null);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double[][] means = new double[r.momenta().size()][r.learningRates().size()];
            int[][] left = new int[r.momenta().size()][r.learningRates().size()];
            for (int i = 0; i < r.momenta().size(); i++) {
                for (int j = 0; j < r.learningRates().size(); j++) {
                    String m = r.momenta().get(i);
                    String lr = r.learningRates().get(j);
                    List<RunOutcome> cell = runs.stream().filter(o -> o.grid().getOrDefault("learningRate", "base").equals(lr)
                            && o.grid().getOrDefault("momentum", "base").equals(m)).toList();
                    means[i][j] = cell.stream().filter(RunOutcome::ok).mapToDouble(RunOutcome::testAccuracy).average().orElse(Double.NaN);
                    left[i][j] = (int) cell.stream().filter(o -> !o.ok()).count();
                    if (Double.isFinite(means[i][j])) {
                        lo = Math.min(lo, means[i][j]);
                        hi = Math.max(hi, means[i][j]);
                    }
                }
            }
            b.add(new Heading(3, arm + (slice.isEmpty() ? "" : " (" + slice + ")")));
            List<String> header = new ArrayList<>(List.of("momentum \\ learning rate"));
            header.addAll(r.learningRates());
            List<List<Cell>> rows = new ArrayList<>();
            for (int i = 0; i < r.momenta().size(); i++) {
                List<Cell> row = new ArrayList<>(List.of(new Cell(r.momenta().get(i))));
                for (int j = 0; j < r.learningRates().size(); j++) {
                    double v = means[i][j];
                    boolean isChosen = chosen != null && chosen.learningRate().equals(r.learningRates().get(j))
                            && chosen.momentum().equals(r.momenta().get(i));
                    String shade = Double.isFinite(v) ? Palette.sequential(hi > lo ? (v - lo) / (hi - lo) : 1) : Palette.NEUTRAL;
                    String text = (Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v * 100) : "—")
                            + (left[i][j] > 0 ? " †" + left[i][j] : "") + (isChosen ? " (chosen)" : "");
                    row.add(new Cell(text, isChosen, shade + (isChosen ? OUTLINE : "")));
                }
                rows.add(row);
            }
            b.add(new Table(header, rows));
        }
        return b;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.4f", v);
    }
}
