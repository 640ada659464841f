package io.github.randomgradient.rg;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;

import java.util.SplittableRandom;

/**
 * An immutable description of how each mini-batch loss is scaled before back-propagation.
 * <p>
 * Random Gradient (RG) multiplies the loss of mini-batch {@code step} by a factor {@code u_step}
 * before calling {@code backward}, so the data term of that gradient step is multiplied by
 * {@code u_step}. {@code ConstantLossScale(1.0)} is the baseline, {@link UniformLossScale} is the
 * paper's RG and {@link CyclicalLossScale} is its future-work schedule.
 * <p>
 * A {@code LossScale} holds no per-run state: each training run asks for a fresh {@link Sampler}
 * built from the run's {@link SplittableRandom}, so the same seed always gives the same factors.
 * <p>
 * The scale is applied to the loss, never to parameters: an optimiser's weight decay is not
 * scaled, an L2 term inside the loss is. The mean factor {@link #expectedValue()} shrinks the mean
 * step, so an honest comparison also trains a baseline at {@code learningRate * expectedValue()}.
 * <pre>
 * Reference: "Fast, Better Training Trick: Random Gradient", section 4.
 * </pre>
 */
public interface LossScale extends Configurable, Provenancable<ConfiguredObjectProvenance> {

    /**
     * Creates the per-run sampler of loss-scale factors.
     * @param rng The run's random number generator; it is split, never advanced further than one draw.
     * @return A sampler giving the factor for each mini-batch.
     */
    Sampler newSampler(SplittableRandom rng);

    /**
     * The mean factor over mini-batches, \( E[u] \). The effective mean learning rate of a run is
     * {@code learningRate * expectedValue()}.
     * @return The expected loss-scale factor (dimensionless).
     */
    double expectedValue();

    /**
     * Whether the mean factor of a run is {@link #expectedValue()} whatever the run's length.
     * Deterministic schedules ({@link CyclicalLossScale}, unless constant) are not stationary: their
     * mean over a run depends on how many mini-batches it has, so no lr-matched
     * baseline ({@code learningRate * expectedValue()}) can be derived from the scale alone, and
     * reports and sweeps refuse to compute one.
     * @return True if the mean factor does not depend on the run's length.
     */
    default boolean isStationary() {
        return true;
    }

    /**
     * The mean factor of any run, {@link #expectedValue()}, if the scale is {@link #isStationary()
     * stationary}; NaN otherwise (the realised mean is then in the run's training history).
     * @return E[u] of a run (dimensionless), or NaN.
     */
    default double runMeanFactor() {
        return isStationary() ? expectedValue() : Double.NaN;
    }

    /**
     * The smallest factor this scale can produce.
     * @return The minimum factor (dimensionless).
     */
    double min();

    /**
     * The largest factor this scale can produce.
     * @return The maximum factor (dimensionless).
     */
    double max();

    /**
     * A short human-readable description, e.g. {@code U[0.0, 1.0)} or {@code 1.0}.
     * @return The description.
     */
    String describe();

    /**
     * Hands out the loss-scale factor of each mini-batch of one training run.
     * <p>
     * {@link #scale(long)} is a pure function of the step number, so data-parallel splits,
     * resumed runs and re-runs with the same seed see the same factors.
     */
    @FunctionalInterface
    interface Sampler {
        /**
         * The factor by which the loss of mini-batch {@code step} is multiplied before back-propagation.
         * @param step The zero-based mini-batch (optimiser step) number within the run.
         * @return The factor, at least 0 and finite in float32 (at most {@link Float#MAX_VALUE}).
         * @throws IllegalArgumentException If {@code step} is negative.
         */
        double scale(long step);
    }
}
