package io.github.randomgradient.djl.optim;

/**
 * Cosine annealing to 0 over the run, \( \eta_t = \eta_0 (1 + \cos(\pi t / T)) / 2 \);
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR(T_max=T, eta_min=0)} stepped per update.
 * <pre>
 * Reference: I. Loshchilov, F. Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017.
 * </pre>
 */
public final class CosineSchedule extends Schedule {

    /** Creates the schedule (also for OLCUT; it has no parameters). */
    public CosineSchedule() {}

    @Override
    protected double rate(double baseRate, long t, long totalUpdates, int epoch) {
        return baseRate * (1.0 + Math.cos(Math.PI * t / totalUpdates)) / 2.0;
    }

    @Override
    public String name() {
        return LearningRateSchedule.COSINE.name();
    }

    @Override
    public String describe() {
        return name();
    }

    @Override
    public String toString() {
        return "CosineSchedule()";
    }
}
