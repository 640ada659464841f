package io.github.randomgradient.sweep;

import io.github.randomgradient.report.EvaluationRecord;

import java.util.Map;

/**
 * What a sweep adds to a run directory ({@value #FILE}): the run's identity, arm and grid point,
 * the attempt that wrote the directory, and the evaluation on the validation split used for tuning.
 *
 * @param id The run identity ({@link PlannedRun#id()}).
 * @param arm The arm ({@link PlannedRun#arm()}).
 * @param rgScale The RG loss scale's component name, empty for the baseline.
 * @param grid The grid point.
 * @param overrides The trainer fields set on the base trainer.
 * @param seed The seed.
 * @param attempt The attempt that wrote the directory, e.g. {@code local-1} or {@code spark-stage3-task7-attempt1}.
 * @param validation The evaluation on the validation split.
 */
public record SweepRunRecord(String id, String arm, String rgScale, Map<String, String> grid, Map<String, String> overrides,
                             long seed, String attempt, EvaluationRecord validation) {

    /** The file name. */
    public static final String FILE = "sweep-run.json";
}
