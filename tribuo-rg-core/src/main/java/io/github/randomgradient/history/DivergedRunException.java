package io.github.randomgradient.history;

/**
 * Thrown by a trainer (the DJL bridge's {@code DJLTrainer}) under {@code divergencePolicy=FAIL} when a
 * mini-batch loss, a gradient or a parameter is NaN or infinite. It lives here, beside
 * {@link Divergence}, so the command line can recognise a diverged run (exit status 3) without
 * depending on DJL. Named apart from DJL's own {@code ai.djl.training.TrainingDivergedException}.
 * <p>
 * The message names the epoch, step, loss, learning rate and loss scale, and the
 * {@link Divergence} is available to code.
 */
public final class DivergedRunException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final Divergence divergence;

    /**
     * Creates the exception.
     * @param divergence Where the run diverged.
     */
    public DivergedRunException(Divergence divergence) {
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
