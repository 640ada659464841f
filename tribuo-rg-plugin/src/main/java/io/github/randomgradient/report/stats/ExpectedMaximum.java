package io.github.randomgradient.report.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Expected best validation performance against the number of configurations tried (a tuning budget), and the
 * test performance of the configuration that choice picks:
 * <pre>
 *   J. Dodge, S. Gururangan, D. Card, R. Schwartz, N. A. Smith, "Show Your Work: Improved Reporting of
 *   Experimental Results", EMNLP 2019.
 *   J. Dodge, S. Gururangan, D. Card, R. Schwartz, N. A. Smith, "Expected Validation Performance and
 *   Estimation of a Random Variable's Maximum", Findings of EMNLP 2021 (the unbiased estimator, without replacement).
 * </pre>
 * Of the N configurations of an arm's grid, a budget of n is a subset of n drawn uniformly without replacement.
 * Sorting the validation values \( v_{(1)} \le \dots \le v_{(N)} \), the best of the subset is \( v_{(i)} \)
 * with probability \( \binom{i-1}{n-1} / \binom{N}{n} \) (the subset holds the i-th and n − 1 of the i − 1 below
 * it), so \( E[\max] = \sum_{i=n}^{N} v_{(i)} \binom{i-1}{n-1} / \binom{N}{n} \); at n = N it is the grid's best.
 * The chosen configuration's expected test value uses the same weights on the test values in validation order;
 * configurations tied on validation are chosen among uniformly, so each tied group's test values enter as their
 * mean. The weights are computed by a recurrence from the best value down, each factor at most 1, so large
 * grids cannot overflow.
 */
public final class ExpectedMaximum {

    /**
     * One configuration's values.
     * @param validation Its validation value (e.g. mean validation accuracy over tuning seeds), finite.
     * @param test Its test value, or NaN when not wanted.
     */
    public record Configuration(double validation, double test) {}

    /**
     * The budget curve at one budget.
     * @param budget n, the configurations tried.
     * @param expectedBestValidation \( E[\max] \) of the validation values.
     * @param expectedTestOfChoice The expected test value of the configuration with the best validation value.
     */
    public record Point(int budget, double expectedBestValidation, double expectedTestOfChoice) {}

    private ExpectedMaximum() {}

    /**
     * The budget curve for n = 1, ..., N.
     * @param configurations The arm's configurations (its grid cells), at least one; validation values finite
     *                       (a cell whose runs all failed should enter with the value a user would see, e.g. its
     *                       collapsed accuracy, never be dropped: dropping it would flatter the arm).
     * @return N points, budget 1 first.
     * @throws IllegalArgumentException If there is no configuration or a validation value is not finite.
     */
    public static Point[] curve(Configuration[] configurations) {
        int total = configurations.length;
        if (total == 0) {
            throw new IllegalArgumentException("a budget curve needs at least one configuration");
        }
        for (Configuration c : configurations) {
            if (!Double.isFinite(c.validation())) {
                throw new IllegalArgumentException("a budget curve needs finite validation values, found " + c.validation());
            }
        }
        Configuration[] sorted = configurations.clone();
        Arrays.sort(sorted, Comparator.comparingDouble(Configuration::validation));
        double[] v = new double[total];
        double[] t = new double[total];
        for (int start = 0; start < total; ) {
            int end = start;
            double sum = 0;
            while (end < total && sorted[end].validation() == sorted[start].validation()) {
                sum += sorted[end].test();
                end++;
            }
            for (int k = start; k < end; k++) {
                v[k] = sorted[k].validation();
                t[k] = sum / (end - start);
            }
            start = end;
        }
        Point[] out = new Point[total];
        for (int n = 1; n <= total; n++) {
            double bestValidation = 0;
            double testOfChoice = 0;
            // weight(i) = C(i-1, n-1) / C(N, n), i = n..N (1-based), from the top: weight(N) = n / N and
            // weight(i-1) = weight(i) (i - n) / (i - 1); every factor is at most 1, so nothing overflows.
            double weight = (double) n / total;
            for (int i = total; i >= n; i--) {
                bestValidation += weight * v[i - 1];
                testOfChoice += weight * t[i - 1];
                weight *= i > 1 ? (double) (i - n) / (i - 1) : 0;
            }
            out[n - 1] = new Point(n, bestValidation, testOfChoice);
        }
        return out;
    }
}
