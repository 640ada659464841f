package io.github.randomgradient.report;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.fraction.BigFraction;
import org.apache.commons.math3.stat.inference.TTest;
import org.apache.commons.math3.util.CombinatoricsUtils;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The comparison of one metric between two trainers over seeds, with a verdict a reader can trust:
 * reusable by every report (RG vs baseline, sweeps).
 * <p>
 * Design. Runs of different trainers with the same seed share the initial weights and the order of
 * the mini-batches, so they are compared as pairs, matched by seed value (never by position): the
 * difference of means is the mean of the per-seed differences \( d_s = a_s - b_s \), with a 95%
 * Student-t interval \( \bar d \pm t_{0.975, n-1} s_d / \sqrt n \) and a two-sided paired t-test.
 * With at least {@value #WILCOXON_MIN_PAIRS} pairs the Wilcoxon signed-rank test is given alongside. A
 * seed present on one side only is left out of the pairs and named in {@link Result#unpairedSeeds()}; a seed given twice on one side is an error.
 * <p>
 * Exact units. A value given as a count ({@link Sample#count(long, long, long)}, e.g. correct test
 * examples over the test set's size) is compared as the rational \( k / N \), so the per-seed
 * differences are exact ({@link PairedDifferences}): differences that are equal in counts are equal,
 * and "no variation" is decided exactly, never on rounding noise. The signed-rank test is
 * {@link SignedRankTest} (Pratt's zero handling; exact null distribution over the observed mid-ranks up to
 * {@value SignedRankTest#EXACT_MAX_PAIRS} pairs, normal approximation with tie and continuity corrections
 * above), symmetric in the order of the trainers.
 * <p>
 * Ranges. The difference of a proportion ({@code percentagePoints}) lies in [−1, 1]; its interval is cut
 * to that range and marked ({@link Result#ciCut()}, {@link Statistics#cut(double, double, double, double)}).
 * With fewer than two common seeds but at least two seeds per side, Welch's unequal-variance t-test
 * compares the two samples (interval with the Welch–Satterthwaite degrees of freedom).
 * <p>
 * Degenerate samples never give a verdict: when the per-seed differences (paired) or both samples
 * (Welch) do not vary, the outcome is {@link Outcome#CANNOT_TEST} and the raw values are shown.
 * <p>
 * Few seeds limit what any distribution-free test can show: with \( n \) pairs the exact two-sided
 * sign-flip (and Wilcoxon) p-value is at least \( 2 / 2^n \) (0.25 for 3 pairs, 0.0625 for 5), with
 * samples of sizes \( n_1, n_2 \) an exact permutation test's is at least \( 2 / \binom{n_1 + n_2}{n_1} \).
 * {@link Result#smallestAttainableP()} holds that bound; when it exceeds the significance level the
 * sentence says that the design cannot detect an effect without leaning on normality.
 * <p>
 * Several comparisons in one report are corrected with Holm's step-down method ({@link #holm(List)}):
 * the \( i \)-th smallest of \( m \) p-values is multiplied by \( m - i + 1 \), kept monotone and capped at 1.
 * Distributions and tests come from Apache Commons Math.
 */
public final class SeedComparison {

    /** Two-sided significance level of the verdicts, applied to Holm-adjusted p-values. */
    public static final double ALPHA = 0.05;
    /** The number of pairs from which the Wilcoxon signed-rank test is shown alongside the t-test. */
    public static final int WILCOXON_MIN_PAIRS = 6;

    private SeedComparison() {}

    /**
     * One run's value of the metric.
     * @param seed The run's seed.
     * @param value The metric value.
     * @param total For a proportion of a count (an accuracy), the number of examples \( N \), so that the
     *              value is compared as the exact count \( k / N \); 0 for any other value.
     */
    public record Sample(long seed, double value, long total) {

        /**
         * Checks that a proportion is a count.
         * @throws IllegalArgumentException If total is negative, or total is positive and {@code value × total}
         *                                  is not a count in [0, total].
         */
        public Sample {
            if (total < 0) {
                throw new IllegalArgumentException("seed " + seed + ": the number of examples must be >= 0, found " + total);
            }
            if (total > 0 && Double.isFinite(value)) {
                PairedDifferences.count(value, total);
            }
        }

        /**
         * A value that is not a count, compared as the double it is.
         * @param seed The run's seed.
         * @param value The metric value.
         */
        public Sample(long seed, double value) {
            this(seed, value, 0);
        }

        /**
         * A proportion of a count, e.g. {@code count(seed, 1603, 2000)} for 1603 correct of 2000 test examples.
         * @param seed The run's seed.
         * @param count \( k \).
         * @param total \( N \), at least 1.
         * @return The sample, value {@code count / total}.
         * @throws IllegalArgumentException If the count is outside [0, total].
         */
        public static Sample count(long seed, long count, long total) {
            if (total < 1 || count < 0 || count > total) {
                throw new IllegalArgumentException("seed " + seed + ": a count needs 0 <= count <= total and total >= 1, found "
                        + count + " of " + total);
            }
            return new Sample(seed, (double) count / total, total);
        }

        private BigFraction exact() {
            return PairedDifferences.proportion(value, total);
        }
    }

    /** How the two trainers' runs were compared. */
    public enum Design {
        /** Per-seed differences (paired t-test, Wilcoxon alongside from 6 pairs). */
        PAIRED,
        /** Two independent samples (Welch's t-test). */
        UNPAIRED,
        /** No test: too few seeds. */
        NONE
    }

    /** The verdict of a comparison. */
    public enum Outcome {
        /** The candidate is higher beyond seed-to-seed noise (Holm-adjusted p below {@value #ALPHA}). */
        HIGHER,
        /** The candidate is lower beyond seed-to-seed noise. */
        LOWER,
        /** The difference is within seed-to-seed noise. */
        NO_DIFFERENCE,
        /** The values do not vary from seed to seed, so there is no noise to compare the difference with. */
        CANNOT_TEST,
        /** Too few seeds for any test. */
        TOO_FEW_SEEDS
    }

    /**
     * The comparison of one metric between two trainers.
     *
     * @param metric The metric's name, e.g. {@code test accuracy}.
     * @param percentagePoints Whether the metric is a proportion shown in percentage points.
     * @param candidate The candidate trainer.
     * @param reference The reference trainer.
     * @param design Paired, unpaired or none.
     * @param candidateValues The candidate's values by seed (all of them, in seed order).
     * @param referenceValues The reference's values by seed.
     * @param pairedSeeds The seeds present on both sides, in order.
     * @param unpairedSeeds Seeds present on one side only, left out of a paired comparison.
     * @param difference Candidate minus reference: mean per-seed difference (paired) or difference of means.
     * @param ciLow Lower end of the 95% interval of the difference, NaN without a test.
     * @param ciHigh Upper end of the 95% interval, NaN without a test.
     * @param ciCut True if the interval left the range of a difference of proportions, [−1, 1], and was cut to it.
     * @param exactCounts True if every value was a count ({@link Sample#total()} above 0), so the differences are exact.
     * @param test The test's name, e.g. {@code paired t-test}; empty without a test.
     * @param pValue The test's two-sided p-value, NaN without a test.
     * @param rankTest The signed-rank test in words (paired, at least 6 pairs), e.g. {@code Wilcoxon signed-rank
     *                 test (Pratt's zero handling, exact)}; empty otherwise.
     * @param wilcoxonPValue The Wilcoxon signed-rank two-sided p-value (paired, at least 6 pairs, some difference
     *                       not zero), else NaN.
     * @param smallestAttainableP The smallest two-sided p-value an exact distribution-free test can reach with this design.
     * @param adjustedPValue The Holm-adjusted p-value over the report's comparisons (equal to {@code pValue} alone).
     * @param comparisons The number of comparisons the Holm correction ran over (1 alone).
     * @param outcome The verdict.
     */
    public record Result(String metric, boolean percentagePoints, String candidate, String reference, Design design,
                         Map<Long, Double> candidateValues, Map<Long, Double> referenceValues, List<Long> pairedSeeds,
                         List<Long> unpairedSeeds, double difference, double ciLow, double ciHigh, boolean ciCut,
                         boolean exactCounts, String test, double pValue, String rankTest, double wilcoxonPValue,
                         double smallestAttainableP, double adjustedPValue, int comparisons, Outcome outcome) {

        /**
         * Freezes the collections.
         * @throws NullPointerException If a name or a collection is null.
         */
        public Result {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(test, "test");
            Objects.requireNonNull(rankTest, "rankTest");
            candidateValues = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(candidateValues));
            referenceValues = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(referenceValues));
            pairedSeeds = List.copyOf(pairedSeeds);
            unpairedSeeds = List.copyOf(unpairedSeeds);
        }

        /**
         * The number of seeds behind the verdict: pairs (paired) or the smaller sample (unpaired).
         * @return The number of seeds.
         */
        public int seeds() {
            return design == Design.PAIRED ? pairedSeeds.size() : Math.min(candidateValues.size(), referenceValues.size());
        }

        /**
         * The verdict in one sentence: the difference with its 95% interval, the p-value, the number of
         * seeds and what the difference means, e.g.
         * {@code rg − baseline test accuracy: +0.20 pp [−0.90, +1.30], paired t-test p = 0.610, 3 paired seeds:
         * no difference beyond seed noise (...)}.
         * @return The sentence.
         */
        public String sentence() {
            String head = candidate + " − " + reference + " " + metric + ": ";
            switch (outcome) {
                case TOO_FEW_SEEDS:
                    return head + "no verdict: a test needs at least 2 seeds per trainer (" + candidate + " has "
                            + candidateValues.size() + ", " + reference + " has " + referenceValues.size() + ")" + leftOut();
                case CANNOT_TEST:
                    return head + diff(difference) + ", " + seedsText() + ": no seed-to-seed variation"
                            + (design == Design.PAIRED ? " in the per-seed differences" : "") + ": cannot test (values "
                            + candidate + " " + values(candidateValues) + ", " + reference + " " + values(referenceValues) + ")"
                            + leftOut();
                default:
                    break;
            }
            String p = test + " p = " + ReportFormat.pValue(pValue);
            if (comparisons > 1) {
                p += " (Holm-adjusted over " + comparisons + " comparisons: " + ReportFormat.pValue(adjustedPValue) + ")";
            }
            if (!Double.isNaN(wilcoxonPValue)) {
                p += ", Wilcoxon signed-rank p = " + ReportFormat.pValue(wilcoxonPValue) + " ("
                        + rankTest.substring(rankTest.indexOf('(') + 1);
            }
            String meaning = switch (outcome) {
                case HIGHER -> candidate + " is higher beyond seed noise";
                case LOWER -> candidate + " is lower beyond seed noise";
                default -> "no difference beyond seed noise";
            };
            String limit = "smallest attainable p with " + seedsText() + ": " + ReportFormat.pValue(smallestAttainableP);
            if (smallestAttainableP > ALPHA) {
                limit += "; a distribution-free test cannot detect an effect with this design, so the p-value leans on "
                        + "normally distributed " + (design == Design.PAIRED ? "differences" : "values") + " (use at least "
                        + WILCOXON_MIN_PAIRS + " seeds)";
            }
            return head + diff(difference) + " [" + bound(ciLow) + ", " + bound(ciHigh) + (ciCut ? Statistics.CUT : "")
                    + "], " + p + ", " + seedsText()
                    + ": " + meaning + " (" + limit + ")" + leftOut();
        }

        private String seedsText() {
            if (design == Design.PAIRED) {
                return pairedSeeds.size() + " paired seeds";
            }
            return candidateValues.size() + " vs " + referenceValues.size() + " unpaired seeds";
        }

        private String leftOut() {
            return unpairedSeeds.isEmpty() || design != Design.PAIRED ? ""
                    : "; seeds " + unpairedSeeds + " have a healthy run for one trainer only (the other's run is missing, diverged or collapsed) and are left out of the pairs";
        }

        private String bound(double x) {
            return percentagePoints ? ReportFormat.signedFixed(100 * x, 2) : ReportFormat.signedFixed(x, 4);
        }

        private String diff(double x) {
            if (percentagePoints) {
                return ReportFormat.signedFixed(100 * x, 2) + " pp";
            }
            return ReportFormat.signedFixed(x, 4);
        }

        private static String values(Map<Long, Double> values) {
            List<String> out = new ArrayList<>();
            values.forEach((seed, v) -> out.add("seed " + seed + "=" + ReportFormat.num(v)));
            return "[" + String.join(", ", out) + "]";
        }

        Result withHolm(double adjusted, int m) {
            Outcome o = outcome;
            if (o == Outcome.HIGHER || o == Outcome.LOWER || o == Outcome.NO_DIFFERENCE) {
                o = adjusted < ALPHA && difference != 0.0 ? (difference > 0 ? Outcome.HIGHER : Outcome.LOWER) : Outcome.NO_DIFFERENCE;
            }
            return new Result(metric, percentagePoints, candidate, reference, design, candidateValues, referenceValues,
                    pairedSeeds, unpairedSeeds, difference, ciLow, ciHigh, ciCut, exactCounts, test, pValue, rankTest,
                    wilcoxonPValue, smallestAttainableP, adjusted, m, o);
        }
    }

    /**
     * Compares a metric between two trainers over seeds (uncorrected: run {@link #holm(List)} over a
     * report's comparisons).
     * @param metric The metric's name.
     * @param percentagePoints Whether to show differences in percentage points (for proportions).
     * @param candidate The candidate trainer's name.
     * @param candidateSamples The candidate's runs (give accuracies as counts, {@link Sample#count(long, long, long)}).
     * @param reference The reference trainer's name.
     * @param referenceSamples The reference's runs.
     * @return The comparison.
     * @throws IllegalArgumentException If a seed appears twice on one side, or a value is not finite
     *                                  (leave failed runs out before comparing).
     */
    public static Result compare(String metric, boolean percentagePoints, String candidate, List<Sample> candidateSamples,
                                 String reference, List<Sample> referenceSamples) {
        Map<Long, Sample> sa = bySeed(candidate, metric, candidateSamples);
        Map<Long, Sample> sb = bySeed(reference, metric, referenceSamples);
        Map<Long, Double> a = values(sa);
        Map<Long, Double> b = values(sb);
        List<Long> paired = new ArrayList<>();
        List<Long> unpaired = new ArrayList<>();
        for (Long s : a.keySet()) {
            (b.containsKey(s) ? paired : unpaired).add(s);
        }
        for (Long s : b.keySet()) {
            if (!a.containsKey(s)) {
                unpaired.add(s);
            }
        }
        unpaired.sort(Comparator.naturalOrder());
        boolean exact = !sa.isEmpty() && !sb.isEmpty() && java.util.stream.Stream.concat(sa.values().stream(),
                sb.values().stream()).allMatch(s -> s.total() > 0);
        if (paired.size() >= 2) {
            return paired(metric, percentagePoints, candidate, reference, sa, sb, paired, unpaired, exact);
        }
        double difference = mean(sa).subtract(mean(sb)).doubleValue();
        if (a.size() < 2 || b.size() < 2) {
            return new Result(metric, percentagePoints, candidate, reference, Design.NONE, a, b, paired, unpaired,
                    sa.isEmpty() || sb.isEmpty() ? Double.NaN : difference, Double.NaN, Double.NaN, false, exact, "",
                    Double.NaN, "", Double.NaN, Double.NaN, Double.NaN, 1, Outcome.TOO_FEW_SEEDS);
        }
        return welch(metric, percentagePoints, candidate, reference, a, b, unpaired, difference, exact);
    }

    /** The exact mean of a trainer's values (counts as k / N), zero for none. */
    private static BigFraction mean(Map<Long, Sample> samples) {
        BigFraction sum = BigFraction.ZERO;
        for (Sample s : samples.values()) {
            sum = sum.add(s.exact());
        }
        return samples.isEmpty() ? sum : sum.divide(samples.size());
    }

    private static Map<Long, Double> values(Map<Long, Sample> samples) {
        Map<Long, Double> out = new TreeMap<>();
        samples.forEach((seed, s) -> out.put(seed, s.value()));
        return out;
    }

    private static Map<Long, Sample> bySeed(String trainer, String metric, List<Sample> samples) {
        Map<Long, Sample> out = new TreeMap<>();
        for (Sample s : samples) {
            if (!Double.isFinite(s.value())) {
                throw new IllegalArgumentException(trainer + " seed " + s.seed() + ": " + metric + " is " + s.value()
                        + "; leave diverged or failed runs out of the comparison");
            }
            if (out.put(s.seed(), s) != null) {
                throw new IllegalArgumentException(trainer + ": seed " + s.seed() + " is given twice; each seed of a "
                        + "trainer must be one run");
            }
        }
        return out;
    }

    private static Result paired(String metric, boolean pp, String candidate, String reference, Map<Long, Sample> a,
                                 Map<Long, Sample> b, List<Long> paired, List<Long> unpaired, boolean exact) {
        int n = paired.size();
        BigFraction[] x = new BigFraction[n];
        BigFraction[] y = new BigFraction[n];
        Map<Long, Double> pa = new LinkedHashMap<>();
        Map<Long, Double> pb = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Sample u = a.get(paired.get(i));
            Sample v = b.get(paired.get(i));
            x[i] = u.exact();
            y[i] = v.exact();
            pa.put(paired.get(i), u.value());
            pb.put(paired.get(i), v.value());
        }
        PairedDifferences d = PairedDifferences.of(x, y);
        double smallest = Math.min(1.0, 2.0 / Math.pow(2.0, n));
        if (!d.testable()) {
            return new Result(metric, pp, candidate, reference, Design.PAIRED, pa, pb, paired, unpaired, d.mean(),
                    Double.NaN, Double.NaN, false, exact, "", Double.NaN, "", Double.NaN, smallest, Double.NaN, 1,
                    Outcome.CANNOT_TEST);
        }
        Statistics.Interval ci = pp ? d.interval(-1, 1) : d.interval(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double p = d.tTestPValue();
        String rankTest = "";
        double w = Double.NaN;
        if (n >= WILCOXON_MIN_PAIRS) {
            SignedRankTest.Result rank = d.signedRank();
            rankTest = rank.description();
            w = rank.pValue();
        }
        return new Result(metric, pp, candidate, reference, Design.PAIRED, pa, pb, paired, unpaired, d.mean(),
                ci.low(), ci.high(), ci.cut(), exact, "paired t-test", p, rankTest, w, smallest, p, 1, outcome(p, d.mean()));
    }

    private static Result welch(String metric, boolean pp, String candidate, String reference, Map<Long, Double> a,
                                Map<Long, Double> b, List<Long> unpaired, double difference, boolean exact) {
        SummaryStatistics sa = stats(a);
        SummaryStatistics sb = stats(b);
        int n1 = (int) sa.getN();
        int n2 = (int) sb.getN();
        double smallest = Math.min(1.0, 2.0 / CombinatoricsUtils.binomialCoefficientDouble(n1 + n2, n1));
        if (sa.getVariance() == 0 && sb.getVariance() == 0) {
            return new Result(metric, pp, candidate, reference, Design.UNPAIRED, a, b, List.of(), unpaired, difference,
                    Double.NaN, Double.NaN, false, exact, "", Double.NaN, "", Double.NaN, smallest, Double.NaN, 1,
                    Outcome.CANNOT_TEST);
        }
        double va = sa.getVariance() / n1;
        double vb = sb.getVariance() / n2;
        double df = (va + vb) * (va + vb) / (va * va / (n1 - 1) + vb * vb / (n2 - 1));
        double half = new TDistribution(df).inverseCumulativeProbability(0.975) * Math.sqrt(va + vb);
        double p = new TTest().tTest(sa, sb);
        Statistics.Interval ci = Statistics.cut(difference - half, difference + half, pp ? -1 : Double.NEGATIVE_INFINITY,
                pp ? 1 : Double.POSITIVE_INFINITY);
        return new Result(metric, pp, candidate, reference, Design.UNPAIRED, a, b, List.of(), unpaired, difference,
                ci.low(), ci.high(), ci.cut(), exact, "Welch t-test", p, "", Double.NaN, smallest, p, 1, outcome(p, difference));
    }

    private static SummaryStatistics stats(Map<Long, Double> values) {
        SummaryStatistics s = new SummaryStatistics();
        values.values().forEach(s::addValue);
        return s;
    }

    private static Outcome outcome(double p, double difference) {
        if (p < ALPHA && difference != 0.0) {
            return difference > 0 ? Outcome.HIGHER : Outcome.LOWER;
        }
        return Outcome.NO_DIFFERENCE;
    }

    /**
     * Holm's step-down adjustment: the \( i \)-th smallest of \( m \) p-values (from 1) becomes
     * \( \max_{j \le i} \min(1, (m - j + 1) p_{(j)}) \).
     * @param p The p-values, none NaN.
     * @return The adjusted p-values, in the input order.
     * @throws IllegalArgumentException If a p-value is NaN or outside [0, 1].
     */
    public static double[] holmAdjust(double[] p) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("a p-value must be in [0, 1], found " + p[i] + " at index " + i);
            }
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] out = new double[p.length];
        double running = 0;
        for (int k = 0; k < p.length; k++) {
            running = Math.max(running, Math.min(1.0, (p.length - k) * p[order[k]]));
            out[order[k]] = running;
        }
        return out;
    }

    /**
     * Holm's step-down correction over a report's comparisons ({@link #holmAdjust(double[])}): only
     * comparisons with a p-value count; the verdicts are re-decided on the adjusted p-values.
     * @param results The comparisons, in report order.
     * @return The same comparisons in the same order, with adjusted p-values and outcomes.
     */
    public static List<Result> holm(List<Result> results) {
        double[] adjusted = holmAdjustTested(results.stream().mapToDouble(Result::pValue).toArray());
        int tested = (int) java.util.Arrays.stream(adjusted).filter(p -> !Double.isNaN(p)).count();
        List<Result> out = new ArrayList<>(results);
        for (int i = 0; i < adjusted.length; i++) {
            if (!Double.isNaN(adjusted[i])) {
                out.set(i, results.get(i).withHolm(adjusted[i], tested));
            }
        }
        return out;
    }

    /**
     * {@link #holmAdjust(double[])} over the tests that have a p-value: a NaN (no test, e.g. constant
     * samples) is not counted among the \( m \) tests and stays NaN.
     * @param p The p-values, NaN where there was no test.
     * @return The adjusted p-values, in the input order.
     * @throws IllegalArgumentException If a p-value is outside [0, 1].
     */
    public static double[] holmAdjustTested(double[] p) {
        int[] tested = java.util.stream.IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).toArray();
        double[] adjusted = holmAdjust(java.util.Arrays.stream(tested).mapToDouble(i -> p[i]).toArray());
        double[] out = new double[p.length];
        java.util.Arrays.fill(out, Double.NaN);
        for (int k = 0; k < tested.length; k++) {
            out[tested[k]] = adjusted[k];
        }
        return out;
    }
}
