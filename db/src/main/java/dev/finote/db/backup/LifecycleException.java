package dev.finote.db.backup;

import dev.finote.db.DatabaseException;

/**
 * A backup, restore or reset refused or failed for a reason the operator can act on; {@link #next()} says how.
 * Its own type because a failed restore keeps its advice when it empties the target again.
 */
public class LifecycleException extends DatabaseException {

    public LifecycleException(String problem, String next) {
        super(problem, next, null);
    }

    public LifecycleException(String problem, String next, Throwable cause) {
        super(problem, next, cause);
    }

    /** A backup file that is truncated, corrupted or not a backup at all; detected before anything is written. */
    public static LifecycleException damaged(String why) {
        return damaged(why, null);
    }

    public static LifecycleException damaged(String why, Throwable cause) {
        return new LifecycleException("the backup is damaged: " + why, "use another copy of the backup, or take a new one with: finote db backup", cause);
    }
}
