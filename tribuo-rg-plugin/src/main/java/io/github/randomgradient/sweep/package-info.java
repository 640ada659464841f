/**
 * Sweeps: the paper's learning-rate × momentum × Random Gradient grid as one configured component
 * ({@link io.github.randomgradient.sweep.Sweep}), expanded into runs with stable identities
 * ({@link io.github.randomgradient.sweep.SweepPlan}), executed by worker processes
 * ({@link io.github.randomgradient.sweep.LocalEngine}, {@link io.github.randomgradient.sweep.SweepWorker})
 * or by another {@link io.github.randomgradient.sweep.SweepEngine} such as the Spark module's.
 * <p>
 * The paper: "Fast, Better Training Trick: Random Gradient", Table 1 and Figs 4 to 6 (the grid).
 */
package io.github.randomgradient.sweep;
