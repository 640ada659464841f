package io.github.randomgradient.rg;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.config.ConfigChecks;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.SplittableRandom;

/**
 * A loss scale that multiplies every mini-batch loss by the same {@code value}.
 * <p>
 * {@code value = 1.0} (the default) is the baseline: training is unchanged, bit for bit. Other
 * values are the fixed loss weights the paper compares RG against (it tried 3, see its Fig. 1 and
 * Fig. 5); a constant factor {@code c} under plain SGD is equivalent to a learning rate {@code c}
 * times larger.
 * <pre>
 * Reference: "Fast, Better Training Trick: Random Gradient", section 4, Fig. 1 and Fig. 5.
 * </pre>
 */
public final class ConstantLossScale implements LossScale {

    @Config(description = "The factor every mini-batch loss is multiplied by (1.0 is the baseline). Must be finite and >= 0.")
    private double value = 1.0;

    /**
     * For OLCUT.
     */
    private ConstantLossScale() {}

    /**
     * Creates a constant loss scale.
     * @param value The factor every mini-batch loss is multiplied by; 1.0 is the baseline.
     * @throws IllegalArgumentException If {@code value} is NaN, infinite or negative.
     */
    public ConstantLossScale(double value) {
        this.value = value;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * The baseline: every loss multiplied by 1.0.
     * @return {@code ConstantLossScale(1.0)}.
     */
    public static ConstantLossScale baseline() {
        return new ConstantLossScale(1.0);
    }

    /**
     * Validates the configuration.
     * @throws PropertyException If {@code value} is NaN, infinite or negative.
     */
    @Override
    public void postConfig() {
        ScaleValidation.requireFinite("value", value);
        if (value < 0) {
            throw new PropertyException("", "value", "value must be >= 0, found " + value);
        }
    }

    /**
     * The configured factor.
     * @return The factor.
     */
    public double getValue() {
        return value;
    }

    /**
     * {@inheritDoc}
     * <p>
     * The returned sampler ignores the generator and always returns {@code value}.
     */
    @Override
    public Sampler newSampler(SplittableRandom rng) {
        final double v = value;
        return step -> {
            if (step < 0) {
                throw new IllegalArgumentException("step must be >= 0, found " + step);
            }
            return v;
        };
    }

    @Override
    public double expectedValue() {
        return value;
    }

    @Override
    public double min() {
        return value;
    }

    @Override
    public double max() {
        return value;
    }

    @Override
    public String describe() {
        return Double.toString(value);
    }

    @Override
    public String toString() {
        return "ConstantLossScale(value=" + value + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConstantLossScale && Double.compare(((ConstantLossScale) o).value, value) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "LossScale");
    }
}
