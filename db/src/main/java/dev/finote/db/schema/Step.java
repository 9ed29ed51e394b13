package dev.finote.db.schema;

import java.util.EnumSet;
import java.util.Set;

/**
 * One statement of a plan.
 *
 * @param sql                the statement, without a trailing semicolon
 * @param hazards            what can go wrong when it runs
 * @param table              the table it changes, or null
 * @param outsideTransaction true when PostgreSQL refuses to run it in a transaction block
 *                           ({@code CREATE/DROP INDEX CONCURRENTLY})
 */
public record Step(String sql, Set<Hazard> hazards, String table, boolean outsideTransaction) {

    public Step {
        hazards = hazards.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(hazards));
    }

    static Step of(String sql, String table, Hazard... hazards) {
        return new Step(sql, hazards.length == 0 ? Set.of() : EnumSet.of(hazards[0], hazards), table, false);
    }

    static Step concurrently(String sql, String table, Hazard... hazards) {
        return new Step(sql, hazards.length == 0 ? Set.of() : EnumSet.of(hazards[0], hazards), table, true);
    }

    /** Hazards in declaration order (a Set.copyOf has none). */
    public java.util.List<Hazard> orderedHazards() {
        return hazards.isEmpty() ? java.util.List.of() : java.util.List.copyOf(EnumSet.copyOf(hazards));
    }
}
