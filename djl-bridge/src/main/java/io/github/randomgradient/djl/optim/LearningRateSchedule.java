package io.github.randomgradient.djl.optim;

/**
 * The values of {@code DJLTrainer}'s deprecated flat {@code lrSchedule} field (configs written before
 * the schedule was a component); {@link Schedule#of} builds the equivalent {@link FixedSchedule},
 * {@link PolySchedule}, {@link StepSchedule} or {@link CosineSchedule}. Learning-rate schedules, evaluated per optimiser update {@code t = 0 .. T-1} ({@code T} the total
 * number of updates of the run) and 0-based epoch {@code e}, as PyTorch users write them with
 * {@code torch.optim.lr_scheduler} stepping once per update. The first update always uses the base
 * rate \( \eta_0 \). 
 */
public enum LearningRateSchedule {
    /** A constant learning rate \( \eta_t = \eta_0 \). */
    FIXED,
    /**
     * The "poly" policy \( \eta_t = \eta_0 (1 - t/T)^{p} \) with {@code p = lrPower} (0.9 by
     * default), as used by PSPNet and the RG paper's Pascal VOC experiments (section 5.2);
     * {@code torch.optim.lr_scheduler.PolynomialLR(total_iters=T, power=p)}.
     */
    POLY,
    /**
     * \( \eta_t = \eta_0 \gamma^{\lfloor e / s \rfloor} \) with {@code gamma = stepGamma} and
     * {@code s = stepEpochs}; {@code torch.optim.lr_scheduler.StepLR(step_size=s, gamma)} stepped per epoch.
     */
    STEP,
    /**
     * Cosine annealing to 0, \( \eta_t = \eta_0 (1 + \cos(\pi t / T)) / 2 \) (Loshchilov and
     * Hutter, ICLR 2017); {@code torch.optim.lr_scheduler.CosineAnnealingLR(T_max=T, eta_min=0)}.
     */
    COSINE
}
