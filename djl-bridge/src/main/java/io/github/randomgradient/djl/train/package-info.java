/**
 * The training engine behind {@link io.github.randomgradient.djl.DJLTrainer}: the immutable
 * {@link io.github.randomgradient.djl.train.RunSettings} of a run; a dataset converted once to
 * tensors ({@link io.github.randomgradient.djl.train.TensorData}); the seeded shuffle, mini-batch
 * boundaries and gather ({@link io.github.randomgradient.djl.train.MiniBatches}); the training loop
 * with its step, finiteness checks, divergence policy and per-epoch evaluation
 * ({@link io.github.randomgradient.djl.train.TrainingLoop},
 * {@link io.github.randomgradient.djl.train.Parameters}); and the epoch reporting (log line,
 * progress bar). The update rules are in {@link io.github.randomgradient.djl.optim}.
 * <p>
 * Per-step host synchronisation is confined to small reads: two per device split, the mini-batch
 * loss read together with its logits' largest magnitude, and its metric contribution
 * ({@code Step}); and two per step, the reduced-gradient and parameter finiteness checks, one
 * stacked array each ({@code Parameters}). The multi-device update (sum the replicas' gradients,
 * check, update, copy back) is {@code ReplicaServer}, in the manner of DJL's
 * {@code LocalParameterServer}.
 */
package io.github.randomgradient.djl.train;
