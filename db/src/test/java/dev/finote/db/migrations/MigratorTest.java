package dev.finote.db.migrations;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.postgres.Jdbc;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigratorTest {

    @AutoClose
    private final EmbeddedDatabase postgres = EmbeddedDatabase.temporary();

    private DatabaseUrl freshDatabase() {
        return postgres.createUniqueDatabase("m");
    }

    private static String folder(Path dir, String... namesAndSql) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < namesAndSql.length; i += 2) Files.writeString(dir.resolve(namesAndSql[i]), namesAndSql[i + 1]);
        return "filesystem:" + dir;
    }

    @Test
    void appliesPendingMigrationsInOrderThenReportsUpToDate(@TempDir Path dir) throws Exception {
        DatabaseUrl db = freshDatabase();
        String location = folder(dir,
                "V1__items.sql", "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);",
                "V2__item_index.sql", "CREATE INDEX CONCURRENTLY items_name_idx ON items (name);");
        Migrator migrator = new Migrator(db, location);

        assertThat(migrator.status()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.PENDING, MigrationStatus.State.PENDING);
        MigrationReport first = migrator.migrate();
        MigrationReport second = migrator.migrate();

        assertThat(first.applied()).containsExactly("1", "2");
        assertThat(first.schemaVersion()).isEqualTo("2");
        assertThat(second.applied()).isEmpty();
        assertThat(second.schemaVersion()).isEqualTo("2");
        assertThat(migrator.status()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.APPLIED, MigrationStatus.State.APPLIED);
        assertThat(query(db, "SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY 1"))
                .containsExactly("items_name_idx", "items_pkey");
        assertThat(query(db, "SELECT count(*) FROM flyway_schema_history WHERE success")).containsExactly("2");
    }

    @Test
    void racingMigrateRunsApplyEachVersionOnce(@TempDir Path dir) throws Exception {
        DatabaseUrl db = freshDatabase();
        String location = folder(dir,
                "V1__a.sql", "CREATE TABLE a (id int); INSERT INTO a VALUES (1);",
                "V2__b.sql", "CREATE TABLE b (id int); INSERT INTO a VALUES (2);",
                "V3__c.sql", "CREATE TABLE c (id int); INSERT INTO a VALUES (3);");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<MigrationReport>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) runs.add(() -> new Migrator(db, location).migrate());
            List<String> appliedByAll = new ArrayList<>();
            for (Future<MigrationReport> run : pool.invokeAll(runs)) appliedByAll.addAll(run.get().applied());

            assertThat(appliedByAll).containsExactlyInAnyOrder("1", "2", "3");
            assertThat(query(db, "SELECT id FROM a ORDER BY id")).containsExactly("1", "2", "3");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingMigrationLeavesTheDatabaseAsItWasAndNamesTheCause(@TempDir Path dir) throws Exception {
        DatabaseUrl db = freshDatabase();
        String location = folder(dir,
                "V1__ok.sql", "CREATE TABLE kept (id int);",
                "V2__broken.sql", "CREATE TABLE half (id int); INSERT INTO missing_table VALUES (1);");
        Migrator migrator = new Migrator(db, location);

        assertThatThrownBy(migrator::migrate).isInstanceOf(DatabaseException.class)
                .hasMessageContaining("V2__broken.sql")
                .hasMessageContaining("relation \"missing_table\" does not exist");
        assertThat(query(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'half'")).containsExactly("0");
        assertThat(query(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'kept'")).containsExactly("1");
        assertThat(migrator.status()).extracting(MigrationStatus::state)
                .containsExactly(MigrationStatus.State.APPLIED, MigrationStatus.State.PENDING);
    }

    @Test
    void anUnreachableDatabaseIsReportedAsSuch(@TempDir Path dir) throws Exception {
        DatabaseUrl nowhere = new DatabaseUrl("127.0.0.1", 1, "finote", "postgres", null, null);
        Migrator migrator = new Migrator(nowhere, folder(dir, "V1__x.sql", "SELECT 1;"));

        assertThatThrownBy(migrator::migrate).isInstanceOf(DatabaseException.class).hasMessageContaining("Connection")
                .hasMessageContaining("refused");
    }

    static List<String> query(DatabaseUrl url, String sql) throws SQLException {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) values.add(rows.getString(1));
            return values;
        }
    }
}
