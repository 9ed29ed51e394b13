package dev.finote.server.auth;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Slows down password guessing. Failed logins are counted per username and per client
 * address in PostgreSQL (so every instance sees the same counts); past a limit within the
 * window, further attempts for that key are refused with 429 for a time that doubles with
 * each failure, up to {@link #MAX_BLOCK}. Only failures count: a user who logs in
 * successfully any number of times is never limited, and success clears the username's count.
 */
@Component
public class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration MAX_BLOCK = Duration.ofMinutes(15);

    private final JdbcClient jdbc;
    private final int usernameLimit;
    private final int addressLimit;

    public LoginThrottle(JdbcClient jdbc,
                         @Value("${finote.login.failures-per-username:5}") int usernameLimit,
                         @Value("${finote.login.failures-per-address:20}") int addressLimit) {
        this.jdbc = jdbc;
        this.usernameLimit = usernameLimit;
        this.addressLimit = addressLimit;
    }

    /** How long the caller must wait before trying again, if either key is blocked now. */
    public Optional<Duration> blockedFor(String username, String address) {
        return jdbc.sql("""
                        SELECT ceil(extract(epoch FROM max(blocked_until) - now()))::bigint
                          FROM finote_login_throttle
                         WHERE throttle_key IN (?, ?) AND blocked_until > now()""")
                .params(usernameKey(username), addressKey(address))
                .query((row, n) -> row.getObject(1) == null ? null : Duration.ofSeconds(Math.max(1, row.getLong(1))))
                .optional();
    }

    public void recordFailure(String username, String address) {
        recordFailure(usernameKey(username), usernameLimit);
        recordFailure(addressKey(address), addressLimit);
    }

    public void recordSuccess(String username) {
        jdbc.sql("DELETE FROM finote_login_throttle WHERE throttle_key = ?").param(usernameKey(username)).update();
    }

    /** Forgets counts whose window has passed and that no longer block anyone. */
    public int deleteStale() {
        return jdbc.sql("DELETE FROM finote_login_throttle WHERE window_started_at < now() - make_interval(secs => ?) "
                        + "AND (blocked_until IS NULL OR blocked_until < now())")
                .param(WINDOW.toSeconds()).update();
    }

    private void recordFailure(String key, int limit) {
        int failures = jdbc.sql("""
                        INSERT INTO finote_login_throttle AS t (throttle_key, failures, window_started_at)
                        VALUES (?, 1, now())
                        ON CONFLICT (throttle_key) DO UPDATE SET
                            failures = CASE WHEN t.window_started_at < now() - make_interval(secs => ?) THEN 1 ELSE t.failures + 1 END,
                            window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => ?) THEN now() ELSE t.window_started_at END
                        RETURNING failures""")
                .params(key, WINDOW.toSeconds(), WINDOW.toSeconds())
                .query(Integer.class).single();
        if (failures >= limit) {
            jdbc.sql("UPDATE finote_login_throttle SET blocked_until = now() + make_interval(secs => ?) WHERE throttle_key = ?")
                    .params(blockSeconds(failures - limit), key).update();
        }
    }

    /** 1 s at the limit, then 2, 4, 8 … seconds, never more than {@link #MAX_BLOCK}. */
    static long blockSeconds(int failuresPastLimit) {
        return Math.min(MAX_BLOCK.toSeconds(), 1L << Math.min(30, failuresPastLimit));
    }

    private static String usernameKey(String username) {
        return "user:" + username.toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "addr:" + address;
    }
}
