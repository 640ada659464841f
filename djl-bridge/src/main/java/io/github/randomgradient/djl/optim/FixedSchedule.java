package io.github.randomgradient.djl.optim;

/**
 * A constant learning rate \( \eta_t = \eta_0 \) (no {@code torch.optim.lr_scheduler}); the default.
 */
public final class FixedSchedule extends Schedule {

    /** Creates the schedule (also for OLCUT; it has no parameters). */
    public FixedSchedule() {}

    @Override
    protected double rate(double baseRate, long t, long totalUpdates, int epoch) {
        return baseRate;
    }

    @Override
    public String name() {
        return LearningRateSchedule.FIXED.name();
    }

    @Override
    public String describe() {
        return name();
    }

    @Override
    public String toString() {
        return "FixedSchedule()";
    }
}
