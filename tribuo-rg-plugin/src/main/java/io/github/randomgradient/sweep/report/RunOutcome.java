package io.github.randomgradient.sweep.report;

import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.EvaluationPoint;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.run.FailedRun;
import io.github.randomgradient.run.LoadedRun;
import io.github.randomgradient.report.ReportData;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.SweepRunRecord;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the sweep report needs from one role's run directory.
 *
 * @param arm The arm ({@link PlannedRun#arm()}).
 * @param armLabel The arm's label, e.g. {@code rg(rg-uniform)}.
 * @param rgScale The RG loss scale's component name, empty for the baseline.
 * @param grid The grid point.
 * @param seed The seed.
 * @param trainedLearningRate The learning rate the run trained with (the lr-matched arm's is the grid's × E[u]).
 * @param runDir The run directory's name.
 * @param status {@link #OK}, {@link #DIVERGED}, {@link #COLLAPSED} or {@link #MISSING}.
 * @param testAccuracy Final test accuracy.
 * @param validationAccuracy Final accuracy on the validation split (used for tuning only).
 * @param epoch1Accuracy Held-out accuracy after epoch 1 (NaN if not recorded).
 * @param epochsToTarget The first epoch whose held-out accuracy reached the target accuracy; epochs + 1 if none did
 *                       (censored). Kept for {@link Metric}; the verdicts measure time to target in steps ({@link ClaimMeasures}).
 * @param reachedTarget Did the run reach the target?
 * @param oscillation The mean absolute change between consecutive mini-batch losses (NaN if not recorded).
 * @param curve Held-out accuracy per epoch ({@link #heldOutData()}: the validation split in a sweep).
 * @param testExamples The test set's size, so accuracies on it are compared as exact counts; 0 if unknown.
 * @param validationExamples The validation split's size; 0 if unknown.
 * @param evaluations The run's held-out curve at a finer grain than an epoch ({@link TrainingHistory#evaluations()}):
 *                    in a sweep, the validation split evaluated {@code evaluationsPerEpoch} times an epoch; empty if
 *                    the trainer records none.
 * @param heldOutData What {@link #evaluations()} and {@link #curve()} were measured on ({@code validation} in a sweep,
 *                    {@code test} for runs from before sweeps evaluated the validation split), empty if unknown.
 */
public record RunOutcome(String arm, String armLabel, String rgScale, Map<String, String> grid, long seed, String trainedLearningRate, String runDir,
                         String status, double testAccuracy, double validationAccuracy, double epoch1Accuracy,
                         double epochsToTarget, boolean reachedTarget, double oscillation, List<Double> curve,
                         long testExamples, long validationExamples, List<EvaluationPoint> evaluations, String heldOutData) {

    /**
     * An outcome without a fine-grained held-out curve.
     * @param arm The arm.
     * @param armLabel The arm's label.
     * @param rgScale The RG scale.
     * @param grid The grid point.
     * @param seed The seed.
     * @param trainedLearningRate The trained learning rate.
     * @param runDir The run directory's name.
     * @param status The status.
     * @param testAccuracy Final test accuracy.
     * @param validationAccuracy Final validation accuracy.
     * @param epoch1Accuracy Held-out accuracy after epoch 1.
     * @param epochsToTarget Epochs to target.
     * @param reachedTarget Reached the target?
     * @param oscillation Mean absolute mini-batch loss change.
     * @param curve Held-out accuracy per epoch.
     * @param testExamples Test set size.
     * @param validationExamples Validation split size.
     */
    public RunOutcome(String arm, String armLabel, String rgScale, Map<String, String> grid, long seed, String trainedLearningRate,
                      String runDir, String status, double testAccuracy, double validationAccuracy, double epoch1Accuracy,
                      double epochsToTarget, boolean reachedTarget, double oscillation, List<Double> curve, long testExamples,
                      long validationExamples) {
        this(arm, armLabel, rgScale, grid, seed, trainedLearningRate, runDir, status, testAccuracy, validationAccuracy, epoch1Accuracy,
                epochsToTarget, reachedTarget, oscillation, curve, testExamples, validationExamples, List.of(), "");
    }

    /** A run that trained to the end and did not collapse. */
    public static final String OK = "ok";
    /**
     * A run that stopped on a non-finite value: under {@code divergencePolicy=STOP} (its model holds
     * the last finite parameters) or {@code FAIL} (no model; its {@link SweepRunRecord#divergence()}
     * says where), or whose test accuracy or final loss is not finite.
     */
    public static final String DIVERGED = LoadedRun.DIVERGED;
    /** A run that collapsed, by the experiment report's rule ({@link LoadedRun#failure()}). */
    public static final String COLLAPSED = LoadedRun.COLLAPSED;
    /** A run with no published directory (it failed twice). */
    public static final String MISSING = "missing";

    /**
     * Reads a role's run.
     * <p>
     * Its status comes from {@link LoadedRun#failure()}, the one rule the experiment report also
     * uses: diverged, or collapsed (it predicts a single class, or its test accuracy never rose
     * clearly above the test set's majority-class share, which on an imbalanced test set is not
     * \( 1/K \)). A run recorded as diverged under {@code divergencePolicy=FAIL} has no model: it is
     * {@link #DIVERGED} with NaN metrics.
     * @param output The sweep output directory.
     * @param role The role.
     * @param epochs The sweep's epochs (for censoring epochs to target).
     * @param target The target accuracy.
     * @return The outcome, {@link #MISSING} if the run is not published.
     * @throws UncheckedIOException If a published run's files are unreadable.
     */
    public static RunOutcome read(Path output, PlannedRun role, int epochs, double target) {
        String trainedLr = role.overrides().getOrDefault("learningRate", "base");
        if (!RunExecutor.isDone(output, role)) {
            return new RunOutcome(role.arm(), role.armLabel(), role.rgScale(), role.grid(), role.seed(), trainedLr, role.dirName(), MISSING,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, false, Double.NaN, List.of(), 0, 0, List.of(), "");
        }
        Path dir = RunExecutor.runDir(output, role);
        SweepRunRecord sweepRun = RunExecutor.readRecord(dir);
        if (sweepRun.divergence() != null) {
            return new RunOutcome(role.arm(), role.armLabel(), role.rgScale(), role.grid(), role.seed(), trainedLr, role.dirName(), DIVERGED,
                    Double.NaN, Double.NaN, Double.NaN, epochs + 1, false, Double.NaN, List.of(), 0, 0, List.of(), "");
        }
        LoadedRun run;
        try {
            run = RunFiles.at(dir).read();
        } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(new java.io.IOException(e.getMessage(), e));
        }
        TrainingHistory history = run.history();
        List<Double> curve = history == null ? List.of() : history.epochs().stream().map(EpochRecord::heldOutMetric).toList();
        int n = history == null ? epochs : Math.max(epochs, history.epochs().size());
        double toTarget = n + 1;
        for (int i = 0; i < curve.size(); i++) {
            if (curve.get(i) >= target) {
                toTarget = i + 1;
                break;
            }
        }
        String status = run.failure().map(FailedRun::status).orElse(OK);
        return new RunOutcome(role.arm(), role.armLabel(), role.rgScale(), role.grid(), role.seed(), trainedLr, role.dirName(), status,
                run.evaluation().accuracy(), sweepRun.validation().accuracy(), curve.isEmpty() ? Double.NaN : curve.get(0), toTarget,
                toTarget <= n, history == null ? Double.NaN : history.meanAbsoluteStepChange(), curve, run.evaluation().examples(),
                sweepRun.validation().examples(), history == null ? List.of() : history.evaluations(),
                history == null ? "" : history.heldOutData());
    }

    /** @return True if the run counts in averages and tests. */
    public boolean ok() {
        return OK.equals(status);
    }
}
