package dev.finote.db.backup;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.MigrationReport;
import dev.finote.db.migrations.Migrator;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Restores a backup into a database, in this order:
 * <ol>
 *   <li>refuses a target that is not empty unless the caller confirmed with its name;</li>
 *   <li>reads the whole backup and checks it (structure, row counts, SHA-256) before the
 *       target is touched: a damaged or truncated file changes nothing;</li>
 *   <li>drops what a confirmed non-empty target holds ({@link DatabaseWipe});</li>
 *   <li>migrates the target to the backup's schema version with this build's migrations;</li>
 *   <li>loads every table in one transaction with {@code COPY … FROM STDIN} (indexes and
 *       keys rebuilt after the rows, see {@link IndexesAfterLoad}), sets each
 *       serial/identity sequence past the largest restored value, commits;</li>
 *   <li>migrates to this build's newest version (unless asked to stay at the backup's).</li>
 * </ol>
 * If a migration up to the backup's version or the load fails, the objects the restore
 * created are dropped again, so the target is left empty rather than half restored. Every
 * schema the engine manages is covered, each table loaded back into its own schema; a
 * backup of format 1 holds {@code public}'s tables only. Tables in the backup that no migration creates
 * (such as the old Node backend's {@code session} table of an adopted database) are
 * skipped and named.
 */
public final class Restore {

    private final DatabaseUrl target;
    private final String migrationsLocation;
    private final PrintWriter out;
    private final Progress progress;

    public Restore(DatabaseUrl target, String migrationsLocation, PrintWriter out, Progress progress) {
        this.target = target;
        this.migrationsLocation = migrationsLocation;
        this.out = out;
        this.progress = progress;
    }

    public record Result(BackupReader.Verified backup, Map<String, Long> loaded, Map<String, Long> skipped, String schemaVersion) {
    }

    /**
     * @param overwrite the target database's name, when the caller agreed to replace what it holds; else null
     * @param keepVersion stay at the backup's schema version instead of migrating to this build's newest
     */
    public Result run(Path file, String overwrite, boolean keepVersion) {
        // A refusal costs nothing: say it before reading a large file.
        DatabaseInventory inventory = DatabaseInventory.of(target);
        boolean replace = !inventory.isEmpty();
        if (replace && (overwrite == null || !overwrite.equals(target.database()))) {
            out.println("Database " + target.describe() + " is not empty; restoring into it would destroy:");
            inventory.print(out);
            throw new LifecycleException("refusing to restore into database " + target.database() + ", which is not empty"
                    + (overwrite == null ? "" : " (--overwrite named '" + overwrite + "', not '" + target.database() + "')"),
                    "restore into an empty database, or replace what it holds with: finote db restore --overwrite "
                            + target.database() + " " + file);
        }

        BackupReader.Verified backup = BackupReader.verify(file);
        BackupManifest manifest = backup.manifest();
        out.printf("Backup %s is intact: schema version %s, %,d rows in %d tables, taken %s from %s.%n", file,
                manifest.schemaVersion(), backup.totalRows(), manifest.tables().size(), manifest.createdAt(), manifest.source());
        out.flush();

        Migrator migrator = new Migrator(target, migrationsLocation);
        List<String> available = migrator.availableVersions();
        if (!available.contains(manifest.schemaVersion())) {
            throw new LifecycleException("the backup is at schema version " + manifest.schemaVersion()
                    + ", which this build's migrations do not have (they have " + (available.isEmpty() ? "none" : String.join(", ", available)) + ")",
                    "restore it with the Finote build that made it, or a newer one");
        }

        if (replace) {
            out.println("Replacing what database " + target.describe() + " holds:");
            inventory.print(out);
            DatabaseWipe.wipe(target);
        }

        Map<String, Long> loaded = new LinkedHashMap<>();
        Map<String, Long> skipped = new LinkedHashMap<>();
        MigrationReport base;
        try {
            base = migrator.migrateTo(manifest.schemaVersion());
            out.println("Schema built up to version " + base.schemaVersion() + " (the backup's).");
            load(file, loaded, skipped);
        } catch (RuntimeException e) {
            try {
                DatabaseWipe.wipe(target);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
                throw new DatabaseException("restore failed and the partly restored database could not be emptied again: "
                        + e.getMessage() + "; " + cleanup.getMessage(), e);
            }
            if (e instanceof LifecycleException lifecycle) {
                throw new LifecycleException(lifecycle.getMessage() + "; the target was left empty", lifecycle.next(), e);
            }
            throw new DatabaseException("restore failed, and the target was left empty: " + e.getMessage(), e);
        }
        skipped.forEach((table, rows) -> out.printf("Skipped table %s (%,d rows): no migration of this build creates it.%n", table, rows));
        String version = base.schemaVersion();
        if (!keepVersion) {
            MigrationReport rest;
            try {
                rest = migrator.migrate();
            } catch (DatabaseException e) {
                throw new LifecycleException("the backup was restored at schema version " + version
                        + ", but migrating it to this build's schema failed: " + e.getMessage(),
                        "fix the failing migration, then run: finote db migrate", e);
            }
            version = rest.schemaVersion();
            if (!rest.applied().isEmpty()) {
                out.println("Migrated to this build's schema: applied " + String.join(", ", rest.applied().stream().map(v -> "V" + v).toList()) + ".");
            }
        }
        out.flush();
        return new Result(backup, loaded, skipped, version);
    }

    private void load(Path file, Map<String, Long> loaded, Map<String, Long> skipped) {
        try (Connection connection = Jdbc.connect(target)) {
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            Map<String, Set<String>> targetTables = new LinkedHashMap<>();
            List<String> qualified = new ArrayList<>();
            targetColumns(connection, targetTables, qualified);
            try (Statement statement = connection.createStatement()) {
                // Rows a migration may have inserted (reference data) are in the backup too: the backup wins.
                if (!qualified.isEmpty()) statement.execute("TRUNCATE " + String.join(", ", qualified));
            }
            IndexesAfterLoad indexes = IndexesAfterLoad.plan(connection);
            indexes.dropBeforeLoad(connection);
            BackupReader.read(file, new BackupReader.Rows() {
                private CopyIn copyIn;
                private long bytes;
                private long rows;

                @Override
                public void begin(BackupManifest.Table table) {
                    Set<String> columns = targetTables.get(table.key());
                    bytes = 0;
                    rows = 0;
                    if (columns == null) {
                        copyIn = null;
                        return;
                    }
                    if (!columns.containsAll(table.columns())) {
                        List<String> missing = table.columns().stream().filter(c -> !columns.contains(c)).toList();
                        throw new LifecycleException("table " + table.key() + " has no column " + String.join(", ", missing)
                                + " at the backup's schema version in this build", "restore with the Finote build that made the backup");
                    }
                    progress.table("restoring", table.key());
                    try {
                        ManagedTables.Table t = new ManagedTables.Table(table.schema(), table.name(), false, table.columns());
                        copyIn = copy.copyIn("COPY " + t.qualified() + " (" + t.columnList() + ") FROM STDIN");
                    } catch (SQLException e) {
                        throw new DatabaseException("could not load table " + table.key() + ": " + e.getMessage(), e);
                    }
                }

                @Override
                public void chunk(byte[] buffer, int length) {
                    if (copyIn == null) return;
                    try {
                        copyIn.writeToCopy(buffer, 0, length);
                    } catch (SQLException e) {
                        throw new DatabaseException("could not load rows: " + e.getMessage(), e);
                    }
                    bytes += length;
                    for (int i = 0; i < length; i++) if (buffer[i] == '\n') rows++;
                    progress.rows(rows, bytes);
                }

                @Override
                public void end(BackupManifest.Table table, long count) {
                    if (copyIn == null) {
                        skipped.put(table.key(), count);
                        return;
                    }
                    try {
                        long written = copyIn.endCopy();
                        if (written != count) {
                            throw new DatabaseException("table " + table.key() + ": loaded " + written + " rows, expected " + count);
                        }
                    } catch (SQLException e) {
                        throw new DatabaseException("could not load table " + table.key() + ": " + e.getMessage(), e);
                    }
                    progress.done();
                    loaded.put(table.key(), count);
                }
            });
            indexes.recreateAfterLoad(connection);
            resetSequences(connection);
            connection.commit();
        } catch (SQLException e) {
            throw new DatabaseException("could not load the backup into " + target.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tables of every managed schema (but Flyway's history) and their columns, as the migrations built them,
     * by {@link BackupManifest.Table#key key}; and their qualified names, to empty them.
     */
    private static void targetColumns(Connection connection, Map<String, Set<String>> columns, List<String> qualified) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT n.nspname, c.relname, a.attname FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 WHERE""" + ManagedTables.managed("n") + """
                   AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND NOT (n.nspname = 'public' AND c.relname = ?)
                 ORDER BY n.nspname, c.relname, a.attnum""")) {
            statement.setString(1, ManagedTables.HISTORY);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String key = ManagedTables.key(rows.getString(1), rows.getString(2));
                    if (!columns.containsKey(key)) {
                        qualified.add(Jdbc.quoteIdentifier(rows.getString(1)) + "." + Jdbc.quoteIdentifier(rows.getString(2)));
                    }
                    columns.computeIfAbsent(key, k -> new HashSet<>()).add(rows.getString(3));
                }
            }
        }
    }

    /** Every sequence owned by a column (serial or identity), in every managed schema, continues after the largest value restored. */
    static void resetSequences(Connection connection) throws SQLException {
        List<String[]> owned = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("""
                SELECT s.oid::regclass::text, c.oid::regclass::text, quote_ident(a.attname)
                  FROM pg_class s
                  JOIN pg_namespace n ON n.oid = s.relnamespace
                  JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
                                  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
                  JOIN pg_class c ON c.oid = d.refobjid
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
                 WHERE s.relkind = 'S' AND""" + ManagedTables.managed("n"))) {
            while (rows.next()) owned.add(new String[]{rows.getString(1), rows.getString(2), rows.getString(3)});
        }
        for (String[] sequence : owned) {
            try (PreparedStatement set = connection.prepareStatement(
                    "SELECT setval(?::regclass, coalesce(m.value, q.seqstart), m.value IS NOT NULL) "
                            + "FROM (SELECT max(" + sequence[2] + ")::bigint AS value FROM " + sequence[1] + ") AS m, "
                            + "pg_sequence q WHERE q.seqrelid = ?::regclass")) {
                set.setString(1, sequence[0]);
                set.setString(2, sequence[0]);
                set.executeQuery().close();
            }
        }
    }
}
