package dev.finote.server.auth;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Counters in {@code finote_login_throttle}, shared by every instance: per key, the events
 * within a window, and a block that doubles with each event past the limit. Keys are
 * {@code kind:} plus the SHA-256 of the value, so a key never grows with what a client sends
 * (a 3 KB username or a huge X-Forwarded-For once overflowed the primary key's index).
 */
@Repository
public class ThrottleCounters {

    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration MAX_BLOCK = Duration.ofMinutes(15);

    private final JdbcClient jdbc;

    public ThrottleCounters(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A key of bounded length: the kind, and a hash of the value. */
    public static String key(String kind, String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return kind + ':' + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key's events within the window, and how long it is still blocked (zero when not). */
    public record State(int events, Duration blockedFor) {
        static final State NONE = new State(0, Duration.ZERO);

        public boolean blocked() {
            return !blockedFor.isZero();
        }
    }

    public Map<String, State> states(List<String> keys) {
        Map<String, State> states = jdbc.sql("""
                        SELECT throttle_key,
                               CASE WHEN window_started_at >= now() - make_interval(secs => ?) THEN failures ELSE 0 END,
                               CASE WHEN blocked_until > now() THEN greatest(1, ceil(extract(epoch FROM blocked_until - now())))::bigint ELSE 0 END
                          FROM finote_login_throttle
                         WHERE throttle_key = ANY (?)""")
                .params(WINDOW.toSeconds(), keys.toArray(String[]::new))
                .query((row, n) -> Map.entry(row.getString(1), new State(row.getInt(2), Duration.ofSeconds(row.getLong(3)))))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return keys.stream().collect(Collectors.toMap(k -> k, k -> states.getOrDefault(k, State.NONE), (a, b) -> a));
    }

    /** Counts one event for {@code key}; at {@code limit} events within the window, blocks it (1 s, then 2, 4 … up to 15 min). */
    public void count(String key, int limit) {
        int events = jdbc.sql("""
                        INSERT INTO finote_login_throttle AS t (throttle_key, failures, window_started_at)
                        VALUES (?, 1, now())
                        ON CONFLICT (throttle_key) DO UPDATE SET
                            failures = CASE WHEN t.window_started_at < now() - make_interval(secs => ?) THEN 1 ELSE t.failures + 1 END,
                            window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => ?) THEN now() ELSE t.window_started_at END
                        RETURNING failures""")
                .params(key, WINDOW.toSeconds(), WINDOW.toSeconds())
                .query(Integer.class).single();
        if (events >= limit) {
            jdbc.sql("UPDATE finote_login_throttle SET blocked_until = now() + make_interval(secs => ?) WHERE throttle_key = ?")
                    .params(blockSeconds(events - limit), key).update();
        }
    }

    public void forget(String key) {
        jdbc.sql("DELETE FROM finote_login_throttle WHERE throttle_key = ?").param(key).update();
    }

    /** Forgets counts whose window has passed and that no longer block anyone. */
    public int deleteStale() {
        return jdbc.sql("DELETE FROM finote_login_throttle WHERE window_started_at < now() - make_interval(secs => ?) "
                        + "AND (blocked_until IS NULL OR blocked_until < now())")
                .param(WINDOW.toSeconds()).update();
    }

    /** 1 s at the limit, then 2, 4, 8 … seconds, never more than {@link #MAX_BLOCK}. */
    static long blockSeconds(int eventsPastLimit) {
        return Math.min(MAX_BLOCK.toSeconds(), 1L << Math.min(30, eventsPastLimit));
    }
}
