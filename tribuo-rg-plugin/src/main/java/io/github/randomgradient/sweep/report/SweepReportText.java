package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.Palette;
import io.github.randomgradient.report.SignedRankTest;
import io.github.randomgradient.report.doc.Block;
import io.github.randomgradient.report.doc.Block.Cell;
import io.github.randomgradient.report.doc.Block.Figure;
import io.github.randomgradient.report.doc.Block.Heading;
import io.github.randomgradient.report.doc.Block.Paragraph;
import io.github.randomgradient.report.doc.Block.Table;
import io.github.randomgradient.report.doc.Document;
import io.github.randomgradient.sweep.PlannedRun;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The sweep report's page as one {@link Document}, which {@link SweepReport} renders as Markdown and
 * HTML: the design, the
 * verdicts, the tuned arms and their curves, the heatmaps, the runs that did not train normally and
 * every run.
 */
final class SweepReportText {

    private SweepReportText() {}

    private static String intro(SweepResults r) {
        long distinct = r.runs().stream().map(RunOutcome::runDir).distinct().count();
        return String.format(Locale.ROOT, "%d roles (arm × grid point × seed) over %d distinct runs; %d seed(s), %d epoch(s) per run, "
                + "target test accuracy %.2f. Each arm is tuned (best learning rate and momentum) on a stratified validation split "
                + "carved from the training data, never on the test set; the tuned arms are then compared on the test set, paired by "
                + "seed. RG's mean step is lr × E[u], so the lr-matched baseline (loss scale 1 at lr × E[u]) separates the noise from "
                + "the smaller step. Differences are RG − reference; accuracies in percentage points (pp), computed from each run's "
                + "count of correct test examples, so differences equal in counts are equal and 'no variation' (no test) is decided "
                + "exactly. 95%% intervals are Student-t intervals, cut to the range of a difference where they leave it (±100 pp "
                + "for accuracies) and then marked 'cut to the range'. The signed-rank test beside each verdict is the Wilcoxon "
                + "signed-rank test with Pratt's handling of zero differences (zeros ranked, then their ranks dropped; ties share "
                + "their mid-rank), its p-value from the exact null distribution over the observed mid-ranks up to "
                + SignedRankTest.EXACT_MAX_PAIRS + " pairs, else from the normal approximation with tie and continuity corrections. "
                + "Marks: ** p < 0.01, "
                + "* p < 0.05 (paired two-sided t-test over seeds, Holm-corrected over the tested cells of each heatmap; the "
                + "json holds raw and adjusted p-values); † runs left out of the cell (diverged, collapsed or missing). A run is "
                + "collapsed by the experiment report's rule: it predicts a single class, or its test accuracy never rose clearly "
                + "above the test set's majority-class share (share + 3 binomial standard errors). A run that diverged under "
                + "divergencePolicy=FAIL is recorded as diverged (where, in its sweep-run.json) and not trained again.%s",
                r.runs().size(), distinct, r.seeds(), r.epochs(), r.targetAccuracy(),
                r.notes().isEmpty() ? "" : " Note: " + String.join("; ", r.notes()) + ".");
    }

    /** What the two stages are and which runs the verdicts compare; null without a confirm stage. */
    private static String stages(SweepResults r) {
        SweepResults.Confirm c = r.confirm();
        if (c == null) {
            return null;
        }
        String head = String.format(Locale.ROOT, "Two stages. Tuning: the grid × %d seed(s) (the heatmaps and the tuned arms below are "
                + "its record); each arm's cell is chosen on the validation split. Confirm: each arm's chosen cell run again with %d "
                + "fresh seed(s) %s, disjoint from the tuning seeds, so the luck that chose a cell does not reach the comparison. ",
                r.seeds(), c.seeds().size(), c.seeds());
        if (!c.done()) {
            return head + "The confirm stage has " + c.status() + ", so this report gives no verdict.";
        }
        return head + "The verdicts compare the confirm runs only, paired by seed on the test set.";
    }

    private static Table confirmed(SweepResults.Confirm c) {
        List<List<String>> rows = new ArrayList<>();
        for (SweepResults.TunedArm t : c.arms()) {
            long ok = t.runs().stream().filter(RunOutcome::ok).count();
            rows.add(List.of(t.slice().isEmpty() ? "—" : t.slice(), t.arm(), trained(t), t.momentum(), num(t.meanValidationAccuracy(), 4),
                    num(t.meanTestAccuracy(), 4), ok + " of " + t.runs().size()));
        }
        return Table.of(List.of("slice", "arm", "learning rate", "momentum", "mean validation accuracy", "mean test accuracy",
                "runs that trained normally"), rows);
    }

    private static Table verdicts(SweepResults r) {
        List<List<Cell>> rows = new ArrayList<>();
        for (SweepResults.Verdict v : r.verdicts()) {
            PairedComparison c = v.comparison();
            String ci = Double.isNaN(c.ciLow()) ? "" : " [" + SweepReport.diff(v.metric(), c.ciLow()) + ", " + SweepReport.diff(v.metric(), c.ciHigh())
                    + (c.ciCut() ? ", cut to the range" : "") + "]";
            List<Cell> row = new ArrayList<>(Stream.of(v.claim() + (v.slice().isEmpty() ? "" : " (" + v.slice() + ")"),
                    SweepReport.shortName(v.metric()), tunedName(r, v.slice(), v.candidate()), tunedName(r, v.slice(), v.reference()),
                    SweepReport.diff(v.metric(), c.meanDifference()) + ci, num(c.effectSize(), 2), Integer.toString(c.n()), v.test(),
                    SweepReport.p(v.pValue()), SweepReport.p(v.adjustedPValue()), SweepReport.p(c.signedRankPValue())).map(Cell::new).toList());
            row.add(new Cell(v.verdict(), true, ""));
            rows.add(row);
        }
        return new Table(List.of("claim", "metric", "RG (tuned)", "reference (tuned)", "RG − reference [95% CI]", "d_z", "pairs", "test", "p",
                "p (Holm)", "signed-rank p (two-sided, alongside)", "verdict"), rows);
    }

    private static String tunedName(SweepResults r, String slice, String arm) {
        return r.tuned().stream().filter(t -> t.slice().equals(slice) && t.arm().equals(arm)).findFirst()
                .map(t -> arm + " lr=" + trained(t) + " m=" + t.momentum()).orElse(arm);
    }

    /** The tuned cell's learning rate as trained, with the grid's when they differ (lr-matched arm). */
    static String trained(SweepResults.TunedArm t) {
        String lr = t.runs().isEmpty() ? t.learningRate() : t.runs().get(0).trainedLearningRate();
        return lr.equals(t.learningRate()) ? lr : lr + " (grid " + t.learningRate() + ")";
    }

    private static Table tuned(SweepResults r) {
        List<List<String>> rows = new ArrayList<>();
        for (SweepResults.TunedArm t : r.tuned()) {
            rows.add(List.of(t.slice().isEmpty() ? "—" : t.slice(), t.arm(), trained(t), t.momentum(), num(t.meanValidationAccuracy(), 4),
                    num(t.meanTestAccuracy(), 4), Integer.toString(t.runs().size())));
        }
        return Table.of(List.of("slice", "arm", "learning rate", "momentum", "mean validation accuracy", "mean test accuracy", "seeds"), rows);
    }

    private static String heatmapTitle(SweepResults.Heatmap h) {
        return SweepReport.shortName(h.metric()) + ": RG(" + h.rgScale() + ") − " + (h.reference().equals(PlannedRun.BASELINE) ? "baseline"
                : h.reference().equals(PlannedRun.MEAN_PRESERVING) ? "mean-preserving RG" : "lr-matched baseline") + (h.slice().isEmpty() ? "" : " (" + h.slice() + ")") + (h.metric().higherIsBetter()
                ? " — positive favours RG" : " — negative favours RG");
    }

    private static Table heatmap(SweepResults r, SweepResults.Heatmap h) {
        double max = 0;
        for (List<SweepResults.Cell> row : h.cells()) {
            for (SweepResults.Cell c : row) {
                if (Double.isFinite(c.comparison().meanDifference())) {
                    max = Math.max(max, Math.abs(c.comparison().meanDifference()));
                }
            }
        }
        List<String> header = new ArrayList<>(List.of("momentum \\ learning rate"));
        header.addAll(r.learningRates());
        List<List<Cell>> rows = new ArrayList<>();
        for (List<SweepResults.Cell> row : h.cells()) {
            List<Cell> cells = new ArrayList<>(List.of(new Cell(row.isEmpty() ? "" : row.get(0).momentum())));
            for (SweepResults.Cell c : row) {
                double d = c.comparison().meanDifference();
                // Colour: size and direction on a colour-blind-safe diverging scale, white at zero (blue favours RG);
                // significance: the mark and an outline, never the colour's strength.
                boolean significant = !c.mark().isEmpty();
                String shade = Palette.diverging(h.metric().higherIsBetter() ? d : -d, max);
                cells.add(new Cell(SweepReport.diff(h.metric(), d) + c.mark() + (c.excluded().isEmpty() ? "" : " †" + c.excluded().size()),
                        significant, (shade.isEmpty() ? Palette.NEUTRAL : shade) + (significant ? SweepBudgetText.OUTLINE : "")));
            }
            rows.add(cells);
        }
        return new Table(header, rows);
    }

    private static Table abnormal(SweepResults r) {
        List<List<String>> rows = new ArrayList<>();
        List<RunOutcome> all = new ArrayList<>(r.runs());
        if (r.confirm() != null) {
            all.addAll(r.confirm().runs());
        }
        for (RunOutcome o : all) {
            if (!o.ok()) {
                rows.add(List.of(o.armLabel(), o.grid().toString(), Long.toString(o.seed()), o.status(), num(o.testAccuracy(), 4), o.runDir()));
            }
        }
        return Table.of(List.of("arm", "grid point", "seed", "status", "test accuracy", "run directory"), rows);
    }

    private static Table runs(List<RunOutcome> outcomes) {
        List<List<String>> rows = new ArrayList<>();
        for (RunOutcome o : outcomes) {
            rows.add(List.of(o.armLabel(), o.trainedLearningRate(), o.grid().getOrDefault("momentum", "base"),
                    Long.toString(o.seed()), o.status(), num(o.testAccuracy(), 4), num(o.validationAccuracy(), 4), num(o.epoch1Accuracy(), 4),
                    o.reachedTarget() ? num(o.epochsToTarget(), 0) : "not reached", num(o.oscillation(), 4), o.runDir()));
        }
        return Table.of(List.of("arm", "learning rate", "momentum", "seed", "status", "test accuracy", "validation accuracy",
                "accuracy after epoch 1", "epochs to target", "oscillation", "run directory"), rows);
    }

    private static String num(double v, int digits) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** What the verdicts' words mean, and how they are decided. */
    private static final String VERDICTS_TEXT = "faster convergence: fewer epochs to target and higher accuracy after epoch 1; "
            + "less oscillation: smaller mean |Δ loss| between mini-batches; no accuracy loss: the final test accuracy of RG is at "
            + "most " + SweepResults.NON_INFERIORITY_MARGIN * 100 + " pp below the reference's (one-sided). "
            + "Verdicts are decided on Holm-adjusted p-values at α = 0.05 over the report's distinct tests (a test shared by "
            + "two rows, because the tuned lr-matched baseline is the tuned baseline, counts once). 'not shown' means no "
            + "difference beyond the seed-to-seed noise. A run that never reaches the target counts as epochs + 1 epochs to "
            + "target.";

    private static final String CSS = "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;line-height:1.4}"
            + "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 7px;font-size:0.9em;"
            // A cell never breaks a word, a number or a hyphenated name (rg(rg-uniform), t-test): cells keep their
            // lines; a header breaks at spaces only. A table wider than the page scrolls inside it.
            + "overflow-wrap:normal;word-break:keep-all;hyphens:none}td{white-space:nowrap}th{background:#f0f0f0}"
            + "td.num{text-align:right}table{display:block;max-width:100%;overflow-x:auto}";

    /**
     * The page.
     * @param r The results.
     * @param curvesPng The curves' image file for the Markdown page, or null.
     * @param curvesSvg The curves as inline SVG for the HTML page, or null.
     * @param chartNote Said in the chart's place when it could not be drawn ({@code curvesPng} and
     *                  {@code curvesSvg} null), else null.
     * @return The document.
     */
    static Document document(SweepResults r, String curvesPng, String curvesSvg, String chartNote) {
        return document(r, curvesPng, curvesSvg, chartNote, Tuning.of(r, null, null, null));
    }

    /**
     * The tuning stage's further blocks: grid edges, budget curves and their chart.
     * @param edges Each tuned arm's edge flags.
     * @param extension What the grid extension did, null if the sweep did not extend its grid.
     * @param budget Each arm's budget curve.
     * @param budgetPng The budget chart's image file, or null.
     * @param budgetSvg The budget chart as inline SVG, or null.
     */
    record Tuning(List<EdgeFlags> edges, String extension, List<BudgetCurves> budget, String budgetPng, String budgetSvg) {
        static Tuning of(SweepResults r, String extension, String budgetPng, String budgetSvg) {
            return new Tuning(EdgeFlags.of(r), extension, BudgetCurves.of(r), budgetPng, budgetSvg);
        }
    }

    /**
     * The page, with the tuning stage's edges and budget curves.
     * @param r The results.
     * @param curvesPng The curves' image file for the Markdown page, or null.
     * @param curvesSvg The curves as inline SVG for the HTML page, or null.
     * @param chartNote Said in the charts' place when they could not be drawn, else null.
     * @param tuning The edges and budget curves.
     * @return The document.
     */
    static Document document(SweepResults r, String curvesPng, String curvesSvg, String chartNote, Tuning tuning) {
        List<Block> b = new ArrayList<>();
        b.add(new Heading(1, r.title()));
        b.add(new Paragraph(intro(r)));
        SweepResults.Confirm confirm = r.confirm();
        String stages = stages(r);
        if (stages != null) {
            b.add(new Paragraph(stages));
        }
        if (confirm == null) {
            b.add(new Heading(2, "Verdicts: tuned RG against each tuned reference"));
        } else {
            b.add(new Heading(2, "Verdicts (confirm stage, " + confirm.seeds().size() + " fresh seeds): tuned RG against each tuned reference"));
        }
        if (confirm != null && !confirm.done()) {
            b.add(new Paragraph("No verdict: the confirm stage has " + confirm.status() + "."));
        } else {
            b.add(verdicts(r));
            b.add(new Paragraph(VERDICTS_TEXT));
        }
        if (confirm != null && confirm.done()) {
            b.add(new Heading(2, "Confirm stage: each arm's chosen cell with the fresh seeds"));
            b.add(confirmed(confirm));
        }
        b.add(new Heading(2, confirm == null ? "Tuned arms (chosen on the validation split)"
                : "Tuning stage: tuned arms (chosen on the validation split, " + r.seeds() + " tuning seeds)"));
        b.add(tuned(r));
        b.addAll(SweepBudgetText.edges(tuning.edges(), tuning.extension()));
        if (curvesPng != null || curvesSvg != null) {
            b.add(new Figure(confirm != null && confirm.done() ? "Test accuracy per epoch of each arm's chosen cell, confirm runs"
                    : "Test accuracy per epoch of each arm's tuned cell", curvesPng, curvesSvg, false));
        } else {
            b.add(new Paragraph(chartNote, true));
        }
        sharedCells(r).forEach(line -> b.add(new Paragraph(line)));
        b.addAll(SweepBudgetText.budget(tuning.budget(), tuning.budgetPng(), tuning.budgetSvg()));
        b.addAll(SweepBudgetText.absoluteHeatmaps(r));
        b.add(new Heading(2, confirm == null ? "Heatmaps over learning rate × momentum" : "Tuning stage: heatmaps over learning rate × momentum"));
        b.add(new Paragraph("Colour shows the size and direction of the difference on a colour-blind-safe scale: blue favours RG, "
                + "orange favours the reference, white is no difference, equally strong for equal sizes. Significance is shown apart "
                + "from the colour: a significant cell (Holm-adjusted, marked * or **) is outlined and set in bold."));
        for (SweepResults.Heatmap h : r.heatmaps()) {
            b.add(new Heading(3, heatmapTitle(h)));
            b.add(heatmap(r, h));
        }
        b.add(new Heading(2, "Runs that did not train normally (marked †, never averaged)"));
        Table ab = abnormal(r);
        b.add(ab.rows().isEmpty() ? new Paragraph("None.") : ab);
        b.add(new Heading(2, confirm == null ? "Every run" : "Every run of the tuning stage"));
        b.add(runs(r.runs()));
        if (confirm != null && confirm.done()) {
            b.add(new Heading(2, "Every run of the confirm stage"));
            b.add(runs(confirm.runs()));
        }
        return new Document(r.title(), CSS, Document.Layout.COMPACT, b);
    }

    /** A sentence for each pair of arms whose tuned cells are the same runs, so that their curves coincide. */
    static List<String> sharedCells(SweepResults r) {
        List<String> out = new ArrayList<>();
        List<SweepResults.TunedArm> tuned = r.tuned();
        for (int i = 0; i < tuned.size(); i++) {
            for (int j = i + 1; j < tuned.size(); j++) {
                SweepResults.TunedArm a = tuned.get(i);
                SweepResults.TunedArm b = tuned.get(j);
                if (a.slice().equals(b.slice()) && runDirs(a).equals(runDirs(b))) {
                    out.add("The tuned cell of " + b.arm() + " is the tuned cell of " + a.arm() + " (the same runs), so their "
                            + "curves coincide and RG's comparisons with the two are one test.");
                }
            }
        }
        return out;
    }

    private static List<String> runDirs(SweepResults.TunedArm arm) {
        return arm.runs().stream().map(RunOutcome::runDir).sorted().toList();
    }
}
