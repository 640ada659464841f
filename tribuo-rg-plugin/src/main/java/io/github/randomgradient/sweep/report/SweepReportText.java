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
import io.github.randomgradient.report.stats.ClaimVerdicts;
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
                + "validation target %.2f × the tuned baseline's validation accuracy. Each arm is tuned (best learning rate and momentum) on a stratified validation split "
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
                r.runs().size(), distinct, r.seeds(), r.epochs(),
                r.claims() == null ? Double.NaN : r.claims().targetFraction(),
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

    /** A row's estimate, interval end or detectable effect in its display unit: pp for accuracies, a share for sign tests. */
    static String amount(ClaimVerdicts.Row row, double v, boolean signed) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (isShare(row)) {
            return String.format(Locale.ROOT, "%.0f%%", v * 100);
        }
        if (isAccuracy(row)) {
            return String.format(Locale.ROOT, signed ? "%+.2f pp" : "%.2f pp", v * 100);
        }
        return String.format(Locale.ROOT, signed ? "%+.4f" : "%.4f", v);
    }

    private static boolean isShare(ClaimVerdicts.Row row) {
        return row.claim() == ClaimVerdicts.Claim.MORE_ROBUST || (row.claim() == ClaimVerdicts.Claim.FASTER
                && row.measure().startsWith(ClaimMeasures.STEPS_TO_TARGET));
    }

    private static boolean isAccuracy(ClaimVerdicts.Row row) {
        return row.measure().equals(ClaimMeasures.TEST_ACCURACY) || row.measure().equals(ClaimMeasures.AREA);
    }

    /** The estimate in words: a difference RG − reference, or the share of informative pairs in RG's favour. */
    static String estimate(ClaimVerdicts.Row row) {
        boolean cut = isAccuracy(row) && !Double.isNaN(row.low()) && (row.low() < -1 || row.high() > 1);
        String interval = Double.isNaN(row.low()) ? "" : " [" + amount(row, cut ? Math.max(row.low(), -1) : row.low(), !isShare(row)) + ", "
                + amount(row, cut ? Math.min(row.high(), 1) : row.high(), !isShare(row)) + "]" + (cut ? " (cut to the range)" : "");
        if (isShare(row)) {
            return Double.isNaN(row.estimate()) ? "—" : amount(row, row.estimate(), false) + " of " + row.n() + " informative pairs"
                    + " in RG's favour" + interval;
        }
        return "RG − ref " + amount(row, row.estimate(), true) + interval;
    }

    /**
     * Is an effect beyond what the measure can take? Accuracies and the normalised area lie in [0, 1], so a
     * difference of 1 (100 pp) or more cannot happen; shares lie in [0, 1] too.
     */
    private static boolean beyondRange(ClaimVerdicts.Row row, double v) {
        return (isAccuracy(row) || isShare(row)) && Math.abs(v) >= 1;
    }

    /** The test's name, with the non-inferiority margin in the page's unit (pp) rather than as a fraction. */
    private static String testWords(ClaimVerdicts.Row row) {
        String fraction = "at margin " + SweepResults.NON_INFERIORITY_MARGIN;
        return row.test().endsWith(fraction) ? row.test().replace(fraction, String.format(Locale.ROOT, "at margin %.1f pp",
                SweepResults.NON_INFERIORITY_MARGIN * 100)) : row.test();
    }

    /** The detectable effect in words; one beyond the measure's range says so instead of printing an impossible number. */
    static String detectable(ClaimVerdicts.Row row) {
        if (Double.isNaN(row.detectable()) || Double.isInfinite(row.detectable())) {
            return "none (no test)";
        }
        if (beyondRange(row, row.detectable())) {
            return "none within the possible range (n = " + row.n() + ")";
        }
        if (isShare(row)) {
            return "RG ahead in " + amount(row, row.detectable(), false) + " of pairs";
        }
        return row.claim() == ClaimVerdicts.Claim.NO_ACCURACY_LOSS ? "a margin of " + amount(row, row.detectable(), false)
                : "±" + amount(row, row.detectable(), false);
    }

    /**
     * One claim's verdict as a sentence for the answer: supported, contradicted, or not shown worded as absence of evidence,
     * with the detectable effect.
     */
    static String sentence(ClaimVerdicts.Row row) {
        String head = row.claim().words() + " (" + row.comparison() + ", " + row.measure() + "): ";
        String numbers = estimate(row) + ", Holm p " + SweepReport.p(row.adjustedPValue()) + ", n = " + row.n();
        switch (row.outcome()) {
            case SUPPORTED:
                return head + "supported (" + numbers + ").";
            case CONTRADICTED:
                return head + (row.claim() == ClaimVerdicts.Claim.NO_ACCURACY_LOSS
                        ? "contradicted: RG is worse than the " + SweepResults.NON_INFERIORITY_MARGIN * 100 + " pp margin ("
                        : "contradicted: significant in the reference's favour (") + numbers + ").";
            default:
                if (!row.reason().isEmpty()) {
                    return head + "not shown: " + row.reason() + ".";
                }
                if (row.claim() == ClaimVerdicts.Claim.NO_ACCURACY_LOSS && Double.isFinite(row.detectable())
                        && !beyondRange(row, row.detectable())) {
                    return head + "not shown: a loss larger than the " + SweepResults.NON_INFERIORITY_MARGIN * 100
                            + " pp margin cannot be excluded; this design shows " + detectable(row) + " with 80% power"
                            + (row.pairsNeeded() > 0 ? ", and the margin would need " + row.pairsNeeded() + " pairs" : "")
                            + " (" + numbers + ").";
                }
                if (!Double.isFinite(row.detectable())) {
                    return head + "not shown: with " + row.n() + (row.n() == 1 ? " pair" : " pairs") + " no effect, however large, reaches significance at "
                            + "α/m, so nothing can be excluded (" + numbers + ").";
                }
                if (beyondRange(row, row.detectable())) {
                    return head + "not shown: with " + row.n() + (row.n() == 1 ? " pair" : " pairs") + " no possible effect reaches "
                            + "80% power at α/m, so nothing can be excluded (" + numbers + ").";
                }
                return head + "not shown: an effect smaller than " + detectable(row).replace("±", "")
                        + " cannot be excluded (the effect this design detects with 80% power; " + numbers + ").";
        }
    }

    /** The answer: each claim's verdict with its detectable effect, first on the page. */
    static List<String> answer(SweepResults r) {
        SweepResults.Confirm c = r.confirm();
        if (c != null && !c.done()) {
            return List.of("No verdict yet: the confirm stage has " + c.status() + ".");
        }
        List<String> out = new ArrayList<>();
        for (ClaimVerdicts.Row row : r.verdicts()) {
            out.add(sentence(row));
        }
        return out;
    }

    private static Table verdicts(SweepResults r) {
        List<List<Cell>> rows = new ArrayList<>();
        for (ClaimVerdicts.Row v : r.verdicts()) {
            List<Cell> row = new ArrayList<>(Stream.of(v.claim().words(), v.comparison(), v.measure(), testWords(v), Integer.toString(v.n()),
                    estimate(v), SweepReport.p(v.pValue()), SweepReport.p(v.adjustedPValue()), detectable(v),
                    v.pairsNeeded() > 0 ? Integer.toString(v.pairsNeeded()) : "—").map(Cell::new).toList());
            row.add(new Cell(v.outcome().words(), true, ""));
            row.add(new Cell(v.reason().isEmpty() ? "" : v.reason()));
            rows.add(row);
        }
        return new Table(List.of("claim", "comparison", "measure", "test", "n", "estimate [interval at α/m]", "p", "p (Holm)",
                "detectable at 80% power", "pairs the margin needs", "verdict", "note"), rows);
    }

    /** The basis of the verdicts: the target, times to it (censored runs), robustness shares, the not-a-proxy line, power. */
    static List<String> basis(SweepResults r) {
        ClaimMeasures.Claims c = r.claims();
        List<String> out = new ArrayList<>();
        if (c == null) {
            return out;
        }
        out.add(String.format(Locale.ROOT, "Holm's family: m = %d distinct tests; intervals and detectable effects at α/m = %.4f.",
                c.tests(), c.stringentAlpha()));
        for (ClaimMeasures.Target t : c.targets()) {
            out.add(String.format(Locale.ROOT, "Validation target%s: %.4f = %.2f × the tuned baseline's mean final validation accuracy "
                    + "%.4f in the tuning stage.", t.slice().isEmpty() ? "" : " (" + t.slice() + ")", t.target(), c.targetFraction(),
                    t.baselineValidation()));
        }
        for (ClaimMeasures.ArmTime t : c.times()) {
            if (t.runs() == 0) {
                continue;
            }
            out.add(String.format(Locale.ROOT, "Time to the target, %s%s: Kaplan–Meier median %s; %d runs, %d censored "
                    + "(never reached the target, counted as still short of it at their last evaluation)", t.arm(),
                    t.slice().isEmpty() ? "" : " (" + t.slice() + ")",
                    Double.isNaN(t.medianSteps()) ? "not reached (half the runs or more never reached the target)"
                            : String.format(Locale.ROOT, "%.0f steps, %.2f s", t.medianSteps(), t.medianSeconds()),
                    t.runs(), t.censored()) + ".");
        }
        for (ClaimMeasures.TimePairs t : c.timePairs()) {
            out.add(String.format(Locale.ROOT, "Who reached the target first, %s: RG in %d pairs, the reference in %d, tied %d, "
                    + "neither %d, order hidden by censoring %d; censored runs: RG %d, reference %d of %d pairs.", t.comparison(),
                    t.candidateFirst(), t.referenceFirst(), t.tied(), t.bothCensored(), t.unknown(), t.candidateCensored(),
                    t.referenceCensored(), t.pairs()));
        }
        for (ClaimMeasures.RobustShares s : c.robustness()) {
            out.add(String.format(Locale.ROOT, "Robustness, %s: %s of RG's and %s of the reference's runs trained without collapse or "
                    + "divergence over %d cell × seed pairs of the tuning grid.", s.comparison(), share(s.candidateShare()),
                    share(s.referenceShare()), s.pairs()));
        }
        for (ClaimMeasures.NotAProxy p : c.notAProxy()) {
            if (p.cells() == 0) {
                continue;
            }
            out.add(String.format(Locale.ROOT, "Not a proxy%s: across %d tuning cells the oscillation's correlation with final test "
                    + "accuracy is r = %s (p %s).", p.slice().isEmpty() ? "" : " (" + p.slice() + ")", p.cells(), num(p.r(), 2),
                    SweepReport.p(p.pValue())));
        }
        for (ClaimMeasures.Plan p : c.plans()) {
            if (Double.isNaN(p.higherAccuracyMde())) {
                out.add("Power, " + p.comparison() + ": no SD of paired differences from the tuning stage, so no planned detectable effect.");
                continue;
            }
            // Accuracy differences cannot reach 100 pp: a planned effect at or beyond that is no detectable effect at all.
            String higher = p.higherAccuracyMde() >= 1 ? "detects no possible effect (higher accuracy)"
                    : String.format(Locale.ROOT, "detects ±%.2f pp (higher accuracy)", p.higherAccuracyMde() * 100);
            String margin = p.nonInferiorityMde() >= 1 ? "shows no margin within the possible range (no accuracy loss)"
                    : String.format(Locale.ROOT, "shows a margin of %.2f pp (no accuracy loss)", p.nonInferiorityMde() * 100);
            out.add(String.format(Locale.ROOT, "Power planned from the tuning stage, %s: SD of paired test-accuracy differences "
                    + "%.2f pp over %d tuning seeds; with %d confirm pairs the design %s and %s with 80%% power at α/m; the %.1f pp "
                    + "margin needs %d%s pairs. (The verdict rows use the confirm stage's own SD, so their detectable effects and "
                    + "pairs needed differ from this plan when the two stages' spreads differ.)", p.comparison(), p.sd() * 100,
                    p.tuningPairs(), p.plannedPairs(), higher, margin, SweepResults.NON_INFERIORITY_MARGIN * 100, p.marginPairs(),
                    p.marginPairsCapped() ? "+" : ""));
        }
        if (c.autoSeeds() != null) {
            out.add("Confirm seeds: " + c.autoSeeds().why() + "." + (c.autoSeeds().capBinds() ? " The cap binds: the confirm "
                    + "stage has less power than the margin asks for." : ""));
        }
        return out;
    }

    private static String share(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.1f%%", v * 100);
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
    private static final String VERDICTS_TEXT = "Claims and measures. Higher accuracy: final test accuracy, two-sided paired "
            + "t-test. No accuracy loss: RG's final test accuracy at most " + SweepResults.NON_INFERIORITY_MARGIN * 100 + " pp below "
            + "the reference's, one-sided paired t-test (contradicted: RG worse than the margin). Faster convergence: optimiser steps "
            + "to the validation target (runs that never reach it are censored, never given a number; sign test on who reached it "
            + "first with Gehan scores), and the normalised area under the validation-accuracy curve (paired t-test). Less "
            + "oscillation: the RMS residual of the validation-loss curve from its running median of 3 (0 for any monotone "
            + "stretch; the validation split is fixed, so mini-batch sampling noise does not enter), paired t-test. Robustness: "
            + "the share of the tuning grid's cell × seed runs that trained without collapse or divergence, McNemar's exact test; "
            + "collapsed and diverged runs enter only this measure. Verdicts: supported or contradicted when Holm's adjusted p < "
            + "0.05 over the report's distinct tests (two references that are the same runs are one row), else not shown, "
            + "stated with the effect the design detects with 80% power at α/m: not shown is absence of evidence, not evidence "
            + "of absence.";

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
        b.add(new Heading(2, "Answer"));
        b.add(new Block.BulletList(answer(r), "No verdict: no tuned comparison.", "answer"));
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
            b.add(new Block.BulletList(basis(r), "", ""));
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
            String heldOut = r.runs().stream().map(RunOutcome::heldOutData).filter(h -> !h.isEmpty()).findFirst().orElse("held-out");
            String curve = Character.toUpperCase(heldOut.charAt(0)) + heldOut.substring(1) + " accuracy per epoch";
            b.add(new Figure(confirm != null && confirm.done() ? curve + " of each arm's chosen cell, confirm runs"
                    : curve + " of each arm's tuned cell", curvesPng, curvesSvg, false));
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
