/**
 * Update rules exactly as {@code torch.optim} defines them ({@link io.github.randomgradient.djl.optim.TorchSgd}
 * for SGD and Nesterov, {@link io.github.randomgradient.djl.optim.TorchAdam} for Adam and AdamW),
 * applied to DJL parameters by the training loop rather than through DJL's {@code Trainer.step()},
 * and per-update learning-rate schedules ({@link io.github.randomgradient.djl.optim.Schedule}).
 */
package io.github.randomgradient.djl.optim;
