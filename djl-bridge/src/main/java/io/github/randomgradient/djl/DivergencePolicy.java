package io.github.randomgradient.djl;

/**
 * What {@link DJLTrainer} does on a divergence: a NaN or an infinity in a mini-batch loss or its
 * logits, a gradient (after the sum over devices) or a parameter after an update (checked after
 * every step, so the run stops in the step that produced it), in the held-out logits or metric
 * (checked after every epoch when held-out data is given), or in the final network's
 * inference-mode logits on the training data (checked once, at the end of training).
 */
public enum DivergencePolicy {
    /** Throw a {@link io.github.randomgradient.history.DivergedRunException}; no model is returned. */
    FAIL,
    /**
     * Stop training and return a model holding the last healthy parameters, flagged as diverged in
     * its history and provenance. Healthy means finite, with finite inference-mode logits on the
     * training data and on the held-out data when given; the candidates are tried in turn: the
     * current parameters (those before the failed step when the loss, logits or a gradient were
     * not finite, since that step applied no update), those at the start of the diverging epoch,
     * the initial ones. When none is healthy (e.g. the network predicts NaN from the start) the
     * run throws {@link io.github.randomgradient.history.DivergedRunException} as under
     * {@link #FAIL}: a NaN model is never returned.
     */
    STOP
}
