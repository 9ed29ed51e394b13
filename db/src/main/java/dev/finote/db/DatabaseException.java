package dev.finote.db;

/**
 * A database operation failed; the message is meant for the operator and names what to do.
 * {@link #next()} is the command or fix to try next, when the thrower knows better than
 * "check that the database is reachable" ({@link #defaultNext()}).
 */
public class DatabaseException extends ActionableException {

    public DatabaseException(String message) {
        this(message, null, null);
    }

    public DatabaseException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public DatabaseException(String message, String next, Throwable cause) {
        super(message, next, cause);
    }

    @Override
    protected String defaultNext() {
        return "check that PostgreSQL is running and DATABASE_URL is right, then try again";
    }
}
