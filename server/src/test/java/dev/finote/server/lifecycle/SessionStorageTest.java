package dev.finote.server.lifecycle;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.server.support.Api;
import dev.finote.server.support.AppRole;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.finote.server.lifecycle.Lifecycle.assertJsonError;
import static dev.finote.server.lifecycle.Lifecycle.count;
import static dev.finote.server.lifecycle.Lifecycle.hmac;
import static dev.finote.server.lifecycle.Lifecycle.unique;
import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions live in PostgreSQL ({@code finote_sessions}): shared by every instance, kept
 * across restarts, stored only as HMAC-SHA-256(SESSION_SECRET, cookie), cheap to check
 * (one indexed read, no write) with the sliding expiry written at most once a minute.
 */
@ExtendWith(FinoteExtension.class)
class SessionStorageTest {

    private static final long SEVEN_DAYS = Duration.ofDays(7).toSeconds();
    private static final String OTHER_SECRET = "another-secret-9876543210-9876543210-zyxwv";

    private final SharedDatabase db;
    private final TestServer server;
    private final Api api;

    SessionStorageTest(SharedDatabase db, TestServer server, Api api) {
        this.db = db;
        this.server = server;
        this.api = api;
    }

    private DatabaseUrl superuser() {
        return db.superuserUrl();
    }

    private static Api withCookie(TestServer target, String cookie) {
        Api client = target.api();
        client.useSessionCookie(cookie);
        return client;
    }

    private int me(Api client) {
        Api.Response me = client.get("/api/auth/me");
        assertThat(me.status()).as("GET /api/auth/me: %s", me).isEqualTo(200);
        return me.json().get("id").intValue();
    }

    /** The session row, as text: its expiry, and the row version (xmin, ctid) that any UPDATE would change. */
    private List<Object> sessionRow(String cookie) {
        List<List<Object>> rows = Sql.rows(superuser(),
                "SELECT expires_at::text, xmin::text, ctid::text FROM finote_sessions WHERE token_hash = ?",
                (Object) hmac(TestServer.SECRET, cookie));
        assertThat(rows).as("session rows for the cookie").hasSize(1);
        return rows.getFirst();
    }

    private double secondsUntilExpiry(String cookie) {
        return ((Number) Sql.value(superuser(), "SELECT extract(epoch FROM expires_at - now())::float8 FROM finote_sessions WHERE token_hash = ?",
                (Object) hmac(TestServer.SECRET, cookie))).doubleValue();
    }

    // ---- shared by every instance, kept across restarts ----------------------------------------

    @Test
    void aSessionFromOneServerIsAcceptedByAnotherOnTheSameDatabase() {
        String username = unique("multi");
        int userId = api.registerAndLogin(username, "secret123");
        try (TestServer other = TestServer.start(db.appUrl())) {
            Api onOther = withCookie(other, api.sessionCookie());
            assertThat(me(onOther)).isEqualTo(userId);

            Api.Response created = onOther.post("/api/notes", json("title", "from B", "content", "written on server B"));
            assertThat(created.status()).as("create on B: %s", created).isEqualTo(201);
            Api.Response listedOnA = api.get("/api/notes");
            assertThat(listedOnA.status()).isEqualTo(200);
            assertThat(listedOnA.json().get(0).get("title").stringValue()).isEqualTo("from B");

            // and the other way round: a login on B works on A
            Api second = other.api();
            Api.Response login = second.post("/api/auth/login", json("username", username, "password", "secret123"));
            assertThat(login.status()).as("login on B: %s", login).isEqualTo(200);
            assertThat(me(withCookie(server, second.sessionCookie()))).isEqualTo(userId);
        }
    }

    private String usernameOf(int userId) {
        return (String) Sql.value(superuser(), "SELECT username FROM users WHERE id = ?", userId);
    }

    @Test
    void aSessionSurvivesARestartOfTheServer() {
        String cookie;
        int userId;
        try (TestServer first = TestServer.start(db.appUrl())) {
            Api client = first.api();
            userId = client.registerAndLogin(unique("restart"), "secret123");
            assertThat(client.post("/api/notes", json("title", "kept", "content", "across restarts")).status()).isEqualTo(201);
            cookie = client.sessionCookie();
        }
        try (TestServer second = TestServer.start(db.appUrl())) {
            Api client = withCookie(second, cookie);
            assertThat(me(client)).isEqualTo(userId);
            Api.Response notes = client.get("/api/notes");
            assertThat(notes.status()).isEqualTo(200);
            assertThat(notes.json().get(0).get("title").stringValue()).isEqualTo("kept");
        }
    }

    // ---- cost of a request with a session; sliding expiry --------------------------------------

    @Test
    void authenticatedRequestsDoNotWriteTheSessionAndTheExpirySlidesAtMostOnceAMinute() {
        api.registerAndLogin(unique("slide"), "secret123");
        String cookie = api.sessionCookie();
        List<Object> afterLogin = sessionRow(cookie);
        assertThat(secondsUntilExpiry(cookie)).isBetween(SEVEN_DAYS - 60.0, SEVEN_DAYS + 1.0);

        for (String path : List.of("/api/auth/me", "/api/notes", "/api/auth/me", "/api/notes", "/healthz")) {
            Api.Response response = api.get(path);
            assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
            assertThat(response.setCookies()).as("Set-Cookie on GET %s", path).isEmpty();
        }
        assertThat(api.post("/api/notes", json("title", "t", "content", "c")).setCookies()).as("Set-Cookie on POST").isEmpty();
        assertThat(sessionRow(cookie)).as("expires_at and row version after requests within the first minute").isEqualTo(afterLogin);

        // Refreshed 30 s ago: still inside the minute, so no write and no cookie.
        Sql.update(superuser(), "UPDATE finote_sessions SET expires_at = now() + interval '7 days' - interval '30 seconds' WHERE token_hash = ?",
                (Object) hmac(TestServer.SECRET, cookie));
        List<Object> thirtySecondsOld = sessionRow(cookie);
        Api.Response withinMinute = api.get("/api/auth/me");
        assertThat(withinMinute.status()).isEqualTo(200);
        assertThat(withinMinute.setCookies()).isEmpty();
        assertThat(sessionRow(cookie)).isEqualTo(thirtySecondsOld);

        // Long due: one request slides the expiry to now + 7 days and re-sends the same cookie.
        Sql.update(superuser(), "UPDATE finote_sessions SET expires_at = now() + interval '1 day' WHERE token_hash = ?",
                (Object) hmac(TestServer.SECRET, cookie));
        assertThat(secondsUntilExpiry(cookie)).isLessThan(Duration.ofDays(1).toSeconds() + 1.0);
        Api.Response refreshing = api.get("/api/notes");
        assertThat(refreshing.status()).isEqualTo(200);
        assertThat(refreshing.sessionCookie()).as("re-sent cookie").contains(cookie);
        assertThat(refreshing.setCookies()).singleElement().satisfies(header -> assertThat(header)
                .contains("Max-Age=604800").contains("Path=/").contains("HttpOnly"));
        assertThat(secondsUntilExpiry(cookie)).isBetween(SEVEN_DAYS - 60.0, SEVEN_DAYS + 1.0);

        // ...and the next request, right after, writes nothing again.
        List<Object> refreshed = sessionRow(cookie);
        Api.Response next = api.get("/api/auth/me");
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.setCookies()).isEmpty();
        assertThat(sessionRow(cookie)).isEqualTo(refreshed);
    }

    /**
     * Measured by PostgreSQL itself (pg_stat_user_tables / pg_stat_user_indexes) on a database
     * only this test uses, with enough sessions that a lookup not served by the primary key
     * would be a sequential scan: N authenticated requests are N primary-key reads of
     * finote_sessions, no other read of it, and no row written anywhere; the probes, sent
     * with the cookie too, add no read.
     */
    @Test
    void eachAuthenticatedRequestIsOnePrimaryKeyReadOfTheSessionsTableAndNoWrite() {
        DatabaseUrl database = Lifecycle.freshDatabase(db, "finote_cost");
        try {
            new Migrator(database, ProjectLayout.CLASSPATH_MIGRATIONS).migrate();
            DatabaseUrl app = AppRole.grant(database);
            Sql.update(database, "INSERT INTO users (username, password) VALUES ('filler', 'not-a-hash')");
            Sql.update(database, """
                    INSERT INTO finote_sessions (token_hash, user_id, expires_at)
                    SELECT sha256(convert_to('filler-' || i, 'UTF8')), u.id, now() + interval '7 days'
                      FROM generate_series(1, 20000) AS i, users u WHERE u.username = 'filler'""");
            Sql.update(database, "ANALYZE");

            String cookie;
            try (TestServer loginServer = TestServer.start(app)) {
                Api client = loginServer.api();
                client.registerAndLogin("costly", "secret123");
                cookie = client.sessionCookie();
            }
            // Backends flush their statistics when they exit: closing the server closes its pool.
            Stats before = settledStats(database, stats -> stats.sessionsInserted() >= 20_001);

            int requests = 5;
            try (TestServer measured = TestServer.start(app)) {
                Api client = withCookie(measured, cookie);
                for (int i = 0; i < requests; i++) {
                    Api.Response response = client.get(i % 2 == 0 ? "/api/auth/me" : "/api/notes");
                    assertThat(response.status()).as("request %d: %s", i, response).isEqualTo(200);
                    assertThat(response.setCookies()).isEmpty();
                }
                // The probes do not look the session up at all, cookie or not.
                assertThat(client.get("/healthz").status()).isEqualTo(200);
                assertThat(client.get("/readyz").status()).isEqualTo(200);
            }
            Stats after = settledStats(database, stats -> stats.primaryKeyScans() >= before.primaryKeyScans() + requests);
            System.out.println("finote_sessions statistics before: " + before + ", after " + requests + " requests: " + after);

            assertThat(after.primaryKeyScans() - before.primaryKeyScans()).as("primary-key reads of finote_sessions").isEqualTo(requests);
            assertThat(after.indexScans() - before.indexScans()).as("index reads of finote_sessions").isEqualTo(requests);
            assertThat(after.sequentialScans() - before.sequentialScans()).as("sequential scans of finote_sessions").isZero();
            assertThat(after.rowsWritten() - before.rowsWritten()).as("rows inserted, updated or deleted in any table").isZero();
        } finally {
            Lifecycle.dropDatabase(database);
        }
    }

    private record Stats(long sequentialScans, long indexScans, long primaryKeyScans, long rowsWritten, long sessionsInserted) {
    }

    private static Stats stats(DatabaseUrl database) {
        List<Object> row = Sql.rows(database, """
                SELECT t.seq_scan, coalesce(t.idx_scan, 0), i.idx_scan,
                       (SELECT sum(n_tup_ins + n_tup_upd + n_tup_del)::bigint FROM pg_stat_user_tables), t.n_tup_ins
                  FROM pg_stat_user_tables t
                  JOIN pg_stat_user_indexes i ON i.relid = t.relid AND i.indexrelname = 'finote_sessions_pkey'
                 WHERE t.relname = 'finote_sessions'""").getFirst();
        return new Stats(((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue(), ((Number) row.get(2)).longValue(),
                ((Number) row.get(3)).longValue(), ((Number) row.get(4)).longValue());
    }

    /**
     * The statistics once every server connection to {@code database} has gone (and flushed
     * its counters), {@code complete} accepts them, and they no longer move.
     */
    private static Stats settledStats(DatabaseUrl database, java.util.function.Predicate<Stats> complete) {
        Lifecycle.await(Duration.ofSeconds(20),
                () -> count(database, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'finote-server'"),
                n -> n == 0);
        Stats previous = stats(database);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(300));
            Stats current = stats(database);
            if (current.equals(previous) && complete.test(current)) return current;
            previous = current;
        }
        return previous;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- SESSION_SECRET: only a keyed hash is stored -------------------------------------------

    @Test
    void theDatabaseHoldsOnlyTheHmacOfTheSessionIdUnderSessionSecret() throws Exception {
        int userId = api.registerAndLogin(unique("hmac"), "secret123");
        String cookie = api.sessionCookie();
        assertThat(cookie).matches("[A-Za-z0-9_-]{43}");

        List<List<Object>> rows = Sql.rows(superuser(), "SELECT token_hash FROM finote_sessions WHERE user_id = ?", userId);
        assertThat(rows).hasSize(1);
        byte[] stored = (byte[]) rows.getFirst().getFirst();
        assertThat(stored).as("token_hash = HMAC-SHA-256(SESSION_SECRET, cookie)").isEqualTo(hmac(TestServer.SECRET, cookie));
        assertThat(stored).isNotEqualTo(cookie.getBytes(StandardCharsets.US_ASCII))
                .isNotEqualTo(Base64.getUrlDecoder().decode(cookie))
                .isNotEqualTo(MessageDigest.getInstance("SHA-256").digest(cookie.getBytes(StandardCharsets.US_ASCII)));

        // The cookie value appears nowhere in the table, in any column, as text or as bytes.
        assertThat(count(superuser(), "SELECT count(*) FROM finote_sessions s WHERE s::text LIKE '%' || ? || '%'", cookie)).isZero();
        assertThat(count(superuser(), "SELECT count(*) FROM finote_sessions WHERE position(? IN token_hash) > 0 OR position(? IN token_hash) > 0",
                cookie.getBytes(StandardCharsets.US_ASCII), Base64.getUrlDecoder().decode(cookie))).isZero();
    }

    @Test
    void aServerWithAnotherSessionSecretDoesNotAcceptTheCookie() {
        int userId = api.registerAndLogin(unique("secret"), "secret123");
        String cookie = api.sessionCookie();
        try (TestServer otherSecret = TestServer.start(db.appUrl(), Map.of("SESSION_SECRET", OTHER_SECRET))) {
            Api replayed = withCookie(otherSecret, cookie);
            assertJsonError(replayed.get("/api/auth/me"), 401, "unauthorized");
            assertJsonError(replayed.get("/api/notes"), 401, "unauthorized");

            // The other way round: its sessions are keyed with its secret, and ours refuses them.
            Api onOther = otherSecret.api();
            Api.Response login = onOther.post("/api/auth/login", json("username", usernameOf(userId), "password", "secret123"));
            assertThat(login.status()).isEqualTo(200);
            String otherCookie = onOther.sessionCookie();
            assertThat(count(superuser(), "SELECT count(*) FROM finote_sessions WHERE token_hash = ?", (Object) hmac(OTHER_SECRET, otherCookie))).isOne();
            assertThat(me(onOther)).isEqualTo(userId);
            assertJsonError(withCookie(server, otherCookie).get("/api/auth/me"), 401, "unauthorized");
        }
        // The refusal was the secret, not a broken session: the original server still accepts it.
        assertThat(me(withCookie(server, cookie))).isEqualTo(userId);
    }

    // ---- logout ---------------------------------------------------------------------------------

    @Test
    void logoutDeletesTheSessionRowAndOnlyThatOne() {
        String username = unique("logout");
        int userId = api.registerAndLogin(username, "secret123");
        String cookie = api.sessionCookie();
        Api otherDevice = server.api();
        assertThat(otherDevice.post("/api/auth/login", json("username", username, "password", "secret123")).status()).isEqualTo(200);
        assertThat(count(superuser(), "SELECT count(*) FROM finote_sessions WHERE user_id = ?", userId)).isEqualTo(2);

        Api.Response logout = api.post("/api/auth/logout", null);
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.json()).isEqualTo(Lifecycle.json("{\"success\":true}"));
        assertThat(logout.sessionCookie()).as("cookie cleared").contains("");

        assertThat(count(superuser(), "SELECT count(*) FROM finote_sessions WHERE token_hash = ?", (Object) hmac(TestServer.SECRET, cookie))).isZero();
        assertThat(count(superuser(), "SELECT count(*) FROM finote_sessions WHERE user_id = ?", userId)).isOne();
        assertJsonError(withCookie(server, cookie).get("/api/auth/me"), 401, "unauthorized");
        assertThat(me(otherDevice)).isEqualTo(userId);
    }
}
