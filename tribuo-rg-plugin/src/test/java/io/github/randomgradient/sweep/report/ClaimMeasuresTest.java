package io.github.randomgradient.sweep.report;

import io.github.randomgradient.history.EvaluationPoint;
import io.github.randomgradient.report.stats.ClaimVerdicts;
import io.github.randomgradient.report.stats.ClaimVerdicts.Claim;
import io.github.randomgradient.report.stats.ClaimVerdicts.Outcome;
import io.github.randomgradient.report.stats.PowerAnalysis;
import io.github.randomgradient.sweep.PlannedRun;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep's claim rows ({@link ClaimMeasures}, the path {@link SweepResults#of} takes) on runs built by hand, so that
 * every claim comes out supported, contradicted and not shown, with the numbers computed here by hand.
 * <p>
 * Twelve seeds; each run has 4 validation evaluations at steps 10, 20, 30, 40 (wall seconds = step / 10) and a test
 * accuracy over 1000 examples. The tuned baseline's mean final validation accuracy is (3 × 0.79 + 9 × 0.85) / 12 = 0.835,
 * so the target (0.95 of it) is 0.79325.
 */
public class ClaimMeasuresTest {

    private static final String BASE = PlannedRun.BASELINE;
    private static final String RG = "rg(rg-uniform)";
    private static final int SEEDS = 12;

    private static RunOutcome run(String label, String lr, long seed, String status, double test, double[] metric, double[] loss) {
        String arm = label.equals(BASE) ? label : "rg";
        List<EvaluationPoint> points = new ArrayList<>();
        for (int i = 0; i < metric.length; i++) {
            long step = 10L * (i + 1);
            points.add(new EvaluationPoint(step, 1, step / 40.0, step / 10.0, loss[i], metric[i]));
        }
        return new RunOutcome(arm, label, label.equals(BASE) ? "" : "rg-uniform", Map.of("learningRate", lr, "momentum", "0.9"), seed, lr,
                label + "-" + lr + "-" + seed, status, test, metric[metric.length - 1], Double.NaN, Double.NaN, false, Double.NaN,
                List.of(), 1000, 0, points, "validation");
    }

    /** Baseline: seeds 1-3 never reach 0.8075 (censored at step 40), the others reach it at step 30; its loss zig-zags. */
    private static RunOutcome baseline(String lr, long seed, String status) {
        double last = seed <= 3 ? 0.79 : 0.85;
        double[] metric = seed <= 3 ? new double[]{0.5, 0.7, 0.76, 0.79} : new double[]{0.5, 0.7, 0.81, 0.85};
        double wiggle = 0.01 * seed;
        return run(BASE, lr, seed, status, (800 + seed % 3) / 1000.0, metric, new double[]{1.0, 0.5 + wiggle, 0.8, 0.4 + last - 0.8});
    }

    /** RG: 2.0 or 2.1 pp higher test accuracy, reaches the target at step 20, monotone loss. */
    private static RunOutcome better(String lr, long seed) {
        return run(RG, lr, seed, RunOutcome.OK, (800 + seed % 3 + 20 + seed % 2) / 1000.0, new double[]{0.7, 0.85, 0.86, 0.87},
                new double[]{1.0, 0.7, 0.6, 0.5});
    }

    private static SweepResults.TunedArm tuned(String label, List<RunOutcome> runs) {
        return new SweepResults.TunedArm("", label, "0.1", "0.9", runs.stream().mapToDouble(RunOutcome::validationAccuracy).average().orElseThrow(),
                runs.stream().mapToDouble(RunOutcome::testAccuracy).average().orElseThrow(), runs);
    }

    /** Tuned cells at lr 0.1 (every run healthy) and a cell at lr 0.2 where the baseline collapses for every seed. */
    private static ClaimMeasures.Result claims(boolean rgFirst) {
        List<RunOutcome> base = new ArrayList<>();
        List<RunOutcome> rg = new ArrayList<>();
        List<RunOutcome> tuning = new ArrayList<>();
        for (long s = 1; s <= SEEDS; s++) {
            base.add(baseline("0.1", s, RunOutcome.OK));
            rg.add(better("0.1", s));
            tuning.add(baseline("0.2", s, RunOutcome.COLLAPSED));
            tuning.add(better("0.2", s));
        }
        tuning.addAll(base);
        tuning.addAll(rg);
        List<SweepResults.TunedArm> arms = List.of(tuned(BASE, base), tuned(RG, rg));
        ClaimMeasures.Compared c = rgFirst ? new ClaimMeasures.Compared("", RG, BASE) : new ClaimMeasures.Compared("", BASE, RG);
        return ClaimMeasures.of(tuning, arms, arms, List.of(c), 0.95, 0, null);
    }

    private static ClaimVerdicts.Row row(List<ClaimVerdicts.Row> rows, Claim claim, String measurePrefix) {
        return rows.stream().filter(r -> r.claim() == claim && r.measure().startsWith(measurePrefix)).findFirst().orElseThrow();
    }

    @Test
    public void aBetterRgIsSupportedOnEveryClaimWithHandComputedNumbers() {
        ClaimMeasures.Result result = claims(true);
        List<ClaimVerdicts.Row> rows = result.rows();
        assertEquals(6, rows.size(), rows.toString());
        assertEquals(6, result.claims().tests());
        double a = 0.05 / 6;
        assertEquals(a, result.claims().stringentAlpha(), 1e-15);
        rows.forEach(r -> assertEquals(Outcome.SUPPORTED, r.outcome(), r.toString()));

        // Test accuracy: differences 20 + s % 2 counts of 1000, s = 1..12: six 0.021 and six 0.020.
        ClaimVerdicts.Row acc = row(rows, Claim.HIGHER_ACCURACY, ClaimMeasures.TEST_ACCURACY);
        assertEquals(0.0205, acc.estimate(), 1e-12);
        assertEquals(SEEDS, acc.n());
        double sd = Math.sqrt(12 * 0.0005 * 0.0005 / 11);
        assertEquals(PowerAnalysis.minimumDetectableEffect(SEEDS, sd, a, 0.8, PowerAnalysis.Sides.TWO_SIDED), acc.detectable(), 1e-12);

        // Faster: RG reaches 0.79325 at step 20 in every pair; the baseline at 30 (9 seeds) or never (3 seeds, censored at
        // step 40, after RG's 20: RG still first). Sign test 12 : 0, p = 2 / 2^12.
        ClaimVerdicts.Row faster = row(rows, Claim.FASTER, ClaimMeasures.STEPS_TO_TARGET);
        assertEquals(12, faster.n());
        assertEquals(1.0, faster.estimate(), 0.0);
        assertEquals(2 / 4096.0, faster.pValue(), 1e-15);
        assertTrue(faster.measure().contains(String.format(java.util.Locale.ROOT, "(%.4f = 0.95 ×", 0.95 * 0.835)), faster.measure());
        ClaimMeasures.ArmTime baseTime = result.claims().times().stream().filter(t -> t.arm().equals(BASE)).findFirst().orElseThrow();
        assertEquals(3, baseTime.censored(), "the three runs that never reach the target are censored, not given a number");
        // Kaplan-Meier: 12 at risk at step 30, 9 reach it: S = 3/12 <= 1/2, so the median is 30 steps (3 s).
        assertEquals(30, baseTime.medianSteps(), 0.0);
        assertEquals(3.0, baseTime.medianSeconds(), 0.0);
        ClaimMeasures.TimePairs timePairs = result.claims().timePairs().get(0);
        assertEquals(List.of(12, 0, 3, 12, 0, 0, 0, 0), List.of(timePairs.pairs(), timePairs.candidateCensored(),
                timePairs.referenceCensored(), timePairs.candidateFirst(), timePairs.referenceFirst(), timePairs.tied(),
                timePairs.bothCensored(), timePairs.unknown()));
        ClaimMeasures.ArmTime rgTime = result.claims().times().stream().filter(t -> t.arm().equals(RG)).findFirst().orElseThrow();
        assertEquals(0, rgTime.censored());
        assertEquals(20, rgTime.medianSteps(), 0.0);

        // Area (trapezoids over steps 10..40, divided by 30): RG (0.7+0.85)/2 + (0.85+0.86)/2 + (0.86+0.87)/2, over 3.
        double rgArea = ((0.7 + 0.85) / 2 + (0.85 + 0.86) / 2 + (0.86 + 0.87) / 2) / 3;
        double baseReached = ((0.5 + 0.7) / 2 + (0.7 + 0.81) / 2 + (0.81 + 0.85) / 2) / 3;
        double baseCensored = ((0.5 + 0.7) / 2 + (0.7 + 0.76) / 2 + (0.76 + 0.79) / 2) / 3;
        ClaimVerdicts.Row area = row(rows, Claim.FASTER, ClaimMeasures.AREA);
        assertEquals(rgArea - (9 * baseReached + 3 * baseCensored) / 12, area.estimate(), 1e-12);

        // Oscillation: RG's loss is monotone (0); the baseline's [1.0, 0.5 + 0.01 s, 0.8, 0.4 + last - 0.8] has a local
        // minimum and a local maximum inside, whose residuals from the running median of 3 are computed here.
        double sum = 0;
        for (long s = 1; s <= SEEDS; s++) {
            double last = s <= 3 ? 0.79 : 0.85;
            double[] y = {1.0, 0.5 + 0.01 * s, 0.8, 0.4 + last - 0.8};
            double r1 = y[1] - Math.min(y[0], y[2]);           // local minimum: sticks out below both neighbours
            double r2 = y[2] - Math.max(y[1], y[3]);           // local maximum
            sum += -Math.sqrt((r1 * r1 + r2 * r2) / 2);      // RG (0) − baseline
        }
        ClaimVerdicts.Row osc = row(rows, Claim.LESS_OSCILLATION, ClaimMeasures.OSCILLATION);
        assertEquals(sum / SEEDS, osc.estimate(), 1e-12);
        assertFalse(osc.estimate() >= 0);

        // Robustness: 24 cell x seed pairs; the baseline collapsed in the 12 of lr 0.2, RG never: McNemar 12 : 0.
        ClaimVerdicts.Row robust = row(rows, Claim.MORE_ROBUST, ClaimMeasures.HEALTHY);
        assertEquals(12, robust.n());
        assertEquals(2 / 4096.0, robust.pValue(), 1e-15);
        ClaimMeasures.RobustShares shares = result.claims().robustness().get(0);
        assertEquals(24, shares.pairs());
        assertEquals(1.0, shares.candidateShare(), 0.0);
        assertEquals(0.5, shares.referenceShare(), 0.0);
    }

    @Test
    public void theSameRunsWithTheArmsSwappedAreContradictedOnEveryClaim() {
        List<ClaimVerdicts.Row> rows = claims(false).rows();
        assertEquals(6, rows.size());
        rows.forEach(r -> assertEquals(Outcome.CONTRADICTED, r.outcome(), r.toString()));
    }

    @Test
    public void anEquallyGoodRgIsNotShownWithItsDetectableEffectAndTheMarginsPairs() {
        List<RunOutcome> base = new ArrayList<>();
        List<RunOutcome> rg = new ArrayList<>();
        double[] metric = {0.5, 0.7, 0.81, 0.85};
        for (long s = 1; s <= SEEDS; s++) {
            double[] loss = {1.0, 0.6 + 0.01 * s, 0.8, 0.5};
            base.add(run(BASE, "0.1", s, RunOutcome.OK, 0.800, metric, loss));
            // +-20 counts alternating: mean 0, SD 0.0209; the same curve, so the target is reached at the same step.
            double[] rgLoss = {1.0, 0.6 + 0.01 * ((s * 7) % 12), 0.8, 0.5};
            rg.add(run(RG, "0.1", s, RunOutcome.OK, s % 2 == 0 ? 0.820 : 0.780, metric, rgLoss));
        }
        List<RunOutcome> tuning = new ArrayList<>(base);
        tuning.addAll(rg);
        List<SweepResults.TunedArm> arms = List.of(tuned(BASE, base), tuned(RG, rg));
        ClaimMeasures.Result result = ClaimMeasures.of(tuning, arms, arms, List.of(new ClaimMeasures.Compared("", RG, BASE)), 0.95, 0, null);
        List<ClaimVerdicts.Row> rows = result.rows();
        rows.forEach(r -> assertEquals(Outcome.NOT_SHOWN, r.outcome(), r.toString()));
        ClaimVerdicts.Row ni = row(rows, Claim.NO_ACCURACY_LOSS, ClaimMeasures.TEST_ACCURACY);
        double sd = Math.sqrt(12 * 0.02 * 0.02 / 11);
        double a = result.claims().stringentAlpha();
        assertEquals(PowerAnalysis.minimumDetectableEffect(SEEDS, sd, a, 0.8, PowerAnalysis.Sides.ONE_SIDED), ni.detectable(), 1e-12);
        assertEquals(PowerAnalysis.nonInferiorityPairs(0.005, 0, sd, a, 0.8, ClaimVerdicts.NON_INFERIORITY_MAX_PAIRS).pairs(), ni.pairsNeeded());
        // Every pair reaches the target at the same step: no informative pair, so no test and a reason.
        ClaimVerdicts.Row faster = row(rows, Claim.FASTER, ClaimMeasures.STEPS_TO_TARGET);
        assertTrue(Double.isNaN(faster.pValue()) && faster.reason().contains("12 tied"), faster.toString());
        // The answer words absence of evidence as such, with the detectable effect.
        String sentence = SweepReportText.sentence(row(rows, Claim.HIGHER_ACCURACY, ClaimMeasures.TEST_ACCURACY));
        assertTrue(sentence.contains("not shown: an effect smaller than "), sentence);
        assertTrue(SweepReportText.sentence(ni).contains("a loss larger than the 0.5 pp margin cannot be excluded"), SweepReportText.sentence(ni));
    }

    @Test
    public void autoConfirmSeedsAreThePairsTheMarginNeedsCappedByMaxConfirmSeeds() {
        List<RunOutcome> base = new ArrayList<>();
        List<RunOutcome> rg = new ArrayList<>();
        double[] metric = {0.5, 0.7, 0.81, 0.85};
        double[] loss = {1.0, 0.6, 0.8, 0.5};
        // Four tuning seeds, differences +10, -10, +10, -10 counts: SD = sqrt(4 * 0.01^2 / 3).
        for (long s = 1; s <= 4; s++) {
            base.add(run(BASE, "0.1", s, RunOutcome.OK, 0.800, metric, loss));
            rg.add(run(RG, "0.1", s, RunOutcome.OK, s % 2 == 0 ? 0.790 : 0.810, metric, loss));
        }
        List<RunOutcome> tuning = new ArrayList<>(base);
        tuning.addAll(rg);
        List<SweepResults.TunedArm> arms = List.of(tuned(BASE, base), tuned(RG, rg));
        List<ClaimMeasures.Compared> compared = List.of(new ClaimMeasures.Compared("", RG, BASE));
        double sd = Math.sqrt(4 * 0.01 * 0.01 / 3);
        // The tuning stage's report has 6 distinct rows for one comparison: alpha / 6.
        int needed = PowerAnalysis.nonInferiorityPairs(0.005, 0, sd, 0.05 / 6, 0.8, 10_000).pairs();
        ClaimMeasures.AutoSeeds auto = ClaimMeasures.autoSeeds(tuning, arms, compared, 0.95, 1000);
        assertEquals(needed, auto.chosen());
        assertEquals(needed, auto.needed());
        assertFalse(auto.capBinds());
        assertTrue(needed > 40, "the example needs more than the default cap: " + needed);
        ClaimMeasures.AutoSeeds capped = ClaimMeasures.autoSeeds(tuning, arms, compared, 0.95, 40);
        assertEquals(40, capped.chosen());
        assertTrue(capped.capBinds());
        assertTrue(capped.why().contains("the cap maxConfirmSeeds = 40 binds: the margin needs " + needed), capped.why());
    }

    @Test
    public void aReferenceWhoseTunedCellIsTheBaselinesRunsIsOneRowPerTestAndCountedOnceByHolm() {
        List<RunOutcome> base = new ArrayList<>();
        List<RunOutcome> rg = new ArrayList<>();
        for (long s = 1; s <= SEEDS; s++) {
            base.add(baseline("0.1", s, RunOutcome.OK));
            rg.add(better("0.1", s));
        }
        List<RunOutcome> tuning = new ArrayList<>(base);
        tuning.addAll(rg);
        String lrMatched = "lr-matched(rg-uniform)";
        // The lr-matched arm chose the baseline's runs (one set of runs, as the sweep plans a shared configuration).
        List<SweepResults.TunedArm> arms = List.of(tuned(BASE, base), tuned(RG, rg), tuned(lrMatched, base));
        List<ClaimMeasures.Compared> compared = List.of(new ClaimMeasures.Compared("", RG, BASE), new ClaimMeasures.Compared("", RG, lrMatched));
        ClaimMeasures.Result result = ClaimMeasures.of(tuning, arms, arms, compared, 0.95, 0, null);
        // Robustness differs (no tuning runs are labelled lr-matched here), every other test is the same runs: 5 merged rows
        // plus 2 robustness rows.
        assertEquals(7, result.rows().size(), result.rows().toString());
        assertEquals(7, result.claims().tests());
        ClaimVerdicts.Row acc = row(result.rows(), Claim.HIGHER_ACCURACY, ClaimMeasures.TEST_ACCURACY);
        assertEquals("rg(rg-uniform) vs baseline (the same runs as: rg(rg-uniform) vs lr-matched(rg-uniform))", acc.comparison());
        // Holm over the 5 tested rows: the two robustness rows have no discordant pair (every tuning run healthy; no
        // lr-matched tuning runs), so no test, and do not count. Counted per comparison, the family would be 10.
        long tested = result.rows().stream().filter(r -> !Double.isNaN(r.pValue())).count();
        assertEquals(5, tested);
        double[] raw = result.rows().stream().filter(r -> !Double.isNaN(r.pValue())).mapToDouble(ClaimVerdicts.Row::pValue).sorted().toArray();
        assertEquals(Math.min(1, raw[0] * tested), result.rows().stream().filter(r -> r.pValue() == raw[0]).findFirst().orElseThrow()
                .adjustedPValue(), 1e-15);
    }
}
