package io.github.randomgradient.report.stats;

import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Power, minimum detectable effect and number of pairs of the paired t-test, exact through the noncentral
 * t distribution ({@link NoncentralT}).
 * <p>
 * With \( n \) pairs whose differences have standard deviation \( s \) and true mean \( \Delta \), the
 * statistic \( t = \bar d / (s_d / \sqrt n) \) follows the noncentral t distribution with \( n - 1 \)
 * degrees of freedom and noncentrality \( \lambda = \sqrt n \, \Delta / s \). The power at level \( \alpha \) is
 * <ul>
 *   <li>two-sided: \( P(T > t_{1-\alpha/2}) + P(T &lt; -t_{1-\alpha/2}) \);</li>
 *   <li>one-sided (in the direction of \( \Delta \)): \( P(T > t_{1-\alpha}) \).</li>
 * </ul>
 * The minimum detectable effect (MDE) is the \( \Delta \) at which the power equals the target (0.8 by
 * custom), found by Brent's method; in standardised units it is Cohen's \( d_z = \Delta / s \). The
 * textbook check: \( d_z = 0.5 \), two-sided \( \alpha = 0.05 \), power 0.8 needs 34 pairs (Cohen 1988,
 * <i>Statistical Power Analysis for the Behavioral Sciences</i>, 2nd ed.; G*Power's "matched pairs" gives
 * 34 with power 0.808).
 * <p>
 * Non-inferiority at margin \( \delta > 0 \) tests \( H_0: \Delta \le -\delta \) one-sided; if the true
 * difference is \( \theta \), its statistic \( (\bar d + \delta) / (s_d / \sqrt n) \) has noncentrality
 * \( \sqrt n (\theta + \delta) / s \), so its power is the one-sided power at effect \( \theta + \delta \)
 * ({@link #nonInferiorityPairs(double, double, double, double, double, int)}).
 * <p>
 * Several tests: Holm's step-down procedure tests its most significant p-value at \( \alpha / m \), the
 * next at \( \alpha / (m - 1) \), and so on. Which step a test will land on is unknown before the data, so a
 * plan that must hold for every test uses \( \alpha / m \) ({@link #holmMostStringent(double, int)}): the
 * detectable effect it gives is conservative (the true one is at most this large).
 * <p>
 * Degenerate designs are explicit: fewer than 2 pairs allow no t-test, so the power is 0 and the
 * detectable effect is infinite; a standard deviation of 0 (the tuning runs did not vary, e.g. a single
 * tuning seed) gives no plan, and the methods that need it refuse it.
 */
public final class PowerAnalysis {

    /** The customary target power. */
    public static final double DEFAULT_POWER = 0.8;

    /** The sides of a test. */
    public enum Sides {
        /** A two-sided test (superiority in either direction). */
        TWO_SIDED,
        /** A one-sided test in the direction of the effect (non-inferiority). */
        ONE_SIDED
    }

    /**
     * A number of pairs and the power it gives.
     * @param pairs The smallest number of pairs that reaches the target power, or the cap when none up to it does.
     * @param power The power at that number of pairs.
     * @param capped True if even the cap falls short of the target power.
     */
    public record SampleSize(int pairs, double power, boolean capped) {}

    private PowerAnalysis() {}

    /**
     * The significance level of the most stringent step of Holm's procedure over m tests, \( \alpha / m \).
     * @param alpha The family-wise level.
     * @param tests The number of tests m, at least 1.
     * @return \( \alpha / m \).
     * @throws IllegalArgumentException If alpha is not in (0, 1) or m is below 1.
     */
    public static double holmMostStringent(double alpha, int tests) {
        checkAlpha(alpha);
        if (tests < 1) {
            throw new IllegalArgumentException("Holm's procedure needs at least 1 test, found " + tests);
        }
        return alpha / tests;
    }

    /**
     * The power of the paired t-test.
     * @param pairs The number of pairs n.
     * @param effectSize The standardised true difference \( d_z = \Delta / s \) (finite; for one-sided tests,
     *                   positive in the tested direction).
     * @param alpha The significance level, in (0, 1).
     * @param sides Two- or one-sided.
     * @return The power; 0 below 2 pairs (no test).
     * @throws IllegalArgumentException If alpha is not in (0, 1) or the effect size is not finite.
     */
    public static double power(int pairs, double effectSize, double alpha, Sides sides) {
        checkAlpha(alpha);
        if (!Double.isFinite(effectSize)) {
            throw new IllegalArgumentException("the effect size must be finite, found " + effectSize);
        }
        if (pairs < 2) {
            return 0.0;
        }
        int df = pairs - 1;
        double lambda = Math.sqrt(pairs) * effectSize;
        TDistribution t = new TDistribution(null, df);
        if (sides == Sides.ONE_SIDED) {
            double c = t.inverseCumulativeProbability(1 - alpha);
            return 1 - NoncentralT.cdf(c, df, lambda);
        }
        double c = t.inverseCumulativeProbability(1 - alpha / 2);
        // P(T < -c; lambda) = P(T > c; -lambda), computed as an upper tail for accuracy.
        return (1 - NoncentralT.cdf(c, df, lambda)) + (1 - NoncentralT.cdf(c, df, -lambda));
    }

    /**
     * The standardised minimum detectable effect: the \( d_z > 0 \) at which the paired t-test's power is {@code power}.
     * @param pairs The number of pairs n.
     * @param alpha The significance level, in (0, 1) (for Holm, {@link #holmMostStringent(double, int)}).
     * @param power The target power, in (alpha, 1).
     * @param sides Two- or one-sided.
     * @return \( d_z \), to 1e-10; +∞ below 2 pairs.
     * @throws IllegalArgumentException If alpha or the power is out of range.
     */
    public static double detectableEffectSize(int pairs, double alpha, double power, Sides sides) {
        checkAlpha(alpha);
        if (!(power > alpha && power < 1)) {
            throw new IllegalArgumentException("the target power must lie in (alpha, 1) = (" + alpha + ", 1), found " + power);
        }
        if (pairs < 2) {
            return Double.POSITIVE_INFINITY;
        }
        double high = 1;
        while (power(pairs, high, alpha, sides) < power) {
            high *= 2;
        }
        return new BrentSolver(1e-12, 1e-10).solve(10_000, d -> power(pairs, d, alpha, sides) - power, 0, high);
    }

    /**
     * The minimum detectable effect in the measure's units, \( s \cdot d_z \)
     * ({@link #detectableEffectSize(int, double, double, Sides)}).
     * @param pairs The number of pairs n.
     * @param sd The standard deviation of the paired differences, finite and positive.
     * @param alpha The significance level.
     * @param power The target power.
     * @param sides Two- or one-sided.
     * @return The MDE; +∞ below 2 pairs.
     * @throws IllegalArgumentException If sd is not finite and positive (a zero SD gives no plan), or as
     *                                  {@link #detectableEffectSize(int, double, double, Sides)}.
     */
    public static double minimumDetectableEffect(int pairs, double sd, double alpha, double power, Sides sides) {
        checkSd(sd);
        return sd * detectableEffectSize(pairs, alpha, power, sides);
    }

    /**
     * The smallest number of pairs whose paired t-test reaches the target power at a true difference.
     * @param effect The true difference \( \Delta \), positive (in the measure's units).
     * @param sd The standard deviation of the paired differences, finite and positive.
     * @param alpha The significance level.
     * @param power The target power, in (alpha, 1).
     * @param sides Two- or one-sided.
     * @param maxPairs The most pairs to consider, at least 2.
     * @return The number of pairs (at least 2) and its power, or the cap, marked, when it falls short.
     * @throws IllegalArgumentException If the effect is not positive and finite, sd is not finite and
     *                                  positive, alpha or power is out of range, or maxPairs is below 2.
     */
    public static SampleSize pairsNeeded(double effect, double sd, double alpha, double power, Sides sides, int maxPairs) {
        checkSd(sd);
        checkAlpha(alpha);
        if (!(effect > 0) || !Double.isFinite(effect)) {
            throw new IllegalArgumentException("the effect to detect must be positive and finite, found " + effect);
        }
        if (!(power > alpha && power < 1)) {
            throw new IllegalArgumentException("the target power must lie in (alpha, 1) = (" + alpha + ", 1), found " + power);
        }
        if (maxPairs < 2) {
            throw new IllegalArgumentException("the most pairs to consider must be at least 2, found " + maxPairs);
        }
        double d = effect / sd;
        double atCap = power(maxPairs, d, alpha, sides);
        if (atCap < power) {
            return new SampleSize(maxPairs, atCap, true);
        }
        // The power grows with n: bisect for the smallest n in [2, maxPairs] that reaches the target.
        int lo = 1;
        int hi = maxPairs;
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            if (power(mid, d, alpha, sides) >= power) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return new SampleSize(hi, power(hi, d, alpha, sides), false);
    }

    /**
     * The number of pairs with which the one-sided non-inferiority test at margin \( \delta \) reaches the
     * target power when the true difference is \( \theta \) (0: the two arms are equally good).
     * @param margin The margin \( \delta > 0 \).
     * @param trueDifference \( \theta \) (candidate − reference, positive is better), above \( -\delta \).
     * @param sd The standard deviation of the paired differences, finite and positive.
     * @param alpha The one-sided significance level.
     * @param power The target power.
     * @param maxPairs The most pairs to consider.
     * @return The number of pairs and its power, or the cap, marked.
     * @throws IllegalArgumentException If the margin is not positive, \( \theta + \delta \) is not positive,
     *                                  or as {@link #pairsNeeded(double, double, double, double, Sides, int)}.
     */
    public static SampleSize nonInferiorityPairs(double margin, double trueDifference, double sd, double alpha, double power,
                                                 int maxPairs) {
        if (!(margin > 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("the non-inferiority margin must be positive and finite, found " + margin);
        }
        if (!(trueDifference + margin > 0)) {
            throw new IllegalArgumentException("a true difference of " + trueDifference + " is not above the margin's -"
                    + margin + ": non-inferiority cannot be shown at any number of pairs");
        }
        return pairsNeeded(trueDifference + margin, sd, alpha, power, Sides.ONE_SIDED, maxPairs);
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("the significance level must lie in (0, 1), found " + alpha);
        }
    }

    private static void checkSd(double sd) {
        if (!(sd > 0) || !Double.isFinite(sd)) {
            throw new IllegalArgumentException("the standard deviation of the paired differences is " + sd + "; a power "
                    + "analysis needs a positive SD (one that is 0 comes from tuning runs that did not vary: use more "
                    + "tuning seeds or a fixed number of confirm seeds)");
        }
    }
}
