package dev.finote.db.schema;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order of a plan comes from the dependencies its generators declare ({@link Step#object()},
 * {@link Step#needs()}), not from the order they hand their steps to {@link StepOrder}: every
 * acceptance case and a run of the property test's schema pairs are planned with the steps handed
 * over reversed and shuffled, and the plan must still take A, with its rows, to exactly B.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeclaredOrderTest {

    private static final Path TABLES = Path.of("src/test/resources/acceptance");
    private static final int CASES = Integer.getInteger("declaredOrder.cases", 30);
    private static final long FIRST_SEED = Long.getLong("declaredOrder.seed", 1);

    @AutoClose
    private final ShadowDatabase shadow = ShadowDatabase.open(Map.of());
    private final DatabaseUrl db = shadow.freshDatabase();
    private final DatabaseUrl shadowB = shadow.freshDatabase();

    /** The input orders tried: reversed, and shuffled by a seed. */
    private static Map<String, UnaryOperator<List<Step>>> orders(long seed) {
        Map<String, UnaryOperator<List<Step>>> orders = new LinkedHashMap<>();
        orders.put("reversed", steps -> {
            List<Step> reversed = new ArrayList<>(steps);
            Collections.reverse(reversed);
            return reversed;
        });
        orders.put("shuffled " + seed, steps -> {
            List<Step> shuffled = new ArrayList<>(steps);
            Collections.shuffle(shuffled, new Random(seed));
            return shuffled;
        });
        return orders;
    }

    @Test
    void everyAcceptanceCaseRoundTripsWhateverOrderTheStepsComeIn() throws Exception {
        List<String> failures = new ArrayList<>();
        int planned = 0;
        try (Stream<Path> files = Files.list(TABLES)) {
            for (Path table : files.filter(file -> file.toString().endsWith(".cases")).sorted().toList()) {
                for (Map<String, String> acceptance : read(table)) {
                    if (acceptance.containsKey("error")) continue; // refused before any order is chosen
                    String name = table.getFileName() + "/" + acceptance.get("name");
                    for (Map.Entry<String, UnaryOperator<List<Step>>> order : orders(acceptance.get("name").hashCode()).entrySet()) {
                        try {
                            checkAcceptance(acceptance, order.getValue());
                            planned++;
                        } catch (AssertionError | Exception e) {
                            failures.add(name + " (" + order.getKey() + "): " + e.getMessage());
                        }
                    }
                }
            }
        }
        failures.forEach(System.out::println);
        assertThat(failures).as("acceptance cases that fail when the steps come in another order").isEmpty();
        assertThat(planned).isGreaterThan(50);
    }

    @Test
    void generatedSchemaPairsRoundTripWhateverOrderTheStepsComeIn() throws Exception {
        List<String> failures = new ArrayList<>();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + CASES && failures.size() < 3; seed++) {
            RandomSchema a = RandomSchema.generate(seed);
            RandomSchema b = a.mutate(seed * 31 + 7);
            for (Map.Entry<String, UnaryOperator<List<Step>>> order : orders(seed).entrySet()) {
                try (Connection aDb = Jdbc.connect(db); Connection bDb = Jdbc.connect(shadowB)) {
                    RoundTrip.reset(aDb);
                    RoundTrip.reset(bDb);
                    RoundTrip.execute(aDb, a.toSql() + a.rowsSql());
                    List<String[]> survivors = a.survivingValues(b);
                    List<String> before = new ArrayList<>();
                    for (String[] query : survivors) before.add(RoundTrip.queryOne(aDb, query[0]));
                    RoundTrip.planAndCheck(aDb, bDb, a, b, survivors, before, order.getValue());
                } catch (AssertionError | Exception e) {
                    failures.add("seed " + seed + " (" + order.getKey() + "): " + e.getMessage() + "\n--- A:\n" + a.toSql()
                            + "--- B:\n" + b.toSql() + "--- renames: " + a.renamesTo(b) + "\n");
                }
            }
        }
        failures.forEach(System.out::println);
        assertThat(failures).as("schema pairs that fail when the steps come in another order").isEmpty();
    }

    /** Builds the old DDL with its rows in A and the new in B, plans in {@code order}, applies, and compares. */
    private void checkAcceptance(Map<String, String> acceptance, UnaryOperator<List<Step>> order) throws SQLException {
        try (Connection aDb = Jdbc.connect(db); Connection bDb = Jdbc.connect(shadowB)) {
            RoundTrip.reset(aDb);
            RoundTrip.reset(bDb);
            RoundTrip.execute(aDb, acceptance.get("old") + acceptance.getOrDefault("rows", ""));
            RoundTrip.execute(bDb, acceptance.get("new"));
            Catalog current = CatalogReader.read(aDb, Set.of());
            Catalog desired = CatalogReader.read(bDb, Set.of());
            Map<String, String> rowsBefore = rowCounts(aDb, current, desired);
            Plan plan = SchemaDiff.plan(current, desired, DiffOptions.NONE, order);
            RoundTrip.applyAndCompare(aDb, plan, desired);
            assertThat(rowCounts(aDb, current, desired)).as("rows of the tables both sides have\n--- plan:\n" + plan.toSql())
                    .isEqualTo(rowsBefore);
        }
    }

    private static Map<String, String> rowCounts(Connection connection, Catalog current, Catalog desired) throws SQLException {
        Map<String, String> counts = new java.util.TreeMap<>();
        for (String table : current.tables().keySet()) {
            if (desired.tables().containsKey(table)) {
                counts.put(table, RoundTrip.queryOne(connection, "SELECT count(*) FROM ONLY " + Sql.qualified(table)));
            }
        }
        return counts;
    }

    /** The cases of one acceptance table, each as its sections by name (format in the acceptance test's AcceptanceCase). */
    private static List<Map<String, String>> read(Path table) throws IOException {
        List<Map<String, String>> cases = new ArrayList<>();
        for (String entry : Files.readString(table).split("(?m)^#### case ")) {
            if (entry.isBlank()) continue;
            Map<String, String> sections = new LinkedHashMap<>();
            sections.put("name", entry.substring(0, entry.indexOf('\n')).strip());
            for (String part : entry.substring(entry.indexOf('\n') + 1).split("(?m)^## ")) {
                if (part.isEmpty()) continue;
                int newline = part.indexOf('\n');
                sections.put(part.substring(0, newline).strip(), part.substring(newline + 1));
            }
            cases.add(sections);
        }
        return cases;
    }
}
