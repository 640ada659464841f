package io.github.randomgradient.djl.train;

import io.github.randomgradient.djl.DivergencePolicy;
import io.github.randomgradient.djl.LastBatch;
import io.github.randomgradient.djl.MemoryFormat;
import io.github.randomgradient.djl.optim.Schedule;
import io.github.randomgradient.djl.optim.TorchOptimiser;
import io.github.randomgradient.rg.LossScale;

import java.util.Objects;

/**
 * The immutable settings of one training run, copied from {@code DJLTrainer}'s {@code @Config}
 * fields (which hold the defaults and validate them in {@code postConfig}).
 *
 * @param lossScale          The loss scale drawn once per mini-batch.
 * @param optimiser          The update rule (its weight decay is not scaled by the loss scale).
 * @param schedule           The learning-rate schedule.
 * @param learningRate       The base learning rate \( \eta_0 \).
 * @param epochs             Passes over the training data.
 * @param batchSize          Examples per optimiser step.
 * @param lastBatch          What happens to a short trailing mini-batch.
 * @param divergencePolicy   What happens on a non-finite loss, logit, gradient, parameter or held-out metric.
 * @param inferenceBatchSize Examples per forward pass when evaluating.
 * @param splitsPerDevice    Splits (and parameter replicas) of each mini-batch per device (1 except in tests of the data-parallel path).
 * @param evaluationsPerEpoch Evaluations of the held-out data per epoch, >= 1: after every
 *                            \( \lceil S/k \rceil \) of an epoch's {@code S} mini-batches and after its last
 *                            (see {@link TrainingLoop#evaluatesAfter}).
 * @param memoryFormat       The memory format of image inputs, in training and in evaluation.
 */
public record RunSettings(LossScale lossScale, TorchOptimiser optimiser, Schedule schedule, float learningRate, int epochs, int batchSize, LastBatch lastBatch,
                          DivergencePolicy divergencePolicy, int inferenceBatchSize, int splitsPerDevice, int evaluationsPerEpoch,
                          MemoryFormat memoryFormat) {

    /**
     * Checks that nothing is missing (values were validated by the trainer's {@code postConfig}).
     * @throws NullPointerException If a component is null.
     * @throws IllegalArgumentException If a count is below 1.
     */
    public RunSettings {
        Objects.requireNonNull(lossScale, "lossScale");
        Objects.requireNonNull(optimiser, "optimiser");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(lastBatch, "lastBatch");
        Objects.requireNonNull(divergencePolicy, "divergencePolicy");
        Objects.requireNonNull(memoryFormat, "memoryFormat");
        if (epochs < 1 || batchSize < 1 || inferenceBatchSize < 1 || splitsPerDevice < 1 || evaluationsPerEpoch < 1) {
            throw new IllegalArgumentException("epochs, batchSize, inferenceBatchSize, splitsPerDevice and evaluationsPerEpoch must be >= 1, found "
                    + epochs + ", " + batchSize + ", " + inferenceBatchSize + ", " + splitsPerDevice + ", " + evaluationsPerEpoch);
        }
    }

    /**
     * Settings that evaluate the held-out data once per epoch, at its end, with contiguous (NCHW) image inputs.
     * @param lossScale          The loss scale.
     * @param optimiser          The update rule.
     * @param schedule           The learning-rate schedule.
     * @param learningRate       The base learning rate.
     * @param epochs             Passes over the training data.
     * @param batchSize          Examples per optimiser step.
     * @param lastBatch          What happens to a short trailing mini-batch.
     * @param divergencePolicy   What happens on a non-finite value.
     * @param inferenceBatchSize Examples per forward pass when evaluating.
     * @param splitsPerDevice    Splits of each mini-batch per device.
     */
    public RunSettings(LossScale lossScale, TorchOptimiser optimiser, Schedule schedule, float learningRate, int epochs, int batchSize,
                       LastBatch lastBatch, DivergencePolicy divergencePolicy, int inferenceBatchSize, int splitsPerDevice) {
        this(lossScale, optimiser, schedule, learningRate, epochs, batchSize, lastBatch, divergencePolicy, inferenceBatchSize,
                splitsPerDevice, 1, MemoryFormat.CONTIGUOUS);
    }
}
