package io.github.randomgradient.djl.train;

import io.github.randomgradient.djl.DivergencePolicy;
import io.github.randomgradient.djl.LastBatch;
import io.github.randomgradient.djl.optim.LearningRateSchedule;
import io.github.randomgradient.djl.optim.OptimiserType;
import io.github.randomgradient.djl.optim.Schedule;
import io.github.randomgradient.rg.LossScale;

import java.util.Objects;

/**
 * The immutable settings of one training run, copied from {@code DJLTrainer}'s {@code @Config}
 * fields (which hold the defaults and validate them in {@code postConfig}).
 *
 * @param lossScale          The loss scale drawn once per mini-batch.
 * @param optimiser          The update rule.
 * @param learningRate       The base learning rate \( \eta_0 \).
 * @param momentum           Momentum \( \mu \) for SGD and NESTEROV.
 * @param beta1              Adam's \( \beta_1 \).
 * @param beta2              Adam's \( \beta_2 \).
 * @param weightDecay        Weight decay \( \lambda \) (the optimiser's; not scaled by the loss scale).
 * @param lrSchedule         The learning-rate schedule.
 * @param lrPower            POLY's exponent.
 * @param stepEpochs         STEP's period in epochs.
 * @param stepGamma          STEP's factor.
 * @param epochs             Passes over the training data.
 * @param batchSize          Examples per optimiser step.
 * @param lastBatch          What happens to a short trailing mini-batch.
 * @param divergencePolicy   What happens on a non-finite loss, logit, gradient, parameter or held-out metric.
 * @param inferenceBatchSize Examples per forward pass when evaluating.
 * @param splitsPerDevice    Splits (and parameter replicas) of each mini-batch per device (1 except in tests of the data-parallel path).
 */
public record RunSettings(LossScale lossScale, OptimiserType optimiser, float learningRate, float momentum, float beta1,
                          float beta2, float weightDecay, LearningRateSchedule lrSchedule, float lrPower, int stepEpochs,
                          float stepGamma, int epochs, int batchSize, LastBatch lastBatch,
                          DivergencePolicy divergencePolicy, int inferenceBatchSize, int splitsPerDevice) {

    /**
     * Checks that nothing is missing (values were validated by the trainer's {@code postConfig}).
     * @throws NullPointerException If a component is null.
     * @throws IllegalArgumentException If a count is below 1.
     */
    public RunSettings {
        Objects.requireNonNull(lossScale, "lossScale");
        Objects.requireNonNull(optimiser, "optimiser");
        Objects.requireNonNull(lrSchedule, "lrSchedule");
        Objects.requireNonNull(lastBatch, "lastBatch");
        Objects.requireNonNull(divergencePolicy, "divergencePolicy");
        if (epochs < 1 || batchSize < 1 || inferenceBatchSize < 1 || splitsPerDevice < 1) {
            throw new IllegalArgumentException("epochs, batchSize, inferenceBatchSize and splitsPerDevice must be >= 1, found "
                    + epochs + ", " + batchSize + ", " + inferenceBatchSize + ", " + splitsPerDevice);
        }
    }

    /**
     * The learning-rate schedule of a run.
     * @param totalUpdates The run's number of optimiser updates.
     * @return The schedule.
     */
    public Schedule schedule(long totalUpdates) {
        return new Schedule(lrSchedule, learningRate, lrPower, stepEpochs, stepGamma, totalUpdates);
    }
}
