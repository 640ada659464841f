package io.github.randomgradient.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
