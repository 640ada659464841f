package io.github.randomgradient.report.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Time to a target with censoring: a run that never reaches the target has no time, only the knowledge
 * that its time exceeds the last point it was observed at.
 * <p>
 * Reaching: a validation curve is a series of evaluations at increasing steps (or seconds); the run reaches
 * the target at the first evaluation whose value is at or beyond it ({@link #of(double[], double[], double, boolean)}).
 * Times are therefore evaluation points, never interpolated; compare runs evaluated at the same points.
 * <p>
 * Paired comparison ({@link #compare(List, List)}): each pair (same seed) is scored as Gehan (1965) scores two
 * possibly censored times: +1 if the candidate's time is known to be shorter (it reached the target, and the
 * reference either reached it later or was still short of it at or after that time), −1 if known to be longer,
 * and 0 if they are equal or the order is unknown (both censored; or one censored before the other reached
 * the target, e.g. a run that diverged and stopped early). The scores' signs then go to the exact sign test
 * ({@link SignTest}): under the null hypothesis that the arms do not differ, each informative pair is won by
 * either with probability 1/2. This is the paired "who reached first" test; it uses only what the censored
 * data can show and needs no assumption about the times' distribution (Woolson and Lachenbruch 1980 give
 * rank versions of the same scoring).
 * <p>
 * Median ({@link #kaplanMeierMedian(List)}): the Kaplan–Meier (1958) estimate
 * \( \hat S(t) = \prod_{t_i \le t} (1 - d_i / n_i) \) over distinct event times \( t_i \) (\( d_i \) runs
 * reach the target at \( t_i \), \( n_i \) are still at risk: not yet reached and not censored before
 * \( t_i \); a run censored at \( t_i \) counts as at risk at \( t_i \)). The median is the smallest event time
 * with \( \hat S(t) \le 1/2 \) (to 1e-12, so that a product that is 1/2 in exact arithmetic counts; Brookmeyer and Crowley 1982); when \( \hat S \) stays above 1/2 the median is
 * not reached and is reported as such, never as a number.
 */
public final class TimeToTarget {

    /**
     * One run's time to the target.
     * @param time The time the target was reached, or, if censored, the last time the run was observed.
     * @param reached True if the run reached the target; false if censored.
     */
    public record Time(double time, boolean reached) {

        /**
         * Checks the time.
         * @throws IllegalArgumentException If the time is not finite.
         */
        public Time {
            if (!Double.isFinite(time)) {
                throw new IllegalArgumentException("a time to target must be finite (a censored run gives its last "
                        + "observed time), found " + time);
            }
        }

        /**
         * A run that reached the target.
         * @param time When.
         * @return The time.
         */
        public static Time reached(double time) {
            return new Time(time, true);
        }

        /**
         * A run that did not reach the target.
         * @param lastObserved The last time it was observed.
         * @return The censored time.
         */
        public static Time censored(double lastObserved) {
            return new Time(lastObserved, false);
        }
    }

    /**
     * A paired comparison of times to target.
     * @param candidateFirst Pairs the candidate is known to win.
     * @param referenceFirst Pairs the reference is known to win.
     * @param tied Pairs reached at the same time.
     * @param bothCensored Pairs where neither reached the target.
     * @param unknown Pairs where one run was censored before the other reached the target.
     * @param test The sign test on the informative pairs.
     */
    public record Comparison(int candidateFirst, int referenceFirst, int tied, int bothCensored, int unknown, SignTest.Result test) {}

    /**
     * A Kaplan–Meier median.
     * @param median The median time; NaN when not reached.
     * @param reached True if the estimated survival fell to 1/2 or below.
     * @param runs The number of runs.
     * @param censored The number of censored runs.
     */
    public record Median(double median, boolean reached, int runs, int censored) {}

    private TimeToTarget() {}

    /**
     * The target as a fraction of a reference value, e.g. 0.98 of the tuned baseline's final validation accuracy.
     * @param fraction The fraction, in (0, ∞).
     * @param reference The reference value, finite.
     * @return {@code fraction × reference}.
     * @throws IllegalArgumentException If the fraction is not positive or either value is not finite.
     */
    public static double target(double fraction, double reference) {
        if (!(fraction > 0) || !Double.isFinite(fraction) || !Double.isFinite(reference)) {
            throw new IllegalArgumentException("a target needs a positive fraction of a finite reference, found " + fraction
                    + " of " + reference);
        }
        return fraction * reference;
    }

    /**
     * The time at which a curve first reaches a target.
     * @param times The evaluation times (steps or seconds), strictly increasing.
     * @param values The measure at each time; NaN (a diverged run) never reaches the target.
     * @param target The target.
     * @param higherIsBetter True for an accuracy (reach means {@code value >= target}), false for a loss ({@code <=}).
     * @return The first time reached, else censored at the last time.
     * @throws IllegalArgumentException If the arrays are empty, differ in length, or the times do not increase.
     */
    public static Time of(double[] times, double[] values, double target, boolean higherIsBetter) {
        if (times.length == 0 || times.length != values.length) {
            throw new IllegalArgumentException("a curve needs as many values as times, at least one, found " + times.length
                    + " times and " + values.length + " values");
        }
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i]) || (i > 0 && !(times[i] > times[i - 1]))) {
                throw new IllegalArgumentException("evaluation times must be finite and strictly increasing, found "
                        + Arrays.toString(times));
            }
            if (higherIsBetter ? values[i] >= target : values[i] <= target) {
                return Time.reached(times[i]);
            }
        }
        return Time.censored(times[times.length - 1]);
    }

    /**
     * The paired comparison of times to target (Gehan scores, exact sign test).
     * @param candidate The candidate's times, by pair.
     * @param reference The reference's times, same pairs in the same order.
     * @return The comparison; the candidate "wins" a pair by reaching the target first.
     * @throws IllegalArgumentException If the lists differ in length.
     */
    public static Comparison compare(List<Time> candidate, List<Time> reference) {
        if (candidate.size() != reference.size()) {
            throw new IllegalArgumentException("paired times must have equal length, found " + candidate.size() + " and "
                    + reference.size());
        }
        int win = 0;
        int loss = 0;
        int tied = 0;
        int both = 0;
        int unknown = 0;
        for (int i = 0; i < candidate.size(); i++) {
            Time a = candidate.get(i);
            Time b = reference.get(i);
            if (!a.reached() && !b.reached()) {
                both++;
            } else if (a.reached() && b.reached()) {
                if (a.time() < b.time()) {
                    win++;
                } else if (a.time() > b.time()) {
                    loss++;
                } else {
                    tied++;
                }
            } else if (a.reached()) {
                // b was still short of the target at b.time(): a is first if it reached by then.
                if (a.time() <= b.time()) {
                    win++;
                } else {
                    unknown++;
                }
            } else {
                if (b.time() <= a.time()) {
                    loss++;
                } else {
                    unknown++;
                }
            }
        }
        return new Comparison(win, loss, tied, both, unknown, SignTest.test(win, loss, tied + both + unknown));
    }

    /**
     * The Kaplan–Meier median time to target.
     * @param times The runs' times.
     * @return The median, or not reached.
     */
    public static Median kaplanMeierMedian(List<Time> times) {
        Time[] sorted = times.toArray(new Time[0]);
        Arrays.sort(sorted, Comparator.comparingDouble(Time::time));
        int censored = (int) times.stream().filter(t -> !t.reached()).count();
        int atRisk = sorted.length;
        double survival = 1.0;
        int i = 0;
        while (i < sorted.length) {
            double t = sorted[i].time();
            int events = 0;
            int leaving = 0;
            while (i < sorted.length && sorted[i].time() == t) {
                if (sorted[i].reached()) {
                    events++;
                }
                leaving++;
                i++;
            }
            // Every run at time t, censored ones included, was at risk at t: they leave after the factor.
            if (events > 0) {
                survival *= 1 - (double) events / atRisk;
                if (survival <= 0.5 + 1e-12) {
                    return new Median(t, true, sorted.length, censored);
                }
            }
            atRisk -= leaving;
        }
        return new Median(Double.NaN, false, sorted.length, censored);
    }
}
