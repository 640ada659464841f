package io.github.randomgradient.report.stats;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.Arrays;

/**
 * Measures of a validation curve: its normalised area (how fast and how high, in one number), its
 * oscillation once the trend is removed, and the correlation of a measure with another across cells.
 */
public final class Curves {

    /**
     * A Pearson correlation.
     * @param n The number of pairs.
     * @param r The correlation coefficient; NaN when either variable is constant or n is below 2.
     * @param pValue The two-sided p-value of \( r = 0 \): \( t = r \sqrt{(n-2)/(1-r^2)} \) on \( n - 2 \)
     *               degrees of freedom ({@code scipy.stats.pearsonr}); NaN below 3 pairs or without r.
     */
    public record Correlation(int n, double r, double pValue) {}

    private Curves() {}

    /**
     * The normalised area under a curve: the trapezoid rule over the evaluation times divided by the span,
     * \( \frac{1}{t_m - t_1} \sum_{i=1}^{m-1} (t_{i+1} - t_i) \frac{v_i + v_{i+1}}{2} \), i.e. the curve's mean
     * value over training, in the measure's units (an accuracy's area lies in [0, 1]). A run that rises earlier
     * has a larger area under an accuracy curve; compare runs evaluated over the same times.
     * @param times The evaluation times (steps or seconds), strictly increasing, at least 2.
     * @param values The values at those times, finite.
     * @return The normalised area.
     * @throws IllegalArgumentException If fewer than 2 points, lengths differ, times do not increase, or a value
     *                                  is not finite (a diverged run has no area: leave it to the robustness measure).
     */
    public static double normalisedArea(double[] times, double[] values) {
        if (times.length < 2 || times.length != values.length) {
            throw new IllegalArgumentException("an area needs at least 2 points with one value per time, found "
                    + times.length + " times and " + values.length + " values");
        }
        double area = 0;
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(values[i]) || !Double.isFinite(times[i]) || (i > 0 && !(times[i] > times[i - 1]))) {
                throw new IllegalArgumentException("an area needs finite values at finite, strictly increasing times, found times "
                        + Arrays.toString(times) + " and values " + Arrays.toString(values));
            }
            if (i > 0) {
                area += (times[i] - times[i - 1]) * (values[i] + values[i - 1]) / 2;
            }
        }
        return area / (times[times.length - 1] - times[0]);
    }

    /**
     * The oscillation of a validation-loss curve: the root mean square of its residuals from Tukey's (1977)
     * running median of 3, over the interior evaluations,
     * \( \sqrt{\frac{1}{m-2} \sum_{i=2}^{m-1} (y_i - \mathrm{med}(y_{i-1}, y_i, y_{i+1}))^2} \).
     * <p>
     * The residual is not 0 only where the curve turns: at a local maximum it is \( y_i - \max(y_{i-1}, y_{i+1}) \),
     * at a local minimum \( y_i - \min(y_{i-1}, y_{i+1}) \), i.e. how far an evaluation sticks out beyond both of
     * its neighbours. So the measure is 0 for any monotone stretch, however fast or curved (the trend of training,
     * steep at first, costs nothing), and grows with every rise-and-fall between evaluations.
     * <p>
     * Why this measures oscillation and not mini-batch noise: the curve is evaluated on the whole, fixed validation
     * split at several points per epoch, so each value is a deterministic function of the parameters (no batch is
     * sampled). Landmarks, checked by the tests: a monotone curve gives 0; an alternation \( \pm a \) around a
     * linear trend falling by \( s &lt; 2a \) per evaluation gives exactly \( 2a - s \); independent noise of SD
     * \( \sigma \) on a flat curve gives \( \sigma \sqrt{0.78200} = 0.88431 \sigma \) in the limit
     * (\( E[(X_2 - \mathrm{med}(X_1, X_2, X_3))^2] = 0.782004 \) for independent standard normals, by numerical
     * integration). Oscillations slower than the evaluations (a period of 4 or more evaluations) read as trend:
     * evaluate often enough. Units: those of the loss. Compare arms at matched progress (the same evaluation points),
     * and show the measure's correlation with final accuracy across cells ({@link #pearson(double[], double[])}), so
     * that a reader can see it is not a proxy for how well trained the model is.
     * @param losses The validation losses in evaluation order, finite.
     * @return The RMS residual; NaN with fewer than 3 evaluations.
     * @throws IllegalArgumentException If a loss is not finite (a diverged run: leave it to the robustness measure).
     */
    public static double oscillation(double[] losses) {
        for (double y : losses) {
            if (!Double.isFinite(y)) {
                throw new IllegalArgumentException("the oscillation needs finite losses, found " + Arrays.toString(losses));
            }
        }
        if (losses.length < 3) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 1; i < losses.length - 1; i++) {
            double a = losses[i - 1];
            double b = losses[i];
            double c = losses[i + 1];
            double median = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            double r = b - median;
            sum += r * r;
        }
        return Math.sqrt(sum / (losses.length - 2));
    }

    /**
     * The Pearson correlation of two measures across cells (e.g. oscillation against final accuracy), with the
     * two-sided p-value of \( r = 0 \) under bivariate normality, as {@code scipy.stats.pearsonr}.
     * @param x The first measure, by cell.
     * @param y The second measure, same cells in the same order.
     * @return The correlation.
     * @throws IllegalArgumentException If the lengths differ or a value is not finite.
     */
    public static Correlation pearson(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("a correlation needs paired values, found " + x.length + " and " + y.length);
        }
        int n = x.length;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("a correlation needs finite values, found (" + x[i] + ", " + y[i] + ")");
            }
        }
        if (n < 2) {
            return new Correlation(n, Double.NaN, Double.NaN);
        }
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        if (sxx == 0 || syy == 0) {
            return new Correlation(n, Double.NaN, Double.NaN);
        }
        double r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
        if (n < 3) {
            return new Correlation(n, r, Double.NaN);
        }
        if (Math.abs(r) == 1) {
            return new Correlation(n, r, 0.0);
        }
        double t = r * Math.sqrt((n - 2) / (1 - r * r));
        double p = 2 * new TDistribution(null, n - 2).cumulativeProbability(-Math.abs(t));
        return new Correlation(n, r, Math.min(1, p));
    }
}
