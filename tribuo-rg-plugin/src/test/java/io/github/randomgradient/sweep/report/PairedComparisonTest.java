package io.github.randomgradient.sweep.report;

import io.github.randomgradient.sweep.PlannedRun;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paired comparison against values computed by hand: differences {0.5, 0.5, 1, 0.5} have mean
 * 0.625 and standard deviation 0.25, so t = 0.625 / (0.25 / 2) = 5 with 3 degrees of freedom. With
 * Student's t CDF for 3 degrees of freedom, F(t) = 1/2 + (1/π)(x/(1 + x²) + atan x), x = t/√3:
 * F(5) = 0.992303, two-sided p = 0.015394; non-inferiority with margin 0.5 gives t = 9, F(9) = 0.998557,
 * one-sided p = 0.001443. Tolerance 1e-5 (the hand values are rounded to 6 digits).
 */
public class PairedComparisonTest {

    @Test
    public void matchesHandComputedPairedT() {
        PairedComparison c = PairedComparison.of(new double[]{1, 2, 3, 4}, new double[]{0.5, 1.5, 2, 3.5});
        assertEquals(4, c.n());
        assertEquals(0.625, c.meanDifference(), 1e-12);
        assertEquals(2.5, c.effectSize(), 1e-12);
        assertEquals(0.015394, c.pValue(), 1e-5);
        assertEquals(0.001443, c.nonInferiorityP(0.5), 1e-5);
        assertTrue(c.ciLow() > 0 && c.ciHigh() > c.meanDifference());
        assertEquals("*", c.mark());
    }

    @Test
    public void zeroVarianceAndTooFewPairsGiveNoTest() {
        PairedComparison same = PairedComparison.of(new double[]{1, 2, 3}, new double[]{1, 2, 3});
        assertEquals(0.0, same.meanDifference());
        assertTrue(Double.isNaN(same.pValue()));
        assertEquals("", same.mark());
        assertTrue(Double.isNaN(PairedComparison.of(new double[]{1}, new double[]{0}).pValue()));
    }

    /** A run whose test accuracy (and accuracy after epoch 1) is {@code correct} of {@code testExamples}. */
    private static RunOutcome run(String arm, long seed, long correct, long testExamples, double validation, long validationExamples) {
        double accuracy = (double) correct / testExamples;
        return new RunOutcome(arm, arm, "rg-uniform", Map.of("learningRate", "0.1", "momentum", "0"), seed, "0.1",
                arm + seed + "-" + correct, RunOutcome.OK, accuracy, validation, accuracy, 2, true, 0.1, List.of(accuracy),
                testExamples, validationExamples);
    }

    private static PairedComparison compare(long[] rgCorrect, long[] baseCorrect, long testExamples, Metric m) {
        List<RunOutcome> rg = new ArrayList<>();
        List<RunOutcome> base = new ArrayList<>();
        for (int s = 0; s < rgCorrect.length; s++) {
            rg.add(run("rg", s + 1, rgCorrect[s], testExamples, 0.5, 0));
            base.add(run(PlannedRun.BASELINE, s + 1, baseCorrect[s], testExamples, 0.5, 0));
        }
        return SweepResults.compare(rg, base, m, new ArrayList<>(), 3);
    }

    @Test
    public void equalCountDifferencesAreEqualSoTwinsBothHaveNoTest() {
        // The twins: RG gets 1 more of 2000 test examples right at every seed. In doubles,
        // 1603/2000 − 1602/2000 and 1403/2000 − 1402/2000 differ in their last bits, so the first twin
        // had a standard deviation of 6.4e-17, d_z = 7.8e12 and p = 5.5e-27 (scipy.stats.ttest_rel on the
        // doubles), while the second (every double difference equal) had no test. In counts both are +1, +1, +1: no variation, no test.
        for (Metric m : List.of(Metric.ACCURACY, Metric.EPOCH1_ACCURACY)) {
            PairedComparison uneven = compare(new long[]{1603, 1403, 1803}, new long[]{1602, 1402, 1802}, 2000, m);
            PairedComparison even = compare(new long[]{1604, 1606, 1608}, new long[]{1603, 1605, 1607}, 2000, m);
            for (PairedComparison c : List.of(uneven, even)) {
                assertEquals(3, c.n());
                assertEquals(1.0 / 2000, c.meanDifference(), 0.0, m.name());
                assertTrue(Double.isNaN(c.pValue()), m + ": " + c);
                assertTrue(Double.isNaN(c.effectSize()), m + ": " + c);
                assertTrue(Double.isNaN(c.nonInferiorityP(SweepResults.NON_INFERIORITY_MARGIN)), m + ": " + c);
                assertTrue(c.exactCounts());
                assertEquals("", c.mark());
            }
        }
        // Values that are not counts (no test-set size recorded) keep their doubles, as before.
        assertFalse(compare(new long[]{1603, 1403, 1803}, new long[]{1602, 1402, 1802}, 2000, Metric.OSCILLATION).exactCounts());
    }

    @Test
    public void accuracyIntervalsStayWithinTheRangeOfADifference() {
        // Differences of 5, 6 and 9 of 10 examples: mean 2/3, variance 13/300 (exact), t_{0.975, 2} =
        // 0.95 √(2 / (1 − 0.95²)); the t-interval's upper end 2/3 + 0.5174 = 1.184 is above the largest
        // possible difference of accuracies, 1, so it is cut there and marked.
        PairedComparison c = compare(new long[]{10, 9, 10}, new long[]{5, 3, 1}, 10, Metric.ACCURACY);
        double t = 0.95 * Math.sqrt(2 / (1 - 0.95 * 0.95));
        double half = t * Math.sqrt(13.0 / 300) / Math.sqrt(3);
        assertEquals(2.0 / 3 - half, c.ciLow(), 1e-9);   // commons-math3 inverts the t CDF to 1e-9
        assertEquals(1.0, c.ciHigh(), 0.0);
        assertTrue(c.ciCut());
        assertEquals(Math.sqrt(13.0 / 300) / Math.sqrt(3), c.standardError(), 1e-15);
        // Non-inferiority reads the standard error, not the cut interval: t = (2/3 + 0.005) / se.
        assertEquals(new org.apache.commons.math3.distribution.TDistribution(2).cumulativeProbability(
                -(2.0 / 3 + 0.005) / c.standardError()), c.nonInferiorityP(0.005), 1e-12);
        // The same differences of an unbounded measure are not cut.
        PairedComparison free = PairedComparison.of(new double[]{1, 0.9, 1}, new double[]{0.5, 0.3, 0.1});
        assertEquals(2.0 / 3 + half, free.ciHigh(), 1e-9);   // commons-math3 inverts the t CDF to 1e-9
        assertFalse(free.ciCut());
    }

    @Test
    public void tunedMeansOfEqualValidationCountsAreEqual() {
        // 833 + 694 + 607 = 548 + 749 + 837 = 2134 correct of 3 × 1000 validation examples. Averaged in doubles
        // the second cell's mean is 2 ulp larger (0.7113333333333335 against ...333), so it won tuning over the
        // first on rounding alone; from the counts both are 2134 / 3000.
        List<RunOutcome> a = new ArrayList<>();
        List<RunOutcome> b = new ArrayList<>();
        long[] ka = {833, 694, 607};
        long[] kb = {548, 749, 837};
        for (int s = 0; s < 3; s++) {
            a.add(run("rg", s + 1, 1, 10, ka[s] / 1000.0, 1000));
            b.add(run("rg", s + 1, 1, 10, kb[s] / 1000.0, 1000));
        }
        assertEquals(SweepResults.meanValidationAccuracy(a), SweepResults.meanValidationAccuracy(b), 0.0);
        assertEquals(2134.0 / 3000, SweepResults.meanValidationAccuracy(a), 0.0);
    }

    @Test
    public void theSignedRankTestComesAlongAndIsNamed() {
        PairedComparison c = compare(new long[]{10, 9, 10, 8, 7, 9}, new long[]{5, 3, 1, 2, 7, 9}, 10, Metric.ACCURACY);
        // Differences 5, 6, 9, 6, 0, 0 (in tenths): wilcoxon([5, 6, 9, 6, 0, 0], zero_method='pratt',
        // method=PermutationMethod()) -> 0.125
        assertEquals(0.125, c.signedRankPValue(), 1e-12);
        assertEquals("Wilcoxon signed-rank test (Pratt's zero handling, exact)", c.signedRankTest());
    }
}
