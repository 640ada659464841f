/**
 * The optimiser and the learning-rate schedule as OLCUT components, exactly as {@code torch.optim}
 * defines them: {@link io.github.randomgradient.djl.optim.TorchSgd} (SGD and Nesterov) and
 * {@link io.github.randomgradient.djl.optim.TorchAdam} (Adam and AdamW) are
 * {@link io.github.randomgradient.djl.optim.TorchOptimiser}s, whose per-run
 * {@link io.github.randomgradient.djl.optim.TorchOptimiser.Updater} the training loop applies to DJL
 * parameters directly rather than through DJL's {@code Trainer.step()};
 * {@link io.github.randomgradient.djl.optim.FixedSchedule}, {@link io.github.randomgradient.djl.optim.PolySchedule},
 * {@link io.github.randomgradient.djl.optim.StepSchedule} and {@link io.github.randomgradient.djl.optim.CosineSchedule}
 * are per-update {@link io.github.randomgradient.djl.optim.Schedule}s. Each describes itself to reports
 * through the core's {@link io.github.randomgradient.optim.OptimiserDescription} and
 * {@link io.github.randomgradient.optim.ScheduleDescription}. {@link io.github.randomgradient.djl.optim.OptimiserType}
 * and {@link io.github.randomgradient.djl.optim.LearningRateSchedule} name the values of the deprecated
 * flat trainer fields.
 */
package io.github.randomgradient.djl.optim;
