package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.PairedDifferences;
import io.github.randomgradient.report.SeedComparison;
import io.github.randomgradient.run.ProvenanceFacts;
import org.apache.commons.math3.fraction.BigFraction;

import io.github.randomgradient.report.stats.ClaimVerdicts;
import io.github.randomgradient.sweep.ConfirmCell;
import io.github.randomgradient.sweep.Sweep;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.SweepPlan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sweep report's numbers, computed from the run directories of a plan's roles.
 * <ul>
 *   <li>Heatmaps over learning rate × momentum of the paired (same seed) difference RG − baseline and
 *   RG − its control (the lr-matched baseline for an SGD-family optimiser, mean-preserving RG for an
 *   adaptive one: {@link PlannedRun#LR_MATCHED}, {@link PlannedRun#MEAN_PRESERVING}), of final test accuracy
 *   ({@link Metric#ACCURACY}); diverged and collapsed runs are counted in
 *   the cell and left out of its pairs.</li>
 *   <li>Tuned vs tuned: each arm's best (learning rate, momentum) by mean validation accuracy over
 *   seeds, among cells whose runs all trained normally; the tuned arms are then compared on the
 *   test set, paired by seed.</li>
 *   <li>Three-way verdicts on RG's claims (higher accuracy, no accuracy loss, faster convergence, less
 *   oscillation, robustness), one row per distinct test with Holm's correction and the detectable effect
 *   ({@link ClaimMeasures}), from the tuned comparison.</li>
 *   <li>With a confirm stage ({@link Confirm}), the tuned cells are run again with fresh seeds and the
 *   verdicts compare those runs, paired by seed; the tuning runs only choose the cells.</li>
 * </ul>
 * Accuracies are compared in exact units: each run's accuracy is its count of correct examples over the
 * test (or validation) set's size, so paired differences and means that are equal in counts are equal
 * ({@link Metric#exact(RunOutcome)}, {@link PairedComparison}).
 *
 * @param title The title.
 * @param targetAccuracy The sweep's {@code targetAccuracy}, for {@link Metric#EPOCHS_TO_TARGET} only (the verdicts'
 *                       target is {@link ClaimMeasures.Claims#targets()}).
 * @param epochs Epochs per run.
 * @param seeds The number of seeds.
 * @param learningRates The learning-rate axis (the base trainer's value if not swept).
 * @param momenta The momentum axis.
 * @param runs Every role's outcome.
 * @param heatmaps The heatmaps.
 * @param tuned Each arm's tuned cell.
 * @param verdicts The three-way verdicts ({@link ClaimMeasures}): one row per distinct test, Holm-adjusted over the rows.
 * @param notes The plan's notes ({@link SweepPlan#notes()}), e.g. which control an adaptive optimiser got.
 * @param confirm The confirm stage, null if the sweep has none; where it has one, the verdicts come from it alone.
 * @param claims What the verdicts rest on: the validation target, times to target, robustness shares, the
 *               oscillation's correlation with accuracy, the planned power and the auto confirm seed count; null if not computed.
 */
public record SweepResults(String title, double targetAccuracy, int epochs, int seeds, List<String> learningRates, List<String> momenta,
                           List<RunOutcome> runs, List<Heatmap> heatmaps, List<TunedArm> tuned, List<ClaimVerdicts.Row> verdicts,
                           List<String> notes, Confirm confirm, ClaimMeasures.Claims claims) {

    /**
     * Results of a sweep without a confirm stage: the verdicts compare the tuned cells' runs.
     * @param title The title.
     * @param targetAccuracy The target test accuracy.
     * @param epochs Epochs per run.
     * @param seeds The number of seeds.
     * @param learningRates The learning-rate axis.
     * @param momenta The momentum axis.
     * @param runs Every role's outcome.
     * @param heatmaps The heatmaps.
     * @param tuned Each arm's tuned cell.
     * @param verdicts The verdicts.
     * @param notes The plan's notes.
     */
    public SweepResults(String title, double targetAccuracy, int epochs, int seeds, List<String> learningRates, List<String> momenta,
                        List<RunOutcome> runs, List<Heatmap> heatmaps, List<TunedArm> tuned, List<ClaimVerdicts.Row> verdicts, List<String> notes) {
        this(title, targetAccuracy, epochs, seeds, learningRates, momenta, runs, heatmaps, tuned, verdicts, notes, null, null);
    }

    /**
     * Results with a confirm stage but without the claims' basis.
     * @param title The title.
     * @param targetAccuracy The target test accuracy.
     * @param epochs Epochs per run.
     * @param seeds The number of seeds.
     * @param learningRates The learning-rate axis.
     * @param momenta The momentum axis.
     * @param runs Every role's outcome.
     * @param heatmaps The heatmaps.
     * @param tuned Each arm's tuned cell.
     * @param verdicts The verdicts.
     * @param notes The plan's notes.
     * @param confirm The confirm stage.
     */
    public SweepResults(String title, double targetAccuracy, int epochs, int seeds, List<String> learningRates, List<String> momenta,
                        List<RunOutcome> runs, List<Heatmap> heatmaps, List<TunedArm> tuned, List<ClaimVerdicts.Row> verdicts, List<String> notes,
                        Confirm confirm) {
        this(title, targetAccuracy, epochs, seeds, learningRates, momenta, runs, heatmaps, tuned, verdicts, notes, confirm, null);
    }

    /**
     * The confirm stage: each arm's tuned cell run again with fresh seeds. The verdicts of a sweep
     * with a confirm stage compare these runs only; the tuning stage ({@link #runs()},
     * {@link #heatmaps()}, {@link #tuned()}) is the record of how the cells were chosen.
     * @param seeds The confirm seeds (disjoint from the tuning seeds).
     * @param arms Each tuned arm's cell with its confirm runs, in {@link #tuned()} order; the means are over
     *             the runs that trained normally.
     * @param runs Every confirm role's outcome.
     * @param status {@link #DONE}, or why the stage has not run (its verdicts are then absent).
     */
    public record Confirm(List<Long> seeds, List<TunedArm> arms, List<RunOutcome> runs, String status) {
        /** The status of a confirm stage that was planned and read. */
        public static final String DONE = "done";

        /** @return True if the stage was planned and its runs read. */
        public boolean done() {
            return DONE.equals(status);
        }
    }

    /** The non-inferiority margin for final test accuracy: 0.5 percentage points. */
    public static final double NON_INFERIORITY_MARGIN = 0.005;

    /**
     * One heatmap: a metric's paired difference RG − reference over learning rate × momentum.
     * @param slice The other axes' values (batch size, optimiser), empty if not swept.
     * @param rgScale The RG loss scale.
     * @param reference {@code baseline}, {@code lr-matched} or {@code mean-preserving}.
     * @param metric The metric.
     * @param cells Row per momentum, column per learning rate.
     */
    public record Heatmap(String slice, String rgScale, String reference, Metric metric, List<List<Cell>> cells) {}

    /**
     * A heatmap cell.
     * @param learningRate The learning rate.
     * @param momentum The momentum.
     * @param comparison The paired comparison over seeds where both runs trained normally.
     * @param excluded Runs of the cell left out: diverged, collapsed or missing.
     * @param adjustedPValue The comparison's p-value after Holm's step-down correction over the tested
     *                       cells of its heatmap (NaN if the cell has no test); the marks use it.
     */
    public record Cell(String learningRate, String momentum, PairedComparison comparison, List<String> excluded,
                       double adjustedPValue) {

        /**
         * The significance mark on the Holm-adjusted p-value: {@code **} below 0.01, {@code *} below
         * {@value PairedComparison#ALPHA}, empty otherwise.
         * @return The mark.
         */
        public String mark() {
            return PairedComparison.mark(adjustedPValue);
        }
    }

    /**
     * An arm tuned on the validation split.
     * @param slice The slice.
     * @param arm The arm label.
     * @param learningRate The chosen learning rate (the grid's).
     * @param momentum The chosen momentum.
     * @param meanValidationAccuracy Its mean validation accuracy over seeds.
     * @param meanTestAccuracy Its mean test accuracy over seeds.
     * @param runs Its runs, by seed.
     */
    public record TunedArm(String slice, String arm, String learningRate, String momentum, double meanValidationAccuracy,
                           double meanTestAccuracy, List<RunOutcome> runs) {}

    /**
     * Computes the results.
     * @param plan The plan.
     * @param output The sweep output directory.
     * @return The results.
     */
    public static SweepResults of(SweepPlan plan, Path output) {
        return of(plan, output, "");
    }

    /**
     * Computes the results, saying why the confirm stage did not run when the plan has none.
     * @param plan The plan, with its confirm stage ({@link SweepPlan#withConfirmStage}) if it ran.
     * @param output The sweep output directory.
     * @param notConfirmed Why a declared confirm stage has not run (empty if it ran or the sweep has none).
     * @return The results.
     */
    public static SweepResults of(SweepPlan plan, Path output, String notConfirmed) {
        int epochs = plan.roles().isEmpty() ? 0 : epochsOf(plan, plan.roles().get(0));
        double target = plan.sweep().getTargetAccuracy();
        List<RunOutcome> runs = new ArrayList<>();
        for (PlannedRun role : plan.roles()) {
            runs.add(RunOutcome.read(output, role, epochs, target));
        }
        List<String> lrs = axis(runs, "learningRate");
        List<String> momenta = axis(runs, "momentum");
        List<Heatmap> heatmaps = new ArrayList<>();
        List<TunedArm> tuned = new ArrayList<>();
        // The comparisons the verdicts make, each {slice, RG arm, reference arm}, in report order.
        List<ClaimMeasures.Compared> compared = new ArrayList<>();
        Set<String> scales = runs.stream().map(RunOutcome::rgScale).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String slice : runs.stream().map(SweepResults::slice).collect(Collectors.toCollection(LinkedHashSet::new))) {
            List<RunOutcome> inSlice = runs.stream().filter(r -> slice(r).equals(slice)).toList();
            Optional<TunedArm> base = tune(slice, PlannedRun.BASELINE, inSlice);
            base.ifPresent(tuned::add);
            for (String scale : scales) {
                String rgLabel = PlannedRun.RG + "(" + scale + ")";
                // The scale's control in this slice: lr-matched (SGD family) or mean-preserving (adaptive optimiser).
                String controlArm = inSlice.stream().filter(r -> r.rgScale().equals(scale) && PlannedRun.isControl(r.arm()))
                        .map(RunOutcome::arm).findFirst().orElse(PlannedRun.LR_MATCHED);
                String matchedLabel = controlArm + "(" + scale + ")";
                for (String reference : List.of(PlannedRun.BASELINE, matchedLabel)) {
                    // Heatmaps stay on final test accuracy; the claims' measures are the verdicts' (ClaimMeasures).
                    for (Metric m : List.of(Metric.ACCURACY)) {
                        heatmaps.add(heatmap(slice, scale, rgLabel, reference, m, inSlice, lrs, momenta, epochs));
                    }
                }
                Optional<TunedArm> rg = tune(slice, rgLabel, inSlice);
                Optional<TunedArm> matched = tune(slice, matchedLabel, inSlice);
                rg.ifPresent(tuned::add);
                matched.ifPresent(tuned::add);
                for (Optional<TunedArm> ref : List.of(base, matched)) {
                    if (rg.isPresent() && ref.isPresent()) {
                        compared.add(new ClaimMeasures.Compared(slice, rg.get().arm(), ref.get().arm()));
                    }
                }
            }
        }
        Confirm confirm = null;
        List<TunedArm> compareArms = tuned;
        Sweep sweep = plan.sweep();
        ClaimMeasures.AutoSeeds auto = sweep.hasConfirmStage() && sweep.isAutoConfirmSeeds()
                ? ClaimMeasures.autoSeeds(runs, tuned, compared, sweep.getTargetFraction(), sweep.getMaxConfirmSeeds()) : null;
        int plannedPairs = 0;
        if (sweep.hasConfirmStage()) {
            boolean planned = !plan.confirmRoles().isEmpty();
            long[] confirmSeeds = planned || auto == null ? plan.confirmSeeds() : sweep.confirmSeeds(auto.chosen());
            plannedPairs = confirmSeeds.length;
            List<Long> seeds = java.util.Arrays.stream(confirmSeeds).boxed().toList();
            if (!planned) {
                confirm = new Confirm(seeds, List.of(), List.of(), notConfirmed.isEmpty() ? "not run" : notConfirmed);
                compareArms = null;
            } else {
                List<RunOutcome> confirmRuns = new ArrayList<>();
                for (PlannedRun role : plan.confirmRoles()) {
                    confirmRuns.add(RunOutcome.read(output, role, epochs, target));
                }
                confirm = new Confirm(seeds, confirmed(tuned, confirmRuns), confirmRuns, Confirm.DONE);
                compareArms = confirm.arms();
            }
        }
        ClaimMeasures.Result claims = ClaimMeasures.of(runs, tuned, compareArms, compared, sweep.getTargetFraction(), plannedPairs, auto);
        List<String> notes = new ArrayList<>(plan.notes());
        environmentNote(plan, output).ifPresent(notes::add);
        return new SweepResults(sweep.getTitle(), target, epochs, sweep.getSeeds().length, lrs, momenta, runs, heatmaps, tuned,
                claims.rows(), notes, confirm, claims.claims());
    }

    /**
     * The sentence on the numeric environment of the plan's published runs with a model, both stages: the mix when
     * they were computed in more than one ({@link io.github.randomgradient.run.EnvironmentChange#mixNote}), else the one they share.
     */
    private static java.util.Optional<String> environmentNote(SweepPlan plan, Path output) {
        Map<String, org.tribuo.provenance.ModelProvenance> provenances = new LinkedHashMap<>();
        List<PlannedRun> all = new ArrayList<>(plan.runs());
        all.addAll(plan.confirmRuns());
        for (PlannedRun run : all) {
            Path dir = io.github.randomgradient.sweep.RunExecutor.runDir(output, run);
            io.github.randomgradient.run.RunFiles files = io.github.randomgradient.run.RunFiles.at(dir);
            if (java.nio.file.Files.isRegularFile(files.file(io.github.randomgradient.run.RunFiles.PROVENANCE))) {
                try {
                    provenances.put(output.relativize(dir).toString(), files.readProvenance());
                } catch (RuntimeException e) {
                    // an unreadable run is reported by the run's own outcome; it records no environment here
                }
            }
        }
        java.util.Optional<String> mix = io.github.randomgradient.run.EnvironmentChange.mixNote(provenances);
        return mix.isPresent() ? mix.map(m -> "numeric environments: " + m)
                : io.github.randomgradient.run.EnvironmentChange.sharedNote(provenances).map(m -> "numeric environment: " + m);
    }

    /**
     * The confirm stage's seed count that {@code autoConfirmSeeds} chooses from the tuning stage's runs.
     * @param plan The plan (its tuning stage published).
     * @param output The sweep output directory.
     * @return The choice, empty unless the sweep has {@code autoConfirmSeeds}.
     */
    public static Optional<ClaimMeasures.AutoSeeds> autoConfirmSeeds(SweepPlan plan, Path output) {
        SweepResults r = of(plan, output);
        return Optional.ofNullable(r.claims() == null ? null : r.claims().autoSeeds());
    }

    private static Optional<TunedArm> arm(List<TunedArm> arms, String slice, String label) {
        return arms.stream().filter(t -> t.slice().equals(slice) && t.arm().equals(label)).findFirst();
    }

    /**
     * Each tuned arm's cell with its confirm runs (same arm, same grid point); the means are over the
     * runs that trained normally (NaN if none did), the runs that did not stay in the list and out
     * of every pair.
     */
    static List<TunedArm> confirmed(List<TunedArm> tuned, List<RunOutcome> confirmRuns) {
        List<TunedArm> out = new ArrayList<>();
        for (TunedArm t : tuned) {
            if (t.runs().isEmpty()) {
                continue;
            }
            Map<String, String> grid = t.runs().get(0).grid();
            List<RunOutcome> rs = confirmRuns.stream().filter(r -> r.armLabel().equals(t.arm()) && r.grid().equals(grid)).toList();
            List<RunOutcome> ok = rs.stream().filter(RunOutcome::ok).toList();
            out.add(new TunedArm(t.slice(), t.arm(), t.learningRate(), t.momentum(),
                    ok.isEmpty() ? Double.NaN : meanValidationAccuracy(ok),
                    ok.stream().mapToDouble(RunOutcome::testAccuracy).average().orElse(Double.NaN), rs));
        }
        return out;
    }

    /**
     * The stage-2 plan's input: each tuned arm's chosen cell (arm, RG scale, grid point), in
     * {@link #tuned()} order, which {@link SweepPlan#withConfirmStage(List)} runs again with every
     * confirm seed. The cells are chosen from the tuning runs only (the validation split).
     * @return The cells; an arm with no cell whose runs all trained normally has none.
     */
    public List<ConfirmCell> chosenCells() {
        List<ConfirmCell> out = new ArrayList<>();
        for (TunedArm t : tuned) {
            if (!t.runs().isEmpty()) {
                RunOutcome r = t.runs().get(0);
                ConfirmCell cell = new ConfirmCell(r.arm(), r.rgScale(), r.grid());
                if (!out.contains(cell)) {
                    out.add(cell);
                }
            }
        }
        return out;
    }

    /** The grid point without learning rate and momentum, e.g. {@code batchSize=64}. */
    static String slice(RunOutcome r) {
        return r.grid().entrySet().stream().filter(e -> !e.getKey().equals("learningRate") && !e.getKey().equals("momentum"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static List<String> axis(List<RunOutcome> runs, String field) {
        Set<String> values = new LinkedHashSet<>();
        runs.forEach(r -> values.add(r.grid().getOrDefault(field, "base")));
        return List.copyOf(values);
    }

    private static List<RunOutcome> cell(List<RunOutcome> runs, String arm, String lr, String momentum) {
        return runs.stream().filter(r -> r.armLabel().equals(arm) && r.grid().getOrDefault("learningRate", "base").equals(lr)
                && r.grid().getOrDefault("momentum", "base").equals(momentum)).toList();
    }

    static Heatmap heatmap(String slice, String scale, String rg, String reference, Metric m, List<RunOutcome> runs,
                                   List<String> lrs, List<String> momenta, int epochs) {
        List<PairedComparison> comparisons = new ArrayList<>();
        List<List<String>> excluded = new ArrayList<>();
        for (String mom : momenta) {
            for (String lr : lrs) {
                List<String> left = new ArrayList<>();
                comparisons.add(compare(cell(runs, rg, lr, mom), cell(runs, reference, lr, mom), m, left, epochs));
                excluded.add(left);
            }
        }
        // One heatmap is one family of tests: a 4 x 4 grid at alpha 0.05 would mark a cell by chance
        // more often than not, so its marks use Holm-adjusted p-values.
        double[] adjusted = SeedComparison.holmAdjustTested(comparisons.stream().mapToDouble(PairedComparison::pValue).toArray());
        List<List<Cell>> rows = new ArrayList<>();
        int k = 0;
        for (String mom : momenta) {
            List<Cell> row = new ArrayList<>();
            for (String lr : lrs) {
                row.add(new Cell(lr, mom, comparisons.get(k), excluded.get(k), adjusted[k]));
                k++;
            }
            rows.add(row);
        }
        return new Heatmap(slice, scale, reference.equals(PlannedRun.BASELINE) ? PlannedRun.BASELINE
                : reference.substring(0, reference.indexOf('(')), m, rows);
    }

    /**
     * The epochs a role's run trains: the sweep's {@code epochs} override, or, where the sweep keeps
     * the base trainer's (epochs = 0), the trainer's configured value.
     * @param plan The plan.
     * @param role One of its roles.
     * @return Epochs per run (0 only if neither records any).
     */
    public static int epochsOf(SweepPlan plan, PlannedRun role) {
        String override = role.overrides().get("epochs");
        if (override != null) {
            return Integer.parseInt(override);
        }
        String configured = ProvenanceFacts.configurationOf(plan.trainer(role).getProvenance()).get("epochs");
        return configured == null ? 0 : Integer.parseInt(configured);
    }

    /**
     * Pairs two arms' runs by seed, leaving out pairs where either run did not train normally, and
     * compares them in exact units (accuracies as counts), the interval cut to the range of a difference.
     */
    static PairedComparison compare(List<RunOutcome> a, List<RunOutcome> b, Metric m, List<String> excluded, int epochs) {
        Map<Long, RunOutcome> bySeed = new LinkedHashMap<>();
        b.forEach(r -> bySeed.put(r.seed(), r));
        List<BigFraction> xs = new ArrayList<>();
        List<BigFraction> ys = new ArrayList<>();
        boolean counts = true;
        double lower = m.lower();
        double upper = m.upper(epochs);
        for (RunOutcome x : a) {
            RunOutcome y = bySeed.get(x.seed());
            if (y == null) {
                continue;
            }
            if (!x.ok() || !y.ok()) {
                for (RunOutcome r : List.of(x, y)) {
                    if (!r.ok()) {
                        excluded.add(r.armLabel() + " seed " + r.seed() + " " + r.status());
                    }
                }
                continue;
            }
            double u = m.of(x);
            double v = m.of(y);
            if (Double.isFinite(u) && Double.isFinite(v)) {
                xs.add(m.exact(x));
                ys.add(m.exact(y));
                counts &= m.countOf(x) && m.countOf(y);
                // The range always holds what was observed (a run longer than the sweep's epochs).
                lower = Math.min(lower, Math.min(u, v));
                upper = Math.max(upper, Math.max(u, v));
            }
        }
        return PairedComparison.of(xs.toArray(new BigFraction[0]), ys.toArray(new BigFraction[0]), counts && !xs.isEmpty(),
                lower, upper);
    }

    /**
     * The arm's cell with the best mean validation accuracy, among cells whose runs all trained
     * normally and whose mean validation accuracy is a number: a NaN mean never wins, wherever its
     * cell comes in the grid. Ties keep the first cell in grid order.
     */
    static Optional<TunedArm> tune(String slice, String arm, List<RunOutcome> runs) {
        Map<String, List<RunOutcome>> cells = new LinkedHashMap<>();
        for (RunOutcome r : runs) {
            if (r.armLabel().equals(arm)) {
                cells.computeIfAbsent(r.grid().getOrDefault("learningRate", "base") + "\u0000" + r.grid().getOrDefault("momentum", "base"),
                        k -> new ArrayList<>()).add(r);
            }
        }
        TunedArm best = null;
        for (Map.Entry<String, List<RunOutcome>> c : cells.entrySet()) {
            List<RunOutcome> rs = c.getValue();
            if (rs.isEmpty() || !rs.stream().allMatch(RunOutcome::ok)) {
                continue;
            }
            double val = meanValidationAccuracy(rs);
            if (!Double.isFinite(val)) {
                continue;
            }
            if (best == null || val > best.meanValidationAccuracy()) {
                String[] key = c.getKey().split("\u0000");
                best = new TunedArm(slice, arm, key[0], key[1], val, rs.stream().mapToDouble(RunOutcome::testAccuracy).average().orElse(Double.NaN), rs);
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The mean validation accuracy of a cell's runs, from their counts of correct validation examples
     * when recorded (so two cells with the same total count have exactly the same mean), else from the
     * recorded values.
     */
    static double meanValidationAccuracy(List<RunOutcome> runs) {
        if (runs.isEmpty() || !runs.stream().allMatch(r -> PairedDifferences.isCount(r.validationAccuracy(), r.validationExamples()))) {
            return runs.stream().mapToDouble(RunOutcome::validationAccuracy).average().orElse(Double.NaN);
        }
        BigFraction sum = BigFraction.ZERO;
        for (RunOutcome r : runs) {
            sum = sum.add(PairedDifferences.proportion(r.validationAccuracy(), r.validationExamples()));
        }
        return sum.divide(runs.size()).doubleValue();
    }
}
