package dev.finote.server.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connection pool behind a first-come, first-served queue with as many places as the
 * pool has connections, so that the pool itself never has a caller waiting.
 *
 * <p>Why: with {@code DB_POOL_MAX} (default 5) far below the number of requests in flight,
 * HikariCP's own waiting let newcomers take a returned connection ahead of callers already
 * waiting, and asked its connection-adder thread to wake up on every such wait. Measured with
 * {@code bench/run} (32 connections, default pool): {@code GET /api/notes} p99 fell from
 * about 35–90 ms to about 10 ms, and the adder's wake-ups (a tenth of the CPU) disappeared.
 *
 * <p>Two limits, enforced by one sweeper thread every {@link #SWEEP_EVERY} rather than by a
 * timer per call (see {@link FairPermits} for the cost of those):
 * <ul>
 *   <li>a caller waits at most {@code waitLimit} for a connection, then gets a
 *       {@link SQLTransientConnectionException} (the API answers 503);</li>
 *   <li>a connection held longer than {@code holdLimit} is aborted, so a call blocked on a
 *       database that stopped answering fails instead of hanging. This replaces pgjdbc's
 *       per-read {@code socketTimeout}, which armed a timer on every read.</li>
 * </ul>
 */
public final class QueuedDataSource extends DelegatingDataSource implements AutoCloseable {

    static final Duration SWEEP_EVERY = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(QueuedDataSource.class);
    private static final Method CLOSE = method("close");

    private final int size;
    private final Duration waitLimit;
    private final Duration holdLimit;
    private final FairPermits permits;
    private final Set<Lease> leases = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    public QueuedDataSource(DataSource pool, int size, Duration waitLimit, Duration holdLimit) {
        super(pool);
        this.size = size;
        this.waitLimit = waitLimit;
        this.holdLimit = holdLimit;
        this.permits = new FairPermits(size);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("finote-db-queue").daemon().factory());
        long period = SWEEP_EVERY.toNanos();
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            if (!permits.acquire(System.nanoTime() + waitLimit.toNanos())) {
                throw new SQLTransientConnectionException("no database connection became free within " + waitLimit.toMillis()
                        + " ms (all " + size + " in use; DB_POOL_MAX sets how many)", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a database connection", "08001", e);
        }
        Connection connection;
        try {
            connection = obtainTargetDataSource().getConnection();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
        Lease lease = new Lease(connection, System.nanoTime());
        leases.add(lease);
        return lease.handle;
    }

    /** Other credentials than the pool's are not offered: every caller shares one pool. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLException("QueuedDataSource hands out the pool's connections only", "0A000");
    }

    /** Callers queued for a connection now (for tests and diagnostics). */
    int waiting() {
        return permits.waiting();
    }

    /** Connections free to take without waiting now. */
    int free() {
        return permits.available();
    }

    @Override
    public void close() throws Exception {
        sweeper.shutdownNow();
        if (obtainTargetDataSource() instanceof AutoCloseable pool) pool.close();
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            int expired = permits.expire(now);
            if (expired > 0) log.warn("{} request(s) waited more than {} ms for a database connection", expired, waitLimit.toMillis());
            for (Lease lease : leases) {
                if (now - lease.since > holdLimit.toNanos()) lease.abort();
            }
        } catch (RuntimeException e) {
            log.error("database queue sweep failed", e); // keep sweeping: a thrown exception would end the schedule
        }
    }

    /** One borrowed connection: the caller's handle releases its place in the queue on close, once. */
    private final class Lease {
        final Connection connection;
        final long since;
        final Connection handle;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final AtomicBoolean aborted = new AtomicBoolean();

        Lease(Connection connection, long since) {
            this.connection = connection;
            this.since = since;
            this.handle = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "close" -> method.equals(CLOSE) ? end() : call(method, args);
                        case "equals" -> method.getParameterCount() == 1 ? proxy == args[0] : call(method, args);
                        case "hashCode" -> method.getParameterCount() == 0 ? System.identityHashCode(proxy) : call(method, args);
                        case "toString" -> method.getParameterCount() == 0 ? "queued " + connection : call(method, args);
                        default -> call(method, args);
                    });
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private Object end() throws SQLException {
            if (!ended.compareAndSet(false, true)) return null;
            leases.remove(this);
            try {
                connection.close(); // back to the pool first, so that the next in line finds it free
            } finally {
                permits.release();
            }
            return null;
        }

        /** Closes the socket under a call that has not returned; the call fails and the pool drops the connection. */
        void abort() {
            if (!aborted.compareAndSet(false, true)) return;
            log.warn("aborting a database connection held for more than {} s (the database stopped answering?)", holdLimit.toSeconds());
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                log.warn("could not abort the database connection: {}", e.getMessage());
            }
        }
    }

    private static Method method(String name) {
        try {
            return Connection.class.getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
