package dev.finote.db.postgres;

import dev.finote.db.ActionableException;

/** DATABASE_URL (or --url) could not be understood; the message says why, without echoing secrets. */
public class InvalidDatabaseUrlException extends ActionableException {
    private final String reason;

    public InvalidDatabaseUrlException(String reason) {
        this("DATABASE_URL", reason);
    }

    /** A problem with the URL held by {@code variable} (DIRECT_DATABASE_URL, SHADOW_DATABASE_URL, …). */
    public InvalidDatabaseUrlException(String variable, String reason) {
        super(variable + " is not usable: " + reason, "set DATABASE_URL (or --url) to postgresql://user:password@host:5432/finote");
        this.reason = reason;
    }

    /** What is wrong, without the variable's name. */
    public String reason() {
        return reason;
    }
}
