package io.github.randomgradient.report;

import io.github.randomgradient.report.SeedComparison.Design;
import io.github.randomgradient.report.SeedComparison.Outcome;
import io.github.randomgradient.report.SeedComparison.Result;
import io.github.randomgradient.report.SeedComparison.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SeedComparison} against values computed by hand from the textbook formulas (Student t with 2
 * degrees of freedom has a closed form: two-sided p = 1 − |t| / √(2 + t²), 97.5% quantile
 * 0.95 √(2 / (1 − 0.95²))). Tolerance 1e-12 unless stated.
 */
public class SeedComparisonTest {

    private static List<Sample> samples(long[] seeds, double[] values) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < seeds.length; i++) {
            out.add(new Sample(seeds[i], values[i]));
        }
        return out;
    }

    @Test
    public void pairedTTestMatchesTheHandComputedValues() {
        // Per-seed differences 0.010, 0.011, 0.012: mean 0.011, sd 0.001, t = 0.011 / (0.001 / √3) = 11√3.
        Result r = SeedComparison.compare("test accuracy", true, "rg", samples(new long[]{1, 2, 3},
                new double[]{0.81, 0.751, 0.902}), "base", samples(new long[]{3, 1, 2}, new double[]{0.890, 0.80, 0.740}));
        assertEquals(Design.PAIRED, r.design());
        assertEquals(List.of(1L, 2L, 3L), r.pairedSeeds());
        double t = 11 * Math.sqrt(3);
        assertEquals(1 - t / Math.sqrt(2 + t * t), r.pValue(), 1e-9);
        double half = 0.95 * Math.sqrt(2 / (1 - 0.95 * 0.95)) * 0.001 / Math.sqrt(3);
        assertEquals(0.011, r.difference(), 1e-12);
        assertEquals(0.011 - half, r.ciLow(), 1e-9);
        assertEquals(0.011 + half, r.ciHigh(), 1e-9);
        assertEquals(0.25, r.smallestAttainableP(), 0.0);
        assertEquals(Outcome.HIGHER, r.outcome());
        assertEquals("rg − base test accuracy: +1.10 pp [+0.85, +1.35], paired t-test p = 0.003, 3 paired seeds: rg is "
                + "higher beyond seed noise (smallest attainable p with 3 paired seeds: 0.250; a distribution-free test "
                + "cannot detect an effect with this design, so the p-value leans on normally distributed differences "
                + "(use at least 6 seeds))", r.sentence());
    }

    @Test
    public void wilcoxonComesAlongsideFromSixPairs() {
        long[] seeds = {1, 2, 3, 4, 5, 6};
        double[] a = {0.80, 0.82, 0.79, 0.85, 0.81, 0.83};
        double[] b = {0.79, 0.80, 0.76, 0.81, 0.76, 0.77};
        Result r = SeedComparison.compare("test accuracy", true, "rg", samples(seeds, a), "base", samples(seeds, b));
        // Every difference positive: the exact two-sided Wilcoxon p is 2 / 2^6.
        assertEquals(2.0 / 64, r.wilcoxonPValue(), 1e-12);
        assertEquals(2.0 / 64, r.smallestAttainableP(), 0.0);
        assertTrue(r.sentence().contains("Wilcoxon signed-rank p = 0.031"), r.sentence());
        assertTrue(!r.sentence().contains("cannot detect"), r.sentence());

        Result five = SeedComparison.compare("test accuracy", true, "rg", samples(new long[]{1, 2, 3, 4, 5},
                new double[]{0.80, 0.82, 0.79, 0.85, 0.81}), "base", samples(new long[]{1, 2, 3, 4, 5},
                new double[]{0.79, 0.80, 0.76, 0.81, 0.76}));
        assertTrue(Double.isNaN(five.wilcoxonPValue()), "below 6 pairs no Wilcoxon");
        assertEquals(0.0625, five.smallestAttainableP(), 0.0);
    }

    @Test
    public void pairsAreMatchedBySeedValueAndLoneSeedsAreLeftOut() {
        // Seeds 2 and 3 on both sides, listed in different orders; 1 and 4 on one side only.
        Result r = SeedComparison.compare("test accuracy", true, "rg", samples(new long[]{3, 1, 2},
                new double[]{0.90, 0.50, 0.70}), "base", samples(new long[]{4, 2, 3}, new double[]{0.10, 0.69, 0.885}));
        assertEquals(List.of(2L, 3L), r.pairedSeeds());
        assertEquals(List.of(1L, 4L), r.unpairedSeeds());
        assertEquals((0.01 + 0.015) / 2, r.difference(), 1e-12);
        assertTrue(r.sentence().endsWith("; seeds [1, 4] have a healthy run for one trainer only (the other's run is missing, diverged or collapsed) and are left out of the pairs"),
                r.sentence());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> SeedComparison.compare(
                "test accuracy", true, "rg", samples(new long[]{1, 1}, new double[]{0.5, 0.6}), "base",
                samples(new long[]{1, 2}, new double[]{0.5, 0.6})));
        assertEquals("rg: seed 1 is given twice; each seed of a trainer must be one run", twice.getMessage());
    }

    @Test
    public void constantSamplesNeverGiveAVerdict() {
        // Paired: the per-seed differences do not vary.
        Result paired = SeedComparison.compare("test accuracy", true, "rg", samples(new long[]{1, 2},
                new double[]{0.8033, 0.8033}), "base", samples(new long[]{1, 2}, new double[]{0.8, 0.8}));
        assertEquals(Outcome.CANNOT_TEST, paired.outcome());
        assertTrue(Double.isNaN(paired.pValue()));
        assertEquals("rg − base test accuracy: +0.33 pp, 2 paired seeds: no seed-to-seed variation in the per-seed "
                + "differences: cannot test (values rg [seed 1=0.8033, seed 2=0.8033], base [seed 1=0.8, seed 2=0.8])",
                paired.sentence());
        // Unpaired (no common seed): Welch with two constant samples.
        Result welch = SeedComparison.compare("test accuracy", true, "rg", samples(new long[]{1, 2},
                new double[]{0.8033, 0.8033}), "base", samples(new long[]{3, 4}, new double[]{0.8, 0.8}));
        assertEquals(Design.UNPAIRED, welch.design());
        assertEquals(Outcome.CANNOT_TEST, welch.outcome());
        assertTrue(welch.sentence().contains("2 vs 2 unpaired seeds: no seed-to-seed variation: cannot test"), welch.sentence());
        // Holm leaves an untested comparison alone.
        assertEquals(Outcome.CANNOT_TEST, SeedComparison.holm(List.of(welch)).get(0).outcome());
    }

    @Test
    public void welchMatchesTheHandComputedValues() {
        // a = {1, 3} (var 2), b = {2, 2, 2, 6} (var 4): se² = 1 + 1 = 2, df = 4 / (1/1 + 1/3) = 3.
        Result r = SeedComparison.compare("loss", false, "a", samples(new long[]{1, 2}, new double[]{1, 3}), "b",
                samples(new long[]{3, 4, 5, 6}, new double[]{2, 2, 2, 6}));
        assertEquals(Design.UNPAIRED, r.design());
        assertEquals(-1.0, r.difference(), 1e-12);
        // t = -1 / √2 with 3 degrees of freedom; t_{0.975, 3} = 3.182446305284263.
        assertEquals(-1.0 - 3.182446305284263 * Math.sqrt(2), r.ciLow(), 1e-9);
        assertEquals(new org.apache.commons.math3.distribution.TDistribution(3).cumulativeProbability(-1 / Math.sqrt(2)) * 2,
                r.pValue(), 1e-12);
        assertEquals(2.0 / 15, r.smallestAttainableP(), 1e-12);
    }

    @Test
    public void holmAdjustsStepDown() {
        assertArrayEquals(new double[]{0.03, 0.06, 0.06}, SeedComparison.holmAdjust(new double[]{0.01, 0.04, 0.03}), 1e-15);
        assertArrayEquals(new double[]{0.7, 0.02}, SeedComparison.holmAdjust(new double[]{0.7, 0.01}), 1e-15);
    }

    @Test
    public void aNonFiniteValueIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeedComparison.compare(
                "test accuracy", true, "rg", samples(new long[]{1, 2}, new double[]{Double.NaN, 0.6}), "base",
                samples(new long[]{1, 2}, new double[]{0.5, 0.6})));
        assertTrue(e.getMessage().startsWith("rg seed 1: test accuracy is NaN"), e.getMessage());
    }

    @Test
    public void sixPairsFiveOfThemEqualGiveTheSameSignedRankPInEitherOrder() {
        // The case: five seeds with identical accuracies, one 1 of 2000 apart. commons-math3 ranked the
        // zeros and gave 0.031 or 0.44 by argument order; Pratt's exact test gives
        // wilcoxon([0, 0, 0, 0, 0, 0.0005], zero_method='pratt', method=PermutationMethod()) -> 1.0 either way.
        long[] seeds = {1, 2, 3, 4, 5, 6};
        List<Sample> a = new ArrayList<>();
        List<Sample> b = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            a.add(Sample.count(seeds[i], 1600 + i + (i == 5 ? 1 : 0), 2000));
            b.add(Sample.count(seeds[i], 1600 + i, 2000));
        }
        Result ab = SeedComparison.compare("test accuracy", true, "rg", a, "base", b);
        Result ba = SeedComparison.compare("test accuracy", true, "base", b, "rg", a);
        assertEquals(1.0, ab.wilcoxonPValue(), 0.0);
        assertEquals(1.0, ba.wilcoxonPValue(), 0.0);
        assertEquals(ab.pValue(), ba.pValue(), 0.0);
        assertEquals("Wilcoxon signed-rank test (Pratt's zero handling, exact)", ab.rankTest());
        assertTrue(ab.sentence().contains("Wilcoxon signed-rank p = 1.000 (Pratt's zero handling, exact)"), ab.sentence());
        assertTrue(ab.exactCounts());
    }

    @Test
    public void equalCountDifferencesAreEqualSoTwinsBothCannotBeTested() {
        // RG gets 1 more of 2000 test examples right at every seed. In doubles 1603/2000 − 1602/2000 and
        // 1403/2000 − 1402/2000 differ in their last bits: this twin was "rg is higher", p = 5.5e-27
        // (scipy.stats.ttest_rel on the doubles), the other "cannot test". In counts both are +1, +1, +1.
        long[] seeds = {1, 2, 3};
        for (long[] base : List.of(new long[]{1602, 1402, 1802}, new long[]{1603, 1605, 1607})) {
            List<Sample> rg = new ArrayList<>();
            List<Sample> ref = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                rg.add(Sample.count(seeds[i], base[i] + 1, 2000));
                ref.add(Sample.count(seeds[i], base[i], 2000));
            }
            Result r = SeedComparison.compare("test accuracy", true, "rg", rg, "base", ref);
            assertEquals(Outcome.CANNOT_TEST, r.outcome(), r.sentence());
            assertEquals(1.0 / 2000, r.difference(), 0.0);
            assertTrue(Double.isNaN(r.pValue()));
            assertTrue(r.sentence().contains("+0.05 pp, 3 paired seeds: no seed-to-seed variation in the per-seed "
                    + "differences: cannot test"), r.sentence());
        }
    }

    @Test
    public void aCountIsCheckedAgainstItsTotal() {
        assertEquals(0.8015, new Sample(1, 0.8015, 2000).value(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sample(1, 0.80151, 2000));
        assertTrue(e.getMessage().startsWith("the value 0.80151 is not a proportion of 2000 examples"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sample.count(1, 2001, 2000));
        assertThrows(IllegalArgumentException.class, () -> new Sample(1, 0.5, -1));
    }

    @Test
    public void intervalsOfAccuracyDifferencesStayWithinPlusMinusOneHundredPoints() {
        // Per-seed differences 5, 6 and 9 of 10 examples: mean 2/3, variance 13/300; the t-interval's upper
        // end 2/3 + t_{0.975, 2} √(13/300) / √3 = 1.184 is cut to 1 (+100 pp).
        long[] seeds = {1, 2, 3};
        long[] rg = {10, 9, 10};
        long[] base = {5, 3, 1};
        List<Sample> a = new ArrayList<>();
        List<Sample> b = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            a.add(Sample.count(seeds[i], rg[i], 10));
            b.add(Sample.count(seeds[i], base[i], 10));
        }
        Result r = SeedComparison.compare("test accuracy", true, "rg", a, "base", b);
        double t = 0.95 * Math.sqrt(2 / (1 - 0.95 * 0.95));
        assertEquals(2.0 / 3 - t * Math.sqrt(13.0 / 300) / Math.sqrt(3), r.ciLow(), 1e-9);   // commons-math3 inverts the t CDF to 1e-9
        assertEquals(1.0, r.ciHigh(), 0.0);
        assertTrue(r.ciCut());
        assertTrue(r.sentence().startsWith("rg − base test accuracy: +66.67 pp [+14.96, +100.00, cut to the range], "
                + "paired t-test p = "), r.sentence());
        // Unpaired (Welch) intervals are cut too: {1, 0.9} against {0.1, 0.3}.
        Result w = SeedComparison.compare("test accuracy", true, "rg", List.of(Sample.count(1, 10, 10),
                Sample.count(2, 9, 10)), "base", List.of(Sample.count(3, 1, 10), Sample.count(4, 3, 10)));
        assertEquals(Design.UNPAIRED, w.design());
        assertTrue(w.ciHigh() <= 1 && w.ciLow() >= -1 && w.ciCut(), w.sentence());
    }
}
