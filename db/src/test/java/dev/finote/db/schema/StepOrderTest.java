package dev.finote.db.schema;

import dev.finote.db.DatabaseException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepOrderTest {

    private static List<String> sql(List<Step> steps) {
        return steps.stream().map(Step::sql).toList();
    }

    @Test
    void stepsFreeOfEachOtherKeepTheirOrder() {
        List<Step> steps = List.of(
                Step.create("CREATE TABLE b (id int)", "b").on(SchemaObject.table("b")),
                Step.create("CREATE TABLE a (id int)", "a").on(SchemaObject.table("a")),
                Step.alter("COMMENT ON TABLE b IS 'x'", "b"),
                Step.create("CREATE INDEX a_idx ON a (id)", "a").on(SchemaObject.index("a_idx")).needing(List.of(SchemaObject.table("a"))));
        assertThat(StepOrder.sort(steps)).isEqualTo(steps);
    }

    @Test
    void aStepWaitsForWhatItNeedsAndNoMore() {
        SchemaObject touch = SchemaObject.routine("touch()");
        List<Step> steps = List.of(
                Step.create("CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch()", "t")
                        .on(SchemaObject.trigger("t", "t_touch")).needing(List.of(touch, SchemaObject.table("t"))),
                Step.create("CREATE TABLE u (id int)", "u").on(SchemaObject.table("u")),
                Step.create("CREATE FUNCTION touch() …", null).on(touch),
                Step.create("CREATE TABLE v (id int)", "v").on(SchemaObject.table("v")));
        // the trigger moves to just after its function; the tables keep their order around it
        assertThat(sql(StepOrder.sort(steps))).containsExactly(
                "CREATE TABLE u (id int)", "CREATE FUNCTION touch() …",
                "CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch()", "CREATE TABLE v (id int)");
    }

    @Test
    void aViewIsDroppedBeforeTheTypeChangeOfAColumnItReadsAndCreatedAfterIt() {
        SchemaObject amount = SchemaObject.column("t", "amount");
        SchemaObject view = SchemaObject.view("totals");
        List<Step> steps = List.of(
                Step.create("CREATE VIEW totals AS …", null).on(view).needing(List.of(amount)),
                Step.alter("ALTER TABLE t ALTER COLUMN amount TYPE numeric", "t").on(amount),
                Step.drop("DROP VIEW totals", null).on(view).needing(List.of(amount)));
        assertThat(sql(StepOrder.sort(steps))).containsExactly(
                "DROP VIEW totals", "ALTER TABLE t ALTER COLUMN amount TYPE numeric", "CREATE VIEW totals AS …");
    }

    @Test
    void dropsRunInReverseDependencyOrder() {
        SchemaObject f = SchemaObject.routine("f()");
        List<Step> steps = List.of(
                Step.drop("DROP FUNCTION f()", null).on(f),
                Step.drop("DROP TRIGGER t_f ON t", "t").on(SchemaObject.trigger("t", "t_f")).needing(List.of(f)));
        assertThat(sql(StepOrder.sort(steps))).containsExactly("DROP TRIGGER t_f ON t", "DROP FUNCTION f()");
    }

    @Test
    void aCycleIsRefusedNamingItsObjects() {
        SchemaObject a = SchemaObject.view("a");
        SchemaObject b = SchemaObject.view("b");
        List<Step> steps = List.of(
                Step.create("CREATE TABLE t (id int)", "t").on(SchemaObject.table("t")),
                Step.create("CREATE VIEW a AS SELECT * FROM b", null).on(a).needing(List.of(b)),
                Step.create("CREATE VIEW b AS SELECT * FROM a", null).on(b).needing(List.of(a)));
        assertThatThrownBy(() -> StepOrder.sort(steps))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("cycle")
                .hasMessageContaining("create view a → create view b → create view a")
                .hasMessageNotContaining("table t");
    }

    @Test
    void whatARenameNamesWaitsForIt_andItWaitsForTheDropThatFreesTheName() {
        List<Step> steps = List.of(
                Step.drop("ALTER TABLE b DROP COLUMN x", "b").on(SchemaObject.column("b", "x")),
                Step.alter("ALTER TABLE b ALTER COLUMN y SET NOT NULL", "b").on(SchemaObject.column("b", "y")),
                Step.rename("ALTER INDEX b_old RENAME TO b_idx", "b", SchemaObject.index("b_idx")),
                Step.rename("ALTER TABLE a RENAME TO b", "b", SchemaObject.table("b")),
                Step.drop("DROP INDEX b_idx", "b").on(SchemaObject.index("b_idx")));
        assertThat(sql(StepOrder.sort(steps))).containsExactly(
                "ALTER TABLE a RENAME TO b", "ALTER TABLE b DROP COLUMN x", "ALTER TABLE b ALTER COLUMN y SET NOT NULL",
                "DROP INDEX b_idx", "ALTER INDEX b_old RENAME TO b_idx");
    }

    @Test
    void aNeedNothingBuildsIsMetByWhatCreatesItsHolder_andObjectsWaitForTheirSchema() {
        List<Step> steps = List.of(
                Step.create("CREATE VIEW s.v AS SELECT c FROM s.t", null).on(SchemaObject.view("s.v")).needing(List.of(SchemaObject.column("s.t", "c"))),
                Step.create("CREATE TABLE s.t (c int)", "s.t").on(SchemaObject.table("s.t")),
                Step.create("CREATE SCHEMA s", null).on(SchemaObject.schema("s")));
        assertThat(sql(StepOrder.sort(steps))).containsExactly(
                "CREATE SCHEMA s", "CREATE TABLE s.t (c int)", "CREATE VIEW s.v AS SELECT c FROM s.t");
    }

    @Test
    void aStepThatNeedsWhatOnlyGoesRunsBeforeItGoes_andADropBeforeItsHolderGoes() {
        SchemaObject mood = SchemaObject.type("mood");
        List<Step> steps = List.of(
                Step.drop("DROP SCHEMA s", null).on(SchemaObject.schema("s")),
                Step.drop("DROP TABLE s.t", "s.t").on(SchemaObject.table("s.t")),
                Step.drop("DROP VIEW v", null).on(SchemaObject.view("v")).needing(List.of(SchemaObject.column("s.t", "c"))),
                Step.drop("DROP TYPE mood", null).on(mood),
                Step.alter("ALTER TABLE u ALTER COLUMN m TYPE text", "u").on(SchemaObject.column("u", "m")).needing(List.of(mood)));
        assertThat(sql(StepOrder.sort(steps))).containsExactly(
                "DROP VIEW v", "DROP TABLE s.t", "DROP SCHEMA s", "ALTER TABLE u ALTER COLUMN m TYPE text", "DROP TYPE mood");
    }

    @Test
    void aDropOfWhatThePlanMadeFollowsIt_andTheStepsUsingItComeBetween() {
        SchemaObject old = SchemaObject.type("mood__finote_old");
        SchemaObject mood = SchemaObject.type("mood");
        List<Step> steps = List.of(
                Step.drop("DROP TYPE mood__finote_old", null).on(old).needing(List.of(old)),
                Step.alter("ALTER TABLE u ALTER COLUMN m TYPE mood", "u").on(SchemaObject.column("u", "m")).needing(List.of(mood, old)),
                Step.create("CREATE TYPE mood AS ENUM ('a')", null).on(mood).needing(List.of(old)),
                Step.rename("ALTER TYPE mood RENAME TO mood__finote_old", null, old));
        assertThat(sql(StepOrder.sort(steps))).containsExactly(
                "ALTER TYPE mood RENAME TO mood__finote_old", "CREATE TYPE mood AS ENUM ('a')",
                "ALTER TABLE u ALTER COLUMN m TYPE mood", "DROP TYPE mood__finote_old");
    }
}
