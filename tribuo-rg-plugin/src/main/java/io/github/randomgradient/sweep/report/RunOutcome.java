package io.github.randomgradient.sweep.report;

import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.report.EvaluationRecord;
import io.github.randomgradient.report.RunFiles;
import io.github.randomgradient.report.RunRecord;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.SweepRunRecord;

import java.io.IOException;
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
 * @param epoch1Accuracy Test accuracy after epoch 1 (NaN if not recorded).
 * @param epochsToTarget The first epoch whose test accuracy reached the target; epochs + 1 if none did (censored).
 * @param reachedTarget Did the run reach the target?
 * @param oscillation The mean absolute change between consecutive mini-batch losses (NaN if not recorded).
 * @param curve Test accuracy per epoch.
 * @param testExamples The test set's size, so accuracies on it are compared as exact counts; 0 if unknown.
 * @param validationExamples The validation split's size; 0 if unknown.
 */
public record RunOutcome(String arm, String armLabel, String rgScale, Map<String, String> grid, long seed, String trainedLearningRate, String runDir,
                         String status, double testAccuracy, double validationAccuracy, double epoch1Accuracy,
                         double epochsToTarget, boolean reachedTarget, double oscillation, List<Double> curve,
                         long testExamples, long validationExamples) {

    /** A run that trained to the end above the collapse threshold. */
    public static final String OK = "ok";
    /** A run that stopped on a non-finite loss. */
    public static final String DIVERGED = "diverged";
    /** A run whose final test accuracy is below {@link #COLLAPSE_FACTOR} × chance (1 / number of classes). */
    public static final String COLLAPSED = "collapsed";
    /** A run with no published directory (it failed twice). */
    public static final String MISSING = "missing";
    /** A run below 1.5 × chance accuracy counts as collapsed. */
    public static final double COLLAPSE_FACTOR = 1.5;

    /**
     * Reads a role's run.
     * @param output The sweep output directory.
     * @param role The role.
     * @param epochs The sweep's epochs (for censoring epochs to target).
     * @param target The target accuracy.
     * @return The outcome, {@link #MISSING} if the run is not published.
     * @throws UncheckedIOException If a published run's files are unreadable.
     */
    public static RunOutcome read(Path output, PlannedRun role, int epochs, double target) {
        if (!RunExecutor.isDone(output, role)) {
            return new RunOutcome(role.arm(), role.armLabel(), role.rgScale(), role.grid(), role.seed(), role.overrides().getOrDefault("learningRate", "base"), role.dirName(), MISSING,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, false, Double.NaN, List.of(), 0, 0);
        }
        Path dir = RunExecutor.runDir(output, role);
        RunFiles files = RunFiles.at(dir);
        RunRecord run = files.readRun();
        EvaluationRecord test = files.readEvaluation();
        SweepRunRecord sweepRun;
        try {
            sweepRun = RunFiles.JSON.readValue(dir.resolve(SweepRunRecord.FILE).toFile(), SweepRunRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + dir.resolve(SweepRunRecord.FILE), e);
        }
        TrainingHistory history = files.readHistory().orElse(null);
        List<Double> curve = history == null ? List.of() : history.epochs().stream().map(EpochRecord::heldOutMetric).toList();
        int n = history == null ? epochs : Math.max(epochs, history.epochs().size());
        double toTarget = n + 1;
        for (int i = 0; i < curve.size(); i++) {
            if (curve.get(i) >= target) {
                toTarget = i + 1;
                break;
            }
        }
        double chance = test.perClass().isEmpty() ? 0 : 1.0 / test.perClass().size();
        String status = run.isDiverged() ? DIVERGED : test.accuracy() < COLLAPSE_FACTOR * chance ? COLLAPSED : OK;
        return new RunOutcome(role.arm(), role.armLabel(), role.rgScale(), role.grid(), role.seed(), role.overrides().getOrDefault("learningRate", "base"), role.dirName(), status,
                test.accuracy(), sweepRun.validation().accuracy(), curve.isEmpty() ? Double.NaN : curve.get(0), toTarget,
                toTarget <= n, history == null ? Double.NaN : history.meanAbsoluteStepChange(), curve, test.examples(),
                sweepRun.validation().examples());
    }

    /** @return True if the run counts in averages and tests. */
    public boolean ok() {
        return OK.equals(status);
    }
}
