package io.github.randomgradient.djl.optim;

import java.util.Objects;

/**
 * A learning-rate schedule with its parameters, for one run of {@code totalUpdates} optimiser
 * updates. The formulas are those of {@link LearningRateSchedule}.
 *
 * @param type         The schedule.
 * @param baseRate     The base learning rate \( \eta_0 \), finite and > 0.
 * @param power        The exponent of {@link LearningRateSchedule#POLY}, > 0.
 * @param stepEpochs   The period in epochs of {@link LearningRateSchedule#STEP}, >= 1.
 * @param stepGamma    The factor of {@link LearningRateSchedule#STEP}, in (0, 1].
 * @param totalUpdates The number of optimiser updates of the run, {@code T >= 1}.
 */
public record Schedule(LearningRateSchedule type, double baseRate, double power, int stepEpochs, double stepGamma,
                       long totalUpdates) {

    /**
     * Checks the parameters.
     * @throws IllegalArgumentException If a value is out of range; the message names it.
     */
    public Schedule {
        Objects.requireNonNull(type, "type");
        if (!(baseRate > 0) || !Double.isFinite(baseRate)) {
            throw new IllegalArgumentException("baseRate must be finite and > 0, found " + baseRate);
        }
        if (!(power > 0) || !Double.isFinite(power)) {
            throw new IllegalArgumentException("power must be finite and > 0, found " + power);
        }
        if (stepEpochs < 1) {
            throw new IllegalArgumentException("stepEpochs must be >= 1, found " + stepEpochs);
        }
        if (!(stepGamma > 0 && stepGamma <= 1)) {
            throw new IllegalArgumentException("stepGamma must be in (0, 1], found " + stepGamma);
        }
        if (totalUpdates < 1) {
            throw new IllegalArgumentException("totalUpdates must be >= 1, found " + totalUpdates);
        }
    }

    /**
     * The learning rate of update {@code t}, which falls in 0-based epoch {@code epoch}.
     * @param t The 0-based optimiser update, {@code 0 <= t < totalUpdates}.
     * @param epoch The 0-based epoch of that update.
     * @return \( \eta_t \) (in double precision, as PyTorch's schedulers compute it).
     * @throws IllegalArgumentException If {@code t} or {@code epoch} is out of range.
     */
    public double learningRate(long t, int epoch) {
        if (t < 0 || t >= totalUpdates) {
            throw new IllegalArgumentException("update t must be in [0, " + totalUpdates + "), found " + t);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, found " + epoch);
        }
        switch (type) {
            case POLY:
                return baseRate * Math.pow(1.0 - (double) t / totalUpdates, power);
            case STEP:
                return baseRate * Math.pow(stepGamma, epoch / stepEpochs);
            case COSINE:
                return baseRate * (1.0 + Math.cos(Math.PI * t / totalUpdates)) / 2.0;
            case FIXED:
            default:
                return baseRate;
        }
    }
}
