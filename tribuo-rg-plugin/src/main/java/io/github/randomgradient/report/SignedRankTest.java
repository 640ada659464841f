package io.github.randomgradient.report;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The two-sided Wilcoxon signed-rank test of paired differences, correct under ties and zeros, and
 * symmetric in the order of the two samples.
 * <p>
 * Zero differences are handled by Pratt's method: every difference, zeros included, is ranked by its
 * absolute value (tied values share their mid-rank), then the zeros' ranks are dropped. The statistic
 * is \( T^+ \), the sum of the ranks of the positive differences. Under the null hypothesis each of the
 * \( m \) non-zero differences is positive or negative with probability 1/2 independently, given the
 * ranks actually observed (Pratt 1959; Cureton 1967):
 * <ul>
 *   <li>Exact, for at most {@value #EXACT_MAX_PAIRS} pairs (zeros included): the null distribution of
 *   \( T^+ \) over all \( 2^m \) sign assignments of the observed mid-ranks, counted by dynamic
 *   programming over the doubled (integer) ranks. The two-sided p-value is
 *   \( \min(1, 2 \min(P(T^+ \le t), P(T^+ \ge t))) \). This is scipy's
 *   {@code wilcoxon(d, zero_method='pratt', method=PermutationMethod())}; scipy's {@code method='exact'}
 *   uses the tie-free distribution and is not exact under ties or zeros.</li>
 *   <li>Normal approximation, above {@value #EXACT_MAX_PAIRS} pairs: the conditional moments
 *   \( E[T^+] = \sum r_i / 2 \), \( Var[T^+] = \sum r_i^2 / 4 \) over the non-zero ranks (this is the
 *   usual tie correction \( -\sum (t^3 - t)/48 \) and Cureton's zero correction), with a continuity
 *   correction of 1/2: \( z = \max(0, |T^+ - E T^+| - 1/2) / \sqrt{Var T^+} \), \( p = 2 \Phi(-z) \).
 *   This is scipy's {@code zero_method='pratt', method='asymptotic', correction=True} (except that the
 *   correction never crosses the mean).</li>
 * </ul>
 * Because \( T^+ \) and \( T^- \) have the same null distribution, swapping the samples gives the same
 * p-value. Apache Commons Math's {@code WilcoxonSignedRankTest} is not used: it ranks zeros as
 * positive or negative depending on the argument order and takes its exact p-value from the tie-free
 * distribution (with 6 pairs, 5 of them equal, it gives 0.031 or 0.44).
 * <p>
 * Differences are compared exactly ({@code ==}): pass differences computed exactly (for accuracies,
 * from counts of examples, see {@link PairedDifferences}), so that equal differences are equal doubles.
 */
public final class SignedRankTest {

    /** The largest number of pairs (zeros included) whose p-value is computed from the exact null distribution. */
    public static final int EXACT_MAX_PAIRS = 50;

    /** How the p-value was computed. */
    public enum Method {
        /** The exact null distribution over the observed mid-ranks. */
        EXACT("exact"),
        /** The normal approximation with tie, zero and continuity corrections. */
        NORMAL("normal approximation with tie and continuity corrections");

        private final String description;

        Method(String description) {
            this.description = description;
        }

        /** @return The method in words, e.g. {@code exact}. */
        public String description() {
            return description;
        }
    }

    /**
     * The test's outcome.
     * @param pairs The number of differences, zeros included.
     * @param zeros The number of zero differences.
     * @param statistic \( T^+ \), the sum of the Pratt mid-ranks of the positive differences.
     * @param pValue The two-sided p-value; NaN when every difference is zero (no test).
     * @param method How the p-value was computed.
     */
    public record Result(int pairs, int zeros, double statistic, double pValue, Method method) {

        /**
         * The test in words, e.g. {@code Wilcoxon signed-rank test (Pratt's zero handling, exact)}.
         * @return The description.
         */
        public String description() {
            return "Wilcoxon signed-rank test (Pratt's zero handling, " + method.description() + ")";
        }
    }

    private SignedRankTest() {}

    /**
     * The test, exact up to {@value #EXACT_MAX_PAIRS} pairs, normal approximation above.
     * @param differences The paired differences (candidate − reference), computed exactly.
     * @return The result.
     * @throws IllegalArgumentException If a difference is not finite.
     */
    public static Result test(double[] differences) {
        return test(differences, differences.length <= EXACT_MAX_PAIRS ? Method.EXACT : Method.NORMAL);
    }

    /**
     * The test with a chosen method.
     * @param differences The paired differences (candidate − reference), computed exactly.
     * @param method Exact or normal approximation.
     * @return The result.
     * @throws IllegalArgumentException If a difference is not finite, or the exact method is asked for
     *                                  more than 62 non-zero differences.
     */
    public static Result test(double[] differences, Method method) {
        int n = differences.length;
        for (double d : differences) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("a paired difference is " + d + "; the signed-rank test needs finite values");
            }
        }
        // Mid-ranks of |d| over all differences (Pratt), doubled so that they are integers.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> Math.abs(differences[i])));
        long[] doubledRank = new long[n];
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && Math.abs(differences[order[end + 1]]) == Math.abs(differences[order[start]])) {
                end++;
            }
            // Ranks start+1 .. end+1 share their mean; doubled: start + end + 2.
            for (int k = start; k <= end; k++) {
                doubledRank[order[k]] = start + end + 2L;
            }
            start = end + 1;
        }
        int zeros = 0;
        long observed = 0;
        long total = 0;
        double sumSquares = 0;
        int m = 0;
        long[] nonZero = new long[n];
        for (int i = 0; i < n; i++) {
            if (differences[i] == 0) {
                zeros++;
                continue;
            }
            nonZero[m++] = doubledRank[i];
            total += doubledRank[i];
            sumSquares += (double) doubledRank[i] * doubledRank[i];
            if (differences[i] > 0) {
                observed += doubledRank[i];
            }
        }
        double statistic = observed / 2.0;
        if (m == 0) {
            return new Result(n, zeros, statistic, Double.NaN, method);
        }
        double p;
        if (method == Method.EXACT) {
            if (m > 62) {
                throw new IllegalArgumentException("the exact signed-rank distribution is computed for at most 62 "
                        + "non-zero differences, found " + m + "; use the normal approximation");
            }
            // counts[s]: the number of sign assignments whose doubled T+ is s.
            long[] counts = new long[(int) total + 1];
            counts[0] = 1;
            int reach = 0;
            for (int k = 0; k < m; k++) {
                int r = (int) nonZero[k];
                for (int s = reach; s >= 0; s--) {
                    if (counts[s] != 0) {
                        counts[s + r] += counts[s];
                    }
                }
                reach += r;
            }
            long below = 0;
            long above = 0;
            for (int s = 0; s <= total; s++) {
                if (s <= observed) {
                    below += counts[s];
                }
                if (s >= observed) {
                    above += counts[s];
                }
            }
            p = Math.min(1.0, 2.0 * Math.min(below, above) / Math.pow(2.0, m));
        } else {
            // Moments in doubled units: E = total / 2, Var = sum of squares / 4; continuity 1/2 is 1 doubled.
            double deviation = Math.max(0.0, Math.abs(observed - total / 2.0) - 1.0);
            double z = deviation / Math.sqrt(sumSquares / 4.0);
            p = Math.min(1.0, 2.0 * new NormalDistribution(null, 0, 1).cumulativeProbability(-z));
        }
        return new Result(n, zeros, statistic, p, method);
    }
}
