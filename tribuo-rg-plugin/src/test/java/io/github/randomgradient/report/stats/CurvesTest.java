package io.github.randomgradient.report.stats;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Curves}: the normalised area and the oscillation worked by hand, the oscillation of noise against its
 * expectation, and Pearson's correlation against {@code scipy.stats.pearsonr} (scipy 1.17).
 */
public class CurvesTest {

    @Test
    public void theNormalisedAreaIsTheTrapezoidOverTheSpan() {
        // (1 - 0) * (0 + 1) / 2 + (3 - 1) * (1 + 1) / 2 = 2.5, over a span of 3.
        assertEquals(2.5 / 3, Curves.normalisedArea(new double[]{0, 1, 3}, new double[]{0, 1, 1}), 1e-15);
        // A constant curve's area is its value; an earlier rise gives a larger area.
        assertEquals(0.7, Curves.normalisedArea(new double[]{10, 20, 40}, new double[]{0.7, 0.7, 0.7}), 1e-15);
        double early = Curves.normalisedArea(new double[]{0, 1, 2, 3}, new double[]{0.1, 0.8, 0.8, 0.8});
        double late = Curves.normalisedArea(new double[]{0, 1, 2, 3}, new double[]{0.1, 0.1, 0.1, 0.8});
        assertEquals((0.45 + 0.8 + 0.8) / 3, early, 1e-15);
        assertEquals((0.1 + 0.1 + 0.45) / 3, late, 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Curves.normalisedArea(new double[]{0}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> Curves.normalisedArea(new double[]{0, 1}, new double[]{1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Curves.normalisedArea(new double[]{1, 0}, new double[]{1, 1}));
    }

    @Test
    public void aMonotoneCurveDoesNotOscillateHoweverSteep() {
        double[] decay = new double[21];
        for (int i = 0; i < decay.length; i++) {
            decay[i] = 0.3 + 2 * Math.exp(-i / 2.0);
        }
        assertEquals(0.0, Curves.oscillation(decay), 0.0);
        assertTrue(Double.isNaN(Curves.oscillation(new double[]{1, 2})));
        assertThrows(IllegalArgumentException.class, () -> Curves.oscillation(new double[]{1, Double.NaN, 2}));
    }

    @Test
    public void aZigZagOscillatesByTwiceItsAmplitudeLessTheSlope() {
        // y_i = 1 - 0.01 i + 0.05 (-1)^i: each point sticks out beyond both neighbours by 2 * 0.05 - 0.01 = 0.09.
        double[] zigzag = new double[40];
        for (int i = 0; i < zigzag.length; i++) {
            zigzag[i] = 1 - 0.01 * i + (i % 2 == 0 ? 0.05 : -0.05);
        }
        assertEquals(0.09, Curves.oscillation(zigzag), 1e-12);
        // One spike of 0.2 on a line falling by 0.01 per point, 9 points (7 interior): y4 = 1.16 sticks out 0.19 above
        // its higher neighbour y3 = 0.97; y3 lies between 0.98 and 1.16, so it is now a local minimum, 0.01 below
        // the lower of them; every other point is on a monotone stretch. RMS = sqrt((0.19^2 + 0.01^2) / 7).
        double[] spike = new double[9];
        for (int i = 0; i < spike.length; i++) {
            spike[i] = 1 - 0.01 * i;
        }
        spike[4] += 0.2;
        assertEquals(Math.sqrt((0.19 * 0.19 + 0.01 * 0.01) / 7), Curves.oscillation(spike), 1e-12);
    }

    @Test
    public void independentNoiseGivesItsExpectedValue() {
        // E[(X2 - med(X1, X2, X3))^2] = 0.7820044379115414 for independent standard normals, by
        // scipy.integrate.dblquad(lambda m, x: 2*phi(x)*(x-m)**2*2*phi(m)*Phi(m), -12, 12, lambda x: -12, lambda x: x)
        // (x the middle value, m the larger neighbour); Monte Carlo with 4e6 triples: 0.78232.
        Random random = new Random(42);
        double sigma = 0.1;
        double[] noisy = new double[200_000];
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = 1.0 + sigma * random.nextGaussian();
        }
        assertEquals(sigma * Math.sqrt(0.7820044379115414), Curves.oscillation(noisy), 0.001);
    }

    @Test
    public void pearsonMatchesScipy() {
        // pearsonr([.81, .79, .85, .77, .80], [.2, .25, .1, .3, .22]) = (-0.9995462847620176, 1.160057045788404e-05)
        Curves.Correlation c = Curves.pearson(new double[]{0.81, 0.79, 0.85, 0.77, 0.80}, new double[]{0.2, 0.25, 0.1, 0.3, 0.22});
        assertEquals(5, c.n());
        assertEquals(-0.9995462847620176, c.r(), 1e-12);
        assertEquals(1.160057045788404e-05, c.pValue(), 1e-12);
        // pearsonr([1, 2, 3, 4], [1, 3, 2, 4]) = (0.8, 0.2)
        Curves.Correlation d = Curves.pearson(new double[]{1, 2, 3, 4}, new double[]{1, 3, 2, 4});
        assertEquals(0.8, d.r(), 1e-12);
        assertEquals(0.2, d.pValue(), 1e-12);
        // A constant variable has no correlation; two points have no test.
        assertTrue(Double.isNaN(Curves.pearson(new double[]{1, 1, 1}, new double[]{1, 2, 3}).r()));
        Curves.Correlation two = Curves.pearson(new double[]{1, 2}, new double[]{2, 1});
        assertEquals(-1.0, two.r(), 0.0);
        assertTrue(Double.isNaN(two.pValue()));
        assertThrows(IllegalArgumentException.class, () -> Curves.pearson(new double[]{1, 2}, new double[]{1}));
    }
}
