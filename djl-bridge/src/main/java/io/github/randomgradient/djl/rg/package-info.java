/**
 * Random Gradient for plain DJL users: {@link io.github.randomgradient.djl.rg.RandomGradientLoss}
 * wraps any DJL {@code Loss} and scales the value that goes to {@code backward} by a
 * {@link io.github.randomgradient.rg.LossScale} factor, one draw per optimiser step;
 * {@link io.github.randomgradient.djl.rg.RandomGradientListener} advances the steps and records the
 * draws and the unscaled losses as the project's
 * {@link io.github.randomgradient.history.TrainingHistory}. Both work with
 * {@code DefaultTrainingConfig} and {@code EasyTrain.fit} unchanged.
 */
package io.github.randomgradient.djl.rg;
