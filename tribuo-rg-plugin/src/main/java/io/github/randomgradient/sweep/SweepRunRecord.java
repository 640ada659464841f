package io.github.randomgradient.sweep;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.run.EvaluationRecord;

import java.util.Map;

/**
 * What the pipeline adds to a run directory ({@value #FILE} in a sweep's, {@value #EXPERIMENT_FILE} in an
 * experiment's): the run's identity, arm (an experiment's: its trainer) and grid point, the attempt that
 * wrote the directory, and the evaluation on the validation split used for tuning (a sweep's; null in an
 * experiment, which has no validation split).
 * <p>
 * A run that diverged under {@code divergencePolicy=FAIL} has no model: its directory holds only
 * this record, with {@link #divergence()} set and {@link #validation()} null. It is published like a
 * finished run, so a rerun of the sweep keeps it instead of training it again.
 *
 * @param id The run identity ({@link PlannedRun#id()}).
 * @param arm The arm ({@link PlannedRun#arm()}).
 * @param rgScale The RG loss scale's component name, empty for the baseline.
 * @param grid The grid point.
 * @param overrides The trainer fields set on the base trainer.
 * @param seed The seed.
 * @param attempt The attempt that wrote the directory, e.g. {@code local-1} or {@code spark-stage3-task7-attempt1}.
 * @param validation The evaluation on the validation split, null for a run that diverged under {@code FAIL}.
 * @param divergence Where the run diverged under {@code divergencePolicy=FAIL} (the trainer threw), null
 *                   otherwise (a run that diverged under {@code STOP} records it in its history and provenance).
 */
public record SweepRunRecord(String id, String arm, String rgScale, Map<String, String> grid, Map<String, String> overrides,
                             long seed, String attempt, EvaluationRecord validation, Divergence divergence) {

    /** The file name in a sweep's run directory. */
    public static final String FILE = "sweep-run.json";

    /**
     * The file name in an experiment's run directory ({@link RunPlan#recordFile()}): the same record, under
     * another name, so {@code report --runs} and users tell an experiment's runs from a sweep's.
     */
    public static final String EXPERIMENT_FILE = "planned-run.json";
}
