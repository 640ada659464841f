package io.github.randomgradient.report.stats;

import io.github.randomgradient.report.PairedDifferences;
import io.github.randomgradient.report.SeedComparison;
import org.apache.commons.math3.distribution.TDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Three-way verdicts on RG's claims: each claim is <i>supported</i> (significant in RG's favour),
 * <i>contradicted</i> (significant against it) or <i>not shown</i> (neither; stated with the effect the design
 * could have detected, so that absence of evidence reads as such).
 * <p>
 * Orientation: every test is on candidate − reference (RG − baseline) paired by seed; a measure where lower is
 * better (loss, oscillation) is oriented by its sign, so "favourable" always means better for the candidate.
 * <p>
 * The tests, by claim, at level \( \alpha \) after Holm's correction over the report's m distinct tests
 * ({@link #holm(List, double)}); the interval and the detectable effect use \( \alpha / m \), the most stringent Holm step
 * (so the interval has simultaneous coverage \( 1 - \alpha \), Bonferroni, and the detectable effect is
 * conservative):
 * <ul>
 *   <li>{@link Claim#HIGHER_ACCURACY}, {@link Claim#LESS_OSCILLATION}: the two-sided paired t-test
 *   ({@link #superiority}). Supported: p &lt; α and the mean difference favours the candidate; contradicted:
 *   p &lt; α and it favours the reference. Interval: two-sided \( 1 - \alpha/m \) Student-t. Detectable: the
 *   two-sided MDE at 80% power ({@link PowerAnalysis}).</li>
 *   <li>{@link Claim#NO_ACCURACY_LOSS} at margin \( \delta > 0 \) ({@link #nonInferiority}): with
 *   \( g \) the oriented difference and \( t = (\bar g + \delta) / (s_g / \sqrt n) \), supported when the one-sided
 *   test of \( H_0: \mu_g \le -\delta \) rejects (\( P(T_{n-1} \ge t) &lt; \alpha \), i.e. the lower one-sided
 *   \( 1-\alpha \) bound is above \( -\delta \)); contradicted when the one-sided test of \( H_0: \mu_g \ge -\delta \)
 *   rejects (\( P(T_{n-1} \le t) &lt; \alpha \), i.e. the upper bound is below \( -\delta \): the candidate is worse
 *   than the margin). The row's p-value is the smaller of the two (they sum to 1, so at most one is below 1/2).
 *   Interval: the two one-sided \( 1 - \alpha/m \) bounds. Detectable: the smallest margin shown with 80% power
 *   when the arms are equally good (one-sided MDE); {@link Row#pairsNeeded()} the pairs the stated margin needs.</li>
 *   <li>{@link Claim#FASTER}: the sign test on who reached the target first, censored runs scored as Gehan
 *   ({@link TimeToTarget}). Estimate: the share of informative pairs the candidate wins, with its exact
 *   (Clopper–Pearson) \( 1 - \alpha/m \) interval; detectable: the share won that the test detects with 80% power.</li>
 *   <li>{@link Claim#MORE_ROBUST}: McNemar's exact test over cell × seed pairs ({@link Robustness}); estimate,
 *   interval and detectable effect as for {@link Claim#FASTER}, on the discordant pairs.</li>
 * </ul>
 * No test, no verdict either way: fewer than 2 pairs, differences that do not vary (exactly, see
 * {@link PairedDifferences}) or no informative pair give <i>not shown</i> with the reason and a NaN p-value,
 * and do not count among Holm's m tests.
 */
public final class ClaimVerdicts {

    /** The significance level of the verdicts (family-wise, Holm). */
    public static final double ALPHA = SeedComparison.ALPHA;

    /** What RG is claimed to do. */
    public enum Claim {
        /** Higher test accuracy (two-sided). */
        HIGHER_ACCURACY("higher accuracy"),
        /** No accuracy loss beyond a margin (one-sided non-inferiority). */
        NO_ACCURACY_LOSS("no accuracy loss"),
        /** Reaches the validation target first. */
        FASTER("faster convergence"),
        /** Less oscillation of the validation loss. */
        LESS_OSCILLATION("less oscillation"),
        /** More runs train without collapse or divergence. */
        MORE_ROBUST("robustness");

        private final String words;

        Claim(String words) {
            this.words = words;
        }

        /** @return The claim in words, e.g. {@code no accuracy loss}. */
        public String words() {
            return words;
        }
    }

    /** A verdict. */
    public enum Outcome {
        /** Significant in the candidate's favour. */
        SUPPORTED("supported"),
        /** Neither way: the effect, if any, is below what the design detects. */
        NOT_SHOWN("not shown"),
        /** Significant against the candidate (for non-inferiority: worse than the margin). */
        CONTRADICTED("contradicted");

        private final String words;

        Outcome(String words) {
            this.words = words;
        }

        /** @return The verdict in words. */
        public String words() {
            return words;
        }
    }

    /**
     * The design the verdicts are planned for.
     * @param alpha The family-wise significance level, in (0, 1).
     * @param tests m, the distinct tests of the report (Holm's family), at least 1.
     * @param power The power at which detectable effects are stated, in (alpha, 1).
     */
    public record Design(double alpha, int tests, double power) {

        /**
         * Checks the values.
         * @throws IllegalArgumentException If one is out of range.
         */
        public Design {
            PowerAnalysis.checkAlpha(alpha);
            if (tests < 1 || !(power > alpha && power < 1)) {
                throw new IllegalArgumentException("a design needs at least 1 test and a power in (alpha, 1), found "
                        + tests + " tests and power " + power);
            }
        }

        /**
         * The usual design: α = 0.05, 80% power.
         * @param tests m.
         * @return The design.
         */
        public static Design of(int tests) {
            return new Design(ALPHA, tests, PowerAnalysis.DEFAULT_POWER);
        }

        /** @return \( \alpha / m \), the level of the intervals and detectable effects. */
        public double stringentAlpha() {
            return PowerAnalysis.holmMostStringent(alpha, tests);
        }
    }

    /**
     * One claim's verdict: one row per distinct test.
     * @param claim The claim.
     * @param comparison The comparison, e.g. {@code rg vs baseline}.
     * @param measure The measure, e.g. {@code test accuracy}.
     * @param test The test in words.
     * @param n The pairs behind the test (informative pairs for the sign tests).
     * @param estimate The estimate: the mean difference candidate − reference (t-tests, in the measure's
     *                 units) or the share of informative pairs favouring the candidate (sign tests).
     * @param low The interval's lower end (see the class comment), NaN without a test.
     * @param high The interval's upper end, NaN without a test.
     * @param pValue The unadjusted p-value, NaN without a test.
     * @param adjustedPValue The Holm-adjusted p-value ({@link #holm(List, double)}; equal to pValue before), NaN without a test.
     * @param favourable True if the estimate points the candidate's way.
     * @param detectable The effect detectable with the design's power at \( \alpha / m \): in the measure's units
     *                   (t-tests; for non-inferiority the smallest margin shown), or a share of pairs (sign tests);
     *                   +∞ or NaN when nothing is detectable.
     * @param pairsNeeded For non-inferiority, the pairs the stated margin needs at the design's power when the arms
     *                    are equally good, at \( \alpha / m \) (the cap {@value #NON_INFERIORITY_MAX_PAIRS} when even that
     *                    many fall short); −1 for other claims or without a test.
     * @param outcome The verdict.
     * @param reason Why there is no test, or empty.
     */
    public record Row(Claim claim, String comparison, String measure, String test, int n, double estimate, double low,
                      double high, double pValue, double adjustedPValue, boolean favourable, double detectable,
                      int pairsNeeded, Outcome outcome, String reason) {

        /**
         * Checks the names.
         * @throws NullPointerException If one is null.
         */
        public Row {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(comparison, "comparison");
            Objects.requireNonNull(measure, "measure");
            Objects.requireNonNull(test, "test");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(reason, "reason");
        }

        private Row with(String comparison, double adjusted, Outcome outcome) {
            return new Row(claim, comparison, measure, test, n, estimate, low, high, pValue, adjusted, favourable,
                    detectable, pairsNeeded, outcome, reason);
        }
    }

    /** The most pairs {@link Row#pairsNeeded()} looks at. */
    public static final int NON_INFERIORITY_MAX_PAIRS = 10_000;

    private static final String T_TEST = "paired t-test";

    private ClaimVerdicts() {}

    private static Outcome decide(double p, double alpha, boolean favourable) {
        if (!(p < alpha)) {
            return Outcome.NOT_SHOWN;
        }
        return favourable ? Outcome.SUPPORTED : Outcome.CONTRADICTED;
    }

    private static Row noTest(Claim claim, String comparison, String measure, String test, int n, double estimate,
                              double detectable, int pairsNeeded, String reason) {
        return new Row(claim, comparison, measure, test, n, estimate, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                false, detectable, pairsNeeded, Outcome.NOT_SHOWN, reason);
    }

    /**
     * A two-sided claim on paired differences: {@link Claim#HIGHER_ACCURACY} or {@link Claim#LESS_OSCILLATION}.
     * @param claim The claim.
     * @param comparison The comparison's label.
     * @param measure The measure's name.
     * @param differences Candidate − reference by seed (exact, {@link PairedDifferences}).
     * @param higherIsBetter True for an accuracy, false for a loss or an oscillation.
     * @param design The design.
     * @return The row.
     */
    public static Row superiority(Claim claim, String comparison, String measure, PairedDifferences differences,
                                  boolean higherIsBetter, Design design) {
        int n = differences.n();
        double mean = differences.mean();
        double a = design.stringentAlpha();
        if (n < 2) {
            return noTest(claim, comparison, measure, T_TEST, n, mean, Double.POSITIVE_INFINITY, -1,
                    "fewer than 2 pairs: no test");
        }
        if (!differences.testable()) {
            return noTest(claim, comparison, measure, T_TEST, n, mean, Double.NaN, -1,
                    "the differences do not vary from seed to seed: no test");
        }
        double se = differences.standardError();
        double half = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - a / 2) * se;
        double p = differences.tTestPValue();
        boolean favourable = higherIsBetter ? mean > 0 : mean < 0;
        double detectable = PowerAnalysis.minimumDetectableEffect(n, differences.standardDeviation(), a, design.power(),
                PowerAnalysis.Sides.TWO_SIDED);
        return new Row(claim, comparison, measure, T_TEST, n, mean, mean - half, mean + half, p, p, favourable, detectable,
                -1, decide(p, design.alpha(), favourable), "");
    }

    /**
     * {@link Claim#NO_ACCURACY_LOSS}: the one-sided non-inferiority test at a margin.
     * @param comparison The comparison's label.
     * @param measure The measure's name.
     * @param differences Candidate − reference by seed.
     * @param higherIsBetter True for an accuracy.
     * @param margin \( \delta > 0 \), in the measure's units.
     * @param design The design.
     * @return The row.
     * @throws IllegalArgumentException If the margin is not positive and finite.
     */
    public static Row nonInferiority(String comparison, String measure, PairedDifferences differences,
                                     boolean higherIsBetter, double margin, Design design) {
        if (!(margin > 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("the non-inferiority margin must be positive and finite, found " + margin);
        }
        int n = differences.n();
        double mean = differences.mean();
        double a = design.stringentAlpha();
        String test = "one-sided paired t-test at margin " + margin;
        if (n < 2) {
            return noTest(Claim.NO_ACCURACY_LOSS, comparison, measure, test, n, mean, Double.POSITIVE_INFINITY, -1,
                    "fewer than 2 pairs: no test");
        }
        if (!differences.testable()) {
            return noTest(Claim.NO_ACCURACY_LOSS, comparison, measure, test, n, mean, Double.NaN, -1,
                    "the differences do not vary from seed to seed: no test");
        }
        double sign = higherIsBetter ? 1 : -1;
        double se = differences.standardError();
        TDistribution t = new TDistribution(null, n - 1);
        double statistic = (sign * mean + margin) / se;
        double pSupport = 1 - t.cumulativeProbability(statistic);
        double pContradict = t.cumulativeProbability(statistic);
        boolean favourable = statistic > 0;
        double half = t.inverseCumulativeProbability(1 - a) * se;
        double sd = differences.standardDeviation();
        double detectable = PowerAnalysis.minimumDetectableEffect(n, sd, a, design.power(), PowerAnalysis.Sides.ONE_SIDED);
        int needed = PowerAnalysis.nonInferiorityPairs(margin, 0, sd, a, design.power(), NON_INFERIORITY_MAX_PAIRS).pairs();
        double p = Math.min(pSupport, pContradict);
        return new Row(Claim.NO_ACCURACY_LOSS, comparison, measure, test, n, mean, mean - half, mean + half, p, p,
                favourable, detectable, needed, decide(p, design.alpha(), favourable), "");
    }

    /**
     * {@link Claim#FASTER}: who reached the validation target first.
     * @param comparison The comparison's label.
     * @param measure The measure, e.g. {@code steps to 98% of the tuned baseline's validation accuracy}.
     * @param times The paired comparison of times to target.
     * @param design The design.
     * @return The row.
     */
    public static Row faster(String comparison, String measure, TimeToTarget.Comparison times, Design design) {
        String reason = times.test().informative() == 0 ? "no pair in which the order of reaching the target is known ("
                + times.tied() + " tied, " + times.bothCensored() + " both censored, " + times.unknown() + " unknown)" : "";
        return signRow(Claim.FASTER, comparison, measure, "sign test on who reached the target first (Gehan scores)",
                times.test(), design, reason);
    }

    /**
     * {@link Claim#MORE_ROBUST}: runs that train without collapse or divergence.
     * @param comparison The comparison's label.
     * @param measure The measure, e.g. {@code healthy runs over the grid}.
     * @param robustness The paired comparison.
     * @param design The design.
     * @return The row.
     */
    public static Row moreRobust(String comparison, String measure, Robustness.Result robustness, Design design) {
        String reason = robustness.test().informative() == 0 ? "no discordant pair (" + robustness.pairs()
                + " pairs, every one with both runs healthy or both failed)" : "";
        return signRow(Claim.MORE_ROBUST, comparison, measure, "McNemar's exact test over cell × seed pairs",
                robustness.test(), design, reason);
    }

    private static Row signRow(Claim claim, String comparison, String measure, String test, SignTest.Result r,
                               Design design, String reason) {
        int n = r.informative();
        double a = design.stringentAlpha();
        if (n == 0) {
            return noTest(claim, comparison, measure, test, 0, Double.NaN, Double.NaN, -1, reason);
        }
        double[] ci = SignTest.shareInterval(r.favourable(), n, 1 - a);
        boolean favourable = r.favourable() > r.unfavourable();
        double detectable = SignTest.detectableShare(n, a, design.power());
        return new Row(claim, comparison, measure, test, n, r.share(), ci[0], ci[1], r.pValue(), r.pValue(), favourable,
                detectable, -1, decide(r.pValue(), design.alpha(), favourable), "");
    }

    /**
     * Holm's correction over the rows' tests ({@link SeedComparison#holmAdjustTested(double[])}): rows without a
     * test do not count; verdicts are re-decided on the adjusted p-values at the design's α.
     * @param rows The rows, one per distinct test ({@link #distinct(List, Function)}).
     * @param alpha The family-wise level.
     * @return The rows in the same order, adjusted.
     */
    public static List<Row> holm(List<Row> rows, double alpha) {
        double[] adjusted = SeedComparison.holmAdjustTested(rows.stream().mapToDouble(Row::pValue).toArray());
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            out.add(Double.isNaN(adjusted[i]) ? r : r.with(r.comparison(), adjusted[i], decide(adjusted[i], alpha, r.favourable())));
        }
        return out;
    }

    /**
     * One row per distinct test: rows whose tests are the same (the same claim on the same runs, e.g. two
     * references that are the same runs) are merged into the first, whose comparison then names the others,
     * e.g. {@code rg vs baseline (the same runs as: rg vs lr-matched)}.
     * @param rows The rows.
     * @param identity What makes a test distinct, e.g. the claim with the run identities of both sides.
     * @return The distinct rows, in first-seen order.
     */
    public static List<Row> distinct(List<Row> rows, Function<Row, ?> identity) {
        Map<Object, Row> first = new LinkedHashMap<>();
        Map<Object, List<String>> aliases = new LinkedHashMap<>();
        for (Row r : rows) {
            Object key = identity.apply(r);
            if (first.putIfAbsent(key, r) != null) {
                aliases.computeIfAbsent(key, k -> new ArrayList<>()).add(r.comparison());
            }
        }
        List<Row> out = new ArrayList<>();
        first.forEach((key, r) -> {
            List<String> same = aliases.get(key);
            out.add(same == null ? r : r.with(r.comparison() + " (the same runs as: " + String.join(", ", same) + ")",
                    r.adjustedPValue(), r.outcome()));
        });
        return out;
    }
}
