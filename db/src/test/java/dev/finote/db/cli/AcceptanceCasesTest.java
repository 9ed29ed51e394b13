package dev.finote.db.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.HazardComment;
import dev.finote.db.schema.PgDump;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
class AcceptanceCasesTest {

    private static final Path TABLES = Path.of("src/test/resources/acceptance");
    /** The newest version tested: its output is a case's {@code ## file} sections; others add {@code ## file@N} where they differ. */
    private static final int NEWEST = 18;

    @ParameterizedTest(name = "PostgreSQL {1}")
    @CsvSource({"postgres-oldest.jar, 14", "postgres-newest.jar, 18"})
    void everyCaseOn(String jar, int major) throws Exception {
        Path binaries = Path.of("target/postgres-versions", jar);
        assertThat(binaries).as("copied by maven-dependency-plugin (mvn … test)").exists();
        byte[] archive;
        try (ZipFile zip = new ZipFile(binaries.toFile())) {
            archive = zip.getInputStream(zip.getEntry("postgres-linux-x86_64.txz")).readAllBytes();
        }
        List<String> failures = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPgBinaryResolver((system, hardware) -> new ByteArrayInputStream(archive)).start();
             Stream<Path> list = Files.list(TABLES)) {
            DatabaseUrl server = new DatabaseUrl("localhost", postgres.getPort(), "postgres", "postgres", null, null);
            // e.g. views: one table; views,matviews: those tables
            List<String> only = List.of(System.getProperty("acceptance.only", "").split(","));
            for (Path table : list.filter(path -> only.stream().anyMatch(name -> path.toString().endsWith(name + ".cases"))).sorted().toList()) {
                StringBuilder updated = new StringBuilder();
                for (AcceptanceCase acceptance : AcceptanceCase.read(table)) {
                    try {
                        updated.append(run(server, acceptance, major)).append('\n');
                    } catch (AssertionError | RuntimeException e) {
                        failures.add(acceptance + " on PostgreSQL " + major + ": " + e.getMessage());
                    }
                }
                if (Boolean.getBoolean("acceptance.update") && failures.isEmpty()) Files.writeString(table, updated.toString().stripTrailing() + "\n");
            }
        }
        assertThat(failures).as("failed acceptance cases").isEmpty();
    }

    /** Runs one case; returns its entry as this run saw it (for updating the table). */
    private static String run(DatabaseUrl server, AcceptanceCase acceptance, int major) {
        boolean update = Boolean.getBoolean("acceptance.update");
        GeneratedChange.Result generated = GeneratedChange.generate(server, acceptance.oldSql(), acceptance.newSql(), acceptance.name());
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
        GeneratedChange.Built built = GeneratedChange.build(server, acceptance.newSql());
        Catalog desired = built.catalog();
        GeneratedChange.Migrated result = GeneratedChange.migrateAndQuery(server, acceptance.oldSql(), acceptance.rows(), generated.files(),
                acceptance.query());
        Catalog migrated = result.catalog();
        assertThat(result.rows()).as("the rows the migrated database keeps").containsExactlyElementsOf(acceptance.result());
        assertThat(desired.differencesFrom(migrated)).as("A → plan → B, by catalog").isEmpty();
        if (major <= PgDump.major()) { // pg_dump 15 dumps servers up to 15: here PostgreSQL 14
            assertThat(result.dump()).as("A → plan → B, by pg_dump --schema-only\n" + PgDump.difference(built.dump(), result.dump()))
                    .isEqualTo(built.dump());
        }
        if (!acceptance.rows().isBlank()) {
            Map<String, Long> before = GeneratedChange.rowCounts(server, acceptance.oldSql() + acceptance.rows());
            Map<String, Long> kept = new java.util.TreeMap<>(before);
            kept.keySet().retainAll(result.counts().keySet());
            Map<String, Long> after = new java.util.TreeMap<>(result.counts());
            after.keySet().retainAll(before.keySet());
            assertThat(after).as("rows of every relation both sides have, kept by the migration").isEqualTo(kept);
        }
        assertThat(migrated).isEqualTo(desired);
        assertThat(GeneratedChange.catalogOf(server, GeneratedChange.pull(server, acceptance.newSql()))).as("pull writes it back").isEqualTo(desired);
        return acceptance.entry(hazards, generated.files(), major, NEWEST);
    }
}
