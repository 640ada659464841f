package io.github.randomgradient.rg;

import org.junit.jupiter.api.Test;
import org.tribuo.test.Helpers;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statistics, determinism and round trips of the loss-scale components.
 */
public class LossScaleTest {

    private static final int DRAWS = 100_000;

    private static double[] draw(LossScale scale, long seed, int n) {
        LossScale.Sampler sampler = scale.newSampler(new SplittableRandom(seed));
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = sampler.scale(i);
        }
        return out;
    }

    private static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) {
            sum += x;
        }
        return sum / xs.length;
    }

    /** Asserts the sample mean is within 4 standard errors of the expected value, given the true std. */
    private static void assertMeanWithin4SE(double expected, double trueStd, double[] xs) {
        double se = trueStd / Math.sqrt(xs.length);
        double m = mean(xs);
        assertTrue(Math.abs(m - expected) <= 4 * se,
                "sample mean " + m + " is more than 4 standard errors (" + se + ") from " + expected);
    }

    @Test
    public void paperDefaultIsUniformZeroOne() {
        UniformLossScale u = UniformLossScale.paperDefault();
        assertEquals(0.5, u.expectedValue());
        assertEquals(0.0, u.min());
        assertEquals(1.0, u.max());
        assertEquals("U[0.0, 1.0)", u.describe());
        double[] xs = draw(u, 42L, DRAWS);
        for (double x : xs) {
            assertTrue(x >= 0.0 && x < 1.0, "draw out of [0, 1): " + x);
        }
        assertMeanWithin4SE(0.5, Math.sqrt(1.0 / 12.0), xs);
    }

    @Test
    public void shiftedRangeStatistics() {
        UniformLossScale u = new UniformLossScale(0.5, 1.5);
        assertEquals(1.0, u.expectedValue(), 1e-15);
        double[] xs = draw(u, 7L, DRAWS);
        for (double x : xs) {
            assertTrue(x >= 0.5 && x < 1.5, "draw out of [0.5, 1.5): " + x);
        }
        assertMeanWithin4SE(1.0, Math.sqrt(1.0 / 12.0), xs);
    }

    @Test
    public void applyProbabilityScalesTheRightFraction() {
        double p = 0.5;
        UniformLossScale u = new UniformLossScale(0.2, 0.6, p, false);
        double expected = p * 0.4 + (1 - p);
        assertEquals(expected, u.expectedValue(), 1e-15);
        assertEquals(0.2, u.min(), 1e-15);
        assertEquals(1.0, u.max(), 1e-15);
        double[] xs = draw(u, 3L, DRAWS);
        int scaled = 0;
        for (double x : xs) {
            if (x == 1.0) {
                continue;
            }
            assertTrue(x >= 0.2 && x < 0.6, "scaled draw out of [0.2, 0.6): " + x);
            scaled++;
        }
        double fraction = scaled / (double) DRAWS;
        double se = Math.sqrt(p * (1 - p) / DRAWS);
        assertTrue(Math.abs(fraction - p) <= 4 * se, "scaled fraction " + fraction + " vs applyProbability " + p);
        // E[u^2] = p (w^2/12 + m^2) + (1 - p); var = E[u^2] - E[u]^2
        double secondMoment = p * (0.4 * 0.4 / 12.0 + 0.4 * 0.4) + (1 - p);
        assertMeanWithin4SE(expected, Math.sqrt(secondMoment - expected * expected), xs);
    }

    @Test
    public void meanPreservingHasMeanOne() {
        UniformLossScale u = new UniformLossScale(0.0, 1.0, 1.0, true);
        assertEquals(1.0, u.expectedValue());
        assertEquals(0.0, u.min());
        assertEquals(2.0, u.max());
        double[] xs = draw(u, 11L, DRAWS);
        for (double x : xs) {
            assertTrue(x >= 0.0 && x < 2.0, "draw out of [0, 2): " + x);
        }
        // u / E[u] with u ~ U[0,1): std = sqrt(1/12) / 0.5
        assertMeanWithin4SE(1.0, Math.sqrt(1.0 / 12.0) / 0.5, xs);

        UniformLossScale half = new UniformLossScale(0.0, 1.0, 0.5, true);
        double raw = 0.5 * 0.5 + 0.5;
        double secondMoment = 0.5 * (1.0 / 3.0) + 0.5;
        double[] ys = draw(half, 12L, DRAWS);
        assertMeanWithin4SE(1.0, Math.sqrt(secondMoment - raw * raw) / raw, ys);
    }

    @Test
    public void equalEndsActAsConstant() {
        UniformLossScale u = new UniformLossScale(0.3, 0.3);
        assertEquals("U[0.3, 0.3]", u.describe());
        for (double x : draw(u, 1L, 1000)) {
            assertEquals(0.3, x);
        }
    }

    @Test
    public void constantScale() {
        ConstantLossScale baseline = ConstantLossScale.baseline();
        assertEquals(1.0, baseline.expectedValue());
        for (double x : draw(baseline, 1L, 1000)) {
            assertEquals(1.0, x);
        }
        ConstantLossScale three = new ConstantLossScale(3.0);
        assertEquals(3.0, three.min());
        assertEquals(3.0, three.max());
        assertEquals("3.0", three.describe());
        for (double x : draw(three, 2L, 1000)) {
            assertEquals(3.0, x);
        }
    }

    @Test
    public void cyclicalHitsLowAndHighAtTheRightSteps() {
        int s = 50;
        CyclicalLossScale tri = new CyclicalLossScale(0.1, 0.9, s);
        LossScale.Sampler sampler = tri.newSampler(new SplittableRandom(0));
        for (int cycle = 0; cycle < 5; cycle++) {
            assertEquals(0.1, sampler.scale(2L * s * cycle), 1e-12, "low at step " + 2 * s * cycle);
            assertEquals(0.9, sampler.scale(2L * s * cycle + s), 1e-12, "high at step " + (2 * s * cycle + s));
            assertEquals(0.5, sampler.scale(2L * s * cycle + s / 2), 1e-12, "midpoint");
        }
        double[] xs = draw(tri, 0L, DRAWS);
        for (double x : xs) {
            assertTrue(x >= 0.1 - 1e-12 && x <= 0.9 + 1e-12, "out of range " + x);
        }
        // DRAWS is a whole number of cycles (100 steps each), so the mean is exactly the first-cycle mean.
        assertEquals(tri.expectedValue(), mean(xs), 1e-9);

        CyclicalLossScale tri2 = new CyclicalLossScale(0.0, 1.0, s, CyclicalLossScale.Mode.TRIANGULAR2, 1.0);
        assertEquals(1.0, tri2.scaleAt(s), 1e-12);
        assertEquals(0.5, tri2.scaleAt(3L * s), 1e-12);
        assertEquals(0.25, tri2.scaleAt(5L * s), 1e-12);
        assertEquals(0.0, tri2.scaleAt(4L * s), 1e-12);

        CyclicalLossScale exp = new CyclicalLossScale(0.0, 1.0, s, CyclicalLossScale.Mode.EXP_RANGE, 0.99);
        assertEquals(Math.pow(0.99, s), exp.scaleAt(s), 1e-12);
        assertEquals(Math.pow(0.99, 3 * s), exp.scaleAt(3L * s), 1e-12);
        assertTrue(exp.expectedValue() < 0.5);

        // A schedule's mean depends on the run's length: TRIANGULAR2 over 3 cycles averages
        // (0.5 + 0.25 + 0.125) / 3, and even the undamped triangle averages 0.5 only over whole cycles
        // (its first 20 steps of a 100-step cycle average 0.19). Only a constant schedule is stationary.
        assertFalse(tri.isStationary());
        assertEquals(0.19, mean(draw(new CyclicalLossScale(0.0, 1.0, s), 0L, 20)), 1e-9);
        assertFalse(new CyclicalLossScale(0.0, 1.0, s, CyclicalLossScale.Mode.EXP_RANGE, 1.0).isStationary());
        assertTrue(new CyclicalLossScale(1.0, 1.0, s, CyclicalLossScale.Mode.TRIANGULAR2, 1.0).isStationary());
        assertFalse(tri2.isStationary());
        assertFalse(exp.isStationary());
        assertTrue(UniformLossScale.paperDefault().isStationary());
        assertTrue(ConstantLossScale.baseline().isStationary());
        assertEquals(0.875 / 3, mean(draw(tri2, 0L, 6 * s)), 1e-9);
    }

    @Test
    public void sameSeedSameSequenceDifferentSeedDifferent() {
        LossScale[] scales = {UniformLossScale.paperDefault(), new UniformLossScale(0.0, 2.0, 0.5, true)};
        for (LossScale scale : scales) {
            double[] a = draw(scale, 1234L, 1000);
            double[] b = draw(scale, 1234L, 1000);
            double[] c = draw(scale, 1235L, 1000);
            assertArrayEquals(a, b, 0.0, scale.toString());
            int same = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] == c[i]) {
                    same++;
                }
            }
            assertTrue(same < 600, "different seeds gave " + same + "/1000 identical factors for " + scale);
            assertFalse(java.util.Arrays.equals(a, c));
        }
        // The factor of a step does not depend on which steps were asked for before it.
        LossScale.Sampler sampler = UniformLossScale.paperDefault().newSampler(new SplittableRandom(99));
        double later = sampler.scale(500);
        double[] seq = draw(UniformLossScale.paperDefault(), 99L, 501);
        assertEquals(seq[500], later);
    }

    @Test
    public void negativeStepRejected() {
        LossScale.Sampler sampler = UniformLossScale.paperDefault().newSampler(new SplittableRandom(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sampler.scale(-1));
        assertTrue(e.getMessage().contains("step"));
    }

    @Test
    public void configurationAndProvenanceRoundTrips() {
        LossScale[] scales = {
                ConstantLossScale.baseline(), new ConstantLossScale(3.0),
                UniformLossScale.paperDefault(), new UniformLossScale(0.1, 0.9, 0.5, true),
                new CyclicalLossScale(0.0, 1.0, 100),
                new CyclicalLossScale(0.2, 2.0, 7, CyclicalLossScale.Mode.EXP_RANGE, 0.999)
        };
        for (LossScale scale : scales) {
            Helpers.testConfigurableRoundtrip(scale);
            Helpers.testProvenanceMarshalling(scale.getProvenance());
        }
    }
}
