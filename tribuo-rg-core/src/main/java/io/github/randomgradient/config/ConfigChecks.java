package io.github.randomgradient.config;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Validation of configurable components built from Java rather than from a config file.
 * <p>
 * OLCUT calls {@link Configurable#postConfig()} after setting a component's fields, and a bad value
 * raises OLCUT's {@link PropertyException}. A public constructor runs the same checks through
 * {@link #validateForJavaApi(Configurable)}, which reports them as the
 * {@link IllegalArgumentException} Java callers expect, with the same message naming the field
 * and the value.
 */
public final class ConfigChecks {

    private ConfigChecks() {}

    /**
     * Runs a component's {@code postConfig()} validation for the Java API.
     * @param component A component whose fields are set.
     * @throws IllegalArgumentException If validation fails; the message names the field and the value.
     * @throws UncheckedIOException If {@code postConfig()} fails with an {@link IOException}.
     */
    public static void validateForJavaApi(Configurable component) {
        try {
            component.postConfig();
        } catch (PropertyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks a {@code seeds} list: at least one seed and no seed twice (runs are paired by seed
     * value, so a repeated seed would pair a run with itself).
     * @param seeds The seeds.
     * @throws PropertyException Naming the field {@code seeds} and the repeated value.
     */
    public static void requireDistinctSeeds(long[] seeds) {
        if (seeds.length == 0) {
            throw new PropertyException("", "seeds", "seeds must list at least one seed");
        }
        Set<Long> seen = new HashSet<>();
        for (long s : seeds) {
            if (!seen.add(s)) {
                throw new PropertyException("", "seeds", "seeds must be distinct, found " + s + " twice");
            }
        }
    }
}
