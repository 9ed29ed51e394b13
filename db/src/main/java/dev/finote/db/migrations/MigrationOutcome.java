package dev.finote.db.migrations;


import java.util.List;

/**
 * What {@link SchemaMigrator#migrate()} did.
 *
 * @param report  the migrations applied and the resulting version
 * @param adopted versions recorded as applied without running them, because the database
 *                already had their schema (adoption), oldest first; empty in the ordinary case
 * @param notes   sentences for the operator about the adoption, empty when there was none
 */
public record MigrationOutcome(MigrationReport report, List<String> adopted, List<String> notes) {
}
