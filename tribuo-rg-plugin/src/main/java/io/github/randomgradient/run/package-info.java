/**
 * What a run is, how it is written and how it is read back, below the reports, sweeps and commands.
 * <p>
 * A training run leaves a directory of files ({@link io.github.randomgradient.run.RunFiles}, the one
 * strict reader of a run): the model, its provenance as JSON, the test evaluation
 * ({@link io.github.randomgradient.run.EvaluationRecord}), the per-epoch
 * {@link io.github.randomgradient.history.TrainingHistory} and, written last, a
 * {@link io.github.randomgradient.run.RunRecord} holding the SHA-256 of the others.
 * {@link io.github.randomgradient.run.RunRecorder} evaluates and writes a run; a run read back is a
 * {@link io.github.randomgradient.run.LoadedRun} (healthy, or a {@link io.github.randomgradient.run.FailedRun});
 * {@link io.github.randomgradient.run.ProvenanceFacts} reads the loss scale, learning rate, momentum
 * and the rest from provenance, never from private fields.
 */
package io.github.randomgradient.run;
