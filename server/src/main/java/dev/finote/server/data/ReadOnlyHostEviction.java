package dev.finote.server.data;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;

/**
 * Evicts a pooled connection whose server refuses writes ({@code 25006
 * read_only_sql_transaction}).
 *
 * <p>Why: with several hosts in DATABASE_URL and {@code target_session_attrs=read-write},
 * pgjdbc checks that a host is the primary only when it opens a connection. After a failover
 * the old primary may keep answering as a read-only standby; HikariCP would keep handing out
 * its connections, and every write would fail until a restart. Evicting them makes the pool
 * open new ones, which pgjdbc sends to the host that now accepts writes.
 */
public final class ReadOnlyHostEviction implements SQLExceptionOverride {

    static final String READ_ONLY_SQL_TRANSACTION = "25006";

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && READ_ONLY_SQL_TRANSACTION.equals(sql.getSQLState())) return Override.MUST_EVICT;
        }
        return Override.CONTINUE_EVICT;
    }
}
