package io.github.randomgradient.report;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Summary statistics over seeds, confidence intervals and the oscillation measure used by the reports.
 * Distributions and tests come from Apache Commons Math.
 */
public final class Statistics {

    private Statistics() {}

    /**
     * Mean, sample standard deviation and a two-sided 95% Student-t confidence interval of the mean.
     *
     * @param n The number of values.
     * @param mean The sample mean.
     * @param std The sample standard deviation (n - 1 denominator), NaN for one value.
     * @param ciLow The lower end of the 95% interval, NaN for one value.
     * @param ciHigh The upper end of the 95% interval, NaN for one value.
     */
    public record Summary(int n, double mean, double std, double ciLow, double ciHigh) {

        /**
         * Formats as {@code mean ± std [ciLow, ciHigh]}.
         * @param digits The number of decimals.
         * @return The formatted summary.
         */
        public String format(int digits) {
            String f = "%." + digits + "f";
            if (n == 0) {
                return "n/a (n=0)";
            }
            if (n == 1) {
                return String.format(java.util.Locale.ROOT, f + " (n=1)", mean);
            }
            return String.format(java.util.Locale.ROOT, f + " ± " + f + " [" + f + ", " + f + "]", mean, std, ciLow, ciHigh);
        }
    }

    /**
     * Summarises values over seeds.
     * @param values The values, one per seed; NaN values are skipped.
     * @return The summary; all NaN if no finite value was given.
     */
    public static Summary summarise(double[] values) {
        SummaryStatistics s = new SummaryStatistics();
        for (double v : values) {
            if (!Double.isNaN(v)) {
                s.addValue(v);
            }
        }
        int n = (int) s.getN();
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        if (n == 1) {
            return new Summary(1, s.getMean(), Double.NaN, Double.NaN, Double.NaN);
        }
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
        double half = t * s.getStandardDeviation() / Math.sqrt(n);
        return new Summary(n, s.getMean(), s.getStandardDeviation(), s.getMean() - half, s.getMean() + half);
    }

    /**
     * Welch's two-sample t-test p-value for a difference of means.
     * @param a The first sample (at least 2 values).
     * @param b The second sample (at least 2 values).
     * @return The two-sided p-value, or NaN if either sample has fewer than 2 values or both have zero variance.
     */
    public static double welchPValue(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return Double.NaN;
        }
        SummaryStatistics sa = new SummaryStatistics();
        SummaryStatistics sb = new SummaryStatistics();
        for (double v : a) {
            sa.addValue(v);
        }
        for (double v : b) {
            sb.addValue(v);
        }
        if (sa.getVariance() == 0 && sb.getVariance() == 0) {
            return sa.getMean() == sb.getMean() ? 1.0 : 0.0;
        }
        return new TTest().tTest(sa, sb);
    }
}
