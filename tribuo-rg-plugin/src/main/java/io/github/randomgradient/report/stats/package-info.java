/**
 * The statistics of a sweep's evidence: power and minimum detectable effects of the paired t-test
 * ({@link io.github.randomgradient.report.stats.PowerAnalysis}, over the noncentral t distribution of
 * {@link io.github.randomgradient.report.stats.NoncentralT}), three-way verdicts on RG's claims
 * ({@link io.github.randomgradient.report.stats.ClaimVerdicts}), censored times to a target
 * ({@link io.github.randomgradient.report.stats.TimeToTarget}), curve measures
 * ({@link io.github.randomgradient.report.stats.Curves}), robustness
 * ({@link io.github.randomgradient.report.stats.Robustness}), the exact sign test
 * ({@link io.github.randomgradient.report.stats.SignTest}), expected best validation performance by tuning
 * budget ({@link io.github.randomgradient.report.stats.ExpectedMaximum}) and grid edges
 * ({@link io.github.randomgradient.report.stats.GridEdges}).
 * <p>
 * Pure functions on numbers and records: no run files, no provenance, nothing from the sweep. They belong to the
 * report layer, so that both the reports and the sweep (which stands above the reports) can use them.
 */
package io.github.randomgradient.report.stats;
