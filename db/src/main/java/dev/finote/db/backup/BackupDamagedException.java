package dev.finote.db.backup;

/** A backup file that is truncated, corrupted or not a backup at all; detected before anything is written. */
public final class BackupDamagedException extends LifecycleException {
    private static final String NEXT = "use another copy of the backup, or take a new one with: finote db backup";

    public BackupDamagedException(String why) {
        super("the backup is damaged: " + why, NEXT);
    }

    public BackupDamagedException(String why, Throwable cause) {
        super("the backup is damaged: " + why, NEXT, cause);
    }
}
