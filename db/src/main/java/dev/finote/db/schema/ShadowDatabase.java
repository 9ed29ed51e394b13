package dev.finote.db.schema;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.Migrator;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throw-away empty databases in which a schema file or a migration history is turned into a
 * {@link Catalog}: PostgreSQL parses and normalizes the DDL, the engine only compares catalogs.
 *
 * <p>With {@code SHADOW_DATABASE_URL} set, databases named {@code finote_shadow_<random>} are
 * created on that server (its user needs CREATEDB); otherwise a temporary embedded PostgreSQL is
 * started. Every database created is dropped on {@link #close()}; {@link #dropStale()} removes
 * the ones a killed command left behind.
 */
public final class ShadowDatabase implements AutoCloseable {

    public static final String SHADOW_DATABASE_URL = "SHADOW_DATABASE_URL";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** No command keeps a shadow database this long: older ones were left by a killed command. */
    static final Duration STALE_AFTER = Duration.ofHours(1);
    /** finote_shadow_&lt;creation time, epoch seconds&gt;_&lt;random&gt;. */
    private static final Pattern MISSING_ROLE = Pattern.compile("role \"([^\"]+)\" does not exist");
    private static final Pattern NAME = Pattern.compile("finote_shadow_(\\d{1,12})_[0-9a-f]+");

    private final DatabaseUrl server;          // a maintenance database to CREATE/DROP from
    private final EmbeddedDatabase embedded;   // null with SHADOW_DATABASE_URL
    private final List<String> created = new ArrayList<>();
    private final boolean fileCopy;            // CREATE DATABASE … STRATEGY FILE_COPY (PostgreSQL 15+): faster for empty databases

    private ShadowDatabase(DatabaseUrl server, EmbeddedDatabase embedded) {
        this.server = server;
        this.embedded = embedded;
        try (Connection connection = Jdbc.connect(server); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
            row.next();
            this.fileCopy = row.getInt(1) >= 150000;
        } catch (SQLException e) {
            if (embedded != null) embedded.close();
            throw new DatabaseException("could not connect to the shadow database server " + server.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Uses {@code SHADOW_DATABASE_URL} from {@code environment} if set, else a temporary embedded PostgreSQL. */
    public static ShadowDatabase open(Map<String, String> environment) {
        String value = environment.get(SHADOW_DATABASE_URL);
        if (value == null || value.isBlank()) {
            EmbeddedDatabase embedded = EmbeddedDatabase.temporary();
            return new ShadowDatabase(embedded.url().withDatabase("postgres"), embedded);
        }
        DatabaseUrl url = DatabaseUrl.parse(value);
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT rolcreatedb OR rolsuper, current_user FROM pg_roles WHERE rolname = current_user")) {
            if (!row.next() || !row.getBoolean(1)) {
                String user = row.getRow() == 0 ? url.user() : row.getString(2);
                throw new DatabaseException(SHADOW_DATABASE_URL + " (" + url + ") connects as " + user
                        + ", which lacks the CREATEDB privilege the shadow database needs to create and drop"
                        + " throw-away databases: run ALTER ROLE " + Jdbc.quoteIdentifier(user) + " CREATEDB as a superuser,"
                        + " or unset " + SHADOW_DATABASE_URL + " to use an embedded PostgreSQL");
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not connect to " + SHADOW_DATABASE_URL + " (" + url + "): " + e.getMessage(), e);
        }
        return new ShadowDatabase(url, null);
    }

    /** A new, empty database (from template0, so nothing installed in template1 leaks in). */
    public DatabaseUrl freshDatabase() {
        String name = "finote_shadow_" + Instant.now().getEpochSecond() + "_" + HexFormat.of().formatHex(randomBytes());
        try (Connection connection = Jdbc.connect(server); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + Jdbc.quoteIdentifier(name) + " TEMPLATE template0" + (fileCopy ? " STRATEGY FILE_COPY" : ""));
        } catch (SQLException e) {
            throw new DatabaseException("could not create the shadow database " + name + " on " + server.describe() + ": " + e.getMessage(), e);
        }
        created.add(name);
        return server.withDatabase(name);
    }

    /**
     * Drops the shadow databases on this server that are older than {@link #STALE_AFTER}: a
     * command killed before {@link #close()} leaves its databases behind. Databases owned by
     * another user, or still in use, are left alone. Returns the names dropped.
     */
    public List<String> dropStale() {
        if (embedded != null) return List.of(); // a fresh cluster of our own holds none
        long now = Instant.now().getEpochSecond();
        List<String> dropped = new ArrayList<>();
        try (Connection connection = Jdbc.connect(server);
             PreparedStatement list = connection.prepareStatement(
                     "SELECT datname FROM pg_database WHERE datname LIKE 'finote\\_shadow\\_%' AND pg_get_userbyid(datdba) = current_user");
             ResultSet names = list.executeQuery(); Statement drop = connection.createStatement()) {
            while (names.next()) {
                String name = names.getString(1);
                Matcher match = NAME.matcher(name);
                if (!match.matches() || now - Long.parseLong(match.group(1)) < STALE_AFTER.toSeconds()) continue;
                try {
                    drop.execute("DROP DATABASE IF EXISTS " + Jdbc.quoteIdentifier(name));
                    dropped.add(name);
                } catch (SQLException e) {
                    // in use (a command that really runs this long) or not ours to drop: leave it
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not list the shadow databases on " + server.describe() + ": " + e.getMessage(), e);
        }
        return dropped;
    }

    /** Drops a database this object created (before {@link #close()}, to keep a long run's disk use flat). */
    public void dropDatabase(DatabaseUrl database) {
        if (!created.remove(database.database())) throw new IllegalArgumentException(database.describe() + " is not a shadow database of this object");
        try (Connection connection = Jdbc.connect(server); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + Jdbc.quoteIdentifier(database.database()) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new DatabaseException("could not drop the shadow database " + database.database() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Runs a schema file's SQL in a fresh database and reads its catalog. An SQL error names the
     * line of {@code sql} it happened on when PostgreSQL reports a position.
     */
    public Catalog catalogOfSql(String sql) {
        DatabaseUrl url = freshDatabase();
        try {
            // Simple query mode sends the file as one string, so an error position is an offset into the file.
            DatabaseUrl simple = new DatabaseUrl(url.host(), url.port(), url.database(), url.user(), url.password(),
                    url.query().isEmpty() ? "preferQueryMode=simple" : url.query() + "&preferQueryMode=simple");
            try (Connection connection = Jdbc.connect(simple)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                } catch (SQLException e) {
                    Matcher role = MISSING_ROLE.matcher(String.valueOf(e.getMessage()));
                    if ("42704".equals(e.getSQLState()) && role.find()) {
                        // roles belong to the server, not to the database schema.sql builds
                        throw new DatabaseException("the schema SQL names role " + role.group(1) + ", which does not exist on the server"
                                + lineOf(sql, e), "create the role on every server the schema goes to (CREATE ROLE " + role.group(1)
                                + " NOLOGIN), or remove its grants from the schema file", e);
                    }
                    throw new DatabaseException("the schema SQL failed" + lineOf(sql, e) + ": " + e.getMessage(),
                        "fix that statement in the schema file and run the command again", e);
                }
            } catch (SQLException e) {
                throw new DatabaseException("could not use the shadow database: " + e.getMessage(), e);
            }
            return catalogOf(url);
        } finally {
            dropDatabase(url);
        }
    }

    private static String lineOf(String sql, SQLException error) {
        if (!(error instanceof PSQLException psql)) return "";
        ServerErrorMessage message = psql.getServerErrorMessage();
        if (message == null || message.getPosition() <= 0) return "";
        int offset = Math.min(message.getPosition() - 1, sql.length());
        int line = 1;
        for (int i = 0; i < offset; i++) if (sql.charAt(i) == '\n') line++;
        return " at line " + line;
    }

    /**
     * Replays the migrations at {@code flywayLocation} (e.g. {@code classpath:db/migration} or
     * {@code filesystem:…}) into a fresh database, up to {@code targetVersion} (null: all), and
     * reads the catalog (Flyway's history table left out).
     */
    public Catalog catalogOfMigrations(String flywayLocation, String targetVersion) {
        DatabaseUrl url = freshDatabase();
        FluentConfiguration configuration = Migrator.configure(url, flywayLocation); // exactly as migrate runs them
        if (targetVersion != null) configuration.target(targetVersion);
        try {
            configuration.load().migrate();
            return catalogOf(url);
        } catch (FlywayException e) {
            throw new DatabaseException("replaying the migrations failed: " + Migrator.rootCause(e),
                    "fix the migration named above (or remove it if it has never run anywhere)", e);
        } finally {
            dropDatabase(url);
        }
    }

    /** The catalog of a database (Flyway's history table left out). */
    public static Catalog catalogOf(DatabaseUrl url) {
        return catalogOf(url, Set.of());
    }

    /** The catalog of a database, leaving out {@code ignoredTables} and Flyway's history table. */
    public static Catalog catalogOf(DatabaseUrl url, Set<String> ignoredTables) {
        try (Connection connection = Jdbc.connect(url)) {
            return CatalogReader.read(connection, ignoredTables);
        } catch (SQLException e) {
            throw new DatabaseException("could not connect to " + url.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Drops every database this object created, then stops the embedded PostgreSQL if it started one. */
    @Override
    public void close() {
        DatabaseException failure = null;
        try (Connection connection = Jdbc.connect(server); Statement statement = connection.createStatement()) {
            for (String name : created) {
                statement.execute("DROP DATABASE IF EXISTS " + Jdbc.quoteIdentifier(name) + " WITH (FORCE)");
            }
            created.clear();
        } catch (SQLException e) {
            failure = new DatabaseException("could not drop the shadow databases " + created + " on " + server.describe() + ": " + e.getMessage(), e);
        } finally {
            if (embedded != null) embedded.close();
        }
        if (failure != null && embedded == null) throw failure;
    }
}
