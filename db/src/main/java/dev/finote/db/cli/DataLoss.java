package dev.finote.db.cli;

import dev.finote.db.Jdbc;
import dev.finote.db.schema.Catalog;
import dev.finote.db.schema.Hazard;
import dev.finote.db.schema.Plan;
import dev.finote.db.schema.Step;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which steps of a plan would really lose data in this database: a step that can delete data
 * loses some only when its table has rows (dropping an empty table or narrowing an empty
 * column loses nothing). A step that names no table is assumed to lose data.
 */
final class DataLoss {

    private DataLoss() {
    }

    /** One line per step that would lose data, naming the statement and why. */
    static List<String> find(Connection connection, Catalog live, Plan plan) throws SQLException {
        Map<String, Boolean> hasRows = new HashMap<>();
        List<String> losses = new ArrayList<>();
        for (Step step : plan.steps()) {
            if (!step.hazards().contains(Hazard.DELETES_DATA)) continue;
            String table = step.table();
            if (table == null || !live.tables().containsKey(table)) {
                losses.add(step.sql().replaceAll("\\s+", " "));
                continue;
            }
            if (hasRows.computeIfAbsent(table, name -> rows(connection, name))) {
                losses.add(step.sql().replaceAll("\\s+", " ") + "   (table " + table + " has rows)");
            }
        }
        return losses;
    }

    private static boolean rows(Connection connection, String table) {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM "
                     + (table.contains(".") ? dev.finote.db.schema.Sql.qualified(table) : "public." + Jdbc.quoteIdentifier(table)) + ")")) {
            return row.next() && row.getBoolean(1);
        } catch (SQLException e) {
            return true; // cannot tell: assume the worst
        }
    }
}
