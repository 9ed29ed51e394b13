package dev.finote.server.support;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Direct SQL for tests: to look at rows behind the API's back, or to arrange a state. */
public final class Sql {

    private Sql() {
    }

    public static int update(DatabaseUrl url, String sql, Object... parameters) {
        try (Connection connection = Jdbc.connect(url); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every row as a list of column values. */
    public static List<List<Object>> rows(DatabaseUrl url, String sql, Object... parameters) {
        try (Connection connection = Jdbc.connect(url); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                List<List<Object>> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) row.add(rs.getObject(i));
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static Object value(DatabaseUrl url, String sql, Object... parameters) {
        List<List<Object>> rows = rows(url, sql, parameters);
        if (rows.size() != 1) throw new IllegalStateException("expected one row, got " + rows.size() + " for " + sql);
        return rows.getFirst().getFirst();
    }

    private static void bind(PreparedStatement statement, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) statement.setObject(i + 1, parameters[i]);
    }
}
