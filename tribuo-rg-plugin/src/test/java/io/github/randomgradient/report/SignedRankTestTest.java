package io.github.randomgradient.report;

import io.github.randomgradient.report.SignedRankTest.Method;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SignedRankTest} against scipy 1.17.1. The exact reference under ties and zeros is scipy's
 * permutation version, {@code scipy.stats.wilcoxon(d, zero_method='pratt', method=scipy.stats.PermutationMethod())}
 * (every one of the 2^n sign flips enumerated for n ≤ 13); scipy's {@code method='exact'} uses the tie-free
 * distribution and is not exact under ties or zeros (noted where it differs). Every case is also run with
 * the differences negated (the samples swapped), which must give the same p-value. Tolerance 1e-12.
 */
public class SignedRankTestTest {

    private static void assertP(double expected, double[] d) {
        assertEquals(expected, SignedRankTest.test(d).pValue(), 1e-12, java.util.Arrays.toString(d));
        double[] swapped = java.util.Arrays.stream(d).map(x -> -x).toArray();
        assertEquals(expected, SignedRankTest.test(swapped).pValue(), 1e-12, "swapped " + java.util.Arrays.toString(d));
    }

    @Test
    public void theIssuesSixPairsFiveOfThemEqualGiveOneWhicheverOrder() {
        // wilcoxon([0, 0, 0, 0, 0, 0.0005], zero_method='pratt', method=PermutationMethod()) -> 1.0 (and for -d);
        // commons-math3 gave 0.031 or 0.44 depending on the argument order.
        assertP(1.0, new double[]{0, 0, 0, 0, 0, 0.0005});
        SignedRankTest.Result r = SignedRankTest.test(new double[]{0, 0, 0, 0, 0, 0.0005});
        assertEquals(5, r.zeros());
        assertEquals(6, r.pairs());
        assertEquals(6.0, r.statistic(), 0.0);   // Pratt: the zeros take ranks 1-5, the one positive difference rank 6
        assertEquals(Method.EXACT, r.method());
    }

    @Test
    public void tiesUseTheExactDistributionOverTheMidRanks() {
        // wilcoxon([1, 1, 1, 1, 1, -2], zero_method='pratt', method=PermutationMethod()) -> 0.53125 (= 34/64);
        // method='exact' would give 0.4375 from the tie-free distribution.
        assertP(0.53125, new double[]{1, 1, 1, 1, 1, -2});
        // wilcoxon([0, 0, 1, 2, 2, -3, 4, -1], zero_method='pratt', method=PermutationMethod()) -> 0.4375
        // (method='exact' gives 0.640625).
        assertP(0.4375, new double[]{0, 0, 1, 2, 2, -3, 4, -1});
        // T+: |d| ranks 1.5, 1.5 (zeros, dropped), 3.5 (1 and -1), 5.5 (2, 2), 7 (-3), 8 (4); T+ = 3.5 + 5.5 + 5.5 + 8
        // = 22.5 and T- = 10.5, scipy's statistic (the smaller of the two).
        assertEquals(22.5, SignedRankTest.test(new double[]{0, 0, 1, 2, 2, -3, 4, -1}).statistic(), 0.0);
        // wilcoxon([1, 2, 3, 4, 5, 6], method='exact') -> 0.03125 (= 2 / 2^6).
        assertP(0.03125, new double[]{1, 2, 3, 4, 5, 6});
        // wilcoxon([1, 1, 1, 1, 1, -2, 0, 0, 3, 3], zero_method='pratt', method=PermutationMethod()) -> 0.0546875
        assertP(0.0546875, new double[]{1, 1, 1, 1, 1, -2, 0, 0, 3, 3});
    }

    @Test
    public void tinySamples() {
        // wilcoxon([0.5], method='exact') -> 1.0; [1, 2] -> 0.5; [1, 2, 3] -> 0.25; [1, -2, 3] -> 0.75.
        assertP(1.0, new double[]{0.5});
        assertP(0.5, new double[]{1, 2});
        assertP(0.25, new double[]{1, 2, 3});
        assertP(0.75, new double[]{1, -2, 3});
        // wilcoxon([2, -2, 2], zero_method='pratt', method=PermutationMethod()) -> 1.0 (method='exact': 0.75).
        assertP(1.0, new double[]{2, -2, 2});
        // wilcoxon([0, 1], zero_method='pratt', method=PermutationMethod()) -> 1.0 (method='exact' gives 1.0 for d
        // and 0.5 for -d: not symmetric).
        assertP(1.0, new double[]{0, 1});
    }

    @Test
    public void allZeroDifferencesHaveNoTest() {
        // Nothing to rank: no test (scipy's permutation version answers 1.0, its 'exact' 0.25 for Pratt).
        SignedRankTest.Result r = SignedRankTest.test(new double[]{0, 0, 0});
        assertTrue(Double.isNaN(r.pValue()));
        assertEquals(3, r.zeros());
        assertTrue(Double.isNaN(SignedRankTest.test(new double[0]).pValue()));
    }

    @Test
    public void theNormalApproximationHasTieZeroAndContinuityCorrections() {
        // wilcoxon(d, zero_method='pratt', method='asymptotic', correction=True) -> 0.0686381707278513
        // (correction=False: 0.06109369746126019).
        double[] small = {1, 1, 1, 1, 1, -2, 0, 0, 3, 3};
        assertEquals(0.0686381707278513, SignedRankTest.test(small, Method.NORMAL).pValue(), 1e-12);
        assertEquals(0.0686381707278513, SignedRankTest.test(java.util.Arrays.stream(small).map(x -> -x).toArray(),
                Method.NORMAL).pValue(), 1e-12);
        // 60 pairs (above the exact cut-off of 50): 5 zeros and many ties in steps of 0.25. The values are
        // np.round(np.random.default_rng(1).normal(0.3, 1, 55) * 4) / 4 after five zeros;
        // wilcoxon(big, zero_method='pratt', method='asymptotic', correction=True) -> 0.009799856712678289, also for -big.
        double[] big = {0.0, 0.0, 0.0, 0.0, 0.0, 0.75, 1.0, 0.75, -1.0, 1.25, 0.75, -0.25, 1.0, 0.75, 0.5, 0.25, 0.75, -0.5,
                0.25, -0.25, 1.0, 0.25, 0.0, -0.5, 0.0, 0.25, 0.0, 1.5, 1.25, -2.5, -1.5, 0.25, -0.0, 0.5, 0.5, 2.5, -0.75,
                -0.0, 2.25, 1.0, 1.0, -0.25, -1.25, 0.5, 0.5, -1.0, -0.5, 0.25, -0.75, 0.25, 0.5, 0.25, -0.25, 1.0, 1.25, 0.5,
                -0.5, 1.0, -0.25, 1.25};
        assertEquals(60, big.length);
        SignedRankTest.Result r = SignedRankTest.test(big);
        assertEquals(Method.NORMAL, r.method());
        assertEquals(10, r.zeros());
        assertP(0.009799856712678289, big);
        assertEquals("Wilcoxon signed-rank test (Pratt's zero handling, normal approximation with tie and continuity "
                + "corrections)", r.description());
    }
}
