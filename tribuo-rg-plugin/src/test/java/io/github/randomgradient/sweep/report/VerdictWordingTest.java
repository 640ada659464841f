package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.stats.ClaimVerdicts;
import io.github.randomgradient.report.stats.ClaimVerdicts.Claim;
import io.github.randomgradient.report.stats.ClaimVerdicts.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How a verdict row reads on the sweep report's page: effects an accuracy difference cannot take
 * (100 pp or more, as two confirm pairs give) are said to be beyond the possible range, never
 * printed as an impossible number; intervals are cut to ±100 pp and marked; the margin is in pp.
 */
public class VerdictWordingTest {

    private static ClaimVerdicts.Row row(Claim claim, String test, double low, double high, double detectable) {
        return new ClaimVerdicts.Row(claim, "rg vs baseline", ClaimMeasures.TEST_ACCURACY, test, 2, 0.0022, low, high, 0.7, 0.9,
                true, detectable, -1, Outcome.NOT_SHOWN, "");
    }

    @Test
    public void effectsBeyondHundredPointsAreNotPrinted() {
        ClaimVerdicts.Row wide = row(Claim.HIGHER_ACCURACY, "paired t-test", -1.9673, 1.9288, 2.415);
        assertEquals("none within the possible range (n = 2)", SweepReportText.detectable(wide));
        assertEquals("RG − ref +0.22 pp [-100.00 pp, +100.00 pp] (cut to the range)", SweepReportText.estimate(wide));
        assertEquals("higher accuracy (rg vs baseline, final test accuracy): not shown: with 2 pairs no possible effect reaches "
                + "80% power at α/m, so nothing can be excluded (RG − ref +0.22 pp [-100.00 pp, +100.00 pp] (cut to the range), "
                + "Holm p 0.900, n = 2).", SweepReportText.sentence(wide));
        ClaimVerdicts.Row margin = row(Claim.NO_ACCURACY_LOSS, "one-sided paired t-test at margin 0.005", -0.5, 0.6, 1.2483);
        assertEquals("none within the possible range (n = 2)", SweepReportText.detectable(margin));
    }

    @Test
    public void effectsWithinRangeKeepTheirNumbers() {
        ClaimVerdicts.Row narrow = row(Claim.HIGHER_ACCURACY, "paired t-test", -0.01, 0.02, 0.0131);
        assertEquals("±1.31 pp", SweepReportText.detectable(narrow));
        assertEquals("RG − ref +0.22 pp [-1.00 pp, +2.00 pp]", SweepReportText.estimate(narrow));
        assertEquals("not shown: an effect smaller than 1.31 pp cannot be excluded", SweepReportText.sentence(narrow)
                .replaceAll("^.*?: (not shown: an effect smaller than 1.31 pp cannot be excluded).*$", "$1"));
    }
}
