package io.github.randomgradient.djl.optim;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.config.ConfigChecks;

/**
 * \( \eta_t = \eta_0 \gamma^{\lfloor e / s \rfloor} \) for an update in 0-based epoch {@code e};
 * {@code torch.optim.lr_scheduler.StepLR(step_size=s, gamma)} stepped per epoch. A run shorter than
 * the period keeps the base rate.
 */
public final class StepSchedule extends Schedule {

    @Config(description = "The period s in epochs, >= 1; 10 by default.")
    private int epochs = 10;

    @Config(description = "The factor gamma, in (0, 1]; 0.1 by default.")
    private float gamma = 0.1f;

    /** For OLCUT. */
    private StepSchedule() {}

    /**
     * Creates the schedule.
     * @param epochs The period \( s \) in epochs, >= 1.
     * @param gamma The factor \( \gamma \), in (0, 1].
     * @throws IllegalArgumentException If a value is out of range; the message names the field and value.
     */
    public StepSchedule(int epochs, float gamma) {
        this.epochs = epochs;
        this.gamma = gamma;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the fields.
     * @throws PropertyException If {@code epochs < 1} or {@code gamma} is outside (0, 1].
     */
    @Override
    public void postConfig() {
        if (epochs < 1) {
            throw new PropertyException("", "epochs", "StepSchedule epochs must be >= 1, found " + epochs);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new PropertyException("", "gamma", "StepSchedule gamma must be in (0, 1], found " + gamma);
        }
    }

    /**
     * The period.
     * @return \( s \) in epochs.
     */
    public int getEpochs() {
        return epochs;
    }

    /**
     * The factor.
     * @return \( \gamma \).
     */
    public float getGamma() {
        return gamma;
    }

    @Override
    protected double rate(double baseRate, long t, long totalUpdates, int epoch) {
        return baseRate * Math.pow(gamma, epoch / epochs);
    }

    @Override
    public String name() {
        return LearningRateSchedule.STEP.name();
    }

    @Override
    public String describe() {
        return name() + " (gamma " + gamma + " every " + epochs + " epochs)";
    }

    @Override
    public String toString() {
        return "StepSchedule(epochs=" + epochs + ",gamma=" + gamma + ")";
    }
}
