package io.github.randomgradient.report.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link NoncentralT} against {@code scipy.stats.nct.cdf(t, df, nc)} (scipy 1.17), to 1e-10.
 */
public class NoncentralTTest {

    @Test
    public void cdfMatchesScipy() {
        // python3 -c "from scipy import stats; print(repr(stats.nct.cdf(t, df, nc)))" for each row.
        double[][] cases = {
                {1.5, 4, 1.0, 0.6403408655900471},
                {2.0, 9, 3.0, 0.16933610474273464},
                {-1.0, 5, 0.5, 0.08244409105672337},
                {0.0, 3, -1.0, 0.8413447460685429},
                {3.0, 29, 2.5, 0.6702610052508475},
                {-2.5, 12, -2.0, 0.3454534773840339},
                {1.0, 1000, 1.2, 0.4206620923952224},
                {10.0, 3, 8.0, 0.5885978669729135},
        };
        for (double[] c : cases) {
            assertEquals(c[3], NoncentralT.cdf(c[0], c[1], c[2]), 1e-10, "t=" + c[0] + " df=" + c[1] + " nc=" + c[2]);
        }
    }

    @Test
    public void hugeNoncentralitiesAreIntegratedAndMatchScipy() {
        // |nc| > 37.6, where the series' first weight underflows: nct.cdf(100, 3, 40) = 0.9231637297652701,
        // (60, 10, 45) 0.8449926597914428, (700, 1, 690) 0.3242738309470443, (-30, 5, -40) 0.8852998740398289,
        // (0.5, 2, -50) 1.0.
        assertEquals(0.9231637297652701, NoncentralT.cdf(100, 3, 40), 1e-9);
        assertEquals(0.8449926597914428, NoncentralT.cdf(60, 10, 45), 1e-9);
        assertEquals(0.3242738309470443, NoncentralT.cdf(700, 1, 690), 1e-9);
        assertEquals(0.8852998740398289, NoncentralT.cdf(-30, 5, -40), 1e-9);
        assertEquals(1.0, NoncentralT.cdf(0.5, 2, -50), 1e-12);
    }

    @Test
    public void zeroNoncentralityIsStudentsT() {
        // nct.cdf(0.5, 2, 0) = t.cdf(0.5, 2) = 0.6666666666666666 (= 1/2 + t / (2 sqrt(t^2 + 2)) for 2 df).
        assertEquals(0.6666666666666666, NoncentralT.cdf(0.5, 2, 0.0), 1e-12);
        assertEquals(new TDistribution(7).cumulativeProbability(-1.3), NoncentralT.cdf(-1.3, 7, 0.0), 1e-14);
    }

    @Test
    public void atZeroTheCdfIsTheNormalsAndTheTailsAreComplete() {
        // P(T <= 0) = P(Z + nc <= 0) = Phi(-nc) whatever the degrees of freedom.
        assertEquals(0.15865525393145707, NoncentralT.cdf(0.0, 11, 1.0), 1e-14);
        assertEquals(0.0, NoncentralT.cdf(Double.NEGATIVE_INFINITY, 3, 1), 0.0);
        assertEquals(1.0, NoncentralT.cdf(Double.POSITIVE_INFINITY, 3, 1), 0.0);
        // Very many degrees of freedom: the normal approximation, T ~ N(nc, 1): Phi(1.0 - 1.2) = 0.42074.
        assertEquals(0.42074029056089696, NoncentralT.cdf(1.0, 1e6, 1.2), 1e-6);
    }

    @Test
    public void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NoncentralT.cdf(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> NoncentralT.cdf(Double.NaN, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> NoncentralT.cdf(1, 3, Double.POSITIVE_INFINITY));
    }
}
