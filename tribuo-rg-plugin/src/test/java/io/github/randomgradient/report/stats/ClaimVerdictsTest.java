package io.github.randomgradient.report.stats;

import io.github.randomgradient.report.PairedDifferences;
import io.github.randomgradient.report.stats.ClaimVerdicts.Claim;
import io.github.randomgradient.report.stats.ClaimVerdicts.Design;
import io.github.randomgradient.report.stats.ClaimVerdicts.Outcome;
import io.github.randomgradient.report.stats.ClaimVerdicts.Row;
import io.github.randomgradient.report.stats.TimeToTarget.Time;
import org.apache.commons.math3.fraction.BigFraction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClaimVerdicts} on constructed runs, one case per outcome and claim. Reference values from scipy 1.17:
 * for differences {@code d} (counts of 1000 test examples),
 * {@code stats.ttest_1samp(d, 0).pvalue}, the interval {@code d.mean() ± stats.t.ppf(1 - a/2, n-1) * se}, and for
 * non-inferiority at margin 0.005 {@code stats.t.sf((d.mean() + 0.005) / se, n - 1)} (=
 * {@code ttest_1samp(d, -0.005, alternative='greater')}) and {@code stats.t.cdf(...)}; MDEs as in
 * {@link PowerAnalysisTest}; sign tests as in {@link SignTestTest}.
 */
public class ClaimVerdictsTest {

    private static final Design ONE = Design.of(1);

    /** Accuracies 0.5 + d / 1000 against 0.5, as exact counts of 1000 examples. */
    private static PairedDifferences counts(int... d) {
        BigFraction[] a = new BigFraction[d.length];
        BigFraction[] b = new BigFraction[d.length];
        for (int i = 0; i < d.length; i++) {
            a[i] = new BigFraction(500 + d[i], 1000);
            b[i] = new BigFraction(500, 1000);
        }
        return PairedDifferences.of(a, b);
    }

    private static Row accuracy(PairedDifferences d, Design design) {
        return ClaimVerdicts.superiority(Claim.HIGHER_ACCURACY, "rg vs baseline", "test accuracy", d, true, design);
    }

    @Test
    public void higherAccuracyInEachOutcome() {
        // d = [12, 15, 10, 14, 11, 13] / 1000: mean 0.0125, p = 1.5535637901235685e-05,
        // 95% interval [0.010536685693019675, 0.014463314306980323], MDE 0.002683787540189743.
        Row up = accuracy(counts(12, 15, 10, 14, 11, 13), ONE);
        assertEquals(Outcome.SUPPORTED, up.outcome());
        assertEquals(6, up.n());
        assertEquals(0.0125, up.estimate(), 1e-15);
        assertEquals(1.5535637901235685e-05, up.pValue(), 1e-12);
        assertEquals(0.010536685693019675, up.low(), 1e-12);
        assertEquals(0.014463314306980323, up.high(), 1e-12);
        assertEquals(0.002683787540189743, up.detectable(), 1e-9);
        assertEquals(-1, up.pairsNeeded());
        // The same differences negated: significantly worse, contradicted.
        Row down = accuracy(counts(-12, -15, -10, -14, -11, -13), ONE);
        assertEquals(Outcome.CONTRADICTED, down.outcome());
        assertEquals(1.5535637901235685e-05, down.pValue(), 1e-12);
        // d = [5, -3, 2, -4, 1, 0] / 1000: p = 0.906688823753845, interval [-0.0033086399787551984, 0.0036419733120885314],
        // detectable 0.004750632458675038: not shown, with what could have been shown.
        Row tie = accuracy(counts(5, -3, 2, -4, 1, 0), ONE);
        assertEquals(Outcome.NOT_SHOWN, tie.outcome());
        assertEquals(0.906688823753845, tie.pValue(), 1e-12);
        assertEquals(-0.0033086399787551984, tie.low(), 1e-12);
        assertEquals(0.0036419733120885314, tie.high(), 1e-12);
        assertEquals(0.004750632458675038, tie.detectable(), 1e-9);
        // Two tests in the family: interval and MDE at alpha / 2 (t.ppf(1 - 0.0125, 5): low 0.010083927509084642,
        // MDE 0.003190234134778238).
        Row two = accuracy(counts(12, 15, 10, 14, 11, 13), Design.of(2));
        assertEquals(0.010083927509084642, two.low(), 1e-12);
        assertEquals(0.003190234134778238, two.detectable(), 1e-9);
    }

    @Test
    public void lessOscillationIsOrientedSoThatLowerIsBetter() {
        // RG's oscillation lower in every seed by about 0.0125 loss units: supported; higher: contradicted.
        PairedDifferences lower = counts(-12, -15, -10, -14, -11, -13);
        Row row = ClaimVerdicts.superiority(Claim.LESS_OSCILLATION, "rg vs baseline", "validation-loss oscillation",
                lower, false, ONE);
        assertEquals(Outcome.SUPPORTED, row.outcome());
        assertTrue(row.favourable());
        assertEquals(-0.0125, row.estimate(), 1e-15);
        assertEquals(Outcome.CONTRADICTED, ClaimVerdicts.superiority(Claim.LESS_OSCILLATION, "rg vs baseline", "oscillation",
                counts(12, 15, 10, 14, 11, 13), false, ONE).outcome());
    }

    @Test
    public void nonInferiorityCanBeShownOrContradicted() {
        double margin = 0.005;
        // d = [1, -1, 2, 0, 1, -2] / 1000: P(T >= t) = 0.0001755301494999016: supported; one-sided 95% bounds
        // [-0.0010442267054320865, 0.00137756003876542]; one-sided MDE 0.0017454364759778023; 3 pairs for the margin.
        Row shown = ClaimVerdicts.nonInferiority("rg vs baseline", "test accuracy", counts(1, -1, 2, 0, 1, -2), true, margin, ONE);
        assertEquals(Outcome.SUPPORTED, shown.outcome());
        assertEquals(0.0001755301494999016, shown.pValue(), 1e-12);
        assertEquals(-0.0010442267054320865, shown.low(), 1e-12);
        assertEquals(0.00137756003876542, shown.high(), 1e-12);
        assertEquals(0.0017454364759778023, shown.detectable(), 1e-9);
        assertEquals(3, shown.pairsNeeded());
        // d = [-12, -10, -14, -11, -13, -12] / 1000: P(T <= t) = 3.371601837428963e-05: the upper bound
        // -0.01083661127922606 is below -0.005: worse than the margin, contradicted.
        Row worse = ClaimVerdicts.nonInferiority("rg vs baseline", "test accuracy", counts(-12, -10, -14, -11, -13, -12), true,
                margin, ONE);
        assertEquals(Outcome.CONTRADICTED, worse.outcome());
        assertEquals(3.371601837428963e-05, worse.pValue(), 1e-12);
        assertEquals(-0.01083661127922606, worse.high(), 1e-12);
        // d = [10, -15, 5, -20, 8, -12] / 1000: P(T >= t) = 0.4296713035961768: not shown; the margin would need
        // 45 pairs (power(44, .005 / s, .05, 1) < 0.8 <= power(45, ...)); one-sided MDE 0.015569570321098949.
        Row noisy = ClaimVerdicts.nonInferiority("rg vs baseline", "test accuracy", counts(10, -15, 5, -20, 8, -12), true,
                margin, ONE);
        assertEquals(Outcome.NOT_SHOWN, noisy.outcome());
        assertEquals(0.4296713035961768, noisy.pValue(), 1e-12);
        assertEquals(45, noisy.pairsNeeded());
        assertEquals(0.015569570321098949, noisy.detectable(), 1e-9);
        // For a loss (lower is better) the same numbers with the sign flipped give the same verdict.
        Row loss = ClaimVerdicts.nonInferiority("rg vs baseline", "test loss", counts(-1, 1, -2, 0, -1, 2), false, margin, ONE);
        assertEquals(Outcome.SUPPORTED, loss.outcome());
        assertEquals(0.0001755301494999016, loss.pValue(), 1e-12);
    }

    private static TimeToTarget.Comparison race(int rgFirst, int baselineFirst, int bothCensored) {
        List<Time> rg = new ArrayList<>();
        List<Time> base = new ArrayList<>();
        for (int i = 0; i < rgFirst; i++) {
            rg.add(Time.reached(100));
            base.add(Time.censored(400));
        }
        for (int i = 0; i < baselineFirst; i++) {
            rg.add(Time.reached(300));
            base.add(Time.reached(200));
        }
        for (int i = 0; i < bothCensored; i++) {
            rg.add(Time.censored(400));
            base.add(Time.censored(400));
        }
        return TimeToTarget.compare(rg, base);
    }

    @Test
    public void fasterWithCensoredRuns() {
        // 8 of 9 informative pairs reached first by RG (one pair both censored): binomtest(8, 9) = 0.0390625; share 8/9,
        // Clopper-Pearson [0.5175034850830056, 0.9971908632534002]; detectable share with 9 pairs 0.9073732089708799.
        Row first = ClaimVerdicts.faster("rg vs baseline", "steps to 98% of the baseline's validation accuracy", race(8, 1, 1), ONE);
        assertEquals(Outcome.SUPPORTED, first.outcome());
        assertEquals(9, first.n());
        assertEquals(8.0 / 9, first.estimate(), 1e-15);
        assertEquals(0.0390625, first.pValue(), 1e-15);
        assertEquals(0.5175034850830056, first.low(), 1e-9);
        assertEquals(0.9971908632534002, first.high(), 1e-9);
        assertEquals(0.9073732089708799, first.detectable(), 1e-9);
        assertEquals(Outcome.CONTRADICTED, ClaimVerdicts.faster("rg vs baseline", "steps", race(1, 8, 0), ONE).outcome());
        assertEquals(Outcome.NOT_SHOWN, ClaimVerdicts.faster("rg vs baseline", "steps", race(4, 1, 0), ONE).outcome());
        Row none = ClaimVerdicts.faster("rg vs baseline", "steps", race(0, 0, 5), ONE);
        assertEquals(Outcome.NOT_SHOWN, none.outcome());
        assertTrue(Double.isNaN(none.pValue()));
        assertTrue(none.reason().contains("5 both censored"), none.reason());
    }

    private static Robustness.Result grid(int onlyRg, int onlyBaseline) {
        List<Robustness.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            pairs.add(new Robustness.Pair("c" + i, 1, true, true));
        }
        for (int i = 0; i < onlyRg; i++) {
            pairs.add(new Robustness.Pair("lr0.1", i, true, false));
        }
        for (int i = 0; i < onlyBaseline; i++) {
            pairs.add(new Robustness.Pair("lr0.001", i, false, true));
        }
        return Robustness.compare(pairs);
    }

    @Test
    public void robustnessInEachOutcome() {
        // 7 discordant pairs, all RG's: binomtest(7, 7) = 0.015625; detectable share with 7 pairs 0.9686250859218207;
        // Clopper-Pearson [0.5903836027749514, 1].
        Row rg = ClaimVerdicts.moreRobust("rg vs baseline", "healthy runs over the grid", grid(7, 0), ONE);
        assertEquals(Outcome.SUPPORTED, rg.outcome());
        assertEquals(0.015625, rg.pValue(), 1e-15);
        assertEquals(0.9686250859218207, rg.detectable(), 1e-9);
        assertEquals(0.5903836027749514, rg.low(), 1e-9);
        assertEquals(1.0, rg.high(), 0.0);
        assertEquals(Outcome.CONTRADICTED, ClaimVerdicts.moreRobust("rg vs baseline", "healthy", grid(0, 7), ONE).outcome());
        assertEquals(Outcome.NOT_SHOWN, ClaimVerdicts.moreRobust("rg vs baseline", "healthy", grid(2, 1), ONE).outcome());
        Row none = ClaimVerdicts.moreRobust("rg vs baseline", "healthy", grid(0, 0), ONE);
        assertEquals(Outcome.NOT_SHOWN, none.outcome());
        assertTrue(none.reason().contains("no discordant pair"), none.reason());
    }

    @Test
    public void degenerateDifferencesGiveNoVerdictEitherWay() {
        // Every difference exactly +2 / 1000: no seed-to-seed variation, no test (even though all favour RG).
        Row constant = accuracy(counts(2, 2, 2), ONE);
        assertEquals(Outcome.NOT_SHOWN, constant.outcome());
        assertTrue(Double.isNaN(constant.pValue()));
        assertTrue(constant.reason().contains("do not vary"), constant.reason());
        Row one = ClaimVerdicts.nonInferiority("rg vs baseline", "test accuracy", counts(3), true, 0.005, ONE);
        assertEquals(Outcome.NOT_SHOWN, one.outcome());
        assertEquals(Double.POSITIVE_INFINITY, one.detectable(), 0.0);
        assertTrue(one.reason().contains("fewer than 2 pairs"), one.reason());
    }

    @Test
    public void holmReDecidesOverTheTestedRows() {
        // p = 1.55e-05, 0.9067, 0.0390625, 0.015625 and one row without a test (not counted): m = 4.
        // Sorted: 1.55e-05 * 4, 0.015625 * 3 = 0.046875, 0.0390625 * 2 = 0.078125, then 0.9067: "faster" falls to not shown.
        List<Row> rows = List.of(accuracy(counts(12, 15, 10, 14, 11, 13), ONE), accuracy(counts(5, -3, 2, -4, 1, 0), ONE),
                ClaimVerdicts.faster("rg vs baseline", "steps", race(8, 1, 1), ONE),
                ClaimVerdicts.moreRobust("rg vs baseline", "healthy", grid(7, 0), ONE), accuracy(counts(2, 2, 2), ONE));
        List<Row> adjusted = ClaimVerdicts.holm(rows, 0.05);
        assertEquals(4 * 1.5535637901235685e-05, adjusted.get(0).adjustedPValue(), 1e-12);
        assertEquals(Outcome.SUPPORTED, adjusted.get(0).outcome());
        assertEquals(0.078125, adjusted.get(2).adjustedPValue(), 1e-15);
        assertEquals(Outcome.NOT_SHOWN, adjusted.get(2).outcome());
        assertEquals(0.046875, adjusted.get(3).adjustedPValue(), 1e-15);
        assertEquals(Outcome.SUPPORTED, adjusted.get(3).outcome());
        assertTrue(Double.isNaN(adjusted.get(4).adjustedPValue()));
        assertEquals(0.0390625, adjusted.get(2).pValue(), 1e-15);
    }

    @Test
    public void identicalTestsAreOneRow() {
        PairedDifferences d = counts(12, 15, 10, 14, 11, 13);
        Row a = ClaimVerdicts.superiority(Claim.HIGHER_ACCURACY, "rg vs baseline", "test accuracy", d, true, ONE);
        Row b = ClaimVerdicts.superiority(Claim.HIGHER_ACCURACY, "rg vs lr-matched", "test accuracy", d, true, ONE);
        Row c = ClaimVerdicts.nonInferiority("rg vs baseline", "test accuracy", d, true, 0.005, ONE);
        // The identity: claim and the runs on both sides (here both references are the same runs, "B").
        List<Row> rows = ClaimVerdicts.distinct(List.of(a, b, c), r -> r.claim() + "|RG|B");
        assertEquals(2, rows.size());
        assertEquals("rg vs baseline (the same runs as: rg vs lr-matched)", rows.get(0).comparison());
        assertEquals(Claim.NO_ACCURACY_LOSS, rows.get(1).claim());
        assertEquals("rg vs baseline", rows.get(1).comparison());
    }
}
