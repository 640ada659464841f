package io.github.randomgradient.sweep;

/**
 * A sweep that cannot be planned or run as declared: an unknown axis field, a value the trainer
 * rejects, an empty axis, a missing component, a finished run of another configuration. The message
 * is one line naming the sweep, the field and the value; the command line exits with status 2.
 */
public final class SweepException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     * @param message The one-line message.
     */
    public SweepException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     * @param message The one-line message.
     * @param cause The cause.
     */
    public SweepException(String message, Throwable cause) {
        super(message, cause);
    }
}
