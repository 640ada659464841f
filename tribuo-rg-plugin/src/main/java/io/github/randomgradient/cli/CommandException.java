package io.github.randomgradient.cli;

import io.github.randomgradient.history.DivergedRunException;
import io.github.randomgradient.history.Divergence;

/**
 * A failure the command line reports as one line and an exit status, without a stack trace: a user
 * error (malformed config, unknown trainer name, missing or wrong data file, unwritable output
 * directory, corrupt model, bad argument; exit status {@value #EXIT_BAD_INPUT}), or a run that
 * diverged under {@code divergencePolicy=FAIL} (exit status {@value #EXIT_DIVERGED}).
 * <p>
 * The exit-status contract of {@code tribuo-rg}: 0 success; 2 user error; 3 training diverged;
 * 1 anything else, which is a defect (printed with its stack trace and a request to report it).
 */
public final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit status of a command that failed on bad input. */
    public static final int EXIT_BAD_INPUT = 2;

    /** Exit status of a command whose training diverged under {@code divergencePolicy=FAIL}. */
    public static final int EXIT_DIVERGED = 3;

    /** Exit status of an unexpected failure: a defect. */
    public static final int EXIT_DEFECT = 1;

    /** Exit status of a sweep whose runs failed twice in their workers (a worker crashed or ran out of memory). */
    public static final int EXIT_RUNS_FAILED = 4;

    private final int exitStatus;

    /**
     * Creates a user-error exception (exit status {@value #EXIT_BAD_INPUT}).
     * @param message What went wrong and what to do, naming the file, field or value.
     */
    public CommandException(String message) {
        this(message, null);
    }

    /**
     * Creates a user-error exception (exit status {@value #EXIT_BAD_INPUT}).
     * @param message What went wrong and what to do.
     * @param cause The underlying exception.
     */
    public CommandException(String message, Throwable cause) {
        this(EXIT_BAD_INPUT, message, cause);
    }

    private CommandException(int exitStatus, String message, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    /**
     * The exception for a run that diverged under {@code divergencePolicy=FAIL}: exit status
     * {@value #EXIT_DIVERGED}, one line naming what was not finite (e.g. {@code loss}, {@code gradient of
     * 01Linear_weight}, {@code logits on the training data (inference mode)}), trainer, seed, epoch,
     * step, loss, learning rate and loss scale.
     * @param trainer The trainer's component name.
     * @param seed The run's seed.
     * @param e The trainer's exception.
     * @return The exception.
     */
    public static CommandException diverged(String trainer, long seed, DivergedRunException e) {
        Divergence d = e.getDivergence();
        return new CommandException(EXIT_DIVERGED, "training diverged (divergencePolicy=FAIL): non-finite " + d.what() + "; trainer '" + trainer + "', seed " + seed
                + ", epoch " + d.epoch() + ", step " + d.step() + ", loss " + d.loss() + ", learning rate " + d.learningRate()
                + ", loss scale " + d.lossScale() + ". Lower learningRate, narrow the loss scale, or set divergencePolicy=STOP "
                + "to record the run as diverged and go on", e);
    }

    /**
     * The exception for runs of a sweep that diverged under {@code divergencePolicy=FAIL} in worker
     * processes: exit status {@value #EXIT_DIVERGED}.
     * @param message One line naming the runs and the first divergence (epoch, step, loss, learning rate, loss scale).
     * @return The exception.
     */
    public static CommandException divergedRuns(String message) {
        return new CommandException(EXIT_DIVERGED, message, null);
    }

    /**
     * The exception for sweep runs that failed twice in worker processes for another reason than
     * divergence (a worker that crashed, ran out of memory or exited): exit status
     * {@value #EXIT_RUNS_FAILED}.
     * @param message One line naming how many runs failed and the first failure (with its worker log).
     * @return The exception.
     */
    public static CommandException failedRuns(String message) {
        return new CommandException(EXIT_RUNS_FAILED, message, null);
    }

    /**
     * The exit status this failure ends the command with.
     * @return {@value #EXIT_BAD_INPUT}, {@value #EXIT_DIVERGED} or {@value #EXIT_RUNS_FAILED}.
     */
    public int exitStatus() {
        return exitStatus;
    }
}
