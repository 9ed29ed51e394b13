package dev.finote.db.migrations;

import dev.finote.db.DatabaseException;
import dev.finote.db.postgres.DatabaseUrl;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lock every run that changes the schema takes first ({@code migrate}, {@code dev},
 * {@code reset}, {@code restore}), so that racing deploys apply each version once.
 *
 * <p>It is a session-level advisory lock held by a connection of its own that does nothing else.
 * A run that finds it taken polls {@code pg_try_advisory_lock} with a growing pause, each try a
 * statement that returns at once, outside any transaction: a waiting run holds no snapshot
 * between tries. Blocking in {@code pg_advisory_lock} instead would hold a snapshot for the
 * whole wait, and the holder's {@code CREATE INDEX CONCURRENTLY} waits for every older snapshot
 * to end, a cycle through the clients that PostgreSQL cannot detect. Once this lock is held,
 * Flyway's own advisory lock is always free: only the holder runs Flyway on the database.
 */
public final class MigrationLock implements AutoCloseable {

    /** Key of the advisory lock (an arbitrary constant: "finote" in ASCII). */
    public static final long KEY = 0x66696e6f7465L;
    /** How long a run waits for another one by default. */
    public static final Duration DEFAULT_WAIT = Duration.ofMinutes(15);
    /** The environment variable that sets how long to wait ({@code --lock-wait} overrides it). */
    public static final String WAIT_VARIABLE = "FINOTE_LOCK_WAIT";

    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d+)\\s*(ms|s|m|min|h)?\\s*");

    private final Connection connection;

    private MigrationLock(Connection connection) {
        this.connection = connection;
    }

    /**
     * Takes the lock on {@code url}'s database, waiting up to {@code wait} for another run to
     * release it.
     *
     * @param who    what this run is ({@code "finote db migrate"}): the application name other
     *               runs see while they wait for it
     * @param notice told (once per holder) that this run waits, and for whom
     * @throws DatabaseException when the wait is over, naming the run that still holds it
     */
    public static MigrationLock acquire(DatabaseUrl url, String who, Duration wait, Consumer<String> notice) {
        Connection connection;
        try {
            connection = connect(url, who);
        } catch (SQLException e) {
            throw new DatabaseException("could not connect to " + url.describe() + ": " + e.getMessage(), e);
        }
        try {
            Instant deadline = Instant.now().plus(wait);
            Duration pause = FIRST_PAUSE;
            Optional<Holder> announced = Optional.empty();
            while (!tryLock(connection)) {
                Optional<Holder> holder = holder(connection);
                if (announced.isEmpty() || holder.isPresent() && holder.get().pid() != announced.get().pid()) {
                    notice.accept("Waiting for another run that is changing " + url.describe() + " to finish"
                            + holder.map(h -> " (" + h.describe() + ")").orElse("") + "; giving up in " + describe(wait) + ".");
                    announced = holder.or(() -> Optional.of(Holder.UNKNOWN));
                }
                if (!Instant.now().plus(pause).isBefore(deadline)) {
                    throw gaveUp(url, wait, holder);
                }
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
            return new MigrationLock(connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new DatabaseException("could not take the migration lock on " + url.describe() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(connection);
            throw new DatabaseException("interrupted while waiting for the migration lock on " + url.describe(), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * How long to wait: {@code option} if given, else {@value #WAIT_VARIABLE}, else
     * {@link #DEFAULT_WAIT}. Both take a number of seconds or a number with a unit
     * ({@code 90s}, {@code 15m}, {@code 1h}, {@code 500ms}).
     */
    public static Duration waitFrom(String option, Map<String, String> environment) {
        if (option != null) return parse(option, "--lock-wait");
        String variable = environment.get(WAIT_VARIABLE);
        if (variable != null && !variable.isBlank()) return parse(variable, WAIT_VARIABLE);
        return DEFAULT_WAIT;
    }

    static Duration parse(String text, String source) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new DatabaseException(source + "='" + text + "' is not a duration",
                    "give a number of seconds, or a number with a unit: 90s, 15m, 1h", null);
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2).toLowerCase();
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** Releases the lock (closing its session does). */
    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static Connection connect(DatabaseUrl url, String who) throws SQLException {
        Properties properties = new Properties();
        if (url.user() != null) properties.setProperty("user", url.user());
        if (url.password() != null) properties.setProperty("password", url.password());
        properties.setProperty("connectTimeout", "10");
        // What a waiting run (and pg_stat_activity) shows for the holder: the command, host and process.
        properties.setProperty("ApplicationName", applicationName(who));
        Connection connection = DriverManager.getConnection(url.jdbcUrl(), properties);
        connection.setAutoCommit(true);
        return connection;
    }

    private static String applicationName(String who) {
        String name = who + " (pid " + ProcessHandle.current().pid() + " on " + hostName() + ")";
        return name.length() > 63 ? name.substring(0, 63) : name; // PostgreSQL truncates to NAMEDATALEN - 1
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown host";
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, KEY);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** The session holding the lock, as far as this role may see it in pg_locks and pg_stat_activity. */
    record Holder(int pid, String application, String client, Instant since) {
        static final Holder UNKNOWN = new Holder(-1, null, null, null);

        String describe() {
            List<String> parts = new ArrayList<>();
            parts.add("held by PostgreSQL session pid " + pid);
            if (application != null && !application.isBlank()) parts.add("application '" + application + "'");
            if (client != null) parts.add("from " + client);
            if (since != null) parts.add("since " + WHEN.format(since));
            return String.join(", ", parts);
        }
    }

    private static Optional<Holder> holder(Connection connection) throws SQLException {
        // A bigint advisory key shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
        // The holder's lock session is idle from the moment it took the lock, so state_change is when it did.
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT l.pid, a.application_name, host(a.client_addr), coalesce(a.state_change, a.backend_start)
                  FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND l.classid::int8 = ? AND l.objid::int8 = ?
                 LIMIT 1""")) {
            query.setLong(1, KEY >>> 32);
            query.setLong(2, KEY & 0xffffffffL);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) return Optional.empty();
                Timestamp since = row.getTimestamp(4);
                return Optional.of(new Holder(row.getInt(1), row.getString(2), row.getString(3), since == null ? null : since.toInstant()));
            }
        }
    }

    private static DatabaseException gaveUp(DatabaseUrl url, Duration wait, Optional<Holder> holder) {
        String who = holder.map(h -> " (" + h.describe() + ")").orElse(" (it was released meanwhile, and taken again)");
        return new DatabaseException("gave up after waiting " + describe(wait) + " for another run that is changing "
                + url.describe() + who + "; nothing was changed",
                "let that run finish"
                        + holder.map(h -> " (or end it: SELECT pg_terminate_backend(" + h.pid() + "))").orElse("")
                        + ", then run this again; --lock-wait or " + WAIT_VARIABLE + " sets how long to wait (default "
                        + describe(DEFAULT_WAIT) + ")", null);
    }

    static String describe(Duration duration) {
        if (duration.toMillis() % 1000 != 0) return duration.toMillis() + "ms";
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0 && seconds > 0) return seconds / 3600 + "h";
        if (seconds % 60 == 0 && seconds > 0) return seconds / 60 + "m";
        return seconds + "s";
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing the session is what releases the lock; a failure here means the session is gone already
        }
    }
}
