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
}
