package dev.finote.db.migrations;

import dev.finote.db.schema.Catalog;

/**
 * The schema a migration history gives at one version.
 *
 * @param version     Flyway's version text ({@code "3"})
 * @param description the migration's description ({@code "notes list index"})
 * @param script      the file name relative to the migrations location ({@code V3__notes_list_index.sql})
 * @param catalog     the schema once this version is applied
 */
public record VersionedCatalog(String version, String description, String script, Catalog catalog) {

    /** {@code V3 (notes list index)}, for messages. */
    public String label() {
        return "V" + version + " (" + description + ")";
    }
}
