package io.github.randomgradient.sweep.report;

import io.github.randomgradient.report.PairedDifferences;
import org.apache.commons.math3.fraction.BigFraction;

import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The per-run quantities the sweep report compares, each with the direction the paper claims for RG.
 */
public enum Metric {
    /** Final test accuracy; the paper claims no loss. */
    ACCURACY("final test accuracy", true, RunOutcome::testAccuracy, RunOutcome::testExamples),
    /** Test accuracy after the first epoch; the paper claims faster convergence. */
    EPOCH1_ACCURACY("test accuracy after epoch 1", true, RunOutcome::epoch1Accuracy, RunOutcome::testExamples),
    /** Epochs until the test accuracy first reaches the target (epochs + 1 if never); the paper claims fewer. */
    EPOCHS_TO_TARGET("epochs to target", false, RunOutcome::epochsToTarget, null),
    /** Mean absolute change between consecutive mini-batch losses; the paper claims less oscillation. */
    OSCILLATION("oscillation (mean |Δ loss| between mini-batches)", false, RunOutcome::oscillation, null);

    private final String description;
    private final boolean higherIsBetter;
    private final ToDoubleFunction<RunOutcome> value;
    private final ToLongFunction<RunOutcome> examples;

    Metric(String description, boolean higherIsBetter, ToDoubleFunction<RunOutcome> value, ToLongFunction<RunOutcome> examples) {
        this.description = description;
        this.higherIsBetter = higherIsBetter;
        this.value = value;
        this.examples = examples;
    }

    /** @return The description. */
    public String description() {
        return description;
    }

    /** @return True if a larger value is better. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * The metric of a run.
     * @param run The run.
     * @return The value.
     */
    public double of(RunOutcome run) {
        return value.applyAsDouble(run);
    }

    /**
     * Whether the metric is a proportion of a count of examples (an accuracy on the test set).
     * @return True for the accuracies.
     */
    public boolean isCount() {
        return examples != null;
    }

    /**
     * The metric of a run as an exact rational: an accuracy as its count of correct test examples over
     * the test set's size (when the run records that size and the value is such a count), any other
     * value as the double it is. Equal counts give equal differences.
     * @param run The run.
     * @return The value.
     * @throws IllegalArgumentException If the value is not finite.
     */
    public BigFraction exact(RunOutcome run) {
        double v = of(run);
        long n = examples == null ? 0 : examples.applyAsLong(run);
        return PairedDifferences.isCount(v, n) ? PairedDifferences.proportion(v, n) : PairedDifferences.exact(v);
    }

    /**
     * Whether a run's value is compared as an exact count.
     * @param run The run.
     * @return True if {@link #exact(RunOutcome)} read the value as a count.
     */
    public boolean countOf(RunOutcome run) {
        return examples != null && PairedDifferences.isCount(of(run), examples.applyAsLong(run));
    }

    /**
     * The smallest possible value: 0 for accuracies and oscillation, 1 epoch to target.
     * @return The lower end of the metric's range.
     */
    public double lower() {
        return this == EPOCHS_TO_TARGET ? 1 : 0;
    }

    /**
     * The largest possible value: 1 for accuracies, the sweep's epochs + 1 (never reached) for epochs to
     * target, unbounded for oscillation.
     * @param epochs The sweep's epochs per run.
     * @return The upper end of the metric's range.
     */
    public double upper(int epochs) {
        return isCount() ? 1 : this == EPOCHS_TO_TARGET ? epochs + 1 : Double.POSITIVE_INFINITY;
    }
}
