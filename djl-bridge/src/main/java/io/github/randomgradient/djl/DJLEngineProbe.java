package io.github.randomgradient.djl;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import io.github.randomgradient.config.EngineProbe;

/**
 * The {@link EngineProbe} of DJL's default engine (PyTorch here), registered as a
 * {@link java.util.ServiceLoader} service. The description ends with the process's
 * {@link NumericEnvironments numeric environment} (digest and canonical form), so that each sweep
 * worker and Spark executor reports the one its runs will train in. Probing unpacks libtorch into DJL's engine cache on
 * first use ({@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}).
 */
public final class DJLEngineProbe implements EngineProbe {

    /** For {@link java.util.ServiceLoader}. */
    public DJLEngineProbe() {}

    /**
     * {@inheritDoc}
     * @throws ai.djl.engine.EngineException If the engine or its native library cannot be loaded.
     */
    @Override
    public String probe() {
        Engine engine = Engine.getInstance();
        return "engine=" + engine.getEngineName() + " " + engine.getVersion() + " cache=" + Utils.getEngineCacheDir()
                + " numeric-environment=" + NumericEnvironments.current();
    }

    /**
     * {@inheritDoc}
     * @throws IllegalStateException If the engine cannot start, or reproducible mode is requested in an unpinned process.
     */
    @Override
    public java.util.Optional<io.github.randomgradient.config.NumericEnvironment> numericEnvironment() {
        return java.util.Optional.of(NumericEnvironments.current());
    }
}
