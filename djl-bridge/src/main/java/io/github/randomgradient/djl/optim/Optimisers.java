package io.github.randomgradient.djl.optim;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.MultiFactorTracker;
import ai.djl.training.tracker.PolynomialDecayTracker;
import ai.djl.training.tracker.Tracker;

/**
 * Builds DJL optimisers and learning-rate trackers from {@code DJLTrainer}'s configuration.
 */
public final class Optimisers {

    private Optimisers() {}

    /**
     * Builds the learning-rate schedule.
     * @param schedule The schedule type.
     * @param learningRate The base learning rate \( \eta_0 \).
     * @param totalSteps The total number of optimiser steps of the run (epochs x mini-batches per epoch), at least 1.
     * @param stepsPerEpoch Mini-batches per epoch, at least 1.
     * @param lrPower The exponent of {@link LearningRateSchedule#POLY}.
     * @param stepEpochs The period, in epochs, of {@link LearningRateSchedule#STEP}.
     * @param stepGamma The factor of {@link LearningRateSchedule#STEP}.
     * @return A DJL tracker giving the learning rate for update number {@code t >= 1}.
     */
    public static Tracker learningRateTracker(LearningRateSchedule schedule, float learningRate, int totalSteps,
                                              int stepsPerEpoch, float lrPower, int stepEpochs, float stepGamma) {
        switch (schedule) {
            case POLY:
                return PolynomialDecayTracker.builder()
                        .setBaseValue(learningRate)
                        .setEndLearningRate(0f)
                        .setDecaySteps(Math.max(1, totalSteps))
                        .optPower(lrPower)
                        .build();
            case STEP: {
                int epochs = Math.max(1, totalSteps / Math.max(1, stepsPerEpoch));
                int boundaries = Math.max(1, (epochs - 1) / stepEpochs);
                int[] steps = new int[boundaries];
                for (int i = 0; i < boundaries; i++) {
                    steps[i] = (i + 1) * stepEpochs * stepsPerEpoch;
                }
                return MultiFactorTracker.builder().setBaseValue(learningRate).setSteps(steps).optFactor(stepGamma).build();
            }
            case COSINE:
                return CosineTracker.builder()
                        .setBaseValue(learningRate)
                        .optFinalValue(0f)
                        .setMaxUpdates(Math.max(1, totalSteps))
                        .build();
            case FIXED:
            default:
                return Tracker.fixed(learningRate);
        }
    }

    /**
     * Builds the optimiser. Weight decay here is the optimiser's own L2 term, added to the
     * gradient after back-propagation, so it is <em>not</em> multiplied by the loss scale.
     * @param type The optimiser.
     * @param tracker The learning-rate schedule.
     * @param momentum Momentum for SGD and Nesterov.
     * @param beta1 Adam's first-moment decay.
     * @param beta2 Adam's second-moment decay.
     * @param weightDecay L2 weight decay \( \lambda \).
     * @return The DJL optimiser.
     */
    public static Optimizer optimiser(OptimiserType type, Tracker tracker, float momentum, float beta1, float beta2,
                                      float weightDecay) {
        switch (type) {
            case NESTEROV:
                return NesterovSgd.builder().setLearningRateTracker(tracker).setMomentum(momentum)
                        .optWeightDecays(weightDecay).build();
            case ADAM:
                return Optimizer.adam().optLearningRateTracker(tracker).optBeta1(beta1).optBeta2(beta2)
                        .optWeightDecays(weightDecay).build();
            case SGD:
            default:
                return Optimizer.sgd().setLearningRateTracker(tracker).optMomentum(momentum)
                        .optWeightDecays(weightDecay).build();
        }
    }
}
