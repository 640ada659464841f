package io.github.randomgradient.config;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.io.IOException;
import java.io.UncheckedIOException;

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
}
