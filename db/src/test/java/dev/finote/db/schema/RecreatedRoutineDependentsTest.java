package dev.finote.db.schema;

import dev.finote.db.DatabaseException;
import dev.finote.db.migrations.MigrationFiles;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A function whose result type changes (so it must be dropped and created again) while everything
 * PostgreSQL lets use it does, on a real PostgreSQL: what can come back is dropped and created
 * around it in the transaction of its drop and create; what cannot is refused by name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecreatedRoutineDependentsTest {

    private static final String OLD_SCORE = "CREATE FUNCTION score(value text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT length(value) $$;\n";
    private static final String NEW_SCORE = "CREATE FUNCTION score(value text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT length(value)::bigint $$;\n";

    @AutoClose
    private final ShadowDatabase shadow = ShadowDatabase.open(Map.of());

    @Test
    void everyKindOfDependentGoesAndComesBackInTheTransactionOfTheFunctionWithItsRowsKept() throws Exception {
        String tables = """
                CREATE TABLE notes (id serial PRIMARY KEY, title text NOT NULL CONSTRAINT notes_title_short CHECK (score(title) < 100),
                    rank bigint NOT NULL DEFAULT score('x'), flagged boolean NOT NULL DEFAULT false);
                CREATE INDEX notes_score_idx ON notes (score(title));
                CREATE FUNCTION flag_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.flagged := true; RETURN NEW; END $$;
                CREATE TRIGGER notes_flag BEFORE INSERT ON notes FOR EACH ROW WHEN (score(NEW.title) > 5) EXECUTE FUNCTION flag_note();
                CREATE VIEW note_scores AS SELECT id, score(title) AS score FROM notes;
                CREATE VIEW top_scores AS SELECT id FROM note_scores WHERE score > 3;
                """;
        DatabaseUrl db = shadow.freshDatabase();
        run(db, OLD_SCORE + tables + "INSERT INTO notes (title) VALUES ('short'), ('a longer title');");
        Catalog desired = shadow.catalogOfSql(NEW_SCORE + tables);

        Plan plan = SchemaDiff.plan(ShadowDatabase.catalogOf(db), desired, DiffOptions.NONE);
        try (Connection connection = Jdbc.connect(db)) {
            PlanRunner.apply(connection, plan);
        }

        Catalog after = ShadowDatabase.catalogOf(db);
        assertThat(desired.differencesFrom(after)).as(plan.toSql()).isEmpty();
        assertThat(query(db, "SELECT count(*) FROM notes")).isEqualTo("2");
        assertThat(query(db, "SELECT count(*) FROM top_scores")).isEqualTo("2");
        assertThat(query(db, "WITH added AS (INSERT INTO notes (title) VALUES ('new and long') RETURNING rank, flagged) SELECT rank || '|' || flagged FROM added"))
                .as("the default and the trigger work again").isEqualTo("1|true");
        // what the release still serving writes never meets a missing default, check or trigger: one transaction
        Plan withFunction = MigrationFiles.files(plan).stream().filter(file -> file.toSql().contains("DROP FUNCTION score(text)")).findFirst().orElseThrow();
        assertThat(withFunction.steps()).noneMatch(Step::outsideTransaction);
        assertThat(withFunction.toSql()).contains("DROP INDEX notes_score_idx", "DROP DEFAULT", "SET DEFAULT score('x'::text)", "DROP CONSTRAINT notes_title_short",
                "ADD CONSTRAINT notes_title_short", "DROP TRIGGER notes_flag", "CREATE TRIGGER notes_flag", "DROP VIEW note_scores",
                "DROP VIEW top_scores", "CREATE VIEW note_scores", "CREATE VIEW top_scores");
        List<String> sql = plan.steps().stream().map(Step::sql).toList();
        int drop = sql.indexOf("DROP FUNCTION score(text)");
        assertThat(sql.indexOf("DROP INDEX notes_score_idx")).isBetween(0, drop);
        assertThat(sql).filteredOn(step -> step.startsWith("CREATE INDEX CONCURRENTLY notes_score_idx")).singleElement()
                .satisfies(step -> assertThat(sql.indexOf(step)).isGreaterThan(drop));
        assertThat(SchemaDiff.plan(after, desired, DiffOptions.NONE).isEmpty()).isTrue();
    }

    @Test
    void whatCannotComeBackSafelyIsRefusedByName() throws Exception {
        String notes = "CREATE TABLE notes (id serial PRIMARY KEY, title text NOT NULL);\n";
        assertRefused(notes + "ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\nCREATE POLICY notes_scored ON notes USING (score(title) > 0);\n",
                "policy notes_scored on notes uses it");
        assertRefused("CREATE DOMAIN short_text AS text CHECK (score(VALUE) < 100);\n", "domain short_text uses it");
        assertRefused("CREATE TABLE events (id integer, title text) PARTITION BY LIST (score(title));\n", "the partition key of events uses it");
        assertRefused(notes + "CREATE VIEW note_scores AS SELECT id, score(title) AS score FROM notes;\n", notes,
                "view note_scores uses it, and this change drops it only after the rollout");
        assertRefused(notes + "ALTER TABLE notes ADD COLUMN rank bigint DEFAULT score('x');\n", notes,
                "the default of notes.rank uses it, and this change drops notes.rank only after the rollout");
        assertRefused(notes + "ALTER TABLE notes ADD COLUMN rank bigint DEFAULT score('x');\n", notes + "ALTER TABLE notes ADD COLUMN rank bigint;\n",
                "the default of notes.rank uses it, and this change drops that default only after the rollout");
        assertRefused(notes + "ALTER TABLE notes ADD COLUMN rank bigint DEFAULT score('x');\n", "",
                "the default of notes.rank uses it, and notes is dropped only after the rollout");
        assertRefused("CREATE FUNCTION total(value text) RETURNS integer LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT score(value); END;\n",
                "CREATE FUNCTION total(value text) RETURNS integer LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT score(value)::integer; END;\n",
                "routine total(text) uses it (its SQL-standard body is bound to it)");
    }

    private void assertRefused(String uses, String because) {
        assertRefused(uses, uses, because);
    }

    private void assertRefused(String oldUses, String newUses, String because) {
        Catalog current = shadow.catalogOfSql(OLD_SCORE + oldUses);
        Catalog desired = shadow.catalogOfSql(NEW_SCORE + newUses);
        DatabaseException refusal = catchThrowableOfType(DatabaseException.class, () -> SchemaDiff.plan(current, desired, DiffOptions.NONE));
        assertThat(refusal).as("refused: " + because).isNotNull();
        assertThat(refusal.getMessage()).startsWith("function score(text) must be dropped and created again").contains(because);
        assertThat(refusal.next()).contains("add the new one under another name");
    }

    private static void run(DatabaseUrl url, String sql) throws Exception {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(DatabaseUrl url, String sql) throws Exception {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
