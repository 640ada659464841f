package io.github.randomgradient.history;

import java.io.Serializable;

/**
 * Where and how a training run diverged: the first mini-batch whose loss was not finite.
 *
 * @param epoch The epoch (from 1) of the non-finite loss.
 * @param step The global mini-batch number (from 0) of the non-finite loss.
 * @param loss The loss value (NaN or infinite), unscaled.
 * @param learningRate The learning rate at that step.
 * @param lossScale The loss-scale factor drawn for that step.
 */
public record Divergence(int epoch, long step, double loss, double learningRate, double lossScale) implements Serializable {

    /**
     * A one-line description naming every field, used in error messages and reports.
     * @return The description.
     */
    public String describe() {
        return "non-finite loss " + loss + " at epoch " + epoch + ", step " + step + " (learning rate "
                + learningRate + ", loss scale " + lossScale + ")";
    }
}
