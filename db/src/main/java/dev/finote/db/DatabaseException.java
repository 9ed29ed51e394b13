package dev.finote.db;

/**
 * A database operation failed; the message is meant for the operator and names what to do.
 * {@link #next()} is the command or fix to try next, when the thrower knows better than
 * "check that the database is reachable".
 */
public class DatabaseException extends RuntimeException {

    private final String next;

    public DatabaseException(String message) {
        this(message, null, null);
    }

    public DatabaseException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public DatabaseException(String message, String next, Throwable cause) {
        super(message, cause);
        this.next = next;
    }

    /** What to do next, or null when the caller should say it. */
    public String next() {
        return next;
    }
}
