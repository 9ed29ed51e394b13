package dev.finote.db.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.HazardComment;
import dev.finote.db.schema.PgDump;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance tables of the schema engine ({@code src/test/resources/acceptance/*.cases}, one
 * per object kind, format in {@link AcceptanceCase}), each case on the oldest and newest
 * PostgreSQL supported: {@code finote db generate} from the old DDL to the new writes exactly the
 * expected files (and so hazards), or refuses with the expected error; Flyway runs the files over
 * a database built by the old DDL with its rows to exactly the catalog of the new DDL (and, on
 * PostgreSQL 14, to exactly its {@code pg_dump --schema-only}: pg_dump 15 cannot dump 18); and
 * {@code finote db pull} from that database writes a schema.sql that builds that catalog again.
 * Rewrite the expectations with {@code -Dacceptance.update=true} and review the diff.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // the runs started in @BeforeAll belong to this instance
class AcceptanceCasesTest {

    private static final Path TABLES = Path.of("src/test/resources/acceptance");
    /** The newest version tested: its output is a case's {@code ## file} sections; others add {@code ## file@N} where they differ. */
    private static final int NEWEST = 18;
    /** The versions tested and the binaries of each (copied by maven-dependency-plugin). */
    private static final Map<Integer, String> VERSIONS = Map.of(14, "postgres-oldest.jar", NEWEST, "postgres-newest.jar");
    /**
     * As {@code EmbeddedDatabase}'s throw-away clusters (no waiting for the disk), and no autovacuum
     * workers or JIT compiling: every case creates, fills and drops several small databases, and
     * neither does anything but take CPU from the cases (nothing here depends on them).
     */
    private static final Map<String, String> THROW_AWAY_SETTINGS = Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off",
            "autovacuum", "off", "jit", "off");

    /**
     * SQL that creates, needs or must not find a role: roles belong to the cluster, not to a case's
     * databases, so a table with such a case runs its cases one at a time, in order, as before.
     */
    private static final java.util.regex.Pattern ROLES = java.util.regex.Pattern.compile("(?i)\\b(role|grant|revoke|policy)\\b");
    /** Cases run at once on each version. */
    private static final int CASES_AT_ONCE = 2;

    private final Map<Integer, Future<List<String>>> runs = new TreeMap<>();
    private ExecutorService executor;

    /**
     * Starts every version's run at once, each in its own cluster and thread: a case spends most of
     * its time waiting on PostgreSQL, so the two versions overlap instead of taking turns. With
     * {@code -Dacceptance.update=true} they run one after the other, as each rewrites the tables.
     */
    @BeforeAll
    void startEveryVersion() {
        executor = Executors.newFixedThreadPool(Boolean.getBoolean("acceptance.update") ? 1 : VERSIONS.size());
        new TreeMap<>(VERSIONS).forEach((major, jar) -> runs.put(major, executor.submit(() -> everyCase(jar, major))));
    }

    @AfterAll
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(1, TimeUnit.MINUTES)).as("acceptance runs stopped").isTrue();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {14, NEWEST})
    void everyCaseOn(int major) throws Exception {
        List<String> failures;
        try {
            failures = runs.get(major).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) throw error;
            throw (Exception) e.getCause(); // a Callable throws nothing else
        }
        assertThat(failures).as("failed acceptance cases").isEmpty();
    }

    /** Runs every case (of the tables {@code -Dacceptance.only} names, if set) on one version; returns the failures. */
    private static List<String> everyCase(String jar, int major) throws Exception {
        Path binaries = Path.of("target/postgres-versions", jar);
        assertThat(binaries).as("copied by maven-dependency-plugin (mvn … test)").exists();
        byte[] archive;
        try (ZipFile zip = new ZipFile(binaries.toFile())) {
            archive = zip.getInputStream(zip.getEntry("postgres-linux-x86_64.txz")).readAllBytes();
        }
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> phases = new java.util.concurrent.ConcurrentSkipListMap<>();
        // Cases are independent (each makes its own databases), so a few run at once: while one waits on
        // PostgreSQL (a CREATE DATABASE, a checkpoint) another uses the CPU. One at a time when updating.
        ExecutorService cases = Executors.newFixedThreadPool(Boolean.getBoolean("acceptance.update") ? 1 : CASES_AT_ONCE);
        ExecutorService inOrder = Executors.newSingleThreadExecutor();
        long begin = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPgBinaryResolver((system, hardware) -> new ByteArrayInputStream(archive));
        THROW_AWAY_SETTINGS.forEach(builder::setServerConfig);
        try (EmbeddedPostgres postgres = timed(phases, "cluster start", builder::start);
             Stream<Path> list = Files.list(TABLES)) {
            DatabaseUrl server = new DatabaseUrl("localhost", postgres.getPort(), "postgres", "postgres", null, null);
            // e.g. views: that table only (not matviews); views,matviews: those two; unset: every table
            String only = System.getProperty("acceptance.only", "");
            List<String> named = only.isBlank() ? List.of() : List.of(only.split(","));
            for (Path table : list.filter(path -> named.isEmpty() || named.contains(path.getFileName().toString().replaceFirst("\\.cases$", "")))
                    .sorted().toList()) {
                List<AcceptanceCase> read = AcceptanceCase.read(table);
                boolean clusterWide = read.stream().anyMatch(acceptance -> ROLES.matcher(acceptance.oldSql() + acceptance.newSql() + acceptance.rows()).find());
                ExecutorService runner = clusterWide ? inOrder : cases;
                List<Future<String>> entries = new ArrayList<>();
                for (AcceptanceCase acceptance : read) {
                    entries.add(runner.submit(() -> {
                        long start = System.nanoTime();
                        try {
                            return run(server, acceptance, major, phases);
                        } catch (AssertionError | RuntimeException e) {
                            failures.add(acceptance + " on PostgreSQL " + major + ": " + e.getMessage());
                            return null;
                        } finally {
                            // per case, so a slow case or a slow version shows in the test's output
                            System.out.printf("acceptance PostgreSQL %d %-45s %6d ms%n", major, acceptance, (System.nanoTime() - start) / 1_000_000);
                        }
                    }));
                }
                StringBuilder updated = new StringBuilder();
                for (Future<String> entry : entries) updated.append(entry.get()).append('\n'); // in the table's order
                if (Boolean.getBoolean("acceptance.update") && failures.isEmpty()) Files.writeString(table, updated.toString().stripTrailing() + "\n");
            }
        } finally {
            cases.shutdownNow();
            inOrder.shutdownNow();
        }
        System.out.printf("acceptance PostgreSQL %d: %d ms in all; by phase (ms) %s%n", major, (System.nanoTime() - begin) / 1_000_000, phases);
        return failures;
    }

    /** Runs {@code work}, adding its time to {@code phases[phase]}. */
    private static <T, E extends Exception> T timed(Map<String, Long> phases, String phase, ThrowingSupplier<T, E> work) throws E {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            phases.merge(phase, (System.nanoTime() - start) / 1_000_000, Long::sum);
        }
    }

    private interface ThrowingSupplier<T, E extends Exception> {
        T get() throws E;
    }

    /** Runs one case; returns its entry as this run saw it (for updating the table). */
    private static String run(DatabaseUrl server, AcceptanceCase acceptance, int major, Map<String, Long> phases) {
        boolean update = Boolean.getBoolean("acceptance.update");
        GeneratedChange.Result generated = timed(phases, "generate", () -> GeneratedChange.generate(server, acceptance.oldSql(), acceptance.newSql(), acceptance.name()));
        if (acceptance.error() != null) {
            assertThat(generated.run().exitCode()).as(generated.run().toString()).isNotZero();
            assertThat(generated.run().err()).as("error").contains(acceptance.error());
            assertThat(generated.files()).as("files written despite the error").isEmpty();
            return acceptance.entry(acceptance.hazards(), Map.of(), major, NEWEST);
        }
        assertThat(generated.run().exitCode()).as(generated.run().toString()).isZero();
        TreeSet<String> codes = new TreeSet<>();
        generated.files().values().forEach(sql -> HazardComment.readAll(sql).forEach(comment -> codes.add(comment.code())));
        String hazards = codes.isEmpty() ? "none" : String.join(", ", codes);
        if (!update) {
            assertThat(generated.files()).as("files generate wrote").containsExactlyEntriesOf(acceptance.filesOn(major));
            assertThat(hazards).as("hazards").isEqualTo(acceptance.hazards());
        }
        GeneratedChange.Pulled built = timed(phases, "new DDL and pull", () -> GeneratedChange.catalogAndPull(server, acceptance.newSql()));
        Catalog desired = built.catalog();
        GeneratedChange.Migrated result = timed(phases, "migrate", () -> GeneratedChange.migrateAndQuery(server, acceptance.oldSql(),
                acceptance.rows(), generated.files(), acceptance.query()));
        Catalog migrated = result.catalog();
        assertThat(result.rows()).as("the rows the migrated database keeps").containsExactlyElementsOf(acceptance.result());
        assertThat(desired.differencesFrom(migrated)).as("A → plan → B, by catalog").isEmpty();
        if (major <= PgDump.major()) { // pg_dump 15 dumps servers up to 15: here PostgreSQL 14
            assertThat(result.dump()).as("A → plan → B, by pg_dump --schema-only\n" + PgDump.difference(built.dump(), result.dump()))
                    .isEqualTo(built.dump());
        }
        if (!acceptance.rows().isBlank()) {
            Map<String, Long> before = timed(phases, "old DDL and rows", () -> GeneratedChange.rowCounts(server, acceptance.oldSql() + acceptance.rows()));
            Map<String, Long> kept = new TreeMap<>(before);
            kept.keySet().retainAll(result.counts().keySet());
            Map<String, Long> after = new TreeMap<>(result.counts());
            after.keySet().retainAll(before.keySet());
            assertThat(after).as("rows of every relation both sides have, kept by the migration").isEqualTo(kept);
        }
        assertThat(migrated).isEqualTo(desired);
        assertThat(timed(phases, "pulled DDL", () -> GeneratedChange.catalogOf(server, built.schemaSql()))).as("pull writes it back").isEqualTo(desired);
        return acceptance.entry(hazards, generated.files(), major, NEWEST);
    }
}
