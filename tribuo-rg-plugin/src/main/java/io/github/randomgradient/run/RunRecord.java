package io.github.randomgradient.run;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The summary of one finished training run, written last into its run directory ({@value RunFiles#RUN})
 * so that its presence marks the run as complete.
 *
 * @param trainer The trainer's component name in the experiment config, e.g. {@code cnn-rg}.
 * @param seed The seed the trainer ran with.
 * @param status {@code complete}, or {@code diverged} if training stopped on a non-finite loss.
 * @param trainSeconds Wall-clock seconds of {@code Trainer.train} (including data conversion).
 * @param trainExamples The number of training examples.
 * @param testExamples The number of test examples evaluated.
 * @param modelClass The class of the trained model.
 * @param lossScale The loss scale's description, e.g. {@code U[0.0, 1.0)} or {@code 1.0}.
 * @param lossScaleMean The loss scale's expected value E[u].
 * @param learningRate The base learning rate, NaN if the trainer records none.
 * @param effectiveLearningRate {@code learningRate * E[u]}, NaN if unknown.
 * @param finishedAt ISO-8601 time the run finished.
 * @param sha256 The SHA-256 (lower-case hex) of every file of the run as written before this record,
 *               by file name ({@value RunFiles#MODEL}, {@value RunFiles#PROVENANCE},
 *               {@value RunFiles#EVALUATION}, {@value RunFiles#HISTORY}); a file replaced or altered
 *               afterwards makes the run corrupt. Null in run directories written before the hashes
 *               were recorded (their files are then only checked for form).
 */
public record RunRecord(String trainer, long seed, String status, double trainSeconds, int trainExamples,
                        int testExamples, String modelClass, String lossScale, double lossScaleMean,
                        double learningRate, double effectiveLearningRate, String finishedAt,
                        java.util.Map<String, String> sha256) {

    /** Status of a run that trained to the end. */
    public static final String COMPLETE = "complete";
    /** Status of a run that stopped on a non-finite loss. */
    public static final String DIVERGED = "diverged";

    /**
     * Did the run stop on a non-finite loss?
     * @return True if diverged.
     */
    @JsonIgnore
    public boolean isDiverged() {
        return DIVERGED.equals(status);
    }
}
