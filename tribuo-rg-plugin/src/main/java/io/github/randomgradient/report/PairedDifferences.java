package io.github.randomgradient.report;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.fraction.BigFraction;

/**
 * Paired differences \( d_i = a_i - b_i \) computed in exact rational arithmetic, with the paired
 * t-test, Cohen's \( d_z \) and the signed-rank test on them.
 * <p>
 * Why exact: an accuracy is a count of correct examples over the test set's size, \( k / N \). In
 * doubles, \( 0.8015 - 0.8010 \) and \( 0.5015 - 0.5010 \) are not the same number, so differences that
 * are equal (1/2000 each) would vary in their last bits, and a paired t-test would find a standard
 * deviation of 1e-17 and a p-value of 1e-29 where the exact answer is "no variation, no test".
 * Here a count is given as {@link #proportion(double, long)} (the rational \( k / N \), with \( k \)
 * recovered from the stored double and checked), any other value as {@link #exact(double)} (the
 * double's exact binary value). The mean and the variance of the differences are exact rationals; a
 * variance of exactly zero means that every difference is the same number. Doubles are derived from
 * the rationals by one correctly rounded conversion each, so equal differences are equal doubles.
 */
public final class PairedDifferences {

    /** The tolerance, in counts, within which {@code value × total} must be an integer to be read as a count. */
    public static final double COUNT_TOLERANCE = 1e-3;

    private final BigFraction[] differences;
    private final BigFraction mean;
    private final BigFraction variance;

    private PairedDifferences(BigFraction[] differences) {
        this.differences = differences;
        int n = differences.length;
        BigFraction sum = BigFraction.ZERO;
        for (BigFraction d : differences) {
            sum = sum.add(d);
        }
        this.mean = n == 0 ? null : sum.divide(n);
        if (n < 2) {
            this.variance = null;
        } else {
            BigFraction squares = BigFraction.ZERO;
            for (BigFraction d : differences) {
                BigFraction e = d.subtract(mean);
                squares = squares.add(e.multiply(e));
            }
            this.variance = squares.divide(n - 1);
        }
    }

    /**
     * The differences of paired values, candidate − reference.
     * @param candidate The candidate's values, by pair.
     * @param reference The reference's values, same pairs in the same order.
     * @return The differences.
     * @throws IllegalArgumentException If the lengths differ.
     */
    public static PairedDifferences of(BigFraction[] candidate, BigFraction[] reference) {
        if (candidate.length != reference.length) {
            throw new IllegalArgumentException("paired samples must have equal length, found " + candidate.length
                    + " and " + reference.length);
        }
        BigFraction[] d = new BigFraction[candidate.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = candidate[i].subtract(reference[i]);
        }
        return new PairedDifferences(d);
    }

    /**
     * A double's exact value (every finite double is a binary fraction).
     * @param value The value.
     * @return The rational equal to it.
     * @throws IllegalArgumentException If the value is not finite.
     */
    public static BigFraction exact(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a value to compare is " + value + "; leave failed runs out");
        }
        return new BigFraction(value);
    }

    /**
     * A proportion of a count, \( k / N \), e.g. an accuracy over a test set of \( N \) examples: \( k \) is
     * {@code round(value × total)}.
     * @param value The stored proportion, e.g. {@code 0.8015}.
     * @param total \( N \), the number of examples; 0 when unknown, then the double is taken as it is.
     * @return The rational \( k / N \).
     * @throws IllegalArgumentException If the value is not finite, {@code total} is negative, or
     *                                  {@code value × total} is not within {@value #COUNT_TOLERANCE} of an
     *                                  integer in [0, total] (the value is not a proportion of that many examples).
     */
    public static BigFraction proportion(double value, long total) {
        if (total == 0) {
            return exact(value);
        }
        return new BigFraction(count(value, total), total);
    }

    /**
     * The count behind a proportion, {@code round(value × total)}, checked.
     * @param value The proportion.
     * @param total The number of examples, at least 1.
     * @return The count.
     * @throws IllegalArgumentException As for {@link #proportion(double, long)}.
     */
    public static long count(double value, long total) {
        if (total < 1 || !Double.isFinite(value)) {
            throw new IllegalArgumentException("a proportion needs a finite value and a positive number of examples, found "
                    + value + " of " + total);
        }
        double scaled = value * total;
        long k = Math.round(scaled);
        if (Math.abs(scaled - k) > COUNT_TOLERANCE || k < 0 || k > total) {
            throw new IllegalArgumentException("the value " + value + " is not a proportion of " + total + " examples ("
                    + value + " × " + total + " = " + scaled + " is not a count)");
        }
        return k;
    }

    /**
     * Whether a value is a proportion of a count over {@code total} examples.
     * @param value The value.
     * @param total The number of examples.
     * @return True if {@code total >= 1} and {@link #count(double, long)} accepts the value.
     */
    public static boolean isCount(double value, long total) {
        if (total < 1 || !Double.isFinite(value)) {
            return false;
        }
        double scaled = value * total;
        long k = Math.round(scaled);
        return Math.abs(scaled - k) <= COUNT_TOLERANCE && k >= 0 && k <= total;
    }

    /** @return The number of pairs. */
    public int n() {
        return differences.length;
    }

    /** @return Each difference, correctly rounded to a double (equal differences give equal doubles). */
    public double[] differences() {
        double[] out = new double[differences.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = differences[i].doubleValue();
        }
        return out;
    }

    /** @return The mean difference, NaN without pairs. */
    public double mean() {
        return mean == null ? Double.NaN : mean.doubleValue();
    }

    /** @return The sample standard deviation of the differences (n − 1 denominator), NaN below 2 pairs. */
    public double standardDeviation() {
        return variance == null ? Double.NaN : Math.sqrt(variance.doubleValue());
    }

    /** @return True if there are at least 2 pairs and every difference is exactly the same number. */
    public boolean constant() {
        return variance != null && variance.compareTo(BigFraction.ZERO) == 0;
    }

    /**
     * Whether the paired t-test is defined: at least 2 pairs whose differences vary.
     * @return True if {@link #tTestPValue()} is a number.
     */
    public boolean testable() {
        return variance != null && !constant();
    }

    /** @return The standard error of the mean difference, \( s_d / \sqrt n \); NaN below 2 pairs. */
    public double standardError() {
        return variance == null ? Double.NaN : Math.sqrt(variance.doubleValue() / n());
    }

    /** @return Cohen's \( d_z = \bar d / s_d \); NaN unless {@link #testable()}. */
    public double effectSize() {
        return testable() ? mean() / standardDeviation() : Double.NaN;
    }

    /**
     * The two-sided paired t-test: \( t = \bar d / (s_d / \sqrt n) \) with \( n - 1 \) degrees of freedom.
     * @return The p-value; NaN unless {@link #testable()} (fewer than 2 pairs, or no variation to test against).
     */
    public double tTestPValue() {
        if (!testable()) {
            return Double.NaN;
        }
        double t = mean() / standardError();
        return Math.min(1.0, 2 * new TDistribution(null, n() - 1).cumulativeProbability(-Math.abs(t)));
    }

    /**
     * The 95% Student-t interval of the mean difference, \( \bar d \pm t_{0.975, n-1} s_d / \sqrt n \),
     * cut to the range of a difference ({@link Statistics#cut(double, double, double, double)}).
     * @param lower The smallest possible difference, e.g. −1 for a difference of accuracies.
     * @param upper The largest possible difference.
     * @return The interval, NaN ends unless {@link #testable()}.
     */
    public Statistics.Interval interval(double lower, double upper) {
        if (!testable()) {
            return new Statistics.Interval(Double.NaN, Double.NaN, false);
        }
        double half = new TDistribution(null, n() - 1).inverseCumulativeProbability(0.975) * standardError();
        return Statistics.cut(mean() - half, mean() + half, lower, upper);
    }

    /**
     * The signed-rank test on the differences ({@link SignedRankTest}).
     * @return Its result.
     */
    public SignedRankTest.Result signedRank() {
        return SignedRankTest.test(differences());
    }
}
