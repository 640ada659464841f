package io.github.randomgradient.sweep;

import java.io.PrintStream;
import java.util.List;

/**
 * Runs a plan's outstanding runs (a sweep's or an experiment's, {@link RunPlan}), each in a worker process ({@link SweepWorker}), publishing run
 * directories through {@link RunExecutor}. Engines other than {@link LocalEngine} are found with
 * {@link java.util.ServiceLoader} by {@link #name()}, so the plugin never depends on them.
 */
public interface SweepEngine {

    /**
     * The engine's name on the command line ({@code --engine NAME}).
     * @return The name.
     */
    String name();

    /**
     * How many runs train at once, for the sweep's opening line; {@code --workers} only where the
     * engine uses it (a cluster's concurrency is its executors' cores).
     * @param workers The {@code --workers} value.
     * @return E.g. {@code "4 workers"}.
     */
    default String concurrency(int workers) {
        return workers + " workers";
    }

    /**
     * Runs the runs.
     * @param job The job.
     * @param todo The runs not yet published.
     * @param progress Where progress lines (runs done / total, ETA) are printed.
     * @return The runs that failed on every attempt, each with its last error, empty if none.
     * @throws SweepException If the engine cannot start (e.g. a missing flag or a broken executor).
     */
    List<String> execute(SweepJob job, List<PlannedRun> todo, PrintStream progress);

    /**
     * The engine of a name: {@link LocalEngine} for {@code local}, else the {@link java.util.ServiceLoader}
     * service of that {@link #name()}.
     * @param name The name.
     * @return The engine, empty if none has the name.
     */
    static java.util.Optional<SweepEngine> find(String name) {
        if (name.equals("local")) {
            return java.util.Optional.of(new LocalEngine());
        }
        for (SweepEngine e : java.util.ServiceLoader.load(SweepEngine.class)) {
            if (e.name().equals(name)) {
                return java.util.Optional.of(e);
            }
        }
        return java.util.Optional.empty();
    }
}
