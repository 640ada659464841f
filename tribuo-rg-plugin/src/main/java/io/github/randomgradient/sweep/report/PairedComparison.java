package io.github.randomgradient.sweep.report;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * A paired comparison over seeds: candidate − reference, run by run with the same seed.
 * <p>
 * The statistics live behind this one class (commons-math3's paired t-test and Student's t
 * distribution) so they can be switched to the report package's shared tests later.
 *
 * @param n The number of pairs.
 * @param meanDifference The mean of candidate − reference.
 * @param ciLow The lower end of the two-sided 95% t confidence interval of the mean difference.
 * @param ciHigh The upper end.
 * @param effectSize Cohen's d_z: mean difference / standard deviation of the differences (NaN if undefined).
 * @param pValue The two-sided paired t-test p-value; NaN with fewer than 2 pairs or differences of zero variance.
 */
public record PairedComparison(int n, double meanDifference, double ciLow, double ciHigh, double effectSize, double pValue) {

    /** The significance level of every test in the sweep report. */
    public static final double ALPHA = 0.05;

    /**
     * Compares paired samples.
     * @param candidate The candidate's values, by seed.
     * @param reference The reference's values, same seeds in the same order.
     * @return The comparison.
     * @throws IllegalArgumentException If the lengths differ.
     */
    public static PairedComparison of(double[] candidate, double[] reference) {
        if (candidate.length != reference.length) {
            throw new IllegalArgumentException("paired samples must have equal length, found " + candidate.length + " and " + reference.length);
        }
        SummaryStatistics d = new SummaryStatistics();
        for (int i = 0; i < candidate.length; i++) {
            d.addValue(candidate[i] - reference[i]);
        }
        int n = candidate.length;
        double mean = n == 0 ? Double.NaN : d.getMean();
        double sd = n < 2 ? Double.NaN : d.getStandardDeviation();
        if (n < 2 || !(sd > 0)) {
            return new PairedComparison(n, mean, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double half = new TDistribution(n - 1).inverseCumulativeProbability(1 - ALPHA / 2) * sd / Math.sqrt(n);
        double p = new TTest().pairedTTest(candidate, reference);
        return new PairedComparison(n, mean, mean - half, mean + half, mean / sd, p);
    }

    /**
     * The one-sided non-inferiority p-value for "candidate is not worse than reference by more than
     * {@code margin}": H0 mean difference ≤ −margin, paired t statistic \( (\bar d + m)/(s_d/\sqrt n) \).
     * @param margin The margin, in the metric's units (0.005 for 0.5 percentage points of accuracy).
     * @return The p-value, NaN if undefined.
     */
    public double nonInferiorityP(double margin) {
        if (n < 2 || Double.isNaN(ciLow)) {
            return Double.NaN;
        }
        double se = (ciHigh - ciLow) / 2 / new TDistribution(n - 1).inverseCumulativeProbability(1 - ALPHA / 2);
        double t = (meanDifference + margin) / se;
        return 1 - new TDistribution(n - 1).cumulativeProbability(t);
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
