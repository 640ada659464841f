package io.github.randomgradient.report.stats;

import io.github.randomgradient.report.stats.TimeToTarget.Time;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TimeToTarget}: reaching, the paired Gehan-scored sign test and the Kaplan–Meier median, worked by hand. */
public class TimeToTargetTest {

    @Test
    public void aCurveReachesAtItsFirstEvaluationAtOrBeyondTheTarget() {
        double[] steps = {100, 200, 300};
        assertEquals(Time.reached(300), TimeToTarget.of(steps, new double[]{0.5, 0.79, 0.80}, 0.80, true));
        assertEquals(Time.reached(200), TimeToTarget.of(steps, new double[]{0.5, 0.81, 0.70}, 0.80, true));
        // Never reached: censored at the last evaluation, not a number of steps.
        assertEquals(Time.censored(300), TimeToTarget.of(steps, new double[]{0.5, 0.6, 0.7}, 0.80, true));
        // A diverged run's NaN never reaches.
        assertEquals(Time.censored(300), TimeToTarget.of(steps, new double[]{0.5, Double.NaN, Double.NaN}, 0.80, true));
        // A loss reaches from above.
        assertEquals(Time.reached(200), TimeToTarget.of(steps, new double[]{0.9, 0.4, 0.3}, 0.45, false));
        assertEquals(0.784, TimeToTarget.target(0.98, 0.8), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> TimeToTarget.of(new double[]{1, 1}, new double[]{0, 0}, 1, true));
        assertThrows(IllegalArgumentException.class, () -> TimeToTarget.of(new double[]{1}, new double[]{0, 0}, 1, true));
        assertThrows(IllegalArgumentException.class, () -> Time.censored(Double.POSITIVE_INFINITY));
    }

    @Test
    public void pairsAreScoredAsGehanScoresThem() {
        List<Time> rg = List.of(Time.reached(100), Time.reached(300), Time.reached(100), Time.censored(400),
                Time.reached(300), Time.censored(400), Time.reached(300), Time.reached(100));
        List<Time> base = List.of(Time.reached(200), Time.reached(200), Time.reached(100), Time.censored(400),
                Time.censored(400), Time.reached(50), Time.censored(100), Time.censored(100));
        TimeToTarget.Comparison c = TimeToTarget.compare(rg, base);
        // 1: 100 < 200 win; 2: loss; 3: tie; 4: both censored; 5: reached 300, base still short at 400: win;
        // 6: base reached 50, rg short at 400: loss; 7: base stopped at 100 (diverged), rg reached at 300: unknown;
        // 8: rg reached at 100, base still short at 100: win.
        assertEquals(3, c.candidateFirst());
        assertEquals(2, c.referenceFirst());
        assertEquals(1, c.tied());
        assertEquals(1, c.bothCensored());
        assertEquals(1, c.unknown());
        assertEquals(3, c.test().ties());
        // binomtest(3, 5).pvalue = 1.0
        assertEquals(1.0, c.test().pValue(), 0.0);
        // Swapping the arms swaps the counts.
        TimeToTarget.Comparison swapped = TimeToTarget.compare(base, rg);
        assertEquals(2, swapped.candidateFirst());
        assertEquals(3, swapped.referenceFirst());
        assertThrows(IllegalArgumentException.class, () -> TimeToTarget.compare(rg, base.subList(0, 2)));
    }

    @Test
    public void theKaplanMeierMedianAccountsForCensoring() {
        // Reached at 2, 4, 6; censored at 4 and 8. S(2) = 4/5 = 0.8; S(4) = 0.8 * 3/4 = 0.6 (the run censored at 4
        // is at risk at 4); then 2 at risk: S(6) = 0.6 * 1/2 = 0.3 <= 1/2: median 6 (the median of the reached
        // times alone, 4, would ignore the censored runs).
        TimeToTarget.Median m = TimeToTarget.kaplanMeierMedian(List.of(Time.reached(2), Time.reached(4), Time.censored(4),
                Time.reached(6), Time.censored(8)));
        assertTrue(m.reached());
        assertEquals(6.0, m.median(), 0.0);
        assertEquals(5, m.runs());
        assertEquals(2, m.censored());
        // No censoring: 1, 2, 3, 4 -> S(2) = 0.5 exactly: the smallest time with S <= 1/2 is 2.
        assertEquals(2.0, TimeToTarget.kaplanMeierMedian(List.of(Time.reached(3), Time.reached(1), Time.reached(4),
                Time.reached(2))).median(), 0.0);
        // One of four reached: S stays at 3/4: the median is not reached, and says so.
        TimeToTarget.Median none = TimeToTarget.kaplanMeierMedian(List.of(Time.reached(1), Time.censored(2), Time.censored(3),
                Time.censored(4)));
        assertFalse(none.reached());
        assertTrue(Double.isNaN(none.median()));
        // A censoring tied with an event: the censored run was still at risk then. Reached at 1 and 2, censored at 1:
        // S(1) = 1 - 1/3 = 2/3 (not 1 - 1/2 = 1/2, which counting the censored run out first would give), S(2) = 0:
        // median 2.
        assertEquals(2.0, TimeToTarget.kaplanMeierMedian(List.of(Time.censored(1), Time.reached(1), Time.reached(2)))
                .median(), 0.0);
        assertFalse(TimeToTarget.kaplanMeierMedian(List.of()).reached());
        assertFalse(TimeToTarget.kaplanMeierMedian(List.of(Time.censored(5), Time.censored(5))).reached());
    }
}
