package dev.finote.db;

/** DATABASE_URL (or --url) could not be understood; the message says why, without echoing secrets. */
public class InvalidDatabaseUrlException extends IllegalArgumentException {
    public InvalidDatabaseUrlException(String reason) {
        super("DATABASE_URL is not usable: " + reason);
    }
}
