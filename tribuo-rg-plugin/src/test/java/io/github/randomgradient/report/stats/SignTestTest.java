package io.github.randomgradient.report.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SignTest} against {@code scipy.stats.binomtest(k, n, 0.5)} (scipy 1.17), its power worked by hand and
 * its Clopper–Pearson interval against {@code binomtest(k, n).proportion_ci(method='exact')}.
 */
public class SignTestTest {

    @Test
    public void pValuesMatchBinomtest() {
        // binomtest(1, 6).pvalue = 0.21875; (0, 6) 0.03125; (2, 10) 0.109375; (8, 10) 0.109375; (5, 10) 1.0;
        // (3, 3) 0.25; (0, 1) 1.0; (8, 9) 0.0390625.
        assertEquals(0.21875, SignTest.test(1, 5, 0).pValue(), 1e-15);
        assertEquals(0.03125, SignTest.test(0, 6, 2).pValue(), 1e-15);
        assertEquals(0.109375, SignTest.test(2, 8, 0).pValue(), 1e-15);
        assertEquals(0.109375, SignTest.test(8, 2, 0).pValue(), 1e-15);
        assertEquals(1.0, SignTest.test(5, 5, 0).pValue(), 0.0);
        assertEquals(0.25, SignTest.test(3, 0, 0).pValue(), 1e-15);
        assertEquals(1.0, SignTest.test(0, 1, 0).pValue(), 0.0);
        assertEquals(0.0390625, SignTest.test(8, 1, 4).pValue(), 1e-15);
        SignTest.Result none = SignTest.test(0, 0, 7);
        assertTrue(Double.isNaN(none.pValue()));
        assertEquals(7, none.ties());
        assertTrue(Double.isNaN(none.share()));
    }

    @Test
    public void powerAndDetectableShareWorkedByHand() {
        // n = 6, alpha 0.05: only 0 or 6 wins is significant (2/64 = 0.03125; 1 win gives 14/64 = 0.219), so the
        // power at share p is p^6 + (1 - p)^6; brentq(lambda p: p**6 + (1-p)**6 - 0.8, 0.5, 1) = 0.9634924835237694.
        assertEquals(Math.pow(0.9, 6) + Math.pow(0.1, 6), SignTest.power(6, 0.9, 0.05), 1e-14);
        assertEquals(0.9634924835237694, SignTest.detectableShare(6, 0.05, 0.8), 1e-9);
        // n = 9 and 10 reject at min(k, n - k) <= 1; scipy: 0.9073732089708799 and 0.9167400629683015 (the
        // sign test's discreteness: one more pair can make the detectable share larger).
        assertEquals(0.9073732089708799, SignTest.detectableShare(9, 0.05, 0.8), 1e-9);
        assertEquals(0.9167400629683015, SignTest.detectableShare(10, 0.05, 0.8), 1e-9);
        // 5 pairs: the smallest p is 2/32 = 0.0625 > 0.05: nothing is detectable.
        assertEquals(0.0, SignTest.power(5, 1.0, 0.05), 0.0);
        assertTrue(Double.isNaN(SignTest.detectableShare(5, 0.05, 0.8)));
    }

    @Test
    public void clopperPearsonMatchesScipy() {
        // binomtest(7, 9).proportion_ci(0.95, 'exact') = (0.3999064262836879, 0.9718550265221126);
        // binomtest(0, 5) -> (0.0, 0.5218237501049814).
        double[] a = SignTest.shareInterval(7, 9, 0.95);
        assertEquals(0.3999064262836879, a[0], 1e-9);
        assertEquals(0.9718550265221126, a[1], 1e-9);
        double[] b = SignTest.shareInterval(0, 5, 0.95);
        assertEquals(0.0, b[0], 0.0);
        assertEquals(0.5218237501049814, b[1], 1e-9);
    }
}
