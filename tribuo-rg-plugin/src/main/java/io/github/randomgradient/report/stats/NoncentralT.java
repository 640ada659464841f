package io.github.randomgradient.report.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * The cumulative distribution function of the noncentral t distribution, which Apache Commons Math lacks.
 * <p>
 * \( T = (Z + \delta) / \sqrt{V / \nu} \) with \( Z \) standard normal and \( V \) chi-squared on \( \nu \)
 * degrees of freedom, independent. For \( t \ge 0 \), \( P(T \le t) \) is the series of Guenther (1978) as
 * programmed in algorithm AS 243 (with R's corrections, as in R's {@code pnt}):
 * <pre>
 *   R. V. Lenth, "Algorithm AS 243: Cumulative distribution function of the non-central t distribution",
 *   Applied Statistics 38 (1989) 185–189.
 * </pre>
 * The series sums Poisson-weighted incomplete beta functions until the remaining weight's error bound is
 * below 1e-12 (at most 1000 terms). For \( t &lt; 0 \), \( P(T \le t; \delta) = 1 - P(T \le -t; -\delta) \).
 * Above 4e5 degrees of freedom the normal approximation of AS 243 is used:
 * \( \Phi\big((t (1 - \frac{1}{4\nu}) - \delta) / \sqrt{1 + t^2 / (2\nu)}\big) \); when \( \delta^2 \) is so large
 * that the series' first weight \( e^{-\delta^2/2} \) underflows (\( |\delta| > 37.6 \), e.g. the power of 2 pairs at
 * a tiny α), the distribution is integrated numerically over the normal part instead (AS 243's normal approximation
 * is poor at few degrees of freedom). Absolute accuracy is
 * about 1e-12 (checked against {@code scipy.stats.nct.cdf}); a tiny lower tail at negative \( t \) is
 * computed as one minus a probability near one, so it is accurate in absolute, not relative, terms.
 */
public final class NoncentralT {

    private static final int MAX_TERMS = 1000;
    private static final double ERROR_BOUND = 1e-12;

    private NoncentralT() {}

    /**
     * \( P(T \le t) \) for the noncentral t distribution.
     * @param t The point.
     * @param degreesOfFreedom \( \nu > 0 \).
     * @param noncentrality \( \delta \), finite.
     * @return The probability, in [0, 1].
     * @throws IllegalArgumentException If \( \nu \) is not positive, or t or \( \delta \) is NaN or \( \delta \) infinite.
     */
    public static double cdf(double t, double degreesOfFreedom, double noncentrality) {
        if (!(degreesOfFreedom > 0) || Double.isNaN(t) || !Double.isFinite(noncentrality)) {
            throw new IllegalArgumentException("the noncentral t distribution needs degrees of freedom > 0, a point t and a "
                    + "finite noncentrality, found df = " + degreesOfFreedom + ", t = " + t + ", noncentrality = " + noncentrality);
        }
        if (t == Double.POSITIVE_INFINITY) {
            return 1.0;
        }
        if (t == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        if (noncentrality == 0.0) {
            return new TDistribution(null, degreesOfFreedom).cumulativeProbability(t);
        }
        boolean negated = t < 0;
        double tt = negated ? -t : t;
        double del = negated ? -noncentrality : noncentrality;
        double lower;
        if (degreesOfFreedom > 4e5) {
            double s = 1 / (4 * degreesOfFreedom);
            lower = phi((tt * (1 - s) - del) / Math.sqrt(1 + tt * tt * 2 * s));
        } else if (del * del > 2 * Math.log(2) * 1021) {
            lower = byIntegration(tt, degreesOfFreedom, del);
        } else {
            lower = series(tt, degreesOfFreedom, del) + phi(-del);
            lower = Math.min(lower, 1.0);
        }
        double p = negated ? 1 - lower : lower;
        return Math.max(0.0, Math.min(1.0, p));
    }

    /** Guenther's twin series for t >= 0: P(T <= t) - Phi(-delta). */
    private static double series(double t, double df, double del) {
        double x = t * t / (t * t + df);
        if (x <= 0) {
            return 0.0;
        }
        double lambda = del * del;
        double p = 0.5 * Math.exp(-0.5 * lambda);
        double q = Math.sqrt(2 / Math.PI) * p * del;
        double s = 0.5 - p;
        if (s < 1e-7) {
            s = -0.5 * Math.expm1(-0.5 * lambda);
        }
        double a = 0.5;
        double b = 0.5 * df;
        double rxb = Math.pow(df / (t * t + df), b);
        double logBeta = 0.5 * Math.log(Math.PI) + Gamma.logGamma(b) - Gamma.logGamma(0.5 + b);
        double xodd = Beta.regularizedBeta(x, a, b);
        double godd = 2 * rxb * Math.exp(a * Math.log(x) - logBeta);
        double bx = b * x;
        double xeven = bx < Math.ulp(1.0) ? bx : 1 - rxb;
        double geven = bx * rxb;
        double sum = p * xodd + q * xeven;
        for (int it = 1; it <= MAX_TERMS; it++) {
            a += 1;
            xodd -= godd;
            xeven -= geven;
            godd *= x * (a + b - 1) / a;
            geven *= x * (a + b - 0.5) / (a + 0.5);
            p *= lambda / (2 * it);
            q *= lambda / (2 * it + 1);
            sum += p * xodd + q * xeven;
            s -= p;
            if (s < -1e-10 || (s <= 0 && it > 1)) {
                break;
            }
            if (Math.abs(2 * s * (xodd - godd)) < ERROR_BOUND) {
                break;
            }
        }
        return sum;
    }

    /**
     * For a noncentrality so large that the series' first weight underflows: for \( t \ge 0 \),
     * \( P(T \le t) = \Phi(-\delta) + \int_{-\delta}^{\infty} \varphi(z) \, P(\chi^2_\nu \ge \nu (z + \delta)^2 / t^2) \, dz \)
     * (condition on Z), by Simpson's rule over \( z \in [\max(-\delta, -12), 12] \) in 4000 steps.
     */
    private static double byIntegration(double t, double df, double del) {
        double lo = Math.max(-del, -12);
        double hi = 12;
        if (t == 0 || lo >= hi) {
            return phi(-del);
        }
        int steps = 4000;
        double h = (hi - lo) / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double z = lo + i * h;
            double weight = i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2);
            double u = (z + del) / t;
            sum += weight * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) * Gamma.regularizedGammaQ(df / 2, df * u * u / 2);
        }
        return Math.min(1.0, phi(-del) + sum * h / 3);
    }

    /** The standard normal CDF. */
    static double phi(double z) {
        return 0.5 * Erf.erfc(-z / Math.sqrt(2));
    }
}
