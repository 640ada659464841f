package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.PairedDifferences;
import io.github.randomgradient.report.SignedRankTest;
import io.github.randomgradient.report.Statistics;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * A paired comparison over seeds: candidate − reference, run by run with the same seed.
 * <p>
 * The differences are computed exactly by the report package's {@link PairedDifferences}: an accuracy
 * is given as its count of correct examples over the test set's size, so differences that are equal in
 * counts are equal and "no variation" (no test) is decided exactly, never on rounding noise. The
 * two-sided paired t-test, the 95% Student-t interval (cut to the range of a difference of the measure
 * and marked {@code ciCut}) and the signed-rank test ({@link SignedRankTest}: Pratt's zero handling,
 * exact null distribution over the observed mid-ranks up to {@value SignedRankTest#EXACT_MAX_PAIRS}
 * pairs, normal approximation with tie and continuity corrections above) come from there.
 *
 * @param n The number of pairs.
 * @param meanDifference The mean of candidate − reference.
 * @param ciLow The lower end of the two-sided 95% t confidence interval of the mean difference.
 * @param ciHigh The upper end.
 * @param ciCut True if the interval left the range of a difference of the measure and was cut to it.
 * @param standardError The standard error of the mean difference, \( s_d / \sqrt n \) (NaN below 2 pairs).
 * @param effectSize Cohen's d_z: mean difference / standard deviation of the differences (NaN if undefined).
 * @param pValue The two-sided paired t-test p-value; NaN with fewer than 2 pairs or differences that do not vary.
 * @param exactCounts True if the values were counts (accuracies), so the differences are exact.
 * @param signedRankTest The signed-rank test in words, e.g. {@code Wilcoxon signed-rank test (Pratt's zero
 *                       handling, exact)}; empty below 2 pairs.
 * @param signedRankPValue Its two-sided p-value; NaN below 2 pairs or when every difference is zero.
 */
public record PairedComparison(int n, double meanDifference, double ciLow, double ciHigh, boolean ciCut, double standardError,
                               double effectSize, double pValue, boolean exactCounts, String signedRankTest,
                               double signedRankPValue) {

    /** The significance level of every test in the sweep report. */
    public static final double ALPHA = 0.05;

    /**
     * Compares paired samples of an unbounded measure, each value taken as the double it is.
     * @param candidate The candidate's values, by seed.
     * @param reference The reference's values, same seeds in the same order.
     * @return The comparison.
     * @throws IllegalArgumentException If the lengths differ or a value is not finite.
     */
    public static PairedComparison of(double[] candidate, double[] reference) {
        return of(exact(candidate), exact(reference), false, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    private static BigFraction[] exact(double[] values) {
        BigFraction[] out = new BigFraction[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = PairedDifferences.exact(values[i]);
        }
        return out;
    }

    /**
     * Compares paired samples given exactly.
     * @param candidate The candidate's values, by seed (accuracies as {@link PairedDifferences#proportion(double, long)}).
     * @param reference The reference's values, same seeds in the same order.
     * @param exactCounts Whether the values are counts (recorded in the comparison).
     * @param lower The smallest possible value of the measure (the difference is at least lower − upper).
     * @param upper The largest possible value of the measure.
     * @return The comparison.
     * @throws IllegalArgumentException If the lengths differ.
     */
    public static PairedComparison of(BigFraction[] candidate, BigFraction[] reference, boolean exactCounts, double lower,
                                      double upper) {
        PairedDifferences d = PairedDifferences.of(candidate, reference);
        int n = d.n();
        Statistics.Interval ci = d.interval(lower - upper, upper - lower);
        String rankTest = "";
        double rankP = Double.NaN;
        if (n >= 2) {
            SignedRankTest.Result rank = d.signedRank();
            rankTest = rank.description();
            rankP = rank.pValue();
        }
        return new PairedComparison(n, d.mean(), ci.low(), ci.high(), ci.cut(), d.standardError(), d.effectSize(),
                d.tTestPValue(), exactCounts, rankTest, rankP);
    }

    /**
     * The one-sided non-inferiority p-value for "candidate is not worse than reference by more than
     * {@code margin}": H0 mean difference ≤ −margin, paired t statistic \( (\bar d + m)/(s_d/\sqrt n) \).
     * @param margin The margin, in the metric's units (0.005 for 0.5 percentage points of accuracy).
     * @return The p-value, NaN if undefined (fewer than 2 pairs, or differences that do not vary).
     */
    public double nonInferiorityP(double margin) {
        if (n < 2 || Double.isNaN(pValue)) {
            return Double.NaN;
        }
        double t = (meanDifference + margin) / standardError;
        return new TDistribution(null, n - 1).cumulativeProbability(-t);
    }

    /**
     * The significance mark of the two-sided test: {@code **} for p < 0.01, {@code *} for p < 0.05, empty otherwise.
     * @return The mark.
     */
    public String mark() {
        return mark(pValue);
    }

    /**
     * The significance mark of a p-value: {@code **} below 0.01, {@code *} below {@value #ALPHA}, empty
     * otherwise (also for NaN).
     * @param p The p-value, raw or adjusted.
     * @return The mark.
     */
    public static String mark(double p) {
        return p < 0.01 ? "**" : p < ALPHA ? "*" : "";
    }
}
