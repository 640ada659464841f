package io.github.randomgradient.rg;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.config.ConfigChecks;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.SplittableRandom;

/**
 * A deterministic cyclical loss scale: Smith's cyclical learning-rate policy applied to the loss
 * scale instead of the learning rate, which the RG paper names as future work.
 * <p>
 * With \( s \) = {@code stepSize} mini-batches per half cycle and zero-based step \( t \):
 * \( c = \lfloor 1 + t / (2s) \rfloor \), \( x = | t/s - 2c + 1 | \) and
 * \( u_t = low + (high - low) \cdot \max(0, 1 - x) \cdot f(c, t) \), where \( f = 1 \) for
 * {@link Mode#TRIANGULAR}, \( f = 2^{-(c-1)} \) for {@link Mode#TRIANGULAR2} and
 * \( f = \gamma^t \) for {@link Mode#EXP_RANGE}. The factor is {@code low} at steps
 * \( 0, 2s, 4s, \ldots \) and peaks (at {@code high} in the first cycle) at steps \( s, 3s, \ldots \).
 * <pre>
 * Reference: L. N. Smith, "Cyclical Learning Rates for Training Neural Networks", arXiv:1506.01186
 * (2015), section 3.1 and its triangular/triangular2/exp_range policies; proposed for the loss
 * scale in "Fast, Better Training Trick: Random Gradient", conclusion (future work).
 * </pre>
 */
public final class CyclicalLossScale implements LossScale {

    /**
     * The amplitude policy of the cycle (Smith 2015, section 3.1).
     */
    public enum Mode {
        /** Constant amplitude. */
        TRIANGULAR,
        /** Amplitude halved every cycle. */
        TRIANGULAR2,
        /** Amplitude multiplied by {@code gamma} every step. */
        EXP_RANGE
    }

    @Config(description = "Smallest factor of the cycle. Must be finite and >= 0.")
    private double low = 0.0;

    @Config(description = "Largest factor of the (first) cycle. Must be finite and >= low.")
    private double high = 1.0;

    @Config(description = "Half-cycle length in mini-batches (Smith's stepsize). Must be >= 1.")
    private int stepSize = 100;

    @Config(description = "Amplitude policy: TRIANGULAR, TRIANGULAR2 or EXP_RANGE.")
    private Mode mode = Mode.TRIANGULAR;

    @Config(description = "Per-step amplitude decay for EXP_RANGE, in (0, 1].")
    private double gamma = 1.0;

    /**
     * For OLCUT.
     */
    private CyclicalLossScale() {}

    /**
     * Creates a triangular cyclical loss scale.
     * @param low Smallest factor, finite and {@code >= 0}.
     * @param high Largest factor, finite and {@code >= low}.
     * @param stepSize Half-cycle length in mini-batches, {@code >= 1}.
     * @throws IllegalArgumentException If a value is invalid; the message names the field.
     */
    public CyclicalLossScale(double low, double high, int stepSize) {
        this(low, high, stepSize, Mode.TRIANGULAR, 1.0);
    }

    /**
     * Creates a cyclical loss scale.
     * @param low Smallest factor, finite and {@code >= 0}.
     * @param high Largest factor, finite and {@code >= low}.
     * @param stepSize Half-cycle length in mini-batches, {@code >= 1}.
     * @param mode The amplitude policy.
     * @param gamma Per-step amplitude decay for {@link Mode#EXP_RANGE}, in (0, 1]; ignored otherwise.
     * @throws IllegalArgumentException If a value is invalid; the message names the field.
     */
    public CyclicalLossScale(double low, double high, int stepSize, Mode mode, double gamma) {
        this.low = low;
        this.high = high;
        this.stepSize = stepSize;
        this.mode = mode;
        this.gamma = gamma;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the configuration.
     * @throws PropertyException If a value is NaN, infinite or out of range.
     */
    @Override
    public void postConfig() {
        ScaleValidation.requireRange(low, high);
        ScaleValidation.requireFinite("gamma", gamma);
        if (stepSize < 1) {
            throw new PropertyException("", "stepSize", "stepSize must be >= 1 mini-batch, found " + stepSize);
        }
        if (mode == null) {
            throw new PropertyException("", "mode", "mode must be one of TRIANGULAR, TRIANGULAR2, EXP_RANGE, found null");
        }
        if (gamma <= 0 || gamma > 1) {
            throw new PropertyException("", "gamma", "gamma must be in (0, 1], found " + gamma);
        }
    }

    /**
     * The factor at a step, as defined in the class documentation.
     * @param step Zero-based mini-batch number.
     * @return The factor.
     * @throws IllegalArgumentException If {@code step} is negative.
     */
    public double scaleAt(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, found " + step);
        }
        long cycle = 1 + step / (2L * stepSize);
        double x = Math.abs((double) step / stepSize - 2.0 * cycle + 1.0);
        double amplitude = (high - low) * Math.max(0.0, 1.0 - x);
        switch (mode) {
            case TRIANGULAR2:
                amplitude *= Math.pow(2.0, -(cycle - 1));
                break;
            case EXP_RANGE:
                amplitude *= Math.pow(gamma, step);
                break;
            case TRIANGULAR:
            default:
                break;
        }
        return low + amplitude;
    }

    /**
     * {@inheritDoc}
     * <p>
     * The schedule is deterministic; the generator is not used.
     */
    @Override
    public Sampler newSampler(SplittableRandom rng) {
        return this::scaleAt;
    }

    /**
     * {@inheritDoc}
     * <p>
     * The mean over the first cycle, \( low + (high - low)/2 \) for an undamped triangle. For
     * {@link Mode#TRIANGULAR2} and {@link Mode#EXP_RANGE} with {@code gamma < 1} the amplitude
     * decays, so the mean over a run is lower and depends on its length; and a run that stops inside a
     * cycle averages something else even for {@link Mode#TRIANGULAR}. Unless {@code low == high} the
     * scale is not {@link #isStationary() stationary}, and this value is not a run's mean factor.
     * Training histories record the realised mean factor per epoch.
     */
    @Override
    public double expectedValue() {
        if (mode == Mode.TRIANGULAR || mode == Mode.TRIANGULAR2 || gamma == 1.0) {
            return low + (high - low) / 2.0;
        }
        double sum = 0.0;
        for (long t = 0; t < 2L * stepSize; t++) {
            sum += scaleAt(t);
        }
        return sum / (2.0 * stepSize);
    }

    /**
     * {@inheritDoc}
     * <p>
     * A deterministic schedule's mean over a run depends on where the run stops in its cycle: even an
     * undamped triangle averages {@link #expectedValue()} only over whole cycles (a run of 141
     * mini-batches with {@code stepSize} 2000 averages 0.035, not 0.5), and the damped policies decay.
     * So the scale is stationary only when it is constant ({@code low == high}).
     */
    @Override
    public boolean isStationary() {
        return low == high;
    }

    @Override
    public double min() {
        return low;
    }

    @Override
    public double max() {
        return high;
    }

    @Override
    public String describe() {
        return "cyclic[" + low + ", " + high + "] " + mode + " step " + stepSize
                + (mode == Mode.EXP_RANGE ? " gamma " + gamma : "");
    }

    @Override
    public String toString() {
        return "CyclicalLossScale(low=" + low + ",high=" + high + ",stepSize=" + stepSize + ",mode=" + mode
                + ",gamma=" + gamma + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CyclicalLossScale)) {
            return false;
        }
        CyclicalLossScale other = (CyclicalLossScale) o;
        return Double.compare(low, other.low) == 0 && Double.compare(high, other.high) == 0
                && stepSize == other.stepSize && mode == other.mode && Double.compare(gamma, other.gamma) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(low, high, stepSize, mode, gamma);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "LossScale");
    }
}
