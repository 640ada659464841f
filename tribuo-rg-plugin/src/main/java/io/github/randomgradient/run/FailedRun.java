package io.github.randomgradient.run;

import io.github.randomgradient.history.Divergence;

/**
 * A run left out of summaries, charts and verdicts.
 *
 * @param trainer The trainer name.
 * @param seed The seed.
 * @param status {@link LoadedRun#DIVERGED} or {@link LoadedRun#COLLAPSED}.
 * @param divergence Where it diverged (epoch, step, loss, learning rate, loss scale), null if not recorded or collapsed.
 * @param description What happened, in words.
 */
public record FailedRun(String trainer, long seed, String status, Divergence divergence, String description) {}
