package dev.finote.db.backup;

import dev.finote.db.DatabaseException;

/** A backup, restore or reset refused or failed for a reason the operator can act on; {@link #next()} says how. */
public class LifecycleException extends DatabaseException {
    private final String next;

    public LifecycleException(String problem, String next) {
        super(problem);
        this.next = next;
    }

    public LifecycleException(String problem, String next, Throwable cause) {
        super(problem, cause);
        this.next = next;
    }

    public String next() {
        return next;
    }
}
