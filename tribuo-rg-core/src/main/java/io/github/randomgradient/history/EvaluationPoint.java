package io.github.randomgradient.history;

import java.io.Serializable;

/**
 * One evaluation of the held-out data during training, at a finer grain than an epoch: the points
 * of a run are its held-out (validation) curve, from which time to a target, the area under the
 * curve and the curve's oscillation are measured.
 * <p>
 * A trainer that evaluates {@code k} times per epoch of {@code S} mini-batches evaluates after every
 * \( \lceil S/k \rceil \) mini-batches of an epoch and always after its last one, so an epoch has at
 * most {@code k} points (every mini-batch when {@code k >= S}) and the epoch's last point is the
 * held-out metric of its {@link EpochRecord}. Evaluation uses inference mode and never changes the
 * parameters, the batch-norm running statistics or any random draw of the training run.
 *
 * @param step The number of optimiser steps (mini-batches) completed before the evaluation, counted
 *             over the whole run from 1; the last of them has the 0-based number {@code step - 1} in
 *             {@link Divergence#step()}'s numbering.
 * @param epoch The epoch (from 1) the evaluation falls in.
 * @param epochFraction Epochs of training completed at the evaluation, {@code epoch - 1 + s / S}
 *                      after the {@code s}-th of the epoch's {@code S} mini-batches (e.g. 0.25, 0.5,
 *                      0.75, 1.0 with four points per epoch).
 * @param wallSeconds Wall-clock seconds of training since the run's first mini-batch, evaluation time
 *                    excluded (the clock of {@link EpochRecord#wallSeconds()}: the last point of an
 *                    epoch reads the sum of the epochs' wall seconds so far).
 * @param heldOutLoss The mean loss (the training loss function, unscaled, averaged over every example)
 *                    on the held-out data.
 * @param heldOutMetric The metric of {@link TrainingHistory#metric()} (e.g. accuracy) on the held-out data.
 */
public record EvaluationPoint(long step, int epoch, double epochFraction, double wallSeconds, double heldOutLoss,
                              double heldOutMetric) implements Serializable {

    /**
     * Validates the record.
     * @throws IllegalArgumentException If {@code step < 1}, {@code epoch < 1}, or the epoch fraction
     *                                  is not in {@code (epoch - 1, epoch]}.
     */
    public EvaluationPoint {
        if (step < 1) {
            throw new IllegalArgumentException("step must be >= 1 (steps completed), found " + step);
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, found " + epoch);
        }
        if (!(epochFraction > epoch - 1 && epochFraction <= epoch)) {
            throw new IllegalArgumentException("epochFraction must be in (" + (epoch - 1) + ", " + epoch + "] for epoch "
                    + epoch + ", found " + epochFraction);
        }
    }
}
