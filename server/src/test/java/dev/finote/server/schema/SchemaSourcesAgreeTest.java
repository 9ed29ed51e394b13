package dev.finote.server.schema;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.server.support.Catalog;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.NodeFixture;
import dev.finote.server.support.SharedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three descriptions of Finote's schema agree: schema.sql (the source of truth), the
 * migrations, and — for V1 — the database the old Node backend created (the fixture).
 */
@ExtendWith(FinoteExtension.class)
class SchemaSourcesAgreeTest {

    private final SharedDatabase db;

    SchemaSourcesAgreeTest(SharedDatabase db) {
        this.db = db;
    }

    private DatabaseUrl fresh() {
        return db.embedded().createUniqueDatabase("s");
    }

    @Test
    void schemaSqlDescribesExactlyWhatTheMigrationsBuild() throws Exception {
        DatabaseUrl fromSchema = fresh();
        DatabaseUrl fromMigrations = fresh();
        String schemaSql = new String(getClass().getResourceAsStream("/db/schema.sql").readAllBytes(), StandardCharsets.UTF_8);
        try (Connection connection = Jdbc.connect(fromSchema); Statement statement = connection.createStatement()) {
            statement.execute(schemaSql);
        }
        new Migrator(fromMigrations, ProjectLayout.CLASSPATH_MIGRATIONS).migrate();

        List<String> expected = Catalog.describe(fromSchema, Set.of());
        assertThat(expected).anyMatch(line -> line.startsWith("column notes.tags"));
        assertThat(Catalog.describe(fromMigrations, Set.of())).containsExactlyElementsOf(expected);
    }

    @Test
    void migrationV1IsExactlyTheNodeBackendsSchema() throws Exception {
        DatabaseUrl nodeDatabase = fresh();
        DatabaseUrl v1 = fresh();
        NodeFixture.restoreWithPsql(nodeDatabase, NodeFixture.dump());
        new org.flywaydb.core.Flyway(org.flywaydb.core.Flyway.configure()
                .dataSource(v1.jdbcUrl(), v1.user(), v1.password())
                .locations(ProjectLayout.CLASSPATH_MIGRATIONS).target("1")).migrate();

        Set<String> oldTables = Set.of("users", "notes");
        List<String> nodeSchema = Catalog.describe(nodeDatabase, oldTables);
        assertThat(nodeSchema).contains("constraint notes.notes_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id)");
        assertThat(Catalog.describe(v1, oldTables)).containsExactlyElementsOf(nodeSchema);
    }
}
