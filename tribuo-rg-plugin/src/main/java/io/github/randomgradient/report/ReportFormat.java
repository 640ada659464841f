package io.github.randomgradient.report;

import io.github.randomgradient.report.Statistics.Summary;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Number formatting shared by the report's sentences, console table, Markdown and HTML.
 * Always {@link Locale#ROOT}, so decimals are written with a point whatever the machine's locale.
 */
final class ReportFormat {

    private ReportFormat() {}

    /**
     * A compact number: up to 6 significant digits, trailing zeros dropped; "NaN" or "∞" when not finite.
     */
    static String num(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "∞" : "-∞";
        }
        return new BigDecimal(String.format(Locale.ROOT, "%.6g", x)).stripTrailingZeros().toPlainString();
    }

    /** A number with a fixed number of decimals. */
    static String fixed(double x, int digits) {
        return Double.isNaN(x) ? "NaN" : String.format(Locale.ROOT, "%." + digits + "f", x);
    }

    /** A signed difference with 4 decimals, e.g. {@code +0.0123}. */
    static String signed(double x) {
        return String.format(Locale.ROOT, "%+.4f", x);
    }

    /** A signed number with a fixed number of decimals and a true minus sign, e.g. {@code +0.20}, {@code −1.30}. */
    static String signedFixed(double x, int digits) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        return String.format(Locale.ROOT, "%+." + digits + "f", x).replace('-', '\u2212');
    }

    /** A p-value: 3 decimals, or scientific notation below 0.001. */
    static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "NaN";
        }
        return p >= 0.001 ? String.format(Locale.ROOT, "%.3f", p) : String.format(Locale.ROOT, "%.1e", p);
    }

    /**
     * {@code mean ± sd [ciLow, ciHigh]} (the 95% interval; {@code [ciLow, ciHigh, cut to the range]} when it
     * was cut to the measure's range), {@code mean (n=1)} for one value, "—" for none.
     * Like {@link Summary#format(int)}, but locale-independent and explicit about no value.
     */
    static String summary(Summary s, int digits) {
        if (s.n() == 0) {
            return ReportData.MISSING;
        }
        if (s.n() == 1) {
            return fixed(s.mean(), digits) + " (n=1)";
        }
        return fixed(s.mean(), digits) + " ± " + fixed(s.std(), digits) + " [" + fixed(s.ciLow(), digits) + ", "
                + fixed(s.ciHigh(), digits) + (s.ciCut() ? Statistics.CUT : "") + "]";
    }

    /** {@code mean ± sd}, just the mean for one value, "—" for none. */
    /** "median [min–max]" of a positive, skewed quantity such as a timing; "n=1" values alone. */
    static String medianRange(Statistics.MedianRange r, int digits) {
        if (r.n() == 0) {
            return ReportData.MISSING;
        }
        return r.n() == 1 ? fixed(r.median(), digits) + " (n=1)"
                : fixed(r.median(), digits) + " [" + fixed(r.min(), digits) + "–" + fixed(r.max(), digits) + "]";
    }

    static String meanSd(Summary s, int digits) {
        if (s.n() == 0) {
            return ReportData.MISSING;
        }
        return s.n() < 2 ? fixed(s.mean(), digits) : fixed(s.mean(), digits) + " ± " + fixed(s.std(), digits);
    }
}
