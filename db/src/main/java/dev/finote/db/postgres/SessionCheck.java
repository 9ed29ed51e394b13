package dev.finote.db.postgres;

import dev.finote.db.DatabaseException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Tells whether a URL leads to a session of one's own or to a transaction pooler (PgBouncer in
 * {@code pool_mode = transaction} or {@code statement}), which hands each transaction to
 * whichever server connection is free.
 *
 * <p>Why backend pids, and two connections: a pooler answers queries exactly as PostgreSQL
 * does, and from one connection alone a transaction pooler with no other client gives the
 * same server connection back every time. With two clients it shows: a server process
 * ({@code pg_backend_pid()}) is unique among live sessions, so on a direct connection the
 * first client sees one pid in every transaction and the second, holding a transaction open,
 * always another one. Through a transaction pooler the second client is handed the server
 * connection the first one just released (PgBouncer reuses the most recent one first), or the
 * first moves to another: either way the pids meet or change. A statement pooler refuses
 * {@code BEGIN} outright. Twenty rounds make a false "direct" unlikely even while others use
 * the pooler; a direct connection can never be taken for a pooler.
 */
public final class SessionCheck {

    /**
     * Rounds of the two clients. In each one the first client's transaction ends just before the
     * second client's begins, so that a quiet transaction pooler, which hands out the server
     * connection released last, gives the second client the first one's. The earlier order
     * (the second client's rollback, then at once its next BEGIN) gave each client its own
     * server connection back in every round once the first round had missed, whatever the
     * number of rounds: under TransactionPoolerTest's load it took the pooler for PostgreSQL
     * itself in 2 checks of 500 (the present order in none of 1,000). A direct connection still
     * ends every round the same way.
     */
    private static final int ROUNDS = 20;

    private SessionCheck() {
    }

    /** What the check saw: a pooler sharing server sessions between clients, or not. */
    public record Result(boolean sessionsShared, String evidence) {
    }

    public static Result check(DatabaseUrl url) {
        try (Connection first = Jdbc.connect(url); Connection second = Jdbc.connect(url)) {
            long firstPid = pid(first);
            for (int round = 0; round < ROUNDS; round++) {
                long before = pid(first); // its transaction ends here: a pooler now has its server connection free
                if (before != firstPid) return moved(firstPid, before);
                second.setAutoCommit(false);
                long secondPid;
                try {
                    secondPid = pid(second);
                } catch (SQLException e) {
                    if (e.getMessage() != null && e.getMessage().contains("pooling mode")) {
                        return new Result(true, "the server refused a transaction block (" + e.getMessage() + ")");
                    }
                    throw e;
                }
                if (secondPid == firstPid) {
                    second.rollback();
                    // Before the first client asks again: behind a pooler with one server connection, which the
                    // second client now holds, that question would wait for as long as the pooler lets it.
                    return new Result(true, "two connections were served by the same PostgreSQL process (pid " + firstPid + ")");
                }
                long during = pid(first); // second's transaction is still open, holding its server connection
                second.rollback();
                second.setAutoCommit(true);
                if (during != firstPid) return moved(firstPid, during);
            }
            return new Result(false, "each connection kept a PostgreSQL process of its own");
        } catch (SQLException e) {
            throw new DatabaseException("could not connect to " + url.describe() + ": " + e.getMessage(), e);
        }
    }

    private static Result moved(long firstPid, long then) {
        return new Result(true, "one connection moved between PostgreSQL processes (pid " + firstPid + ", then " + then + ")");
    }

    private static long pid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getLong(1);
        }
    }
}
