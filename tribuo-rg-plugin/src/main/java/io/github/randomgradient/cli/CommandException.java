package io.github.randomgradient.cli;

/**
 * A failure the command line reports as one clear message and a non-zero exit status, without a
 * stack trace: a malformed config, an unknown trainer name, a missing data path, a corrupt model.
 */
public final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit status of a command that failed on bad input. */
    public static final int EXIT_BAD_INPUT = 2;

    /**
     * Creates the exception.
     * @param message What went wrong and what to do, naming the file, field or value.
     */
    public CommandException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     * @param message What went wrong and what to do.
     * @param cause The underlying exception.
     */
    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
