package io.github.randomgradient.rg;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.config.ConfigChecks;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.SplittableRandom;

/**
 * Random Gradient: each mini-batch loss is multiplied by \( u \sim U[low, high) \), one draw per
 * mini-batch.
 * <p>
 * With probability {@code applyProbability} a mini-batch is scaled by a fresh draw; otherwise its
 * factor is 1 (the authors' segmentation code scales only half the mini-batches,
 * {@code applyProbability = 0.5}). The mean factor is therefore
 * \( E[u] = p \cdot \frac{low + high}{2} + (1 - p) \).
 * With {@code meanPreserving = true} every factor is divided by \( E[u] \), so the mean step equals
 * the baseline's and only the noise of RG remains.
 * <p>
 * {@code high == low} is allowed and behaves as a constant scale.
 * <pre>
 * Reference: "Fast, Better Training Trick: Random Gradient", section 4 and its code listing
 * (loss = loss * random.random() before loss.backward()); defaults low = 0, high = 1.
 * </pre>
 */
public final class UniformLossScale implements LossScale {

    @Config(description = "Lower end of the uniform range (inclusive). Must be finite and >= 0.")
    private double low = 0.0;

    @Config(description = "Upper end of the uniform range (exclusive unless equal to low). Must be finite and >= low.")
    private double high = 1.0;

    @Config(description = "Probability that a mini-batch is scaled at all; unscaled mini-batches get factor 1. In [0, 1].")
    private double applyProbability = 1.0;

    @Config(description = "If true, every factor is divided by the expected factor so the mean step equals the baseline's.")
    private boolean meanPreserving = false;

    /**
     * For OLCUT.
     */
    private UniformLossScale() {}

    /**
     * The paper's default RG, \( U[0, 1) \), applied to every mini-batch.
     * @return {@code UniformLossScale(0.0, 1.0, 1.0, false)}.
     */
    public static UniformLossScale paperDefault() {
        return new UniformLossScale(0.0, 1.0);
    }

    /**
     * Creates RG with range {@code [low, high)} applied to every mini-batch.
     * @param low Lower end of the range, finite and {@code >= 0}.
     * @param high Upper end of the range, finite and {@code >= low}.
     * @throws IllegalArgumentException If a value is NaN, infinite or out of range; the message names the field.
     */
    public UniformLossScale(double low, double high) {
        this(low, high, 1.0, false);
    }

    /**
     * Creates RG.
     * @param low Lower end of the range, finite and {@code >= 0}.
     * @param high Upper end of the range, finite and {@code >= low}.
     * @param applyProbability Probability in [0, 1] that a mini-batch is scaled at all.
     * @param meanPreserving If true, every factor is divided by {@link #expectedValue()} of the
     *                       un-normalised scale, so the mean factor is 1.
     * @throws IllegalArgumentException If a value is NaN, infinite or out of range, or if
     *                                  {@code meanPreserving} is set while the expected factor is 0.
     */
    public UniformLossScale(double low, double high, double applyProbability, boolean meanPreserving) {
        this.low = low;
        this.high = high;
        this.applyProbability = applyProbability;
        this.meanPreserving = meanPreserving;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the configuration.
     * @throws PropertyException If a value is NaN, infinite or out of range, or if
     *                           {@code meanPreserving} is set while the expected factor is 0.
     */
    @Override
    public void postConfig() {
        ScaleValidation.requireRange(low, high);
        ScaleValidation.requireFinite("applyProbability", applyProbability);
        if (applyProbability < 0 || applyProbability > 1) {
            throw new PropertyException("", "applyProbability", "applyProbability must be in [0, 1], found " + applyProbability);
        }
        if (meanPreserving && rawExpectedValue() == 0.0) {
            throw new PropertyException("", "meanPreserving", "meanPreserving=true needs a non-zero expected scale, but "
                    + "low=" + low + ", high=" + high + ", applyProbability=" + applyProbability + " give E[u]=0");
        }
    }

    private double rawExpectedValue() {
        return applyProbability * (low + high) / 2.0 + (1.0 - applyProbability);
    }

    private double normaliser() {
        return meanPreserving ? rawExpectedValue() : 1.0;
    }

    /**
     * The lower end of the range.
     * @return low.
     */
    public double getLow() {
        return low;
    }

    /**
     * The upper end of the range.
     * @return high.
     */
    public double getHigh() {
        return high;
    }

    /**
     * The probability that a mini-batch is scaled.
     * @return applyProbability.
     */
    public double getApplyProbability() {
        return applyProbability;
    }

    /**
     * Whether factors are divided by the expected factor.
     * @return meanPreserving.
     */
    public boolean isMeanPreserving() {
        return meanPreserving;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Each step draws first whether it is scaled (probability {@code applyProbability}), then
     * \( u \sim U[low, high) \).
     */
    @Override
    public Sampler newSampler(SplittableRandom rng) {
        final long baseSeed = ScaleValidation.baseSeed(rng);
        final double lo = low;
        final double width = high - low;
        final double p = applyProbability;
        final double norm = normaliser();
        return step -> {
            SplittableRandom r = ScaleValidation.stepRandom(baseSeed, step);
            boolean apply = p >= 1.0 || r.nextDouble() < p;
            double u = apply ? lo + width * r.nextDouble() : 1.0;
            return u / norm;
        };
    }

    /**
     * {@inheritDoc}
     * <p>
     * \( E[u] = p \cdot (low + high) / 2 + (1 - p) \), or exactly 1 when {@code meanPreserving}.
     */
    @Override
    public double expectedValue() {
        return meanPreserving ? 1.0 : rawExpectedValue();
    }

    @Override
    public double min() {
        double m = applyProbability > 0 ? low : 1.0;
        if (applyProbability < 1) {
            m = Math.min(m, 1.0);
        }
        return m / normaliser();
    }

    @Override
    public double max() {
        double m = applyProbability > 0 ? high : 1.0;
        if (applyProbability < 1) {
            m = Math.max(m, 1.0);
        }
        return m / normaliser();
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(low == high ? "U[" + low + ", " + high + "]" : "U[" + low + ", " + high + ")");
        if (applyProbability < 1.0) {
            sb.append(" w.p. ").append(applyProbability);
        }
        if (meanPreserving) {
            sb.append(" / E[u]");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "UniformLossScale(low=" + low + ",high=" + high + ",applyProbability=" + applyProbability
                + ",meanPreserving=" + meanPreserving + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UniformLossScale)) {
            return false;
        }
        UniformLossScale other = (UniformLossScale) o;
        return Double.compare(low, other.low) == 0 && Double.compare(high, other.high) == 0
                && Double.compare(applyProbability, other.applyProbability) == 0
                && meanPreserving == other.meanPreserving;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(low, high, applyProbability, meanPreserving);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "LossScale");
    }
}
