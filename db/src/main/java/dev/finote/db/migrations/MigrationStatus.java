package dev.finote.db.migrations;

import java.time.Instant;

/** One migration as {@code finote db status} reports it. */
public record MigrationStatus(String version, String description, State state, Instant installedOn) {

    public enum State {
        APPLIED, PENDING, FAILED,
        /** In the database's history, but this build has no such file. */
        MISSING_FROM_BUILD,
        /** Applied, but the file changed since (checksum differs). */
        CHANGED_SINCE_APPLIED,
        /** Older than the newest applied version but never applied. */
        IGNORED,
        BASELINE
    }
}
