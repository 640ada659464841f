package io.github.randomgradient.data;

/**
 * Bad data: a missing, truncated or malformed data file, or data that cannot be used as asked (an
 * empty dataset, an empty validation split). A user error: the command line reports its one-line
 * message, which names the file (and byte, where the data ends early) or the data and the sizes
 * involved, with exit status 2.
 */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a data error.
     * @param message What is wrong, naming the file or data and the values found.
     */
    public DataException(String message) {
        super(message);
    }

    /**
     * Creates a data error.
     * @param message What is wrong, naming the file or data and the values found.
     * @param cause The underlying exception.
     */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
