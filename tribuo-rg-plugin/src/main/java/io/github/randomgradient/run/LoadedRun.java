package io.github.randomgradient.run;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One run directory, read and checked by {@link RunFiles#read()}: its run record, test evaluation,
 * training history (null if the trainer keeps none) and the facts of its provenance.
 *
 * @param files The run's files.
 * @param record The run record.
 * @param evaluation The test evaluation.
 * @param history The per-epoch history, or null.
 * @param facts The provenance facts.
 */
public record LoadedRun(RunFiles files, RunRecord record, EvaluationRecord evaluation, TrainingHistory history,
                        ProvenanceFacts facts) {

    /** A run status: training stopped on a non-finite loss. */
    public static final String DIVERGED = "diverged";
    /** A run status: training ran but the model never learned beyond the majority class. */
    public static final String COLLAPSED = "collapsed";

    /** The held-out data whose curves the collapse rule reads ({@link TrainingHistory#heldOutData()}). */
    private static final java.util.Set<String> HELD_OUT_CURVES = java.util.Set.of("test", "validation");

    /**
     * Checks the record.
     * @throws NullPointerException If a field other than {@code history} is null.
     */
    public LoadedRun {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(evaluation, "evaluation");
        Objects.requireNonNull(facts, "facts");
    }

    /**
     * The trainer's name.
     * @return {@link RunRecord#trainer()}.
     */
    public String trainer() {
        return record.trainer();
    }

    /**
     * The seed.
     * @return {@link RunRecord#seed()}.
     */
    public long seed() {
        return record.seed();
    }

    /**
     * The mean unscaled training loss of the last completed epoch.
     * @return The loss, NaN without history.
     */
    public double finalLoss() {
        return history == null ? Double.NaN : history.finalLoss();
    }

    /**
     * Why this run is left out of summaries, charts and verdicts, if it is.
     * <p>
     * Diverged: its record, history or provenance says training stopped on a non-finite loss, or its
     * test accuracy or final loss is not finite. Collapsed: it predicts a single class (recall 1 for one
     * test class and 0 for every other), or its test accuracy never rose clearly above the test set's
     * majority-class share \( m \) (not necessarily \( 1/K \)): neither the final accuracy nor any epoch's
     * held-out (test or validation) accuracy exceeded \( m + 3\sqrt{m(1-m)/n} \), three binomial standard errors over \( n \) test examples.
     * @return The failure, or empty for a healthy run.
     */
    public Optional<FailedRun> failure() {
        Divergence divergence = history == null ? null : history.divergence();
        if (record.isDiverged() || divergence != null || facts.diverged() || !Double.isFinite(evaluation.accuracy())
                || (history != null && !history.epochs().isEmpty() && !Double.isFinite(finalLoss()))) {
            String description = divergence != null ? divergence.describe()
                    : facts.runFields().getOrDefault("divergence", Double.isFinite(finalLoss()) || history == null
                    ? "where it diverged is recorded neither in " + RunFiles.HISTORY + " nor in the run provenance"
                    : "its final training loss is " + finalLoss());
            return Optional.of(new FailedRun(trainer(), seed(), DIVERGED, divergence, description));
        }
        Map<String, EvaluationRecord.ClassMetrics> perClass = evaluation.perClass();
        if (perClass == null || perClass.isEmpty()) {
            return Optional.empty();
        }
        double total = 0;
        double majority = 0;
        int present = 0;
        int fullRecall = 0;
        int zeroRecall = 0;
        for (EvaluationRecord.ClassMetrics c : perClass.values()) {
            total += c.support();
            majority = Math.max(majority, c.support());
            if (c.support() > 0) {
                present++;
                fullRecall += c.recall() == 1.0 ? 1 : 0;
                zeroRecall += c.recall() == 0.0 ? 1 : 0;
            }
        }
        if (present > 1 && fullRecall == 1 && zeroRecall == present - 1) {
            return Optional.of(new FailedRun(trainer(), seed(), COLLAPSED, null,
                    "predicts a single class (per-class recall 1 for one class, 0 for the " + (present - 1) + " others)"));
        }
        double share = majority / total;
        double threshold = share + 3 * Math.sqrt(share * (1 - share) / total);
        double best = evaluation.accuracy();
        // The held-out curve counts when it is the test set or a validation split (stratified from the training data,
        // so its majority share is the test set's up to rounding): a run that learned shows it on either.
        if (history != null && HELD_OUT_CURVES.contains(history.heldOutData())) {
            for (EpochRecord e : history.epochs()) {
                if (Double.isFinite(e.heldOutMetric())) {
                    best = Math.max(best, e.heldOutMetric());
                }
            }
        }
        if (present > 1 && best <= threshold) {
            return Optional.of(new FailedRun(trainer(), seed(), COLLAPSED, null, String.format(java.util.Locale.ROOT,
                    "test accuracy never rose clearly above the majority-class share %.4f (best %.4f, threshold %.4f = "
                            + "share + 3 binomial standard errors over %d test examples)", share, best, threshold, (long) total)));
        }
        return Optional.empty();
    }
}
