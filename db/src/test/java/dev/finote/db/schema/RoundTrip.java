package dev.finote.db.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** One A → B case of the property test, on two empty databases of any PostgreSQL version. */
final class RoundTrip {

    private RoundTrip() {
    }

    /** Builds A with rows in {@code aDb}, B in {@code bDb}, plans, applies, and checks catalogs and surviving values. */
    static Plan check(Connection aDb, Connection bDb, RandomSchema a, RandomSchema b) throws SQLException {
        reset(aDb);
        reset(bDb);
        execute(aDb, a.toSql() + a.rowsSql());
        List<String[]> survivors = a.survivingValues(b);
        List<String> before = new ArrayList<>();
        for (String[] query : survivors) before.add(queryOne(aDb, query[0]));
        return planAndCheck(aDb, bDb, a, b, survivors, before);
    }

    static Plan planAndCheck(Connection aDb, Connection bDb, RandomSchema a, RandomSchema b, List<String[]> survivors,
                             List<String> before) throws SQLException {
        return planAndCheck(aDb, bDb, a, b, survivors, before, java.util.function.UnaryOperator.identity());
    }

    /** As above, with the planned steps handed to {@link StepOrder} in the order {@code inputOrder} gives them. */
    static Plan planAndCheck(Connection aDb, Connection bDb, RandomSchema a, RandomSchema b, List<String[]> survivors,
                             List<String> before, java.util.function.UnaryOperator<List<Step>> inputOrder) throws SQLException {
        Catalog current = CatalogReader.read(aDb, Set.of());
        execute(bDb, b.toSql());
        Catalog desired = CatalogReader.read(bDb, Set.of());
        Plan plan = SchemaDiff.plan(current, desired, a.renamesTo(b), inputOrder);
        Catalog after = applyAndCompare(aDb, plan, desired);
        assertThat(after).isEqualTo(desired);
        assertThat(SchemaDiff.plan(after, desired, DiffOptions.NONE).steps()).as("a second plan").isEmpty();
        String dumpA = PgDump.schemaOf(aDb, List.of());
        if (dumpA != null) { // pg_dump dumps servers up to its own version
            String dumpB = PgDump.schemaOf(bDb, List.of());
            assertThat(dumpA).as("pg_dump --schema-only of A after the plan against B's\n" + PgDump.difference(dumpB, dumpA)
                    + "\n--- plan:\n" + plan.toSql()).isEqualTo(dumpB);
        }
        for (int i = 0; i < survivors.size(); i++) {
            assertThat(queryOne(aDb, survivors.get(i)[1])).as("survivor " + survivors.get(i)[1] + "\n--- plan:\n" + plan.toSql())
                    .isEqualTo(before.get(i));
        }
        return plan;
    }

    /**
     * Empties a database: every schema a case made goes, public is made anew; and the role the
     * generated grants and policies name exists (roles belong to the server, not the database).
     */
    static void reset(Connection connection) throws SQLException {
        execute(connection, """
                DO $$
                DECLARE s text;
                BEGIN
                  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%%' AND nspname NOT IN ('public', 'information_schema') LOOP
                    EXECUTE format('DROP SCHEMA %%I CASCADE', s);
                  END LOOP;
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1$s') THEN
                    CREATE ROLE %1$s NOLOGIN;
                  END IF;
                END $$;
                DROP SCHEMA public CASCADE;
                CREATE SCHEMA public;
                """.formatted(RandomObjects.ROLE));
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String queryOne(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    /**
     * Applies {@code plan} to A (a failure names the plan) and checks that A's catalog then has
     * no difference from {@code desired}; the catalog A has after it.
     */
    static Catalog applyAndCompare(Connection aDb, Plan plan, Catalog desired) throws SQLException {
        try {
            PlanRunner.apply(aDb, plan);
        } catch (RuntimeException e) {
            throw new AssertionError("plan failed: " + e.getMessage() + "\n--- plan:\n" + plan.toSql(), e);
        }
        Catalog after = CatalogReader.read(aDb, Set.of());
        assertThat(desired.differencesFrom(after)).as("differences after the plan\n--- plan:\n" + plan.toSql()).isEmpty();
        return after;
    }
}
