package io.github.randomgradient.history;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * What one epoch of training did.
 * <p>
 * Losses are the <em>unscaled</em> mini-batch losses (before multiplication by the loss scale), so
 * runs with different loss scales are compared on the same objective.
 *
 * @param epoch The epoch number, starting at 1.
 * @param steps The number of mini-batches (optimiser steps) in the epoch.
 * @param meanLoss The mean unscaled mini-batch loss over the epoch.
 * @param meanLossScale The mean loss-scale factor applied in the epoch (1.0 for the baseline).
 * @param trainingMetric The training metric accumulated over the epoch's mini-batches
 *                       (accuracy for classification, RMSE for regression; see {@link TrainingHistory#trainingMetric()}).
 * @param heldOutMetric The same metric on the validation data at the end of the epoch, NaN if none was given.
 * @param wallSeconds Wall-clock seconds spent training the epoch (validation excluded).
 * @param learningRate The learning rate of the epoch's last step.
 * @param stepLosses The unscaled loss of every mini-batch, in order, length {@code steps}.
 */
public record EpochRecord(int epoch, int steps, double meanLoss, double meanLossScale, double trainingMetric,
                          double heldOutMetric, double wallSeconds, double learningRate, float[] stepLosses)
        implements Serializable {

    /**
     * Validates the record.
     * @throws IllegalArgumentException If {@code epoch < 1}, {@code steps < 0} or the step losses do not number {@code steps}.
     */
    public EpochRecord {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, found " + epoch);
        }
        Objects.requireNonNull(stepLosses, "stepLosses");
        if (stepLosses.length != steps) {
            throw new IllegalArgumentException("stepLosses has " + stepLosses.length + " entries but steps=" + steps);
        }
    }

    /**
     * Samples processed per second of training wall time.
     * @param examples The number of training examples seen in the epoch.
     * @return Samples per second, or NaN if no time was measured.
     */
    public double samplesPerSecond(int examples) {
        return wallSeconds > 0 ? examples / wallSeconds : Double.NaN;
    }

    /**
     * The oscillation of the training loss: the mean absolute change of the unscaled loss between
     * consecutive mini-batches, \( \frac{1}{n-1}\sum_t |L_{t+1} - L_t| \).
     * @return The mean absolute step-to-step change, or NaN with fewer than two steps.
     */
    public double meanAbsoluteStepChange() {
        return meanAbsoluteStepChange(stepLosses);
    }

    /**
     * The mean absolute change between consecutive values, \( \frac{1}{n-1}\sum_t |x_{t+1} - x_t| \).
     * @param xs The values, e.g. per-step losses.
     * @return The mean absolute step-to-step change, or NaN with fewer than two values.
     */
    public static double meanAbsoluteStepChange(float[] xs) {
        if (xs.length < 2) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 1; i < xs.length; i++) {
            sum += Math.abs((double) xs[i] - xs[i - 1]);
        }
        return sum / (xs.length - 1);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EpochRecord)) {
            return false;
        }
        EpochRecord that = (EpochRecord) o;
        return epoch == that.epoch && steps == that.steps
                && Double.compare(meanLoss, that.meanLoss) == 0
                && Double.compare(meanLossScale, that.meanLossScale) == 0
                && Double.compare(trainingMetric, that.trainingMetric) == 0
                && Double.compare(heldOutMetric, that.heldOutMetric) == 0
                && Double.compare(wallSeconds, that.wallSeconds) == 0
                && Double.compare(learningRate, that.learningRate) == 0
                && Arrays.equals(stepLosses, that.stepLosses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, steps, meanLoss, meanLossScale, trainingMetric, heldOutMetric, wallSeconds,
                learningRate, Arrays.hashCode(stepLosses));
    }

    @Override
    public String toString() {
        return "EpochRecord(epoch=" + epoch + ",steps=" + steps + ",meanLoss=" + meanLoss + ",meanLossScale="
                + meanLossScale + ",trainingMetric=" + trainingMetric + ",heldOutMetric=" + heldOutMetric
                + ",wallSeconds=" + wallSeconds + ",learningRate=" + learningRate + ")";
    }
}
