package io.github.randomgradient.djl;

/**
 * What {@link DJLTrainer} does when a mini-batch loss, a gradient or an updated parameter is NaN or
 * infinite. The check runs after every step, so the run stops in the step that produced the value.
 */
public enum DivergencePolicy {
    /** Throw a {@link io.github.randomgradient.history.DivergedRunException}; no model is returned. */
    FAIL,
    /**
     * Stop training and return a model holding the last finite parameters (the current ones when
     * the loss or a gradient was not finite, since that step applied no update; those at the start
     * of the diverging epoch when the update itself produced a non-finite parameter), flagged as
     * diverged in its history and provenance.
     */
    STOP
}
