package io.github.randomgradient.report.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Robustness}: shares by hand, McNemar's exact test against {@code scipy.stats.binomtest} (scipy 1.17). */
public class RobustnessTest {

    private static List<Robustness.Pair> pairs(int both, int onlyCandidate, int onlyReference, int neither) {
        List<Robustness.Pair> out = new ArrayList<>();
        int seed = 0;
        for (int[] kind : new int[][]{{both, 1, 1}, {onlyCandidate, 1, 0}, {onlyReference, 0, 1}, {neither, 0, 0}}) {
            for (int i = 0; i < kind[0]; i++) {
                out.add(new Robustness.Pair("cell" + (seed / 5), seed % 5, kind[1] == 1, kind[2] == 1));
                seed++;
            }
        }
        return out;
    }

    @Test
    public void sharesAndMcNemarsExactTest() {
        // 40 pairs: 30 both healthy, 7 only RG, 0 only the baseline, 3 both failed. RG 37/40, baseline 30/40;
        // binomtest(7, 7).pvalue = 0.015625.
        Robustness.Result r = Robustness.compare(pairs(30, 7, 0, 3));
        assertEquals(40, r.pairs());
        assertEquals(0.925, r.candidateShare(), 1e-15);
        assertEquals(0.75, r.referenceShare(), 1e-15);
        assertEquals(0.175, r.difference(), 1e-15);
        assertEquals(7, r.test().favourable());
        assertEquals(0, r.test().unfavourable());
        assertEquals(33, r.test().ties());
        assertEquals(0.015625, r.test().pValue(), 1e-15);
        // binomtest(2, 3).pvalue = 1.0
        assertEquals(1.0, Robustness.compare(pairs(10, 2, 1, 0)).test().pValue(), 0.0);
        // No discordant pair: no test.
        assertTrue(Double.isNaN(Robustness.compare(pairs(10, 0, 0, 2)).test().pValue()));
        assertTrue(Double.isNaN(Robustness.compare(List.of()).candidateShare()));
    }
}
