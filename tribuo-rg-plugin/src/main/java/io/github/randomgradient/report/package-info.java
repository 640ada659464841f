/**
 * RG-vs-baseline comparison reports and their statistics.
 * <p>
 * Reports are built from run directories only ({@link io.github.randomgradient.run.RunFiles}), and
 * read configuration from provenance ({@link io.github.randomgradient.run.ProvenanceFacts}), never
 * from private fields. Their pages are built on the document model of
 * {@link io.github.randomgradient.report.doc}, as the sweep report's are.
 */
package io.github.randomgradient.report;
