package dev.finote.db.migrations;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who holds the locks a migration waited for: after a statement gave up on {@code lock_timeout},
 * the sessions (other than this one) holding locks on the tables the migration names.
 */
public final class LockHolders {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private LockHolders() {
    }

    /** True when {@code error}'s cause is PostgreSQL's lock_not_available (55P03): a lock_timeout ran out. */
    public static boolean isLockTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "55P03".equals(sql.getSQLState())) return true;
        }
        return false;
    }

    /**
     * The session that holds a lock on a table {@code sql} names, described for the operator
     * (pid, application, since when, its query), if one is found.
     */
    public static Optional<String> describe(DatabaseUrl url, String sql) {
        try (Connection connection = Jdbc.connect(url)) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement list = connection.prepareStatement(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')");
                 ResultSet rows = list.executeQuery()) {
                while (rows.next()) {
                    String table = rows.getString(1);
                    if (Pattern.compile("(?i)(?<![A-Za-z0-9_])\"?" + Pattern.quote(table) + "\"?(?![A-Za-z0-9_])").matcher(sql).find()) tables.add(table);
                }
            }
            if (tables.isEmpty()) return Optional.empty();
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT a.pid, a.application_name, coalesce(a.xact_start, a.query_start), a.state, a.query, c.relname, l.mode
                      FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
                      JOIN pg_stat_activity a ON a.pid = l.pid
                     WHERE l.granted AND n.nspname = 'public' AND c.relname = ANY (?) AND a.pid <> pg_backend_pid()
                     ORDER BY a.xact_start NULLS LAST
                     LIMIT 1""")) {
                Array names = connection.createArrayOf("text", tables.toArray());
                query.setArray(1, names);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) return Optional.empty();
                    Timestamp since = row.getTimestamp(3);
                    String application = row.getString(2);
                    String statement = row.getString(5) == null ? "" : row.getString(5).replaceAll("\\s+", " ").strip();
                    if (statement.length() > 120) statement = statement.substring(0, 117) + "…";
                    return Optional.of("PostgreSQL session pid " + row.getInt(1)
                            + (application == null || application.isBlank() ? "" : ", application '" + application + "'")
                            + (since == null ? "" : ", in a transaction since " + WHEN.format(since.toInstant()))
                            + (row.getString(4) == null ? "" : ", now " + row.getString(4))
                            + (statement.isEmpty() ? "" : ", query: " + statement)
                            + " holds " + row.getString(7) + " on " + row.getString(6));
                }
            }
        } catch (SQLException e) {
            return Optional.empty(); // the lock_timeout itself is what the operator needs; this is a detail
        }
    }

    /** The pid in a {@link #describe} line, for the next: line. */
    static Optional<String> pid(String description) {
        var matcher = Pattern.compile("pid (\\d+)").matcher(description);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
