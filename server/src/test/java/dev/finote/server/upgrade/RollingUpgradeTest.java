package dev.finote.server.upgrade;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.server.support.Api;
import dev.finote.server.support.AppRole;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second release ships as a rolling upgrade (issue 11): on a database at the first
 * release's schema (V1–V3) holding notes, sessions and login-throttle rows, the first release's
 * server keeps serving while this release's migrations run, still answers correctly afterwards,
 * and this release's server then finds every note and every session.
 *
 * <p>The first release's jar is built from this repository's history ({@value #FIRST_RELEASE}),
 * once: {@code git archive} into server/target/first-release, {@code mvn -DskipTests package} (dependencies from the local Maven repository, downloaded when missing),
 * and the jar kept there for later runs (about a minute the first time).
 */
class RollingUpgradeTest {

    /** The commit of the first release (the last one before this release's schema). */
    static final String FIRST_RELEASE = "039b6ea";

    @AutoClose
    private final EmbeddedDatabase database = EmbeddedDatabase.temporary();

    private static Path firstReleaseJar() throws Exception {
        Path home = Path.of("target", "first-release").toAbsolutePath();
        Path jar = home.resolve("finote-" + FIRST_RELEASE + ".jar");
        if (Files.isRegularFile(jar)) return jar;
        Path source = home.resolve("source");
        deleteTree(source);
        Files.createDirectories(source);
        Path repository = Path.of("..").toAbsolutePath().normalize();
        run(home.resolve("archive.log"), repository, "sh", "-c",
                "git archive --format=tar " + FIRST_RELEASE + " | tar -x -C '" + source + "'");
        run(home.resolve("build.log"), source, "mvn", "-q", "-B", "-DskipTests", "package");
        Files.copy(source.resolve("server/target/finote.jar"), jar, StandardCopyOption.REPLACE_EXISTING);
        deleteTree(source);
        return jar;
    }

    private static void run(Path log, Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " took over 15 minutes; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (a clone with the history of " + FIRST_RELEASE
                    + " is needed):\n" + Files.readString(log));
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) return;
        try (var paths = Files.walk(path)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The first release's server as operators run it: `java -jar finote.jar serve`. */
    private record OldServer(Process process, String baseUrl) implements AutoCloseable {
        static OldServer start(Path jar, DatabaseUrl url, Path log) throws Exception {
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(), "serve")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("DATABASE_URL", url.toUrlWithPassword(), "PORT", Integer.toString(port),
                    "NODE_ENV", "test", "SESSION_SECRET", TestServer.SECRET));
            OldServer server = new OldServer(builder.start(), "http://localhost:" + port);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (true) {
                try {
                    if (new Api(server.baseUrl).get("/healthz").status() == 200) return server;
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
                if (!server.process.isAlive() || Instant.now().isAfter(deadline)) {
                    server.close();
                    throw new AssertionError("the first release's server did not start:\n" + Files.readString(log));
                }
                Thread.sleep(200);
            }
        }

        Api api() {
            return new Api(baseUrl);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    private static List<Integer> ids(JsonNode notes) {
        List<Integer> ids = new ArrayList<>();
        notes.forEach(note -> ids.add(note.get("id").intValue()));
        return ids;
    }

    private static JsonNode ok(Api.Response response, int status) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        return response.body().isEmpty() ? null : response.json();
    }

    @Test
    void theFirstReleaseKeepsServingThroughTheMigrationAndThisReleaseFindsEveryNoteAndSession() throws Exception {
        Path jar = firstReleaseJar();
        Path logs = Path.of("target", "first-release").toAbsolutePath();

        // The first release's schema, with its users, notes, sessions and login-throttle rows.
        new Migrator(database.url(), ProjectLayout.CLASSPATH_MIGRATIONS).migrateTo("3");
        DatabaseUrl app = AppRole.grant(database.url());
        List<Api> users = new ArrayList<>();
        try (OldServer old = OldServer.start(jar, app, logs.resolve("old-server.log"))) {
            for (int u = 0; u < 3; u++) {
                Api user = old.api();
                user.registerAndLogin("upgrade-" + u, "secret-" + u);
                for (int n = 0; n < 20; n++) {
                    ok(user.post("/api/notes", Api.json("title", "note " + u + "/" + n, "content", "isi " + n)), 201);
                }
                users.add(user);
            }
            for (int f = 0; f < 3; f++) ok(old.api().post("/api/auth/login", Api.json("username", "upgrade-0", "password", "wrong")), 401);
            assertThat(((Number) Sql.value(database.url(), "SELECT count(*) FROM finote_login_throttle")).intValue()).isPositive();
            assertThat(((Number) Sql.value(database.url(), "SELECT count(*) FROM finote_sessions")).intValue()).isEqualTo(3);

            // This release's migrations run while the first release serves lists and creates.
            AtomicBoolean migrating = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger requests = new AtomicInteger();
            Thread load = Thread.ofPlatform().start(() -> {
                Api user = users.get(1);
                while (migrating.get()) {
                    Api.Response list = user.get("/api/notes");
                    Api.Response created = user.post("/api/notes", Api.json("title", "during", "content", "migrate"));
                    requests.addAndGet(2);
                    if (list.status() != 200) failures.add("list " + list);
                    if (created.status() != 201) failures.add("create " + created);
                }
            });
            try {
                new Migrator(database.url(), ProjectLayout.CLASSPATH_MIGRATIONS).migrate();
            } finally {
                migrating.set(false);
                load.join(60_000);
            }
            assertThat(failures).as("first-release requests failed during the migration").isEmpty();
            assertThat(requests.get()).isPositive();
            app = AppRole.grant(database.url()); // row access to this release's new table, as operators grant it

            // The first release still answers correctly on the new schema.
            Api first = users.getFirst();
            List<Integer> firstIds = ids(ok(first.get("/api/notes"), 200));
            assertThat(firstIds).hasSize(20);
            JsonNode made = ok(first.post("/api/notes", Api.json("title", "after", "content", "migrate")), 201);
            int madeId = made.get("id").intValue();
            JsonNode changed = ok(first.put("/api/notes/" + madeId, Api.json("title", "after, changed")), 200);
            assertThat(changed.get("title").stringValue()).isEqualTo("after, changed");
            ok(first.delete("/api/notes/" + firstIds.getFirst()), 204);
            assertThat(ids(ok(first.get("/api/notes"), 200))).hasSize(20).contains(madeId).doesNotContain(firstIds.getFirst());
            Api again = old.api();
            again.registerAndLogin("upgrade-late", "secret-late");
            ok(again.post("/api/notes", Api.json("title", "late", "content", "c")), 201);
            users.add(again);
            ok(old.api().post("/api/auth/login", Api.json("username", "upgrade-2", "password", "secret-2")), 200);

            List<List<Integer>> before = new ArrayList<>();
            for (Api user : users) before.add(ids(ok(user.get("/api/notes"), 200)));

            // This release's server, beside the old one: every session and every note.
            try (TestServer current = TestServer.start(app)) {
                for (int i = 0; i < users.size(); i++) {
                    Api user = new Api(current.baseUrl());
                    user.useSessionCookie(users.get(i).sessionCookie());
                    ok(user.get("/api/auth/me"), 200);
                    JsonNode notes = ok(user.get("/api/notes"), 200);
                    assertThat(ids(notes)).as("user %d", i).isEqualTo(before.get(i));
                    notes.forEach(note -> assertThat(note.get("updatedAt").stringValue()).isNotNull());
                }
                Api searcher = new Api(current.baseUrl());
                searcher.useSessionCookie(users.get(2).sessionCookie());
                assertThat(ids(ok(searcher.get("/api/notes?q=isi%201"), 200))).isNotEmpty();
            }
        }
    }
}
