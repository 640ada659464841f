package io.github.randomgradient.config;

/**
 * A training engine that a worker process can probe before its first run: the module that trains
 * (e.g. {@code djl-bridge}) provides one through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.github.randomgradient.config.EngineProbe}), so the modules that start
 * workers (sweeps, Spark) need not depend on it.
 * <p>
 * Probing loads the engine, and with it any native library, so a machine that cannot train fails
 * here, before a run is handed to it.
 */
public interface EngineProbe {

    /**
     * Loads the engine and describes it.
     * @return One line: the engine's name and version and where its native library is cached,
     *     e.g. {@code engine=PyTorch 2.7.1 cache=/root/.djl.ai}.
     * @throws RuntimeException If the engine cannot be loaded (the cause says why).
     */
    String probe();

    /**
     * The numeric environment a run trained in this process would record (loading the engine if
     * needed), so that a resumed experiment or sweep can compare it with its finished runs'.
     * @return The environment, or empty if this engine does not record one.
     * @throws RuntimeException If the engine cannot be loaded.
     */
    default java.util.Optional<NumericEnvironment> numericEnvironment() {
        return java.util.Optional.empty();
    }
}
