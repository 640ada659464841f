package io.github.randomgradient.history;

import java.io.Serializable;

/**
 * Where and how a training run diverged: the first mini-batch whose loss, logits, gradient or
 * updated parameters were not finite, or the evaluation of the held-out data (see
 * {@link EvaluationPoint}) whose logits, metric or loss, or (at the end of training) the final
 * network's inference-mode logits were not finite; then {@code step} is the last mini-batch before
 * it (the point's {@link EvaluationPoint#step()} minus 1; at the end of an epoch, the epoch's last).
 *
 * @param epoch The epoch (from 1) of the non-finite value.
 * @param step The global mini-batch number (from 0) of the non-finite value.
 * @param loss The loss value of that mini-batch, unscaled (NaN or infinite when {@code what} is {@code loss}).
 * @param learningRate The learning rate at that step.
 * @param lossScale The loss-scale factor drawn for that step.
 * @param what What was not finite: {@value #LOSS}, or a value named by the trainer (e.g.
 *             {@code gradient of 01Linear_weight}, {@code parameter 02BatchNorm_runningVar},
 *             {@code logits}, {@code test logits (inference mode)}, {@code validation rmse}, {@code validation loss},
 *             {@code logits on the training data (inference mode)}); {@value #LOSS} when null (older records).
 */
public record Divergence(int epoch, long step, double loss, double learningRate, double lossScale, String what) implements Serializable {

    /** {@link #what()} of a non-finite loss. */
    public static final String LOSS = "loss";

    /**
     * Defaults {@code what} to {@value #LOSS}.
     */
    public Divergence {
        if (what == null || what.isBlank()) {
            what = LOSS;
        }
    }

    /**
     * A divergence on a non-finite loss.
     * @param epoch The epoch (from 1).
     * @param step The global mini-batch number (from 0).
     * @param loss The non-finite loss, unscaled.
     * @param learningRate The learning rate at that step.
     * @param lossScale The loss-scale factor drawn for that step.
     */
    public Divergence(int epoch, long step, double loss, double learningRate, double lossScale) {
        this(epoch, step, loss, learningRate, lossScale, LOSS);
    }

    /**
     * A one-line description naming every field, used in error messages and reports.
     * @return The description.
     */
    public String describe() {
        if (LOSS.equals(what)) {
            return "non-finite loss " + loss + " at epoch " + epoch + ", step " + step + " (learning rate "
                    + learningRate + ", loss scale " + lossScale + ")";
        }
        return "non-finite " + what + " at epoch " + epoch + ", step " + step + " (loss " + loss + ", learning rate "
                + learningRate + ", loss scale " + lossScale + ")";
    }
}
