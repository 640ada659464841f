package io.github.randomgradient.report;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Summary statistics over seeds, confidence intervals and the oscillation measure used by the reports.
 * Distributions and tests come from Apache Commons Math.
 * <p>
 * Intervals of bounded measures (an accuracy in [0, 1], a difference of accuracies in [−1, 1], a loss
 * in [0, ∞)) are Student-t intervals cut to the measure's range and marked as cut
 * ({@link #cut(double, double, double, double)}): the true mean lies in the range, so the cut interval
 * covers it exactly when the uncut one does, and keeps its 95% coverage.
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
     * @param ciCut True if the Student-t interval left the measure's range and was cut to it.
     */
    public record Summary(int n, double mean, double std, double ciLow, double ciHigh, boolean ciCut) {

        /**
         * Formats as {@code mean ± std [ciLow, ciHigh]}, with {@code , cut to the range} inside the
         * brackets when the interval was cut.
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
            return String.format(java.util.Locale.ROOT, f + " ± " + f + " [" + f + ", " + f + (ciCut ? CUT : "") + "]",
                    mean, std, ciLow, ciHigh);
        }
    }

    /** What a formatted interval says when it was cut to the measure's range. */
    public static final String CUT = ", cut to the range";

    /**
     * A confidence interval.
     * @param low The lower end.
     * @param high The upper end.
     * @param cut True if the interval left the measure's range and was cut to it.
     */
    public record Interval(double low, double high, boolean cut) {}

    /**
     * Cuts an interval to the range of its measure: {@code [max(low, lower), min(high, upper)]}. The true
     * value lies in the range, so the cut interval contains it exactly when the original does: its
     * coverage is unchanged, and it no longer claims impossible values (an accuracy above 1).
     * @param low The interval's lower end.
     * @param high The interval's upper end.
     * @param lower The smallest possible value (−∞ if none).
     * @param upper The largest possible value (+∞ if none).
     * @return The cut interval, marked {@code cut} if an end moved.
     */
    public static Interval cut(double low, double high, double lower, double upper) {
        double a = Math.max(low, lower);
        double b = Math.min(high, upper);
        return new Interval(a, b, a != low || b != high);
    }

    /**
     * Summarises values over seeds (an unbounded measure).
     * @param values The values, one per seed; NaN values are skipped.
     * @return The summary; all NaN if no finite value was given.
     */
    public static Summary summarise(double[] values) {
        return summarise(values, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /**
     * Summarises values of a bounded measure over seeds: the 95% Student-t interval of the mean is cut
     * to [lower, upper] ({@link #cut(double, double, double, double)}).
     * @param values The values, one per seed; NaN values are skipped.
     * @param lower The smallest possible value, e.g. 0 for an accuracy or a loss.
     * @param upper The largest possible value, e.g. 1 for an accuracy, +∞ for a loss.
     * @return The summary; all NaN if no finite value was given.
     * @throws IllegalArgumentException If lower is above upper.
     */
    public static Summary summarise(double[] values, double lower, double upper) {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("a range needs lower <= upper, found [" + lower + ", " + upper + "]");
        }
        SummaryStatistics s = new SummaryStatistics();
        for (double v : values) {
            if (!Double.isNaN(v)) {
                s.addValue(v);
            }
        }
        int n = (int) s.getN();
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);
        }
        if (n == 1) {
            return new Summary(1, s.getMean(), Double.NaN, Double.NaN, Double.NaN, false);
        }
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.975);
        double half = t * s.getStandardDeviation() / Math.sqrt(n);
        Interval ci = cut(s.getMean() - half, s.getMean() + half, lower, upper);
        return new Summary(n, s.getMean(), s.getStandardDeviation(), ci.low(), ci.high(), ci.cut());
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
