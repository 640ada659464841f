package io.github.randomgradient.rg;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

/**
 * Shared validation helpers for loss-scale configuration, so every component reports a bad value
 * the same way: the field name and the offending value.
 */
final class ScaleValidation {

    private ScaleValidation() {}

    /**
     * Checks that a configured value is finite in float32, the precision networks train in: a
     * factor above {@link Float#MAX_VALUE} becomes +Inf when it multiplies a float32 loss, and the
     * run would return NaN parameters.
     * @param field The configuration field name.
     * @param value The configured value.
     * @throws PropertyException If the value is NaN, infinite, or beyond float32's range.
     */
    static void requireFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new PropertyException("", field, field + " must be a finite number, found " + value);
        }
        if (Math.abs(value) > Float.MAX_VALUE) {
            throw new PropertyException("", field, field + " must be finite in float32 (at most " + Float.MAX_VALUE
                    + " in magnitude), found " + value);
        }
    }

    /**
     * Checks a {@code [low, high]} range of factors: both finite, {@code low >= 0}, {@code high >= low}.
     * @param low The configured {@code low}.
     * @param high The configured {@code high}.
     * @throws PropertyException If the range is invalid; the message names the field and value.
     */
    static void requireRange(double low, double high) {
        requireFinite("low", low);
        requireFinite("high", high);
        if (low < 0) {
            throw new PropertyException("", "low", "low must be >= 0, found " + low);
        }
        if (high < low) {
            throw new PropertyException("", "high", "high must be >= low, found high=" + high + ", low=" + low);
        }
    }

    /**
     * Draws the per-run base seed from the run's generator.
     * @param rng The run's generator.
     * @return The base seed of the sampler.
     */
    static long baseSeed(java.util.SplittableRandom rng) {
        return rng.split().nextLong();
    }

    /**
     * A generator for one step that is a pure function of the run's base seed and the step: the
     * pair is hashed (Stafford's "Mix13" 64-bit finaliser, as used inside {@link java.util.SplittableRandom})
     * into the seed of a fresh generator, so the draws of different steps are independent streams.
     * @param baseSeed The run's base seed.
     * @param step The zero-based step.
     * @return A generator for this step.
     * @throws IllegalArgumentException If {@code step} is negative.
     */
    static java.util.SplittableRandom stepRandom(long baseSeed, long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, found " + step);
        }
        long z = baseSeed + GOLDEN_GAMMA * (step + 1);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return new java.util.SplittableRandom(z ^ (z >>> 31));
    }

    /** The odd constant {@link java.util.SplittableRandom} advances its seed by. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
}
