package dev.finote.db.migrations;

/** A migration not yet applied: its version, its file (relative to the migrations folder) and its SQL. */
public record PendingMigration(String version, String script, String sql) {
}
