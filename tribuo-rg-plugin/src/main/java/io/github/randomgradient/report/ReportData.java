package io.github.randomgradient.report;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.report.Statistics.Summary;

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
 * @param trainers One summary per trainer, in the order trainers were first seen.
 * @param provenanceDiff The configuration values that differ between trainers.
 * @param divergedRuns The runs that stopped on a non-finite loss.
 * @param verdicts One verdict per comparison.
 * @param notes Warnings a reader must see (defective optimisers, runs without history, inconsistent runs).
 */
public record ReportData(String title, double targetAccuracy, List<RunRow> runs, List<TrainerSummary> trainers,
                         ProvenanceDiff provenanceDiff, List<DivergedRun> divergedRuns, List<Verdict> verdicts,
                         List<String> notes) {

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
        divergedRuns = List.copyOf(divergedRuns);
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
     * @param status {@link RunRecord#COMPLETE} or {@link RunRecord#DIVERGED}.
     * @param accuracy Test accuracy.
     * @param macroF1 Test macro-averaged F1.
     * @param finalTrainingLoss The mean unscaled training loss of the last completed epoch, NaN without history.
     * @param trainSeconds Wall-clock seconds of training.
     * @param directory The run directory.
     */
    public record RunRow(String trainer, long seed, String status, double accuracy, double macroF1,
                         double finalTrainingLoss, double trainSeconds, String directory) {}

    /**
     * What one trainer was configured with (read from provenance) and how its runs did over seeds.
     *
     * @param trainer The trainer name.
     * @param randomGradient Whether its loss scale varies between mini-batches.
     * @param lossScale The loss scale's description, e.g. {@code U[0.0, 1.0)} or {@code 1.0}.
     * @param lossScaleMean The loss scale's expected value E[u].
     * @param lossScaleMin The smallest loss-scale factor.
     * @param lossScaleMax The largest loss-scale factor.
     * @param learningRate The base learning rate, NaN if not recorded.
     * @param effectiveLearningRate The mean step's learning rate, learning rate × E[u], NaN if not recorded.
     * @param momentum The momentum, or "not recorded".
     * @param optimiser The optimiser, or "not recorded".
     * @param usesTribuoAdam Whether any of its runs uses Tribuo 4.3.2's defective Adam (oracle/tribuo#401).
     * @param seeds The seeds of its runs, in run order.
     * @param accuracy Test accuracy over seeds.
     * @param macroF1 Test macro-averaged F1 over seeds.
     * @param finalTrainingLoss Final training loss over the seeds that recorded a history.
     * @param trainSeconds Training wall-clock seconds over seeds.
     * @param convergence Epochs to the target accuracy and oscillation of the training loss.
     * @param curve Per epoch, the mean over seeds of training loss and test accuracy.
     */
    public record TrainerSummary(String trainer, boolean randomGradient, String lossScale, double lossScaleMean,
                                 double lossScaleMin, double lossScaleMax, double learningRate,
                                 double effectiveLearningRate, String momentum, String optimiser,
                                 boolean usesTribuoAdam, List<Long> seeds, Summary accuracy, Summary macroF1,
                                 Summary finalTrainingLoss, Summary trainSeconds, Convergence convergence,
                                 List<CurvePoint> curve) {

        /**
         * Freezes the lists.
         * @throws NullPointerException If a list or an entry is null.
         */
        public TrainerSummary {
            seeds = List.copyOf(seeds);
            curve = List.copyOf(curve);
        }
    }

    /**
     * How fast and how smoothly a trainer's runs converged.
     *
     * @param targetAccuracy The target test accuracy.
     * @param seedsReached How many seeds reached the target in some epoch.
     * @param seeds How many seeds the trainer has.
     * @param perSeed Per seed: epochs to target and oscillation.
     * @param epochsToTarget Epochs to target, over the seeds that reached it.
     * @param oscillation Mean absolute change between consecutive mini-batch losses, over the seeds with a history.
     */
    public record Convergence(double targetAccuracy, int seedsReached, int seeds, List<SeedConvergence> perSeed,
                              Summary epochsToTarget, Summary oscillation) {

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
     * @param meanTestAccuracy The mean over those seeds of the accuracy measured at the end of the epoch
     *                         ({@link EpochRecord#heldOutMetric()}, NaN values skipped).
     */
    public record CurvePoint(int epoch, int seeds, double meanTrainingLoss, double meanTestAccuracy) {}

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
     * A run that stopped on a non-finite loss.
     *
     * @param trainer The trainer name.
     * @param seed The seed.
     * @param status The run's status.
     * @param divergence Where it diverged (epoch, step, loss, learning rate, loss scale), null if its history does not say.
     * @param description The divergence in words: {@link Divergence#describe()}, else the {@code divergence} value of
     *                    the run provenance, else a sentence saying neither records it.
     */
    public record DivergedRun(String trainer, long seed, String status, Divergence divergence, String description) {}

    /**
     * The verdict of one comparison on test accuracy.
     *
     * @param candidate The trainer under test.
     * @param reference The trainer it is compared with.
     * @param candidateSeeds The candidate's number of seeds.
     * @param referenceSeeds The reference's number of seeds.
     * @param candidateMeanAccuracy The candidate's mean test accuracy.
     * @param referenceMeanAccuracy The reference's mean test accuracy.
     * @param accuracyDifference Candidate minus reference mean test accuracy.
     * @param pValue The two-sided Welch t-test p-value, NaN when no verdict is given.
     * @param outcome {@value Verdict#BETTER}, {@value Verdict#WORSE}, {@value Verdict#NO_DIFFERENCE} or {@value Verdict#NO_VERDICT}.
     * @param sentence The verdict in words, with its uncertainty and the E[u] caveat where the mean steps differ.
     */
    public record Verdict(String candidate, String reference, int candidateSeeds, int referenceSeeds,
                          double candidateMeanAccuracy, double referenceMeanAccuracy, double accuracyDifference,
                          double pValue, String outcome, String sentence) {
        /** The candidate's accuracy is higher beyond seed-to-seed noise. */
        public static final String BETTER = "better";
        /** The candidate's accuracy is lower beyond seed-to-seed noise. */
        public static final String WORSE = "worse";
        /** The difference is within seed-to-seed noise. */
        public static final String NO_DIFFERENCE = "no difference";
        /** Too few seeds to tell. */
        public static final String NO_VERDICT = "no verdict";
    }
}
