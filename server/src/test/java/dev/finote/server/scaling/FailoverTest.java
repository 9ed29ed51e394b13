package dev.finote.server.scaling;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.server.support.Api;
import dev.finote.server.support.AppRole;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HA PostgreSQL as DATABASE_URL names it, libpq style:
 * {@code postgresql://…@hostA,hostB/db?target_session_attrs=read-write}. Two embedded clusters
 * stand in for a primary and its standby; the failover is the old primary starting to refuse
 * writes ({@code default_transaction_read_only}, which pgjdbc's primary check,
 * {@code SHOW transaction_read_only}, sees) after its rows were copied to the other one, as
 * replication would have. The server never answers 500, at worst 503, and moves its writes to
 * the new primary without a restart.
 */
class FailoverTest {

    @AutoClose
    private final EmbeddedDatabase first = EmbeddedDatabase.temporary();
    @AutoClose
    private final EmbeddedDatabase second = EmbeddedDatabase.temporary();

    @Test
    void writesMoveToTheOtherHostWhenThePrimaryStartsRefusingThem() throws Exception {
        for (EmbeddedDatabase cluster : List.of(first, second)) {
            new Migrator(cluster.url(), ProjectLayout.CLASSPATH_MIGRATIONS).migrate();
            AppRole.grant(cluster.url());
        }
        DatabaseUrl both = DatabaseUrl.parse("postgresql://" + AppRole.NAME + ":" + AppRole.PASSWORD + "@localhost:" + first.url().port()
                + ",localhost:" + second.url().port() + "/" + first.url().database() + "?target_session_attrs=read-write");
        assertThat(second.url().database()).as("both clusters serve the same database name").isEqualTo(first.url().database());

        try (TestServer server = TestServer.start(both, Map.of("DB_POOL_MAX", "3"))) {
            Api client = server.api();
            client.registerAndLogin("failover-" + System.nanoTime(), "failover-password-1");
            assertThat(client.post("/api/notes", json("title", "before", "content", "the failover")).status()).isEqualTo(201);
            assertThat(count(first.url(), "before")).as("written to the first host, the primary").isEqualTo(1);

            replicate(first.url(), second.url());
            execute(first.url(), "ALTER SYSTEM SET default_transaction_read_only = on", "SELECT pg_reload_conf()");
            awaitReloaded(first.url());

            List<Integer> statuses = new ArrayList<>();
            int consecutiveCreates = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consecutiveCreates < 10 && System.nanoTime() < deadline) {
                Api.Response created = client.post("/api/notes", json("title", "after", "content", "the failover"));
                Api.Response listed = client.get("/api/notes");
                statuses.add(created.status());
                statuses.add(listed.status());
                if (created.status() == 503) assertThat(created.header("Retry-After")).as("%s", created).isPresent();
                consecutiveCreates = created.status() == 201 ? consecutiveCreates + 1 : 0;
            }

            assertThat(statuses).as("statuses during the failover").containsOnly(200, 201, 503);
            assertThat(consecutiveCreates).as("creates in a row on the new primary, statuses %s", statuses).isEqualTo(10);
            assertThat(count(first.url(), "after")).as("the old primary took no write").isZero();
            assertThat(count(second.url(), "after")).as("the new primary holds the writes").isGreaterThanOrEqualTo(10);
            assertThat(client.get("/healthz").status()).isEqualTo(200);
        }
    }

    /** What streaming replication would have done: the rows of every table of the first cluster, in the second. */
    private static void replicate(DatabaseUrl from, DatabaseUrl to) throws Exception {
        try (Connection source = Jdbc.connect(from); Connection target = Jdbc.connect(to); Statement sql = target.createStatement()) {
            sql.execute("SET session_replication_role = replica"); // rows as they are, foreign keys unchecked
            CopyManager in = source.unwrap(PGConnection.class).getCopyAPI();
            CopyManager out = target.unwrap(PGConnection.class).getCopyAPI();
            for (String table : List.of("users", "notes", "finote_sessions", "finote_login_throttle")) {
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                in.copyOut("COPY " + table + " TO STDOUT", rows);
                out.copyIn("COPY " + table + " FROM STDIN", new ByteArrayInputStream(rows.toByteArray()));
            }
            for (String table : List.of("users", "notes")) {
                sql.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT max(id) FROM " + table + "))");
            }
        }
    }

    /**
     * pg_reload_conf() only asks the postmaster to reload; it re-reads the file and then signals
     * every backend, a moment later. A new session forks from the postmaster, so once a new
     * session sees the setting, the pooled backends have been signalled too and apply it before
     * their next command. Without this wait, a create sent at once may still be written on the
     * old primary, which no real failover allows.
     */
    private static void awaitReloaded(DatabaseUrl url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Connection connection = Jdbc.connect(url); Statement sql = connection.createStatement();
                 ResultSet row = sql.executeQuery("SHOW default_transaction_read_only")) {
                row.next();
                if (row.getString(1).equals("on")) return;
            }
            assertThat(System.nanoTime()).as("the old primary turned read-only within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void execute(DatabaseUrl url, String... statements) throws SQLException {
        try (Connection connection = Jdbc.connect(url); Statement sql = connection.createStatement()) {
            for (String statement : statements) sql.execute(statement);
        }
    }

    private static long count(DatabaseUrl url, String title) throws SQLException {
        try (Connection connection = Jdbc.connect(url); var query = connection.prepareStatement("SELECT count(*) FROM notes WHERE title = ?")) {
            query.setString(1, title);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
