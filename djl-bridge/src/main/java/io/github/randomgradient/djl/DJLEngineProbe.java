package io.github.randomgradient.djl;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import io.github.randomgradient.config.EngineProbe;

/**
 * The {@link EngineProbe} of DJL's default engine (PyTorch here), registered as a
 * {@link java.util.ServiceLoader} service. Probing unpacks libtorch into DJL's engine cache on
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
        return "engine=" + engine.getEngineName() + " " + engine.getVersion() + " cache=" + Utils.getEngineCacheDir();
    }
}
