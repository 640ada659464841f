package io.github.randomgradient.djl;

/**
 * What {@link DJLTrainer} does when a mini-batch loss is NaN or infinite.
 */
public enum DivergencePolicy {
    /** Throw a {@link DivergedRunException}; no model is returned. */
    FAIL,
    /**
     * Stop training and return a model holding the last finite parameters (the current ones if
     * finite, otherwise those at the start of the diverging epoch), flagged as diverged in its
     * history and provenance.
     */
    STOP
}
