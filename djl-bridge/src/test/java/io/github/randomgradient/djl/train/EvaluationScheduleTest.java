package io.github.randomgradient.djl.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Where the held-out data is evaluated within an epoch of S mini-batches at k evaluations per epoch:
 * after every ceil(S/k)-th mini-batch and after the last.
 */
public class EvaluationScheduleTest {

    private static List<Integer> after(int steps, int perEpoch) {
        List<Integer> out = new ArrayList<>();
        for (int done = 1; done <= steps; done++) {
            if (TrainingLoop.evaluatesAfter(done, steps, perEpoch)) {
                out.add(done);
            }
        }
        return out;
    }

    @Test
    public void evenEpochsAreCutIntoEqualParts() {
        assertEquals(List.of(3, 6, 9, 12), after(12, 4));
        assertEquals(List.of(12), after(12, 1));
        assertEquals(List.of(6, 12), after(12, 2));
    }

    @Test
    public void unevenEpochsEndWithAnEvaluationAndNeverExceedK() {
        // ceil(10/4) = 3: after 3, 6, 9 and the epoch's last mini-batch.
        assertEquals(List.of(3, 6, 9, 10), after(10, 4));
        // ceil(7/4) = 2: 2, 4, 6, 7.
        assertEquals(List.of(2, 4, 6, 7), after(7, 4));
        // ceil(6/4) = 2: only 3 evaluations fit.
        assertEquals(List.of(2, 4, 6), after(6, 4));
        // ceil(5/3) = 2.
        assertEquals(List.of(2, 4, 5), after(5, 3));
        for (int s = 1; s <= 40; s++) {
            for (int k = 1; k <= 45; k++) {
                List<Integer> points = after(s, k);
                assertEquals(s, points.get(points.size() - 1), "S=" + s + ", k=" + k + ": the last point ends the epoch");
                if (k >= s) {
                    assertEquals(s, points.size(), "S=" + s + ", k=" + k + ": after every mini-batch");
                }
                if (points.size() > k) {
                    throw new AssertionError("S=" + s + ", k=" + k + ": " + points.size() + " points " + points);
                }
            }
        }
    }

    @Test
    public void moreEvaluationsThanMiniBatchesEvaluateAfterEveryMiniBatch() {
        assertEquals(List.of(1, 2, 3), after(3, 5));
        assertEquals(List.of(1, 2, 3), after(3, 3));
        assertEquals(List.of(1), after(1, 4));
    }

    @Test
    public void countsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TrainingLoop.evaluatesAfter(0, 10, 4));
        assertThrows(IllegalArgumentException.class, () -> TrainingLoop.evaluatesAfter(11, 10, 4));
        assertThrows(IllegalArgumentException.class, () -> TrainingLoop.evaluatesAfter(1, 10, 0));
    }
}
