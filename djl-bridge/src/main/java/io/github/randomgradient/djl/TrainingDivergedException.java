package io.github.randomgradient.djl;

import io.github.randomgradient.report.Divergence;

/**
 * Thrown by {@link DJLTrainer} under {@code divergencePolicy=FAIL} when a mini-batch loss is NaN or
 * infinite. The message names the epoch, step, loss, learning rate and loss scale, and the
 * {@link Divergence} is available to code.
 */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final Divergence divergence;

    /**
     * Creates the exception.
     * @param divergence Where the run diverged.
     */
    public TrainingDivergedException(Divergence divergence) {
        super("Training diverged: " + divergence.describe()
                + ". Lower learningRate, narrow the loss scale, or set divergencePolicy=STOP to keep the last finite parameters.");
        this.divergence = divergence;
    }

    /**
     * Where the run diverged.
     * @return The divergence.
     */
    public Divergence getDivergence() {
        return divergence;
    }
}
