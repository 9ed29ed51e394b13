package dev.finote.db.migrations;

import dev.finote.db.schema.Hazard;
import dev.finote.db.schema.ShadowDatabase;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check}'s answer to "does this migration lose data?" is {@link DataLossScan}'s, the one
 * {@code migrate} takes a backup for: hand-written statements that lose rows without changing the
 * schema are found too, and what the catalogs show (a hidden drop, a widening type change, a table
 * the migration made itself) is judged by them. Catalogs come from a real PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationLintTest {

    private static final String V1 = """
            CREATE TABLE notes (id serial PRIMARY KEY, title varchar(100) NOT NULL, color text);
            CREATE SEQUENCE tickets;
            CREATE SCHEMA app;
            CREATE TABLE app.tags (id integer PRIMARY KEY, name text);
            """;

    @AutoClose
    private final ShadowDatabase shadow = ShadowDatabase.open(Map.of());

    /** The findings of V2 ({@code sql}) after V1. */
    private List<LintFinding> lint(String sql) {
        return lint(sql, sql);
    }

    /** The findings of V2 ({@code sql}, which builds what {@code same} builds in a transaction) after V1. */
    private List<LintFinding> lint(String sql, String same) {
        VersionedCatalog v1 = new VersionedCatalog("1", "init", "V1__init.sql", shadow.catalogOfSql(V1));
        VersionedCatalog v2 = new VersionedCatalog("2", "change", "V2__change.sql", shadow.catalogOfSql(V1 + same));
        Map<String, String> scripts = Map.of(v1.script(), V1, v2.script(), sql);
        return MigrationLint.lint(List.of(v1, v2), scripts::get).stream().filter(finding -> finding.migration().equals(v2)).toList();
    }

    private static List<LintFinding> dataLoss(List<LintFinding> findings) {
        return findings.stream().filter(finding -> finding.hazard() == Hazard.DELETES_DATA).toList();
    }

    /**
     * The first three lose rows and leave the catalog as it was: before, check passed them unacknowledged
     * while migrate took a backup for them. The sequence drop was the other way round: check wanted it
     * acknowledged, migrate took no backup. Now both say "loses data".
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "TRUNCATE notes;",
            "DELETE FROM notes WHERE color IS NULL;",
            "DROP TABLE notes;\nCREATE TABLE notes (id serial PRIMARY KEY, title varchar(100) NOT NULL, color text);",
            "DROP SEQUENCE tickets;",
            "ALTER TABLE notes RENAME COLUMN color TO old_color;\nALTER TABLE notes DROP COLUMN old_color;",
            "ALTER TABLE notes ALTER COLUMN title TYPE varchar(10);",
    })
    void checkAndMigrateGiveTheSameAnswerToAHandWrittenLoss(String sql) {
        List<LintFinding> losses = dataLoss(lint(sql));

        assertThat(losses).as("check").hasSize(1);
        assertThat(losses.getFirst().acknowledged()).isFalse();
        assertThat(losses.getFirst().needsAcknowledgement()).isTrue();
        assertThat(DataLossScan.scan(sql)).as("migrate's backup").isNotEmpty();
    }

    @Test
    void anAcknowledgedLossOfRowsPassesAndNamesWhatItDoes() {
        List<LintFinding> losses = dataLoss(lint("-- hazard: deletes-data: the import left duplicates\nDELETE FROM notes WHERE title = '';"));

        assertThat(losses).singleElement().satisfies(loss -> {
            assertThat(loss.acknowledged()).isTrue();
            assertThat(loss.statement()).isEqualTo("the import left duplicates");
        });
        assertThat(dataLoss(lint("TRUNCATE notes;")).getFirst().statement()).isEqualTo("empties a table: TRUNCATE notes");
    }

    /** Where the catalogs know better than the SQL's shape, check follows them (migrate's backup, blind to them, errs on caution). */
    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE notes ALTER COLUMN title TYPE text;",
            "CREATE TABLE scratch (id integer);\nDROP TABLE scratch;",
            "CREATE TABLE app.scratch (id integer);\nDROP TABLE app.scratch;",
            "ALTER TABLE notes ADD COLUMN spare integer;\nALTER TABLE notes DROP COLUMN spare;",
    })
    void whatTheCatalogsShowLosesNothingIsNotALoss(String sql) {
        assertThat(dataLoss(lint(sql))).isEmpty();
        assertThat(DataLossScan.scan(sql)).isNotEmpty();
    }

    @Test
    void aDropTheSqlHidesIsFoundByWhatItChanges() {
        String sql = "DO $$ BEGIN EXECUTE 'ALTER TABLE notes DROP COLUMN color'; END $$;";

        assertThat(DataLossScan.scan(sql)).isEmpty();
        assertThat(dataLoss(lint(sql))).singleElement().satisfies(loss -> assertThat(loss.statement()).contains("DROP COLUMN color"));
    }

    @Test
    void theOtherHazardsAreStillFound() {
        List<LintFinding> findings = lint("CREATE INDEX notes_title ON notes (title);\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;");

        assertThat(findings).extracting(LintFinding::hazard).contains(Hazard.LOCKS_TABLE, Hazard.CHANGES_VISIBLE_ROWS).doesNotContain(Hazard.DELETES_DATA);
    }

    @Test
    void aBlockingIndexOnATableInAnotherSchemaIsFound() {
        assertThat(lint("CREATE INDEX tags_name ON app.tags (name);")).extracting(LintFinding::hazard, LintFinding::statement)
                .contains(org.assertj.core.groups.Tuple.tuple(Hazard.LOCKS_TABLE, "CREATE INDEX tags_name ON app.tags (name)"));
        assertThat(lint("CREATE INDEX CONCURRENTLY tags_name ON app.tags (name);", "CREATE INDEX tags_name ON app.tags (name);"))
                .extracting(LintFinding::hazard).doesNotContain(Hazard.LOCKS_TABLE);
    }
}
