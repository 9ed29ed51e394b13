package dev.finote.db.migrations;

import dev.finote.db.schema.Hazard;

/**
 * A hazard found in one migration.
 *
 * @param migration    the migration it is in
 * @param hazard       what can go wrong
 * @param statement    the statement (or planned change) that carries it
 * @param acknowledged whether the file says so in a {@code -- hazard: <code>} comment
 */
public record LintFinding(VersionedCatalog migration, Hazard hazard, String statement, boolean acknowledged) {

    /** Hazards that a migration must acknowledge; the others are the safe forms' costs, reported only. */
    public boolean needsAcknowledgement() {
        return MigrationLint.MUST_ACKNOWLEDGE.contains(hazard);
    }
}
