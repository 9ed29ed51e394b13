package dev.finote.server.auth;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.util.Optional;

/**
 * Sessions in PostgreSQL ({@code finote_sessions}), shared by every instance and kept
 * across restarts. Authenticating a request is one primary-key read; the expiry slides
 * forward, but is written at most once a minute per session.
 */
@Repository
public class SessionStore {

    public static final Duration LIFETIME = Duration.ofDays(7);
    static final Duration REFRESH_AFTER = Duration.ofMinutes(1);

    private final JdbcClient jdbc;

    public SessionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void create(byte[] tokenHash, int userId) {
        jdbc.sql("INSERT INTO finote_sessions (token_hash, user_id, expires_at) VALUES (?, ?, now() + make_interval(secs => ?))")
                .params(tokenHash, userId, LIFETIME.toSeconds())
                .update();
    }

    /** The live session's user, and whether its expiry is due to slide forward. */
    public Optional<ActiveSession> find(byte[] tokenHash) {
        return jdbc.sql("""
                        SELECT s.user_id, u.username,
                               s.expires_at < now() + make_interval(secs => ?) AS refresh_due
                          FROM finote_sessions s JOIN users u ON u.id = s.user_id
                         WHERE s.token_hash = ? AND s.expires_at > now()""")
                .params(LIFETIME.minus(REFRESH_AFTER).toSeconds(), tokenHash)
                .query((row, n) -> new ActiveSession(new CurrentUser(row.getInt(1), row.getString(2)), row.getBoolean(3)))
                .optional();
    }

    public void extend(byte[] tokenHash) {
        jdbc.sql("UPDATE finote_sessions SET expires_at = now() + make_interval(secs => ?) WHERE token_hash = ?")
                .params(LIFETIME.toSeconds(), tokenHash)
                .update();
    }

    public void delete(byte[] tokenHash) {
        jdbc.sql("DELETE FROM finote_sessions WHERE token_hash = ?").param(tokenHash).update();
    }

    /** Removes expired sessions; returns how many. */
    public int deleteExpired() {
        return jdbc.sql("DELETE FROM finote_sessions WHERE expires_at <= now()").update();
    }

    public record ActiveSession(CurrentUser user, boolean refreshDue) {
    }
}
