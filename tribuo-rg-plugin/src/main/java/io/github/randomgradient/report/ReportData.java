package io.github.randomgradient.report;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.report.Statistics.Summary;

import io.github.randomgradient.run.FailedRun;
import io.github.randomgradient.run.LoadedRun;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.RunRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The content of a {@link ComparisonReport} as plain, immutable data: what {@code report.json}
 * holds and what the Markdown and HTML pages show.
 * <p>
 * Missing numbers are NaN (written to JSON as the string {@code "NaN"}), a missing configuration
 * value is the string {@value #MISSING}. Summaries over seeds are {@link Summary} (mean, sample
 * standard deviation, 95% Student-t interval).
 *
 * @param title The report title.
 * @param targetAccuracy The test accuracy used for "epochs to reach target".
 * @param runs One row per run, in the order the runs were given.
 * @param trainers One summary per trainer, in the order trainers were first seen; failed runs left out.
 * @param provenanceDiff The configuration values that differ between trainers.
 * @param failedRuns The runs left out of summaries, charts and verdicts: diverged or collapsed.
 * @param verdicts One verdict per comparison, Holm-corrected together.
 * @param design How the runs are compared (pairing by seed, tests, correction), in words.
 * @param notes Warnings a reader must see (defective optimisers, runs without history, inconsistent runs).
 */
public record ReportData(String title, double targetAccuracy, List<RunRow> runs, List<TrainerSummary> trainers,
                         ProvenanceDiff provenanceDiff, List<FailedRun> failedRuns, List<Verdict> verdicts,
                         String design, List<String> notes) {

    /** The value shown for a configuration key a trainer does not record. */
    public static final String MISSING = "—";

    /**
     * Validates and freezes the data.
     * @throws NullPointerException If a field or list entry is null.
     */
    public ReportData {
        Objects.requireNonNull(title, "title");
        runs = List.copyOf(runs);
        trainers = List.copyOf(trainers);
        Objects.requireNonNull(provenanceDiff, "provenanceDiff");
        failedRuns = List.copyOf(failedRuns);
        Objects.requireNonNull(design, "design");
        verdicts = List.copyOf(verdicts);
        notes = List.copyOf(notes);
    }

    /**
     * The summary of a trainer by name.
     * @param trainer The trainer name.
     * @return The summary.
     * @throws IllegalArgumentException If the report has no such trainer.
     */
    public TrainerSummary trainer(String trainer) {
        for (TrainerSummary t : trainers) {
            if (t.trainer().equals(trainer)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no trainer named '" + trainer + "' in the report; it has "
                + trainers.stream().map(TrainerSummary::trainer).toList());
    }

    /**
     * One run of the runs table.
     *
     * @param trainer The trainer name.
     * @param seed The seed.
     * @param status {@link RunRecord#COMPLETE}, {@link LoadedRun#DIVERGED} or {@link LoadedRun#COLLAPSED}.
     * @param accuracy Test accuracy.
     * @param macroF1 Test macro-averaged F1 over the classes present in the test set.
     * @param finalTrainingLoss The mean unscaled training loss of the last completed epoch, NaN without history.
     * @param trainSeconds Wall-clock seconds of training.
     * @param directory The run directory.
     */
    public record RunRow(String trainer, long seed, String status, double accuracy, double macroF1,
                         double finalTrainingLoss, double trainSeconds, String directory) {}

    /**
     * What one trainer was configured with (read from provenance) and how its healthy runs did over seeds.
     *
     * @param trainer The trainer name.
     * @param randomGradient Whether its loss scale varies between mini-batches.
     * @param lossScale The loss scale's description, e.g. {@code U[0.0, 1.0)} or {@code 1.0}.
     * @param lossScaleMean The loss scale's expected value E[u].
     * @param lossScaleMin The smallest loss-scale factor.
     * @param lossScaleMax The largest loss-scale factor.
     * @param learningRate The base learning rate, NaN if not recorded.
     * @param effectiveLearningRate The mean step's learning rate, learning rate × E[u], for SGD-family
     *                              optimisers; NaN for adaptive optimisers or when not recorded.
     * @param adaptive Whether the optimiser is adaptive (Adam, AdaGrad, AdaDelta, RMSProp): a constant loss
     *                 scale then cancels (apart from ε), so lr × E[u] is not its step.
     * @param momentum The momentum, or "not recorded".
     * @param optimiser The optimiser, or "not recorded".
     * @param weightDecay The optimiser's weight decay and whether RG scales it, or "not recorded".
     * @param usesTribuoAdam Whether any of its runs uses Tribuo 4.3.2's defective Adam (oracle/tribuo#401).
     * @param seeds The seeds of its healthy runs, in run order.
     * @param failedSeeds The seeds of its diverged or collapsed runs.
     * @param accuracy Test accuracy over healthy seeds.
     * @param macroF1 Test macro-F1 (classes present in the test set) over healthy seeds.
     * @param finalTrainingLoss Final training loss over the healthy seeds that recorded a history.
     * @param trainSeconds Training wall-clock seconds over healthy seeds, as median and range: a timing is
     *                     positive and skewed, so a mean ± t interval could go below zero.
     * @param samplesPerSecond Training examples × epochs / training seconds, over healthy seeds with a
     *                         history, as median and range.
     * @param convergence Epochs to the target accuracy and oscillation of the training loss.
     * @param curve Per epoch, mean, min and max over healthy seeds of training loss and test accuracy.
     * @param stepCurve The per-step training loss, smoothed and averaged over healthy seeds.
     * @param perClass Per test class, precision, recall and F1 averaged over healthy seeds.
     */
    public record TrainerSummary(String trainer, boolean randomGradient, String lossScale, double lossScaleMean,
                                 double lossScaleMin, double lossScaleMax, double learningRate,
                                 double effectiveLearningRate, boolean adaptive, String momentum, String optimiser,
                                 String weightDecay, boolean usesTribuoAdam, List<Long> seeds, List<Long> failedSeeds,
                                 Summary accuracy, Summary macroF1, Summary finalTrainingLoss, Statistics.MedianRange trainSeconds,
                                 Statistics.MedianRange samplesPerSecond, Convergence convergence, List<CurvePoint> curve,
                                 List<StepPoint> stepCurve, List<ClassRow> perClass) {

        /**
         * Freezes the lists.
         * @throws NullPointerException If a list or an entry is null.
         */
        public TrainerSummary {
            seeds = List.copyOf(seeds);
            failedSeeds = List.copyOf(failedSeeds);
            curve = List.copyOf(curve);
            stepCurve = List.copyOf(stepCurve);
            perClass = List.copyOf(perClass);
        }
    }

    /**
     * One test class of a trainer's per-class table.
     *
     * @param label The class label.
     * @param support The number of test examples of the class (0: absent from the test set).
     * @param precision Mean precision over seeds, NaN (shown n/a) when absent.
     * @param recall Mean recall over seeds, NaN when absent.
     * @param f1 Mean F1 over seeds, NaN when absent.
     */
    public record ClassRow(String label, double support, double precision, double recall, double f1) {}

    /**
     * One point of a per-step training-loss curve.
     *
     * @param step The global mini-batch number, from 0.
     * @param loss The centred moving average of the unscaled loss, averaged over seeds.
     */
    public record StepPoint(int step, double loss) {}

    /**
     * How fast and how smoothly a trainer's runs converged.
     *
     * @param targetAccuracy The target test accuracy.
     * @param seedsReached How many seeds reached the target in some epoch.
     * @param seeds How many seeds the trainer has.
     * @param perSeed Per seed: epochs to target and oscillation.
     * @param epochsToTarget Epochs to target, median and range over the seeds that reached it.
     * @param oscillation Mean absolute change between consecutive mini-batch losses, over the seeds with a history.
     * @param lossDeviation Standard deviation of the per-step loss around its moving average
     *                      ({@link Statistics#deviationFromMovingAverage(float[])}), over the seeds with a history.
     */
    public record Convergence(double targetAccuracy, int seedsReached, int seeds, List<SeedConvergence> perSeed,
                              Statistics.MedianRange epochsToTarget, Summary oscillation, Summary lossDeviation) {

        /**
         * Freezes the list.
         * @throws NullPointerException If the list or an entry is null.
         */
        public Convergence {
            perSeed = List.copyOf(perSeed);
        }
    }

    /**
     * Convergence of one seed.
     *
     * @param seed The seed.
     * @param epochsToTarget The first epoch (from 1) whose test accuracy reached the target; null if none did
     *                       or the run has no history.
     * @param oscillation The mean absolute change between consecutive mini-batch losses, NaN without history.
     */
    public record SeedConvergence(long seed, Integer epochsToTarget, double oscillation) {}

    /**
     * One epoch of a trainer's mean curves.
     *
     * @param epoch The epoch, from 1.
     * @param seeds How many seeds' histories reach this epoch.
     * @param meanTrainingLoss The mean over those seeds of the epoch's mean unscaled training loss (non-finite values skipped).
     * @param minTrainingLoss The smallest of those seeds' losses.
     * @param maxTrainingLoss The largest of those seeds' losses.
     * @param meanTestAccuracy The mean over those seeds of the accuracy measured at the end of the epoch
     *                         ({@link EpochRecord#heldOutMetric()}, NaN values skipped).
     * @param minTestAccuracy The smallest of those seeds' accuracies.
     * @param maxTestAccuracy The largest of those seeds' accuracies.
     */
    public record CurvePoint(int epoch, int seeds, double meanTrainingLoss, double minTrainingLoss, double maxTrainingLoss,
                             double meanTestAccuracy, double minTestAccuracy, double maxTestAccuracy) {}

    /**
     * The trainer-provenance values that differ between trainers, seeds and volatile values excluded.
     *
     * @param trainers The trainers, in report order.
     * @param rows One row per differing flattened key, e.g. {@code optimiser.lossScale.high}.
     * @param dataHashes Per trainer, the distinct {@link ProvenanceFacts#dataHash()} of its runs.
     * @param sameDataHash Whether every run recorded the same training data hash.
     * @param trainingDataNote A sentence on whether all runs used the same training data.
     */
    public record ProvenanceDiff(List<String> trainers, List<DiffRow> rows, Map<String, String> dataHashes,
                                 boolean sameDataHash, String trainingDataNote) {

        /**
         * Freezes the collections.
         * @throws NullPointerException If a collection, an entry or the note is null.
         */
        public ProvenanceDiff {
            trainers = List.copyOf(trainers);
            rows = List.copyOf(rows);
            dataHashes = Collections.unmodifiableMap(new LinkedHashMap<>(dataHashes));
            Objects.requireNonNull(trainingDataNote, "trainingDataNote");
        }
    }

    /**
     * One differing provenance key.
     *
     * @param key The flattened provenance key.
     * @param values Per trainer, its value, or {@value ReportData#MISSING} if the trainer does not record the key.
     */
    public record DiffRow(String key, Map<String, String> values) {

        /**
         * Freezes the values.
         * @throws NullPointerException If the key or values are null.
         */
        public DiffRow {
            Objects.requireNonNull(key, "key");
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /**
     * The verdict of one comparison on test accuracy.
     *
     * @param candidate The trainer under test.
     * @param reference The trainer it is compared with.
     * @param comparison The statistics over the healthy runs (Holm-corrected over the report's comparisons).
     * @param candidateFailed The candidate's diverged or collapsed seeds, left out.
     * @param referenceFailed The reference's diverged or collapsed seeds, left out.
     * @param sentence The answer in one sentence: the comparison's sentence, failed runs and the caveat on steps.
     */
    public record Verdict(String candidate, String reference, SeedComparison.Result comparison, List<Long> candidateFailed,
                          List<Long> referenceFailed, String sentence) {

        /**
         * Freezes the lists.
         * @throws NullPointerException If a field is null.
         */
        public Verdict {
            Objects.requireNonNull(comparison, "comparison");
            candidateFailed = List.copyOf(candidateFailed);
            referenceFailed = List.copyOf(referenceFailed);
            Objects.requireNonNull(sentence, "sentence");
        }
    }
}
