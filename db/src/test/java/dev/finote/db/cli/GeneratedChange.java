package dev.finote.db.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.PgDump;
import dev.finote.db.schema.ShadowDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A change from old DDL to new DDL, run the way a developer runs it: a checkout whose
 * {@code V1__base.sql} holds the old DDL and whose schema.sql holds the new, then
 * {@code finote db generate} against a PostgreSQL server given as {@code SHADOW_DATABASE_URL}.
 * What the golden and acceptance tests compare is therefore exactly what generate writes.
 */
final class GeneratedChange {

    /** What generate did: its run, and the files it wrote after V1 (name → text), in order. */
    record Result(DbCli.Run run, Map<String, String> files) {
    }

    private GeneratedChange() {
    }

    /**
     * Runs generate for {@code oldSql → newSql} on {@code server} (a URL of its {@code postgres}
     * database); {@code extraArgs} are more generate options (e.g. a declared rename).
     */
    static Result generate(DatabaseUrl server, String oldSql, String newSql, String name, String... extraArgs) {
        try {
            Path checkout = Files.createTempDirectory("finote-generated-change");
            Path resources = Files.createDirectories(checkout.resolve("server/src/main/resources/db"));
            Path migrations = Files.createDirectories(resources.resolve("migration"));
            Files.writeString(migrations.resolve("V1__base.sql"), oldSql);
            Files.writeString(resources.resolve("schema.sql"), newSql);
            List<String> args = new ArrayList<>(List.of("generate", "--name", name));
            args.addAll(List.of(extraArgs));
            DbCli.Run run = DbCli.run(new dev.finote.db.migrations.ProjectLayout(java.util.Optional.of(checkout), checkout, java.util.Optional.empty()),
                    Map.of(ShadowDatabase.SHADOW_DATABASE_URL, server.toUrlWithPassword()), args.toArray(String[]::new));
            Map<String, String> files = new LinkedHashMap<>();
            try (Stream<Path> list = Files.list(migrations)) {
                for (Path file : list.sorted().toList()) {
                    if (!file.getFileName().toString().equals("V1__base.sql")) files.put(file.getFileName().toString(), Files.readString(file));
                }
            }
            deleteTree(checkout);
            return new Result(run, files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Applies V1 ({@code oldSql} and then {@code rows}) and the generated files with Flyway, as
     * {@code finote db migrate} does, into a new database on {@code server}; returns its catalog.
     */
    static Catalog migrate(DatabaseUrl server, String oldSql, String rows, Map<String, String> files) {
        String database = createDatabase(server);
        try {
            Path dir = Files.createTempDirectory("finote-generated-migrations");
            Files.writeString(dir.resolve("V1__base.sql"), oldSql + rows);
            for (var file : files.entrySet()) Files.writeString(dir.resolve(file.getKey()), file.getValue());
            DatabaseUrl url = server.withDatabase(database);
            new Migrator(url, "filesystem:" + dir).migrate();
            Catalog migrated = ShadowDatabase.catalogOf(url);
            deleteTree(dir);
            return migrated;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            execute(server, "DROP DATABASE " + database + " WITH (FORCE)");
        }
    }

    /**
     * A migrated database's catalog, what a query returned there (one line a row, columns joined by {@code |}),
     * and how many rows each of its tables, partitions and materialized views holds (a partitioned table holds
     * none itself: its partitions do, so a table attached as one does not count twice).
     */
    record Migrated(Catalog catalog, List<String> rows, Map<String, Long> counts, String dump) {
    }

    /**
     * As {@link #migrate(DatabaseUrl, String, String, Map)}, then runs {@code query} (if not blank)
     * on the migrated database: what the rows of V1 became; and counts the rows left in each relation.
     */
    static Migrated migrateAndQuery(DatabaseUrl server, String oldSql, String rows, Map<String, String> files, String query) {
        String database = createDatabase(server);
        try {
            Path dir = Files.createTempDirectory("finote-generated-migrations");
            Files.writeString(dir.resolve("V1__base.sql"), oldSql + rows);
            for (var file : files.entrySet()) Files.writeString(dir.resolve(file.getKey()), file.getValue());
            DatabaseUrl url = server.withDatabase(database);
            new Migrator(url, "filesystem:" + dir).migrate();
            Catalog migrated = ShadowDatabase.catalogOf(url);
            String dump = dump(url);
            Map<String, Long> counts = rowCounts(url);
            deleteTree(dir);
            List<String> result = new ArrayList<>();
            if (query != null && !query.isBlank()) {
                try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement();
                     java.sql.ResultSet row = statement.executeQuery(query)) {
                    int columns = row.getMetaData().getColumnCount();
                    while (row.next()) {
                        List<String> values = new ArrayList<>();
                        for (int i = 1; i <= columns; i++) values.add(String.valueOf(row.getString(i)));
                        result.add(String.join("|", values));
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage() + "\n" + query, e);
                }
            }
            return new Migrated(migrated, result, counts, dump);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            execute(server, "DROP DATABASE " + database + " WITH (FORCE)");
        }
    }

    /** How many rows each table, partition and materialized view holds once {@code sql} has run in a new database. */
    static Map<String, Long> rowCounts(DatabaseUrl server, String sql) {
        String database = createDatabase(server);
        try {
            execute(server.withDatabase(database), sql);
            return rowCounts(server.withDatabase(database));
        } finally {
            execute(server, "DROP DATABASE " + database + " WITH (FORCE)");
        }
    }

    private static Map<String, Long> rowCounts(DatabaseUrl url) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement()) {
            List<String> names = new ArrayList<>();
            // keyed as the catalog keys them: the name in public, schema.name elsewhere
            try (var row = statement.executeQuery("SELECT CASE WHEN n.nspname = 'public' THEN quote_ident(c.relname)"
                    + " ELSE quote_ident(n.nspname) || '.' || quote_ident(c.relname) END"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
                    + " AND c.relkind IN ('r', 'm') AND c.relname <> 'flyway_schema_history'")) {
                while (row.next()) names.add(row.getString(1));
            }
            for (String name : names) {
                try (var row = statement.executeQuery("SELECT count(*) FROM " + name)) {
                    row.next();
                    counts.put(name, row.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return counts;
    }

    /** pg_dump --schema-only of a database, Flyway's history left out; null on a server newer than pg_dump. */
    private static String dump(DatabaseUrl url) {
        try (Connection connection = Jdbc.connect(url)) {
            return PgDump.schemaOf(connection, List.of("public.flyway_schema_history"));
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The catalog {@code sql} builds in a new database on {@code server}. */
    static Catalog catalogOf(DatabaseUrl server, String sql) {
        String database = createDatabase(server);
        try {
            execute(server.withDatabase(database), sql);
            return ShadowDatabase.catalogOf(server.withDatabase(database));
        } finally {
            execute(server, "DROP DATABASE " + database + " WITH (FORCE)");
        }
    }

    /**
     * A database built by some SQL: its catalog, what {@code finote db pull} printed for it, and its
     * {@link PgDump} (null on a server newer than pg_dump).
     */
    record Pulled(Catalog catalog, String schemaSql, String dump) {
    }

    /**
     * The catalog {@code sql} builds in a new database on {@code server}, and what {@code finote db pull}
     * prints for that same database: reading the catalog changes nothing pull sees, so one database serves both.
     */
    static Pulled catalogAndPull(DatabaseUrl server, String sql) {
        String database = createDatabase(server);
        try {
            execute(server.withDatabase(database), sql);
            Catalog catalog = ShadowDatabase.catalogOf(server.withDatabase(database));
            return new Pulled(catalog, pullFrom(server, database), dump(server.withDatabase(database)));
        } finally {
            execute(server, "DROP DATABASE " + database + " WITH (FORCE)");
        }
    }

    /** What {@code finote db pull} prints for {@code database} on {@code server}, the server also being its shadow. */
    private static String pullFrom(DatabaseUrl server, String database) {
        DbCli.Run run = DbCli.run(new dev.finote.db.migrations.ProjectLayout(java.util.Optional.empty(), Path.of("."), java.util.Optional.empty()),
                Map.of(ShadowDatabase.SHADOW_DATABASE_URL, server.toUrlWithPassword()),
                "pull", "--url", server.withDatabase(database).toUrlWithPassword(), "--output", "-");
        if (run.exitCode() != 0) throw new IllegalStateException("pull failed: " + run);
        return run.out();
    }

    /**
     * A new database on {@code server}, named {@code gc_<hex>_<random hex>}. On PostgreSQL 15 and later it is made with
     * STRATEGY FILE_COPY, as the engine's shadow databases are: copying the small template's files is cheaper
     * than the default of WAL-logging its every page, and these tests create several databases per case.
     */
    private static String createDatabase(DatabaseUrl server) {
        // unique when several cases run at once on one server
        String database = "gc_" + Long.toHexString(System.nanoTime()) + "_" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = Jdbc.connect(server); Statement statement = connection.createStatement()) {
            boolean fileCopy = connection.getMetaData().getDatabaseMajorVersion() >= 15;
            statement.execute("CREATE DATABASE " + database + (fileCopy ? " STRATEGY FILE_COPY" : ""));
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + "\nCREATE DATABASE " + database, e);
        }
        return database;
    }

    static void execute(DatabaseUrl url, String sql) {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + sql, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }
}
