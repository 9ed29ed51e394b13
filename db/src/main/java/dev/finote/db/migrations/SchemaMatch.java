package dev.finote.db.migrations;

import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.Extension;
import dev.finote.db.schema.ManagedGrants;
import dev.finote.db.schema.ManagedSchemas;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a live database has the schema of a migration version. Extensions the expected
 * schema does not have are left out of the comparison: hosted PostgreSQL installs its own
 * (pg_stat_statements, …), and they are not Finote's to manage; so are grants to roles the expected
 * schema never names ({@link ManagedGrants}), and schemas it does not have ({@link ManagedSchemas}).
 */
public final class SchemaMatch {

    private SchemaMatch() {
    }

    public static boolean matches(Catalog expected, Catalog live) {
        return expected.equals(comparable(expected, live));
    }

    /** The differences, {@code expected} first ("missing" = in expected, not in the database). */
    public static List<String> differences(Catalog expected, Catalog live) {
        return expected.differencesFrom(comparable(expected, live));
    }

    /**
     * The earliest version whose schema the database has. Earliest, because versions that
     * change no schema (a data backfill) share their predecessor's catalog: adopting at the
     * first of them means the later ones still run.
     */
    public static Optional<VersionedCatalog> earliest(List<VersionedCatalog> versions, Catalog live) {
        return versions.stream().filter(version -> matches(version.catalog(), live)).findFirst();
    }

    private static Catalog comparable(Catalog expected, Catalog live) {
        Map<String, Extension> managed = live.extensions().entrySet().stream()
                .filter(extension -> expected.extensions().containsKey(extension.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return ManagedGrants.of(expected, ManagedSchemas.of(expected, live.withExtensions(managed)));
    }
}
