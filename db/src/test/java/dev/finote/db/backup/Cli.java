package dev.finote.db.backup;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import dev.finote.db.migrations.ProjectLayout;
import dev.finote.db.cli.DbCli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** `finote db …` run in-process against one database, plus the few SQL helpers these tests share. */
final class Cli {

    private Cli() {
    }

    /** {@code DATABASE_URL=url finote db args…}, run in-process from {@code workingDirectory}. */
    static DbCli.Run db(DatabaseUrl url, Path workingDirectory, String... args) {
        return DbCli.run(new ProjectLayout(Optional.empty(), workingDirectory, Optional.empty()),
                Map.of("DATABASE_URL", url.toUrlWithPassword()), args);
    }

    static void sql(DatabaseUrl url, String... statements) {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Each row of the query as one string (columns joined with " | "). */
    static List<String> rows(DatabaseUrl url, String query) {
        try (Connection connection = Jdbc.connect(url); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) row.append(i > 1 ? " | " : "").append(rs.getString(i));
                rows.add(row.toString());
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static String value(DatabaseUrl url, String query) {
        List<String> rows = rows(url, query);
        if (rows.size() != 1) throw new IllegalStateException("expected one row from " + query + ", got " + rows);
        return rows.getFirst();
    }
}
