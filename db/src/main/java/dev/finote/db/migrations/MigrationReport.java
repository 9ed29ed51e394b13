package dev.finote.db.migrations;

import java.util.List;

/** What {@code migrate} did: the versions it applied now, and the version the database is at. */
public record MigrationReport(List<String> applied, String schemaVersion) {
}
