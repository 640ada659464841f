package io.github.randomgradient.sweep.report;

import io.github.randomgradient.history.EvaluationPoint;
import io.github.randomgradient.report.PairedDifferences;
import io.github.randomgradient.report.stats.ClaimVerdicts;
import io.github.randomgradient.report.stats.Curves;
import io.github.randomgradient.report.stats.PowerAnalysis;
import io.github.randomgradient.report.stats.Robustness;
import io.github.randomgradient.report.stats.TimeToTarget;
import io.github.randomgradient.sweep.PlannedRun;
import org.apache.commons.math3.fraction.BigFraction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The sweep's claim measures and their three-way verdicts ({@link ClaimVerdicts}), one row per distinct test with
 * Holm's correction over the distinct rows. For each comparison of tuned RG against a tuned reference, paired by seed
 * over the runs that trained normally (collapsed and diverged runs enter only the robustness measure):
 * <ul>
 *   <li>higher accuracy: the two-sided paired t-test on final test accuracy (exact counts);</li>
 *   <li>no accuracy loss: the one-sided non-inferiority test at {@link SweepResults#NON_INFERIORITY_MARGIN}, with the pairs
 *   the margin would need;</li>
 *   <li>faster convergence: optimiser steps to the validation target, {@code targetFraction} × the tuned baseline's
 *   mean final validation accuracy in the tuning stage; runs that never reach it are censored at their last evaluation
 *   (Gehan scores, exact sign test), with Kaplan–Meier medians in steps and seconds; and the normalised area under the
 *   validation-accuracy curve (paired t-test);</li>
 *   <li>less oscillation: {@link Curves#oscillation} of the validation-loss curve (paired t-test), with its correlation
 *   with final test accuracy across the tuning stage's cells, so a reader can see it is not a proxy for accuracy;</li>
 *   <li>robustness: over the tuning stage's grid, each cell × seed paired between the arms, healthy meaning trained
 *   without collapse or divergence (McNemar's exact test).</li>
 * </ul>
 * The detectable effects use \( \alpha / m \) with m the report's distinct rows (Holm's strictest step).
 */
public final class ClaimMeasures {

    /** The measure of {@link ClaimVerdicts.Claim#HIGHER_ACCURACY} and {@link ClaimVerdicts.Claim#NO_ACCURACY_LOSS}. */
    public static final String TEST_ACCURACY = "final test accuracy";
    /** The time-to-target measure. */
    public static final String STEPS_TO_TARGET = "optimiser steps to the validation target";
    /** The area measure. */
    public static final String AREA = "area under the validation-accuracy curve (normalised)";
    /** The oscillation measure. */
    public static final String OSCILLATION = "oscillation of the validation loss (RMS residual from a running median of 3)";
    /** The robustness measure. */
    public static final String HEALTHY = "runs without collapse or divergence over the tuning grid (cell × seed)";

    /**
     * The validation target of a slice.
     * @param slice The slice.
     * @param baselineValidation The tuned baseline's mean final validation accuracy in the tuning stage.
     * @param target {@code targetFraction × baselineValidation}.
     */
    public record Target(String slice, double baselineValidation, double target) {}

    /**
     * An arm's time to the target (Kaplan–Meier medians over its compared runs that trained normally).
     * @param slice The slice.
     * @param arm The arm.
     * @param runs The runs.
     * @param censored The runs that never reached the target.
     * @param medianSteps The median optimiser steps, NaN if the estimate never falls to 1/2.
     * @param medianSeconds The median wall seconds, NaN likewise.
     */
    public record ArmTime(String slice, String arm, int runs, int censored, double medianSteps, double medianSeconds) {}

    /**
     * The pairs behind a time-to-target row: who reached the target first, and the censored runs (never reached it).
     * @param comparison The comparison.
     * @param pairs Pairs with both runs healthy and a validation curve.
     * @param candidateCensored RG's runs among them that never reached the target.
     * @param referenceCensored The reference's runs that never reached it.
     * @param candidateFirst Pairs RG reached first.
     * @param referenceFirst Pairs the reference reached first.
     * @param tied Pairs that reached it at the same step.
     * @param bothCensored Pairs in which neither reached it.
     * @param unknown Pairs whose order censoring hides.
     */
    public record TimePairs(String comparison, int pairs, int candidateCensored, int referenceCensored, int candidateFirst,
                            int referenceFirst, int tied, int bothCensored, int unknown) {}

    /**
     * The shares behind a robustness row.
     * @param comparison The comparison.
     * @param pairs Cell × seed pairs with both runs published.
     * @param candidateShare RG's share of healthy runs.
     * @param referenceShare The reference's share.
     */
    public record RobustShares(String comparison, int pairs, double candidateShare, double referenceShare) {}

    /**
     * The correlation of the oscillation measure with final test accuracy across the tuning stage's cells (the
     * "not a proxy" line).
     * @param slice The slice.
     * @param cells Cells (arm × grid point) with a measured oscillation.
     * @param r Pearson's r, NaN if undefined.
     * @param pValue Its two-sided p-value.
     */
    public record NotAProxy(String slice, int cells, double r, double pValue) {}

    /**
     * The confirm stage's power, planned from the tuning stage: the seed-to-seed SD of the tuned arms' paired
     * differences of test accuracy.
     * @param comparison The comparison.
     * @param tuningPairs The tuning stage's pairs behind the SD.
     * @param sd The SD of the paired differences (accuracy units), NaN if fewer than 2 pairs.
     * @param plannedPairs The confirm stage's pairs (the tuning stage's own without a confirm stage).
     * @param higherAccuracyMde The two-sided MDE at 80% power at α/m for the planned pairs (accuracy units).
     * @param nonInferiorityMde The one-sided MDE likewise (the smallest margin shown when the arms are equal).
     * @param marginPairs The pairs the non-inferiority margin needs at 80% power, α/m, arms equal.
     * @param marginPairsCapped True if even {@link ClaimVerdicts#NON_INFERIORITY_MAX_PAIRS} fall short.
     */
    public record Plan(String comparison, int tuningPairs, double sd, int plannedPairs, double higherAccuracyMde,
                       double nonInferiorityMde, int marginPairs, boolean marginPairsCapped) {}

    /**
     * The confirm seed count chosen by {@code autoConfirmSeeds}.
     * @param chosen The seeds the confirm stage runs.
     * @param needed The pairs the margin needs (the largest over the comparisons), before the cap.
     * @param cap {@code maxConfirmSeeds}.
     * @param capBinds True if the cap is below what the margin needs.
     * @param why The choice in words.
     */
    public record AutoSeeds(int chosen, int needed, int cap, boolean capBinds, String why) {}

    /**
     * Everything the verdicts rest on.
     * @param targetFraction The target's fraction of the tuned baseline's validation accuracy.
     * @param tests m, the distinct rows (Holm's family).
     * @param stringentAlpha α/m, the level of intervals and detectable effects.
     * @param targets Each slice's validation target.
     * @param times Each compared arm's time to target.
     * @param timePairs The pairs behind each time-to-target row, with their censored runs.
     * @param robustness The shares behind each robustness row.
     * @param notAProxy The oscillation's correlation with accuracy, per slice.
     * @param plans The planned power per comparison.
     * @param autoSeeds The auto confirm seed count, null unless chosen automatically.
     */
    public record Claims(double targetFraction, int tests, double stringentAlpha, List<Target> targets, List<ArmTime> times,
                         List<TimePairs> timePairs, List<RobustShares> robustness, List<NotAProxy> notAProxy, List<Plan> plans, AutoSeeds autoSeeds) {}

    /**
     * A comparison the verdicts make.
     * @param slice The slice.
     * @param candidate The RG arm's label.
     * @param reference The reference arm's label.
     */
    record Compared(String slice, String candidate, String reference) {
        String label() {
            return candidate + " vs " + reference + (slice.isEmpty() ? "" : " (" + slice + ")");
        }
    }

    /** The rows and their basis. */
    record Result(List<ClaimVerdicts.Row> rows, Claims claims) {}

    private ClaimMeasures() {}

    /**
     * Computes the rows.
     * @param tuningRuns Every tuning role's outcome.
     * @param tuned The tuned arms of the tuning stage.
     * @param compareArms The arms whose runs are compared (the confirm stage's, else {@code tuned}); null for no rows.
     * @param compared The comparisons.
     * @param targetFraction The target's fraction.
     * @param plannedPairs The confirm stage's planned pairs (without one, 0: the tuning stage's pairs).
     * @param autoSeeds The auto seed choice, or null.
     * @return The rows (Holm-adjusted, distinct) and their basis.
     */
    static Result of(List<RunOutcome> tuningRuns, List<SweepResults.TunedArm> tuned, List<SweepResults.TunedArm> compareArms,
                     List<Compared> compared, double targetFraction, int plannedPairs, AutoSeeds autoSeeds) {
        List<Target> targets = new ArrayList<>();
        for (Compared c : compared) {
            if (targets.stream().noneMatch(t -> t.slice().equals(c.slice()))) {
                arm(tuned, c.slice(), PlannedRun.BASELINE).filter(b -> Double.isFinite(b.meanValidationAccuracy())).ifPresent(b ->
                        targets.add(new Target(c.slice(), b.meanValidationAccuracy(),
                                TimeToTarget.target(targetFraction, b.meanValidationAccuracy()))));
            }
        }
        // Two passes: m (the distinct rows) sets the level of the detectable effects.
        List<Tagged> provisional = rows(tuningRuns, compareArms, compared, targets, ClaimVerdicts.Design.of(1));
        int m = Math.max(1, distinct(provisional).size());
        ClaimVerdicts.Design design = ClaimVerdicts.Design.of(m);
        List<ClaimVerdicts.Row> rows = ClaimVerdicts.holm(distinct(rows(tuningRuns, compareArms, compared, targets, design)),
                ClaimVerdicts.ALPHA);
        List<ArmTime> times = new ArrayList<>();
        List<TimePairs> timePairs = new ArrayList<>();
        List<RobustShares> robust = new ArrayList<>();
        if (compareArms != null) {
            for (Compared c : compared) {
                Target target = target(targets, c.slice());
                Optional<SweepResults.TunedArm> rg = arm(compareArms, c.slice(), c.candidate());
                Optional<SweepResults.TunedArm> ref = arm(compareArms, c.slice(), c.reference());
                if (target != null && rg.isPresent() && ref.isPresent()) {
                    List<RunOutcome[]> curved = pairs(rg.get().runs(), ref.get().runs()).stream().filter(p -> curve(p[0]) && curve(p[1])).toList();
                    List<TimeToTarget.Time> a = curved.stream().map(p -> time(p[0], target.target(), EvaluationPoint::step)).toList();
                    List<TimeToTarget.Time> b = curved.stream().map(p -> time(p[1], target.target(), EvaluationPoint::step)).toList();
                    TimeToTarget.Comparison t = TimeToTarget.compare(a, b);
                    timePairs.add(new TimePairs(c.label(), curved.size(), (int) a.stream().filter(x -> !x.reached()).count(),
                            (int) b.stream().filter(x -> !x.reached()).count(), t.candidateFirst(), t.referenceFirst(), t.tied(),
                            t.bothCensored(), t.unknown()));
                }
                for (String label : List.of(c.candidate(), c.reference())) {
                    Target t = target(targets, c.slice());
                    if (t != null && times.stream().noneMatch(a -> a.slice().equals(c.slice()) && a.arm().equals(label))) {
                        arm(compareArms, c.slice(), label).ifPresent(a -> times.add(armTime(c.slice(), a, t.target())));
                    }
                }
            }
        }
        for (Compared c : compared) {
            Robustness.Result r = Robustness.compare(robustnessPairs(tuningRuns, c));
            robust.add(new RobustShares(c.label(), r.pairs(), r.candidateShare(), r.referenceShare()));
        }
        List<NotAProxy> proxies = new ArrayList<>();
        for (String slice : compared.stream().map(Compared::slice).distinct().toList()) {
            proxies.add(notAProxy(slice, tuningRuns));
        }
        List<Plan> plans = new ArrayList<>();
        for (Compared c : compared) {
            plan(tuned, c, plannedPairs, design).ifPresent(plans::add);
        }
        return new Result(rows, new Claims(targetFraction, m, design.stringentAlpha(), targets, times, timePairs, robust, proxies, plans, autoSeeds));
    }

    /**
     * The confirm seed count for 80% power at the non-inferiority margin when the arms are equally good, at α/m (m the
     * distinct rows of the tuning stage's comparisons), from the tuning stage's SD of the paired differences of test
     * accuracy: the largest over the comparisons, capped by {@code maxSeeds}.
     * @param tuningRuns Every tuning role's outcome.
     * @param tuned The tuned arms.
     * @param compared The comparisons.
     * @param targetFraction The target's fraction.
     * @param maxSeeds {@code maxConfirmSeeds}.
     * @return The choice.
     */
    static AutoSeeds autoSeeds(List<RunOutcome> tuningRuns, List<SweepResults.TunedArm> tuned, List<Compared> compared,
                               double targetFraction, int maxSeeds) {
        Result stage1 = of(tuningRuns, tuned, tuned, compared, targetFraction, 0, null);
        ClaimVerdicts.Design design = ClaimVerdicts.Design.of(stage1.claims().tests());
        int needed = 0;
        boolean unknown = true;
        List<String> because = new ArrayList<>();
        for (Compared c : compared) {
            PairedDifferences d = accuracyDifferences(arm(tuned, c.slice(), c.candidate()), arm(tuned, c.slice(), c.reference()));
            if (d == null || d.n() < 2 || !(d.standardDeviation() > 0)) {
                continue;
            }
            unknown = false;
            PowerAnalysis.SampleSize s = PowerAnalysis.nonInferiorityPairs(SweepResults.NON_INFERIORITY_MARGIN, 0,
                    d.standardDeviation(), design.stringentAlpha(), design.power(), ClaimVerdicts.NON_INFERIORITY_MAX_PAIRS);
            needed = Math.max(needed, s.pairs());
            because.add(String.format(java.util.Locale.ROOT, "%s: SD of paired differences %.2f pp over %d tuning seeds needs %d",
                    c.label(), d.standardDeviation() * 100, d.n(), s.pairs()));
        }
        if (unknown) {
            return new AutoSeeds(maxSeeds, -1, maxSeeds, false, "the tuning stage gives no SD of paired differences (fewer than 2 "
                    + "pairs, or differences that do not vary), so auto uses maxConfirmSeeds " + maxSeeds);
        }
        int chosen = Math.max(2, Math.min(needed, maxSeeds));
        String why = String.format(java.util.Locale.ROOT, "auto: %d confirm seeds, for 80%% power to show no accuracy loss at the "
                + "%.1f pp margin when the arms are equally good, one-sided at α/m = %.4f (m = %d distinct tests) (%s)%s",
                chosen, SweepResults.NON_INFERIORITY_MARGIN * 100, design.stringentAlpha(), design.tests(), String.join("; ", because),
                needed > maxSeeds ? "; the cap maxConfirmSeeds = " + maxSeeds + " binds: the margin needs " + needed : "");
        return new AutoSeeds(chosen, needed, maxSeeds, needed > maxSeeds, why);
    }

    /** A row with the runs behind it: two rows with the same claim, measure, test and runs are one test. */
    private record Tagged(ClaimVerdicts.Row row, String runs) {}

    private static Tagged tagged(ClaimVerdicts.Row row, String runs) {
        return new Tagged(row, runs);
    }

    private static List<ClaimVerdicts.Row> distinct(List<Tagged> rows) {
        Map<ClaimVerdicts.Row, String> runs = new java.util.IdentityHashMap<>();
        rows.forEach(t -> runs.put(t.row(), t.runs()));
        return ClaimVerdicts.distinct(rows.stream().map(Tagged::row).toList(),
                r -> r.claim() + "\u0000" + r.measure() + "\u0000" + r.test() + "\u0000" + runs.get(r));
    }

    private static List<Tagged> rows(List<RunOutcome> tuningRuns, List<SweepResults.TunedArm> arms, List<Compared> compared,
                                                List<Target> targets, ClaimVerdicts.Design design) {
        List<Tagged> out = new ArrayList<>();
        if (arms == null) {
            return out;
        }
        for (Compared c : compared) {
            Optional<SweepResults.TunedArm> rg = arm(arms, c.slice(), c.candidate());
            Optional<SweepResults.TunedArm> ref = arm(arms, c.slice(), c.reference());
            if (rg.isEmpty() || ref.isEmpty()) {
                continue;
            }
            List<RunOutcome[]> pairs = pairs(rg.get().runs(), ref.get().runs());
            String runs = rg.get().runs().stream().map(RunOutcome::runDir).sorted().collect(Collectors.joining(",")) + "|"
                    + ref.get().runs().stream().map(RunOutcome::runDir).sorted().collect(Collectors.joining(","));
            PairedDifferences acc = accuracyDifferences(rg, ref);
            out.add(tagged(ClaimVerdicts.superiority(ClaimVerdicts.Claim.HIGHER_ACCURACY, c.label(), TEST_ACCURACY, acc, true, design), runs));
            out.add(tagged(ClaimVerdicts.nonInferiority(c.label(), TEST_ACCURACY, acc, true, SweepResults.NON_INFERIORITY_MARGIN, design), runs));
            Target t = target(targets, c.slice());
            List<RunOutcome[]> curved = pairs.stream().filter(p -> curve(p[0]) && curve(p[1])).toList();
            // The compared runs name the test even where no pair has a curve, so two comparisons never merge on an empty set.
            String curvedRuns = runs + "/" + curved.stream().map(p -> p[0].runDir() + "|" + p[1].runDir()).collect(Collectors.joining(","));
            if (t != null) {
                List<TimeToTarget.Time> a = curved.stream().map(p -> time(p[0], t.target(), EvaluationPoint::step)).toList();
                List<TimeToTarget.Time> b = curved.stream().map(p -> time(p[1], t.target(), EvaluationPoint::step)).toList();
                out.add(tagged(ClaimVerdicts.faster(c.label(), String.format(java.util.Locale.ROOT, "%s (%.4f = %.2f × the tuned baseline's "
                        + "validation accuracy)", STEPS_TO_TARGET, t.target(), t.target() / t.baselineValidation()),
                        TimeToTarget.compare(a, b), design), curvedRuns));
            }
            out.add(tagged(ClaimVerdicts.superiority(ClaimVerdicts.Claim.FASTER, c.label(), AREA,
                    measured(curved, ClaimMeasures::area), true, design), curvedRuns));
            List<RunOutcome[]> oscillating = curved.stream().filter(p -> Double.isFinite(oscillation(p[0])) && Double.isFinite(oscillation(p[1]))).toList();
            out.add(tagged(ClaimVerdicts.superiority(ClaimVerdicts.Claim.LESS_OSCILLATION, c.label(), OSCILLATION,
                    measured(oscillating, ClaimMeasures::oscillation), false, design),
                    runs + "/" + oscillating.stream().map(p -> p[0].runDir() + "|" + p[1].runDir()).collect(Collectors.joining(","))));
            List<Robustness.Pair> robust = robustnessPairs(tuningRuns, c);
            out.add(tagged(ClaimVerdicts.moreRobust(c.label(), HEALTHY, Robustness.compare(robust), design),
                    robust.stream().map(p -> p.cell() + "#" + p.seed()).collect(Collectors.joining(",")) + "@"
                            + robustRuns(tuningRuns, c)));
        }
        return out;
    }

    /** The run directories of the two arms' tuning runs in the slice: two references with the same runs are one test. */
    private static String robustRuns(List<RunOutcome> runs, Compared c) {
        return runs.stream().filter(r -> SweepResults.slice(r).equals(c.slice()) && r.armLabel().equals(c.reference()))
                .map(RunOutcome::runDir).sorted().collect(Collectors.joining(","))
                + "/" + runs.stream().filter(r -> SweepResults.slice(r).equals(c.slice()) && r.armLabel().equals(c.candidate()))
                .map(RunOutcome::runDir).sorted().collect(Collectors.joining(","));
    }

    static Optional<SweepResults.TunedArm> arm(List<SweepResults.TunedArm> arms, String slice, String label) {
        return arms == null ? Optional.empty() : arms.stream().filter(t -> t.slice().equals(slice) && t.arm().equals(label)).findFirst();
    }

    private static Target target(List<Target> targets, String slice) {
        return targets.stream().filter(t -> t.slice().equals(slice)).findFirst().orElse(null);
    }

    /** Pairs by seed, both runs trained normally. */
    static List<RunOutcome[]> pairs(List<RunOutcome> a, List<RunOutcome> b) {
        Map<Long, RunOutcome> bySeed = new LinkedHashMap<>();
        b.forEach(r -> bySeed.put(r.seed(), r));
        List<RunOutcome[]> out = new ArrayList<>();
        for (RunOutcome x : a) {
            RunOutcome y = bySeed.get(x.seed());
            if (y != null && x.ok() && y.ok()) {
                out.add(new RunOutcome[]{x, y});
            }
        }
        return out;
    }

    private static PairedDifferences accuracyDifferences(Optional<SweepResults.TunedArm> rg, Optional<SweepResults.TunedArm> ref) {
        if (rg.isEmpty() || ref.isEmpty()) {
            return null;
        }
        List<RunOutcome[]> pairs = pairs(rg.get().runs(), ref.get().runs());
        BigFraction[] x = pairs.stream().map(p -> Metric.ACCURACY.exact(p[0])).toArray(BigFraction[]::new);
        BigFraction[] y = pairs.stream().map(p -> Metric.ACCURACY.exact(p[1])).toArray(BigFraction[]::new);
        return PairedDifferences.of(x, y);
    }

    private static PairedDifferences measured(List<RunOutcome[]> pairs, ToDoubleFunction<RunOutcome> f) {
        BigFraction[] x = pairs.stream().map(p -> PairedDifferences.exact(f.applyAsDouble(p[0]))).toArray(BigFraction[]::new);
        BigFraction[] y = pairs.stream().map(p -> PairedDifferences.exact(f.applyAsDouble(p[1]))).toArray(BigFraction[]::new);
        return PairedDifferences.of(x, y);
    }

    /** Does the run have a validation curve of at least 2 finite points? */
    static boolean curve(RunOutcome r) {
        return r.evaluations().size() >= 2 && r.evaluations().stream()
                .allMatch(e -> Double.isFinite(e.heldOutMetric()) && Double.isFinite(e.heldOutLoss()));
    }

    /** The normalised area under a run's validation-accuracy curve, over optimiser steps. */
    static double area(RunOutcome r) {
        return Curves.normalisedArea(r.evaluations().stream().mapToDouble(EvaluationPoint::step).toArray(),
                r.evaluations().stream().mapToDouble(EvaluationPoint::heldOutMetric).toArray());
    }

    /** The oscillation of a run's validation-loss curve. */
    static double oscillation(RunOutcome r) {
        return Curves.oscillation(r.evaluations().stream().mapToDouble(EvaluationPoint::heldOutLoss).toArray());
    }

    /** A run's time to the target, on the given clock (steps or wall seconds). */
    static TimeToTarget.Time time(RunOutcome r, double target, ToDoubleFunction<EvaluationPoint> clock) {
        double[] times = r.evaluations().stream().mapToDouble(clock).toArray();
        // Wall seconds may repeat at the resolution of the clock: keep the times strictly increasing.
        for (int i = 1; i < times.length; i++) {
            times[i] = Math.max(times[i], Math.nextUp(times[i - 1]));
        }
        return TimeToTarget.of(times, r.evaluations().stream().mapToDouble(EvaluationPoint::heldOutMetric).toArray(), target, true);
    }

    private static ArmTime armTime(String slice, SweepResults.TunedArm arm, double target) {
        List<RunOutcome> ok = arm.runs().stream().filter(RunOutcome::ok).filter(ClaimMeasures::curve).toList();
        TimeToTarget.Median steps = TimeToTarget.kaplanMeierMedian(ok.stream().map(r -> time(r, target, EvaluationPoint::step)).toList());
        TimeToTarget.Median seconds = TimeToTarget.kaplanMeierMedian(ok.stream().map(r -> time(r, target, EvaluationPoint::wallSeconds)).toList());
        return new ArmTime(slice, arm.arm(), steps.runs(), steps.censored(), steps.median(), seconds.median());
    }

    /** Cell × seed pairs of the tuning stage between the two arms, both runs published. */
    static List<Robustness.Pair> robustnessPairs(List<RunOutcome> runs, Compared c) {
        Map<String, RunOutcome> reference = new LinkedHashMap<>();
        for (RunOutcome r : runs) {
            if (SweepResults.slice(r).equals(c.slice()) && r.armLabel().equals(c.reference()) && !RunOutcome.MISSING.equals(r.status())) {
                reference.put(r.grid() + "#" + r.seed(), r);
            }
        }
        List<Robustness.Pair> out = new ArrayList<>();
        for (RunOutcome r : runs) {
            if (SweepResults.slice(r).equals(c.slice()) && r.armLabel().equals(c.candidate()) && !RunOutcome.MISSING.equals(r.status())) {
                RunOutcome y = reference.get(r.grid() + "#" + r.seed());
                if (y != null) {
                    out.add(new Robustness.Pair(new java.util.TreeMap<>(r.grid()).toString(), r.seed(), r.ok(), y.ok()));
                }
            }
        }
        return out;
    }

    /** Oscillation against final test accuracy across the slice's tuning cells (arm × grid point), means over healthy runs. */
    static NotAProxy notAProxy(String slice, List<RunOutcome> runs) {
        Map<String, List<RunOutcome>> cells = new LinkedHashMap<>();
        for (RunOutcome r : runs) {
            if (SweepResults.slice(r).equals(slice) && r.ok() && curve(r) && Double.isFinite(oscillation(r)) && Double.isFinite(r.testAccuracy())) {
                cells.computeIfAbsent(r.armLabel() + " " + new java.util.TreeMap<>(r.grid()), k -> new ArrayList<>()).add(r);
            }
        }
        double[] osc = cells.values().stream().mapToDouble(rs -> rs.stream().mapToDouble(ClaimMeasures::oscillation).average().orElseThrow()).toArray();
        double[] acc = cells.values().stream().mapToDouble(rs -> rs.stream().mapToDouble(RunOutcome::testAccuracy).average().orElseThrow()).toArray();
        Curves.Correlation c = Curves.pearson(osc, acc);
        return new NotAProxy(slice, c.n(), c.r(), c.pValue());
    }

    private static Optional<Plan> plan(List<SweepResults.TunedArm> tuned, Compared c, int plannedPairs, ClaimVerdicts.Design design) {
        PairedDifferences d = accuracyDifferences(arm(tuned, c.slice(), c.candidate()), arm(tuned, c.slice(), c.reference()));
        if (d == null) {
            return Optional.empty();
        }
        int n = plannedPairs > 0 ? plannedPairs : d.n();
        double sd = d.n() >= 2 ? d.standardDeviation() : Double.NaN;
        if (!(sd > 0) || n < 2) {
            return Optional.of(new Plan(c.label(), d.n(), sd, n, Double.NaN, Double.NaN, -1, false));
        }
        double a = design.stringentAlpha();
        PowerAnalysis.SampleSize s = PowerAnalysis.nonInferiorityPairs(SweepResults.NON_INFERIORITY_MARGIN, 0, sd, a, design.power(),
                ClaimVerdicts.NON_INFERIORITY_MAX_PAIRS);
        return Optional.of(new Plan(c.label(), d.n(), sd, n,
                PowerAnalysis.minimumDetectableEffect(n, sd, a, design.power(), PowerAnalysis.Sides.TWO_SIDED),
                PowerAnalysis.minimumDetectableEffect(n, sd, a, design.power(), PowerAnalysis.Sides.ONE_SIDED), s.pairs(), s.capped()));
    }
}
