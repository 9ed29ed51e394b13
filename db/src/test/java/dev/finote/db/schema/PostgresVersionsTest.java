package dev.finote.db.schema;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine on the oldest and newest PostgreSQL it supports (the build pins 15 elsewhere): zonky
 * binaries of other versions, copied to target/postgres-versions by the build, started on the
 * side. Reads, plans and applies generated schemas, the project schema, and the shadow database
 * path (as SHADOW_DATABASE_URL).
 */
class PostgresVersionsTest {

    @ParameterizedTest(name = "PostgreSQL {1}")
    @CsvSource({"postgres-oldest.jar, 14", "postgres-newest.jar, 18"})
    void engineWorksOn(String jar, int major) throws Exception {
        Path binaries = Path.of("target/postgres-versions", jar);
        assertThat(binaries).as("copied by maven-dependency-plugin (mvn … test)").exists();
        byte[] archive;
        try (ZipFile zip = new ZipFile(binaries.toFile())) {
            archive = zip.getInputStream(zip.getEntry("postgres-linux-x86_64.txz")).readAllBytes();
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPgBinaryResolver((system, hardware) -> new ByteArrayInputStream(archive)).start()) {
            DatabaseUrl server = new DatabaseUrl("localhost", postgres.getPort(), "postgres", "postgres", null, null);
            try (Connection admin = Jdbc.connect(server)) {
                assertThat(RoundTrip.queryOne(admin, "SELECT current_setting('server_version_num')::int / 10000")).isEqualTo(String.valueOf(major));
                RoundTrip.execute(admin, "CREATE DATABASE a; CREATE DATABASE b");
                // identifiers are quoted exactly when this server's quote_ident would
                String keywords = RoundTrip.queryOne(admin, "SELECT string_agg(word, ' ' ORDER BY word) FROM pg_get_keywords() WHERE catcode <> 'U'");
                if (major == 18) assertThat(Sql.QUOTED_KEYWORDS).containsExactlyInAnyOrder(keywords.split(" "));
                else assertThat(Sql.QUOTED_KEYWORDS).contains(keywords.split(" "));
            }
            try (Connection a = Jdbc.connect(server.withDatabase("a")); Connection b = Jdbc.connect(server.withDatabase("b"))) {
                for (long seed = 1000; seed < 1000 + Integer.getInteger("schemaDiff.versionCases", 30); seed++) {
                    RandomSchema schemaA = RandomSchema.generate(seed);
                    RandomSchema schemaB = schemaA.mutate(seed * 31 + 7);
                    try {
                        RoundTrip.check(a, b, schemaA, schemaB);
                    } catch (AssertionError e) {
                        throw new AssertionError("seed " + seed + " on PostgreSQL " + major + ": " + e.getMessage()
                                + "\n--- A:\n" + schemaA.toSql() + "--- B:\n" + schemaB.toSql(), e);
                    }
                }
                RoundTrip.execute(a, "CREATE TYPE everything AS (one integer)");
                assertThatThrownBy(() -> CatalogReader.read(a, Set.of())).hasMessageContaining("composite type public.everything");
            }
            // the shadow database path, with this server as SHADOW_DATABASE_URL
            try (ShadowDatabase shadow = ShadowDatabase.open(Map.of(ShadowDatabase.SHADOW_DATABASE_URL, server.toUrlWithPassword()))) {
                String schema = Files.readString(Path.of("../server/src/main/resources/db/schema.sql"));
                Catalog desired = shadow.catalogOfSql(schema);
                DatabaseUrl fresh = shadow.freshDatabase();
                try (Connection connection = Jdbc.connect(fresh)) {
                    PlanRunner.apply(connection, SchemaDiff.plan(Catalog.EMPTY, desired, DiffOptions.NONE));
                    assertThat(CatalogReader.read(connection, Set.of())).isEqualTo(desired);
                }
            }
        }
    }
}
