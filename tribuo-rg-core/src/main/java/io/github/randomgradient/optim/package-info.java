/**
 * What a report needs to know about an optimiser and a learning-rate schedule, without the engine
 * that runs them: {@link io.github.randomgradient.optim.OptimiserDescription} (is it adaptive, its
 * momentum, weight decay and update rule) and {@link io.github.randomgradient.optim.ScheduleDescription}.
 * The components themselves live with their engine (e.g. {@code io.github.randomgradient.djl.optim});
 * a report rebuilds them from a run's provenance through OLCUT and asks them, as Tribuo's
 * {@code ReproUtil} rebuilds a trainer, instead of matching names in a flattened provenance map.
 */
package io.github.randomgradient.optim;
