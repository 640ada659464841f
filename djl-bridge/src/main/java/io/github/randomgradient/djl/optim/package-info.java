/**
 * Optimiser and learning-rate schedule configuration for DJL training: SGD (with momentum),
 * Nesterov momentum and Adam, each with a fixed, "poly", step or cosine learning-rate schedule
 * built from DJL's {@link ai.djl.training.tracker.Tracker}s.
 */
package io.github.randomgradient.djl.optim;
