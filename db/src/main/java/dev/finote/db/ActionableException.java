package dev.finote.db;

import java.io.PrintWriter;
import java.util.List;

/**
 * The one failure type of the database toolkit: what went wrong, for the operator, and the
 * command or fix to try next. The command line prints it ({@link #print}) as
 * {@code error: <message>} and {@code next:  <next>}, never as a stack trace. Subclasses exist
 * only where a caller catches that kind in particular ({@link DatabaseException},
 * {@link MigrationFailedException}, {@link InvalidDatabaseUrlException}, …).
 */
public class ActionableException extends RuntimeException {

    private final String next;

    /** @param next what to do next, or null when the thrower has nothing better than {@link #defaultNext()} */
    public ActionableException(String message, String next) {
        this(message, next, null);
    }

    public ActionableException(String message, String next, Throwable cause) {
        super(message, cause);
        this.next = next;
    }

    /** What to do next, as the thrower said it; null when it did not. */
    public String next() {
        return next;
    }

    /** What to do next when the thrower did not say: the advice for this kind of failure, or null for none. */
    protected String defaultNext() {
        return null;
    }

    /** Lines that detail the message (each printed on its own line under it); none by default. */
    public List<String> details() {
        return List.of();
    }

    /** Prints the failure the way every {@code finote db} command reports one. */
    public void print(PrintWriter err) {
        List<String> details = details();
        err.println("error: " + getMessage() + (details.isEmpty() ? "" : ":"));
        details.forEach(detail -> err.println("         - " + detail));
        String then = next != null ? next : defaultNext();
        if (then != null) err.println("next:  " + then);
    }
}
