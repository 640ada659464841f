package io.github.randomgradient.djl.optim;

/**
 * Learning-rate schedules, evaluated per optimiser step (DJL counts updates from 1).
 */
public enum LearningRateSchedule {
    /** A constant learning rate. */
    FIXED,
    /**
     * The "poly" policy: \( \eta_t = \eta_0 (1 - t/T)^{p} \) with {@code T} the total number of steps
     * and {@code p = lrPower} (0.9 by default), as used by PSPNet and the RG paper's Pascal VOC
     * segmentation experiments (section 5.2). DJL's {@code PolynomialDecayTracker}.
     */
    POLY,
    /**
     * Multiply the learning rate by {@code stepGamma} every {@code stepEpochs} epochs
     * (DJL's {@code MultiFactorTracker}).
     */
    STEP,
    /**
     * Cosine annealing from \( \eta_0 \) to 0 over all steps (Loshchilov and Hutter, 2017;
     * DJL's {@code CosineTracker}).
     */
    COSINE
}
