package io.github.randomgradient.djl.optim;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.config.ConfigChecks;

/**
 * The "poly" policy \( \eta_t = \eta_0 (1 - t/T)^{p} \), as used by PSPNet and the RG paper's
 * Pascal VOC experiments (section 5.2, power 0.9);
 * {@code torch.optim.lr_scheduler.PolynomialLR(total_iters=T, power=p)} stepped per update.
 */
public final class PolySchedule extends Schedule {

    @Config(description = "The exponent p, finite and > 0; 0.9 by default (the RG paper's and PSPNet's value).")
    private float power = 0.9f;

    /** For OLCUT. */
    private PolySchedule() {}

    /**
     * Creates the schedule.
     * @param power The exponent \( p \), finite and > 0.
     * @throws IllegalArgumentException If {@code power} is out of range; the message names it and its value.
     */
    public PolySchedule(float power) {
        this.power = power;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the exponent.
     * @throws PropertyException If {@code power} is not finite and > 0.
     */
    @Override
    public void postConfig() {
        if (!(power > 0) || !Float.isFinite(power)) {
            throw new PropertyException("", "power", "PolySchedule power must be finite and > 0, found " + power);
        }
    }

    /**
     * The exponent.
     * @return \( p \).
     */
    public float getPower() {
        return power;
    }

    @Override
    protected double rate(double baseRate, long t, long totalUpdates, int epoch) {
        return baseRate * Math.pow(1.0 - (double) t / totalUpdates, power);
    }

    @Override
    public String name() {
        return LearningRateSchedule.POLY.name();
    }

    @Override
    public String describe() {
        return name() + " (power " + power + ")";
    }

    @Override
    public String toString() {
        return "PolySchedule(power=" + power + ")";
    }
}
