package io.github.randomgradient.sweep;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;

import java.util.List;

/**
 * A plan of runs, whatever produced it: an experiment (trainers × seeds, {@link ExperimentPlan}) or a
 * sweep (grid × arms × seeds, {@link SweepPlan}). Every run has a content-addressed identity
 * ({@link PlannedRun#identity}); one executor ({@link RunExecutor}) trains a run and publishes its
 * directory by atomic rename, and the engines ({@link LocalEngine}, and through {@link java.util.ServiceLoader}
 * every other {@link SweepEngine}) run a plan's outstanding runs in worker processes ({@link SweepWorker}),
 * which rebuild the same plan from the same config files.
 */
public interface RunPlan {

    /** {@link #kind()} of an experiment plan. */
    String EXPERIMENT = "experiment";
    /** {@link #kind()} of a sweep plan. */
    String SWEEP = "sweep";

    /**
     * The kind of plan, {@value #EXPERIMENT} or {@value #SWEEP}: a worker process rebuilds the plan by it.
     * @return The kind.
     */
    String kind();

    /**
     * The component name of the plan's declaration ({@code Experiment} or {@code Sweep}) in the config.
     * @return The name.
     */
    String name();

    /**
     * The distinct runs, in the order a single worker trains them.
     * @return The runs.
     */
    List<PlannedRun> runs();

    /**
     * The run with an identity.
     * @param id The identity.
     * @return The run.
     * @throws SweepException If the plan has no such run (the config was edited since the plan was made).
     */
    default PlannedRun run(String id) {
        return runs().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() ->
                new SweepException(kind() + " '" + name() + "' has no run " + id + " (was the config edited?)"));
    }

    /**
     * The trainer of a run, configured for it (seed, epochs, the run's other fields).
     * @param run The run.
     * @return Its trainer.
     */
    Trainer<Label> trainer(PlannedRun run);

    /**
     * The component name of the trainer a run's configuration was derived from, for messages
     * (the sweep's trainer, or the experiment's trainer of that run).
     * @param run The run.
     * @return The name.
     */
    String trainerName(PlannedRun run);

    /**
     * Loads the plan's data by the loading policy of every command.
     * @return The data; {@link SweepData#validation()} is null for a plan that tunes nothing (an experiment).
     * @throws SweepException If the data cannot be loaded; the message names the data.
     */
    SweepData loadData();

    /**
     * Is a run that diverges under {@code divergencePolicy=FAIL} published as its divergence record
     * (a sweep: the divergence is the run's outcome, reported as a cell), or does it stop the plan
     * (an experiment: exit status 3, nothing recorded, as before the plans were one)?
     * @return True if divergences are published.
     */
    boolean publishesDivergence();

    /**
     * The file of a published run's {@link SweepRunRecord}: {@value SweepRunRecord#FILE} in a sweep,
     * {@value SweepRunRecord#EXPERIMENT_FILE} in an experiment.
     * @return The file name.
     */
    default String recordFile() {
        return EXPERIMENT.equals(kind()) ? SweepRunRecord.EXPERIMENT_FILE : SweepRunRecord.FILE;
    }
}
