package io.github.randomgradient.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Statistics}: medians and ranges of counts, the centred moving average and the deviation of
 * the per-step loss from it, against values worked out by hand.
 */
public class StatisticsTest {

    @Test
    public void countsAreSummarisedByMedianAndRange() {
        Statistics.MedianRange r = Statistics.medianRange(new double[]{3, 1, Double.NaN, 2, 9});
        assertEquals(4, r.n());
        assertEquals(2.5, r.median(), 0.0);
        assertEquals(1.0, r.min(), 0.0);
        assertEquals(9.0, r.max(), 0.0);
        assertEquals(2.0, Statistics.medianRange(new double[]{2, 2, 2}).median(), 0.0);
        assertTrue(Double.isNaN(Statistics.medianRange(new double[0]).median()));
    }

    @Test
    public void movingAverageIsCentredAndShiftsAtTheEnds() {
        // Window 3: (1+2+3)/3 at both first positions, then (2+3+10)/3 at the last two.
        assertArrayEquals(new double[]{2, 2, 5, 5}, Statistics.movingAverage(new float[]{1, 2, 3, 10}, 3), 1e-12);
        // Window 1 is the series itself.
        assertArrayEquals(new double[]{1, 2, 3}, Statistics.movingAverage(new float[]{1, 2, 3}, 1), 0.0);
    }

    @Test
    public void deviationFromTheMovingAverageMeasuresOscillationNotTrend() {
        float[] flat = new float[100];
        float[] line = new float[100];
        java.util.Arrays.fill(flat, 0.5f);
        for (int i = 0; i < line.length; i++) {
            line[i] = i;
        }
        assertEquals(0.0, Statistics.deviationFromMovingAverage(flat), 0.0);
        // A straight line equals its centred average except in the first and last 12 steps.
        double trend = Statistics.deviationFromMovingAverage(line);
        float[] zigzag = new float[100];
        for (int i = 0; i < zigzag.length; i++) {
            zigzag[i] = i + (i % 2 == 0 ? 5f : -5f);
        }
        // Adding ±5 alternation raises the deviation by about 5 (the residual of an alternating series).
        double oscillating = Statistics.deviationFromMovingAverage(zigzag);
        assertTrue(oscillating > 4.5 && oscillating > trend + 2, "trend " + trend + ", oscillating " + oscillating);
        assertTrue(Double.isNaN(Statistics.deviationFromMovingAverage(new float[]{1f})));
    }

    @Test
    public void intervalsOfBoundedMeasuresStayInTheirRange() {
        // The accuracy interval [0.17, 1.15]: 0.66 ± 0.197 over 3 seeds; t_{0.975, 2} = 0.95 √(2 / (1 − 0.95²)),
        // half-width t × 0.197 / √3 = 0.4894.
        double[] accuracy = {0.463, 0.660, 0.857};
        double half = 0.95 * Math.sqrt(2 / (1 - 0.95 * 0.95)) * 0.197 / Math.sqrt(3);
        Statistics.Summary free = Statistics.summarise(accuracy);
        assertEquals(0.66 + half, free.ciHigh(), 1e-9);   // commons-math3 inverts the t CDF to 1e-9
        assertTrue(free.ciHigh() > 1.149 && !free.ciCut());
        Statistics.Summary bounded = Statistics.summarise(accuracy, 0, 1);
        assertEquals(0.66 - half, bounded.ciLow(), 1e-9);   // commons-math3 inverts the t CDF to 1e-9
        assertEquals(1.0, bounded.ciHigh(), 0.0);
        assertTrue(bounded.ciCut());
        assertEquals("0.6600 ± 0.1970 [0.1706, 1.0000, cut to the range]", bounded.format(4));
        assertEquals("0.6600 ± 0.1970 [0.1706, 1.0000, cut to the range]", ReportFormat.summary(bounded, 4));
        // A loss is at least 0: {0.01, 0.02, 0.3} has a t-interval reaching below 0.
        Statistics.Summary loss = Statistics.summarise(new double[]{0.01, 0.02, 0.3}, 0, Double.POSITIVE_INFINITY);
        assertEquals(0.0, loss.ciLow(), 0.0);
        assertTrue(loss.ciCut() && loss.ciHigh() > 0.5);
        // Inside the range nothing moves.
        Statistics.Summary inside = Statistics.summarise(new double[]{0.80, 0.81, 0.82}, 0, 1);
        assertFalse(inside.ciCut());
        assertEquals(Statistics.summarise(new double[]{0.80, 0.81, 0.82}).ciHigh(), inside.ciHigh(), 0.0);
    }
}
