package io.github.randomgradient.report.stats;

import io.github.randomgradient.report.stats.PowerAnalysis.SampleSize;
import io.github.randomgradient.report.stats.PowerAnalysis.Sides;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PowerAnalysis} against the textbook value (Cohen 1988: d = 0.5, two-sided α = 0.05, power 0.8,
 * paired: 34 pairs) and against scipy 1.17, with
 * <pre>
 * def power(n, d, alpha, sides):
 *     df = n - 1; nc = sqrt(n) * d
 *     if sides == 2:
 *         c = stats.t.ppf(1 - alpha / 2, df); return stats.nct.sf(c, df, nc) + stats.nct.sf(c, df, -nc)
 *     c = stats.t.ppf(1 - alpha, df); return stats.nct.sf(c, df, nc)
 * mde = brentq(lambda d: power(n, d, alpha, sides) - 0.8, 1e-3, 20, xtol=1e-14)
 * </pre>
 */
public class PowerAnalysisTest {

    @Test
    public void cohensTextbookCaseNeeds34Pairs() {
        // power(33, .5, .05, 2) = 0.7953658414875041, power(34, ...) = 0.8077775012792738, power(35, ...) = 0.8195357696013998
        assertEquals(0.7953658414875041, PowerAnalysis.power(33, 0.5, 0.05, Sides.TWO_SIDED), 1e-9);
        assertEquals(0.8077775012792738, PowerAnalysis.power(34, 0.5, 0.05, Sides.TWO_SIDED), 1e-9);
        assertEquals(0.8195357696013998, PowerAnalysis.power(35, 0.5, 0.05, Sides.TWO_SIDED), 1e-9);
        SampleSize s = PowerAnalysis.pairsNeeded(0.5, 1.0, 0.05, 0.8, Sides.TWO_SIDED, 1000);
        assertEquals(34, s.pairs());
        assertEquals(0.8077775012792738, s.power(), 1e-9);
        assertFalse(s.capped());
        // The same in the measure's units: an effect of 1 pp with an SD of 2 pp.
        assertEquals(34, PowerAnalysis.pairsNeeded(0.01, 0.02, 0.05, 0.8, Sides.TWO_SIDED, 1000).pairs());
    }

    @Test
    public void minimumDetectableEffectsMatchScipy() {
        // mde(5, .05, 2) = 1.681996965955556, mde(20, .05, 2) = 0.6604416546230263,
        // mde(5, .05 / 8, 2) = 2.9764516825626077 (Holm's most stringent step over 8 tests),
        // mde(20, .05, 1) = 0.5769170013383701, mde(3, .05, 2) = 3.2640435496995717
        assertEquals(1.681996965955556, PowerAnalysis.detectableEffectSize(5, 0.05, 0.8, Sides.TWO_SIDED), 1e-8);
        assertEquals(0.6604416546230263, PowerAnalysis.detectableEffectSize(20, 0.05, 0.8, Sides.TWO_SIDED), 1e-8);
        assertEquals(2.9764516825626077, PowerAnalysis.detectableEffectSize(5, PowerAnalysis.holmMostStringent(0.05, 8), 0.8,
                Sides.TWO_SIDED), 1e-8);
        assertEquals(0.5769170013383701, PowerAnalysis.detectableEffectSize(20, 0.05, 0.8, Sides.ONE_SIDED), 1e-8);
        assertEquals(3.2640435496995717, PowerAnalysis.detectableEffectSize(3, 0.05, 0.8, Sides.TWO_SIDED), 1e-8);
        // In units: SD of the differences 1.3 pp, 5 pairs -> 1.682 * 1.3 pp.
        assertEquals(1.681996965955556 * 0.013, PowerAnalysis.minimumDetectableEffect(5, 0.013, 0.05, 0.8, Sides.TWO_SIDED), 1e-10);
        assertEquals(0.8, PowerAnalysis.power(5, PowerAnalysis.detectableEffectSize(5, 0.05, 0.8, Sides.TWO_SIDED), 0.05,
                Sides.TWO_SIDED), 1e-9);
    }

    @Test
    public void nonInferiorityPairsAndPowerMatchScipy() {
        // Margin 0.5 pp, SD 1 pp, one-sided alpha 0.05, true difference 0: power(26, .5, .05, 1) = 0.7980537143957398,
        // power(27, ...) = 0.8118315517081682, so 27 pairs.
        SampleSize s = PowerAnalysis.nonInferiorityPairs(0.005, 0.0, 0.01, 0.05, 0.8, 1000);
        assertEquals(27, s.pairs());
        assertEquals(0.8118315517081682, s.power(), 1e-9);
        assertEquals(0.7980537143957398, PowerAnalysis.power(26, 0.5, 0.05, Sides.ONE_SIDED), 1e-9);
        // With 5 pairs the same test has power 0.23899517090352962 if the arms are equally good.
        assertEquals(0.23899517090352962, PowerAnalysis.power(5, 0.5, 0.05, Sides.ONE_SIDED), 1e-9);
        // A true difference of +0.5 pp makes the job easier: effect 1 pp one-sided, SD 1 pp: fewer pairs.
        assertTrue(PowerAnalysis.nonInferiorityPairs(0.005, 0.005, 0.01, 0.05, 0.8, 1000).pairs() < 27);
        assertThrows(IllegalArgumentException.class, () -> PowerAnalysis.nonInferiorityPairs(0.005, -0.006, 0.01, 0.05, 0.8, 100));
        assertThrows(IllegalArgumentException.class, () -> PowerAnalysis.nonInferiorityPairs(0, 0, 0.01, 0.05, 0.8, 100));
    }

    @Test
    public void theCapIsMarkedWhenItBinds() {
        SampleSize s = PowerAnalysis.pairsNeeded(0.5, 1.0, 0.05, 0.8, Sides.TWO_SIDED, 20);
        assertTrue(s.capped());
        assertEquals(20, s.pairs());
        assertEquals(PowerAnalysis.power(20, 0.5, 0.05, Sides.TWO_SIDED), s.power(), 0.0);
    }

    @Test
    public void degenerateDesignsAreExplicit() {
        // Below 2 pairs there is no t-test: power 0, nothing detectable.
        assertEquals(0.0, PowerAnalysis.power(1, 3.0, 0.05, Sides.TWO_SIDED), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, PowerAnalysis.detectableEffectSize(1, 0.05, 0.8, Sides.TWO_SIDED), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, PowerAnalysis.minimumDetectableEffect(0, 0.01, 0.05, 0.8, Sides.ONE_SIDED), 0.0);
        // A zero SD (tuning runs that did not vary) gives no plan.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PowerAnalysis.minimumDetectableEffect(5, 0.0, 0.05, 0.8, Sides.TWO_SIDED));
        assertTrue(e.getMessage().contains("positive SD"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PowerAnalysis.pairsNeeded(0.01, 0.0, 0.05, 0.8, Sides.TWO_SIDED, 100));
        assertThrows(IllegalArgumentException.class, () -> PowerAnalysis.pairsNeeded(0.01, Double.NaN, 0.05, 0.8, Sides.TWO_SIDED, 100));
        // 2 pairs (1 degree of freedom) at Holm's alpha / 40: scipy brentq over the power above gives 461.5210103339585 SDs
        // (noncentrality beyond 37.6, integrated numerically; 2 pairs at alpha 0.05: 11.549888435882355).
        assertEquals(461.5210103339585, PowerAnalysis.detectableEffectSize(2, 0.05 / 40, 0.8, Sides.TWO_SIDED), 1e-6);
        assertEquals(11.549888435882355, PowerAnalysis.detectableEffectSize(2, 0.05, 0.8, Sides.TWO_SIDED), 1e-8);
        // At zero effect the two-sided power is alpha.
        assertEquals(0.05, PowerAnalysis.power(10, 0.0, 0.05, Sides.TWO_SIDED), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> PowerAnalysis.detectableEffectSize(5, 0.05, 0.04, Sides.TWO_SIDED));
        assertThrows(IllegalArgumentException.class, () -> PowerAnalysis.holmMostStringent(0.05, 0));
        assertEquals(0.05 / 8, PowerAnalysis.holmMostStringent(0.05, 8), 0.0);
    }
}
