/**
 * Run records, provenance facts and RG-vs-baseline comparison reports.
 * <p>
 * A training run leaves a directory of files ({@link io.github.randomgradient.report.RunFiles}):
 * the model, its provenance as JSON, the test evaluation, the per-epoch
 * {@link io.github.randomgradient.history.TrainingHistory} and a
 * {@link io.github.randomgradient.report.RunRecord}. Reports are built from those files only, and
 * read configuration from provenance ({@link io.github.randomgradient.report.ProvenanceFacts}),
 * never from private fields.
 */
package io.github.randomgradient.report;
