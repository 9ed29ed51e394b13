package dev.finote.db.migrations;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.ShadowDatabase;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays a migration history version by version in one fresh shadow database, reading the
 * catalog after each: what the schema is at every version. Adoption matches a live database
 * against these; {@code check} lints each step; {@code generate} and {@code status} compare
 * the last one with schema.sql.
 */
public final class MigrationReplay {

    private MigrationReplay() {
    }

    /** Every versioned migration at {@code location}, oldest first, with the catalog it leaves; empty when there are none. */
    public static List<VersionedCatalog> replay(ShadowDatabase shadow, String location) {
        DatabaseUrl database = shadow.freshDatabase();
        List<VersionedCatalog> versions = new ArrayList<>();
        try {
            MigrationInfo[] pending = Migrator.configure(database, location).load().info().pending();
            for (MigrationInfo migration : pending) {
                if (migration.getVersion() == null) continue; // repeatable migrations are not used here
                String version = migration.getVersion().getVersion();
                Migrator.configure(database, location).target(version).load().migrate();
                versions.add(new VersionedCatalog(version, migration.getDescription(), migration.getScript(),
                        ShadowDatabase.catalogOf(database)));
            }
        } catch (FlywayException e) {
            throw new DatabaseException("replaying the migrations in a shadow database failed: " + Migrator.rootCause(e),
                    "fix the migration named above (or remove it if it has never run anywhere)", e);
        }
        return versions;
    }

    /** The schema after the last migration: the empty catalog when there are none. */
    public static Catalog latest(List<VersionedCatalog> versions) {
        return versions.isEmpty() ? Catalog.EMPTY : versions.getLast().catalog();
    }
}
