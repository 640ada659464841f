package io.github.randomgradient.sweep.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
