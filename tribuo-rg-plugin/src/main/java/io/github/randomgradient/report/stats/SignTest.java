package io.github.randomgradient.report.stats;

import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * The exact two-sided sign test: of \( n \) informative pairs (ties dropped), \( k \) favour the candidate;
 * under the null hypothesis each pair favours either side with probability 1/2, independently. The
 * p-value is \( \min(1, 2 P(X \le \min(k, n - k))) \), \( X \sim \mathrm{Bin}(n, 1/2) \), which is
 * {@code scipy.stats.binomtest(k, n, 0.5).pvalue} (for p = 1/2 scipy's "probabilities no larger than the
 * observed" rule equals doubling the smaller tail). McNemar's exact test is this test on the discordant pairs
 * (McNemar 1947; Fagerland, Lydersen and Laake 2013).
 * <p>
 * Its power: the test rejects when \( \min(k, n - k) \le c \), the largest \( c \) with
 * \( 2 P(X \le c) \le \alpha \); if pairs favour the candidate with probability \( \pi \), the power is
 * \( P(k \ge n - c) + P(k \le c) \) under \( \mathrm{Bin}(n, \pi) \). With fewer than
 * \( \log_2(2/\alpha) \) pairs (6 at \( \alpha = 0.05 \)) no outcome is significant and nothing is detectable.
 */
public final class SignTest {

    /**
     * A sign test's outcome.
     * @param favourable \( k \), the pairs that favour the candidate.
     * @param unfavourable \( n - k \), the pairs that favour the reference.
     * @param ties The pairs left out (neither side favoured).
     * @param pValue The exact two-sided p-value; NaN without an informative pair.
     */
    public record Result(int favourable, int unfavourable, int ties, double pValue) {

        /** @return The number of informative pairs n. */
        public int informative() {
            return favourable + unfavourable;
        }

        /** @return \( k / n \), the share of informative pairs that favour the candidate; NaN without any. */
        public double share() {
            return informative() == 0 ? Double.NaN : (double) favourable / informative();
        }
    }

    private SignTest() {}

    /**
     * The exact two-sided sign test.
     * @param favourable The pairs favouring the candidate, at least 0.
     * @param unfavourable The pairs favouring the reference, at least 0.
     * @param ties The tied pairs, at least 0 (reported, not tested).
     * @return The result.
     * @throws IllegalArgumentException If a count is negative.
     */
    public static Result test(int favourable, int unfavourable, int ties) {
        if (favourable < 0 || unfavourable < 0 || ties < 0) {
            throw new IllegalArgumentException("sign test counts must be >= 0, found " + favourable + ", " + unfavourable
                    + ", " + ties);
        }
        int n = favourable + unfavourable;
        if (n == 0) {
            return new Result(0, 0, ties, Double.NaN);
        }
        double tail = new BinomialDistribution(null, n, 0.5).cumulativeProbability(Math.min(favourable, unfavourable));
        return new Result(favourable, unfavourable, ties, Math.min(1.0, 2 * tail));
    }

    /**
     * The largest critical count c: the test rejects when \( \min(k, n - k) \le c \).
     * @param n The informative pairs.
     * @param alpha The two-sided level.
     * @return c, or −1 when no outcome is significant.
     */
    static int critical(int n, double alpha) {
        if (n < 1) {
            return -1;
        }
        BinomialDistribution b = new BinomialDistribution(null, n, 0.5);
        int c = -1;
        while (c + 1 < n && 2 * b.cumulativeProbability(c + 1) <= alpha) {
            c++;
        }
        return c;
    }

    /**
     * The power of the two-sided sign test.
     * @param n The informative pairs.
     * @param share The probability \( \pi \) that a pair favours the candidate, in [0, 1].
     * @param alpha The two-sided level, in (0, 1).
     * @return The power; 0 when no outcome can be significant.
     * @throws IllegalArgumentException If alpha or the share is out of range.
     */
    public static double power(int n, double share, double alpha) {
        PowerAnalysis.checkAlpha(alpha);
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("a share of pairs must lie in [0, 1], found " + share);
        }
        int c = critical(n, alpha);
        if (c < 0) {
            return 0.0;
        }
        BinomialDistribution b = new BinomialDistribution(null, n, share);
        return b.cumulativeProbability(c) + (1 - b.cumulativeProbability(n - c - 1));
    }

    /**
     * The smallest share \( \pi > 1/2 \) of pairs favouring the candidate that the test detects with the given power.
     * @param n The informative pairs.
     * @param alpha The two-sided level.
     * @param power The target power, in (alpha, 1).
     * @return \( \pi \) to 1e-9; NaN when no share is detectable (too few pairs for any significant outcome).
     * @throws IllegalArgumentException If alpha or the power is out of range.
     */
    public static double detectableShare(int n, double alpha, double power) {
        PowerAnalysis.checkAlpha(alpha);
        if (!(power > alpha && power < 1)) {
            throw new IllegalArgumentException("the target power must lie in (alpha, 1), found " + power);
        }
        if (critical(n, alpha) < 0) {
            return Double.NaN;
        }
        return new BrentSolver(1e-12, 1e-10).solve(10_000, p -> power(n, p, alpha) - power, 0.5, 1.0);
    }

    /**
     * The exact (Clopper–Pearson 1934) two-sided confidence interval of the share \( k / n \).
     * @param favourable k.
     * @param informative n.
     * @param level The confidence level, e.g. 0.95.
     * @return {low, high}; NaN without informative pairs.
     */
    public static double[] shareInterval(int favourable, int informative, double level) {
        if (informative == 0) {
            return new double[]{Double.NaN, Double.NaN};
        }
        double a = 1 - level;
        double low = favourable == 0 ? 0 : new BetaDistribution(null, favourable, informative - favourable + 1)
                .inverseCumulativeProbability(a / 2);
        double high = favourable == informative ? 1 : new BetaDistribution(null, favourable + 1, informative - favourable)
                .inverseCumulativeProbability(1 - a / 2);
        return new double[]{low, high};
    }
}
