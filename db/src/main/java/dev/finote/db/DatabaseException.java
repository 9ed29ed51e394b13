package dev.finote.db;

/** A database operation failed; the message is meant for the operator and names what to do. */
public class DatabaseException extends RuntimeException {
    public DatabaseException(String message) {
        super(message);
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
