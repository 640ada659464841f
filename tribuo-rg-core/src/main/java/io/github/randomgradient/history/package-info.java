/**
 * Training records shared by every trainer in the project: the per-epoch
 * {@link io.github.randomgradient.history.TrainingHistory}, its
 * {@link io.github.randomgradient.history.EpochRecord}s, the held-out curve's
 * {@link io.github.randomgradient.history.EvaluationPoint}s, where a run
 * {@link io.github.randomgradient.history.Divergence diverged}, and the interfaces trainers and
 * models implement to produce them. The DJL bridge depends on this package, never on report code.
 */
package io.github.randomgradient.history;
