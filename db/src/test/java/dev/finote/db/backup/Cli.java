package dev.finote.db.backup;

import dev.finote.db.DatabaseUrl;
import dev.finote.db.Jdbc;
import dev.finote.db.ProjectLayout;
import dev.finote.db.cli.DbCommand;
import dev.finote.db.cli.DbContext;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** `finote db …` run in-process as an operator would, plus the few SQL helpers these tests share. */
final class Cli {

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Cli() {
    }

    static Run db(DatabaseUrl url, Path workingDirectory, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ProjectLayout layout = new ProjectLayout(Optional.empty(), workingDirectory, Optional.empty());
        var line = DbCommand.commandLine(new DbContext(Map.of("DATABASE_URL", url.toUrlWithPassword()), layout,
                new PrintWriter(out, true), new PrintWriter(err, true)));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        return new Run(exit, out.toString(), err.toString());
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
