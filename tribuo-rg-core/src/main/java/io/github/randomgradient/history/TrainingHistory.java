package io.github.randomgradient.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The per-epoch record of a training run and its held-out curve, kept with the trained model so
 * reports can draw convergence curves and measure time to a target and oscillation after the fact.
 *
 * @param metric The name of the metric measured per epoch on the training mini-batches and on the
 *               held-out data, e.g. {@code accuracy} or {@code rmse}.
 * @param heldOutData What the held-out data was, e.g. {@code test} when the CLI passes the test set,
 *                    or the empty string when no held-out data was given.
 * @param epochs One record per completed epoch, in order (possibly fewer than configured if the run diverged).
 * @param divergence Where the run diverged, or null if it did not.
 * @param evaluations The held-out curve: every evaluation of the held-out data, in order of
 *                    {@link EvaluationPoint#step()} (several per epoch when the trainer evaluates more
 *                    often than once an epoch); empty when no held-out data was given and in histories
 *                    written before evaluation points were recorded (null reads as empty).
 */
public record TrainingHistory(String metric, String heldOutData, List<EpochRecord> epochs,
                              Divergence divergence, List<EvaluationPoint> evaluations) implements Serializable {

    /**
     * Validates and freezes the record.
     * @throws NullPointerException If a name or the epoch list is null.
     * @throws IllegalArgumentException If the evaluation points are not in increasing order of step.
     */
    @JsonCreator
    public TrainingHistory {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(heldOutData, "heldOutData");
        epochs = List.copyOf(epochs);
        // Null: a history Java-serialised (or written as JSON) before the points existed.
        evaluations = evaluations == null ? List.of() : List.copyOf(evaluations);
        for (int i = 1; i < evaluations.size(); i++) {
            if (evaluations.get(i).step() <= evaluations.get(i - 1).step()) {
                throw new IllegalArgumentException("evaluation points must be in increasing order of step, found step "
                        + evaluations.get(i).step() + " after step " + evaluations.get(i - 1).step());
            }
        }
    }

    /**
     * A history without evaluation points (a run without held-out data, or one recorded before the points existed).
     * @param metric The metric's name.
     * @param heldOutData What the held-out data was, or the empty string.
     * @param epochs One record per completed epoch.
     * @param divergence Where the run diverged, or null.
     */
    public TrainingHistory(String metric, String heldOutData, List<EpochRecord> epochs, Divergence divergence) {
        this(metric, heldOutData, epochs, divergence, List.of());
    }

    /**
     * Did the run stop on a non-finite loss?
     * @return True if it diverged.
     */
    @JsonIgnore
    public boolean isDiverged() {
        return divergence != null;
    }

    /**
     * The divergence, if any.
     * @return The divergence.
     */
    public Optional<Divergence> divergenceIfAny() {
        return Optional.ofNullable(divergence);
    }

    /**
     * The mean unscaled loss of the last completed epoch.
     * @return The final training loss, or NaN if no epoch completed.
     */
    public double finalLoss() {
        return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).meanLoss();
    }

    /**
     * Total wall-clock training seconds over all epochs.
     * @return The sum of the epochs' wall seconds.
     */
    public double totalWallSeconds() {
        return epochs.stream().mapToDouble(EpochRecord::wallSeconds).sum();
    }

    /**
     * The mean loss-scale factor over every step of the run.
     * @return The step-weighted mean factor, or NaN if no step completed.
     */
    public double meanLossScale() {
        double sum = 0;
        long steps = 0;
        for (EpochRecord e : epochs) {
            sum += e.meanLossScale() * e.steps();
            steps += e.steps();
        }
        return steps == 0 ? Double.NaN : sum / steps;
    }

    /**
     * The oscillation of the training loss over the whole run: the mean absolute change between
     * consecutive mini-batch losses across all epochs.
     * @return The mean absolute step-to-step change, or NaN with fewer than two steps.
     */
    public double meanAbsoluteStepChange() {
        int n = epochs.stream().mapToInt(EpochRecord::steps).sum();
        float[] all = new float[n];
        int pos = 0;
        for (EpochRecord e : epochs) {
            System.arraycopy(e.stepLosses(), 0, all, pos, e.steps());
            pos += e.steps();
        }
        return EpochRecord.meanAbsoluteStepChange(all);
    }
}
