package io.github.randomgradient.report.stats;

import io.github.randomgradient.report.stats.ExpectedMaximum.Configuration;
import io.github.randomgradient.report.stats.ExpectedMaximum.Point;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ExpectedMaximum}: a worked example with every subset listed, ties, and all subsets enumerated. */
public class ExpectedMaximumTest {

    @Test
    public void aWorkedExampleEverySubsetListed() {
        // A (val .70, test .68), B (.80, .77), C (.75, .76), D (.90, .85).
        Point[] p = ExpectedMaximum.curve(new Configuration[]{new Configuration(0.70, 0.68), new Configuration(0.80, 0.77),
                new Configuration(0.75, 0.76), new Configuration(0.90, 0.85)});
        assertEquals(4, p.length);
        // n = 1: the means, 3.15 / 4 and 3.06 / 4.
        assertEquals(0.7875, p[0].expectedBestValidation(), 1e-12);
        assertEquals(0.765, p[0].expectedTestOfChoice(), 1e-12);
        // n = 2: AB->B (.80, .77), AC->C (.75, .76), AD->D (.90, .85), BC->B, BD->D, CD->D:
        // validation (.80 + .75 + .90 + .80 + .90 + .90) / 6 = 5.05 / 6, test (.77 + .76 + .85 + .77 + .85 + .85) / 6 = 4.85 / 6.
        assertEquals(5.05 / 6, p[1].expectedBestValidation(), 1e-12);
        assertEquals(4.85 / 6, p[1].expectedTestOfChoice(), 1e-12);
        // n = 3: ABC->B, ABD->D, ACD->D, BCD->D: (.80 + 3 * .90) / 4 = 0.875, (.77 + 3 * .85) / 4 = 0.83.
        assertEquals(0.875, p[2].expectedBestValidation(), 1e-12);
        assertEquals(0.83, p[2].expectedTestOfChoice(), 1e-12);
        // n = 4: the grid's best.
        assertEquals(0.90, p[3].expectedBestValidation(), 1e-12);
        assertEquals(0.85, p[3].expectedTestOfChoice(), 1e-12);
        assertEquals(3, p[2].budget());
    }

    @Test
    public void tiedValidationValuesAreChosenAmongUniformly() {
        // val [.8, .8, .7], test [.9, .6, .5]. n = 2: {0,1} tie -> test (.9 + .6) / 2 = .75; {0,2} -> .9; {1,2} -> .6:
        // E[test] = (.75 + .9 + .6) / 3 = 0.75, E[best val] = 0.8.
        Point[] p = ExpectedMaximum.curve(new Configuration[]{new Configuration(0.8, 0.9), new Configuration(0.8, 0.6),
                new Configuration(0.7, 0.5)});
        assertEquals(0.8, p[1].expectedBestValidation(), 1e-12);
        assertEquals(0.75, p[1].expectedTestOfChoice(), 1e-12);
        assertEquals(0.75, p[2].expectedTestOfChoice(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ExpectedMaximum.curve(new Configuration[0]));
        assertThrows(IllegalArgumentException.class, () -> ExpectedMaximum.curve(new Configuration[]{new Configuration(Double.NaN, 0)}));
    }

    @Test
    public void largeGridsDoNotOverflow() {
        // C(2000, 1000) overflows a double; the weights must still sum to 1: a constant grid's expected best is its value,
        // and with values 1..N the expected best of n is n (N + 1) / (n + 1) (the mean of the largest of n draws
        // without replacement from 1..N).
        int total = 2000;
        Configuration[] c = new Configuration[total];
        Configuration[] ranks = new Configuration[total];
        for (int i = 0; i < total; i++) {
            c[i] = new Configuration(0.5, 0.25);
            ranks[i] = new Configuration(i + 1, Double.NaN);
        }
        Point[] p = ExpectedMaximum.curve(c);
        Point[] r = ExpectedMaximum.curve(ranks);
        for (int n : new int[]{1, 2, 1000, 1999, 2000}) {
            assertEquals(0.5, p[n - 1].expectedBestValidation(), 1e-12, "n=" + n);
            assertEquals(0.25, p[n - 1].expectedTestOfChoice(), 1e-12, "n=" + n);
            assertEquals(n * (total + 1.0) / (n + 1), r[n - 1].expectedBestValidation(), 1e-9, "n=" + n);
        }
    }

    @Test
    public void everySubsetEnumerated() {
        // 9 configurations with values on a coarse lattice (ties likely); all 2^9 - 1 subsets, ties chosen among uniformly.
        Random random = new Random(7);
        int total = 9;
        Configuration[] c = new Configuration[total];
        for (int i = 0; i < total; i++) {
            c[i] = new Configuration(random.nextInt(5) / 10.0, random.nextInt(100) / 100.0);
        }
        double[] sumVal = new double[total + 1];
        double[] sumTest = new double[total + 1];
        int[] count = new int[total + 1];
        for (int mask = 1; mask < (1 << total); mask++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < total; i++) {
                if ((mask & (1 << i)) != 0) {
                    best = Math.max(best, c[i].validation());
                }
            }
            double test = 0;
            int tied = 0;
            for (int i = 0; i < total; i++) {
                if ((mask & (1 << i)) != 0 && c[i].validation() == best) {
                    test += c[i].test();
                    tied++;
                }
            }
            int n = Integer.bitCount(mask);
            sumVal[n] += best;
            sumTest[n] += test / tied;
            count[n]++;
        }
        Point[] p = ExpectedMaximum.curve(c);
        for (int n = 1; n <= total; n++) {
            assertEquals(sumVal[n] / count[n], p[n - 1].expectedBestValidation(), 1e-12, "n=" + n);
            assertEquals(sumTest[n] / count[n], p[n - 1].expectedTestOfChoice(), 1e-12, "n=" + n);
        }
    }
}
