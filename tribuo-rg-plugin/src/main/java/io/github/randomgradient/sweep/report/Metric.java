package io.github.randomgradient.sweep.report;

import java.util.function.ToDoubleFunction;

/**
 * The per-run quantities the sweep report compares, each with the direction the paper claims for RG.
 */
public enum Metric {
    /** Final test accuracy; the paper claims no loss. */
    ACCURACY("final test accuracy", true, RunOutcome::testAccuracy),
    /** Test accuracy after the first epoch; the paper claims faster convergence. */
    EPOCH1_ACCURACY("test accuracy after epoch 1", true, RunOutcome::epoch1Accuracy),
    /** Epochs until the test accuracy first reaches the target (epochs + 1 if never); the paper claims fewer. */
    EPOCHS_TO_TARGET("epochs to target", false, RunOutcome::epochsToTarget),
    /** Mean absolute change between consecutive mini-batch losses; the paper claims less oscillation. */
    OSCILLATION("oscillation (mean |Δ loss| between mini-batches)", false, RunOutcome::oscillation);

    private final String description;
    private final boolean higherIsBetter;
    private final ToDoubleFunction<RunOutcome> value;

    Metric(String description, boolean higherIsBetter, ToDoubleFunction<RunOutcome> value) {
        this.description = description;
        this.higherIsBetter = higherIsBetter;
        this.value = value;
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
}
