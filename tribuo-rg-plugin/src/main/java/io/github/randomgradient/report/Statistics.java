package io.github.randomgradient.report;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

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
     * Median and range of counts over seeds, e.g. epochs to a target: a count is bounded, so a
     * mean ± t interval could leave its range (a negative number of epochs).
     *
     * @param n The number of values.
     * @param median The median (the mean of the two middle values for an even count), NaN for none.
     * @param min The smallest value, NaN for none.
     * @param max The largest value, NaN for none.
     */
    public record MedianRange(int n, double median, double min, double max) {}

    /**
     * The median and range of values, NaN values skipped.
     * @param values The values.
     * @return Their median and range.
     */
    public static MedianRange medianRange(double[] values) {
        double[] v = java.util.Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return new MedianRange(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new MedianRange(v.length, median, v[0], v[v.length - 1]);
    }

    /** The window, in mini-batches, of the moving average of {@link #deviationFromMovingAverage(float[])}. */
    public static final int MOVING_AVERAGE_WINDOW = 25;

    /**
     * The oscillation of the per-step training loss around its trend: the standard deviation of
     * \( L_t - \bar L_t \), where \( \bar L_t \) is the mean of the {@value #MOVING_AVERAGE_WINDOW}
     * mini-batch losses centred on step \( t \) (fewer at the ends). Units: those of the loss.
     * @param losses The unscaled per-step losses, in step order.
     * @return The standard deviation (n − 1 denominator), NaN with fewer than two finite steps.
     */
    public static double deviationFromMovingAverage(float[] losses) {
        double[] smooth = movingAverage(losses, MOVING_AVERAGE_WINDOW);
        SummaryStatistics s = new SummaryStatistics();
        for (int i = 0; i < losses.length; i++) {
            double r = losses[i] - smooth[i];
            if (Double.isFinite(r)) {
                s.addValue(r);
            }
        }
        return s.getN() < 2 ? Double.NaN : s.getStandardDeviation();
    }

    /**
     * The centred moving average of a series, over {@code window} values (fewer at the ends).
     * @param xs The values.
     * @param window The window, at least 1.
     * @return The moving average, same length.
     * @throws IllegalArgumentException If the window is below 1.
     */
    public static double[] movingAverage(float[] xs, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("the moving-average window must be >= 1, found " + window);
        }
        double[] out = new double[xs.length];
        int half = window / 2;
        for (int i = 0; i < xs.length; i++) {
            int lo = Math.max(0, i - half);
            int hi = Math.min(xs.length, lo + window);
            lo = Math.max(0, hi - window);
            double sum = 0;
            for (int j = lo; j < hi; j++) {
                sum += xs[j];
            }
            out[i] = sum / (hi - lo);
        }
        return out;
    }
}
