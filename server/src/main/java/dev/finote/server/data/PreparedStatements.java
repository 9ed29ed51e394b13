package dev.finote.server.data;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.SessionCheck;

import java.util.regex.Pattern;

/**
 * Whether the server may use pgjdbc's named server-side prepared statements, decided once at
 * start from what {@code DATABASE_URL} leads to.
 *
 * <p>Why detected rather than configured: pgjdbc switches a statement to a named server-side
 * one ({@code S_1}, …) after five executions. A transaction pooler (PgBouncer 1.18 in
 * {@code pool_mode = transaction}) hands the next transaction to another server connection,
 * which fails with {@code prepared statement "S_1" already exists} (or does not exist).
 * Turning named statements off everywhere ({@code prepareThreshold=0}) cost about a third of
 * the requests per second of {@code GET /api/notes} on a direct connection (bench/run), so the
 * server keeps them where they work, and an operator need not know the setting exists.
 *
 * <ul>
 *   <li>A URL that sets {@code prepareThreshold} itself decides (e.g. {@code prepareThreshold=5}
 *       behind a PgBouncer with {@code max_prepared_statements}).</li>
 *   <li>Otherwise {@link SessionCheck} looks for a pooler: found, named statements are off.</li>
 *   <li>A database that does not answer at start may be behind a pooler: off, to be safe
 *       (slower, never failing); the next start decides again.</li>
 * </ul>
 */
public record PreparedStatements(boolean named, String reason) {

    private static final Pattern URL_SETS_IT = Pattern.compile("(^|&)prepareThreshold=");

    public static PreparedStatements choose(DatabaseUrl url) {
        if (URL_SETS_IT.matcher(url.query()).find()) {
            return new PreparedStatements(true, "DATABASE_URL sets prepareThreshold itself");
        }
        try {
            SessionCheck.Result check = SessionCheck.check(url);
            return check.sessionsShared()
                    ? new PreparedStatements(false, "DATABASE_URL leads to a transaction pooler (" + check.evidence() + "): named prepared statements are off")
                    : new PreparedStatements(true, "DATABASE_URL leads to PostgreSQL sessions of their own: named prepared statements are on");
        } catch (DatabaseException e) {
            return new PreparedStatements(false, "the database did not answer at start, so it may be behind a pooler: named prepared statements are off until the next start");
        }
    }
}
