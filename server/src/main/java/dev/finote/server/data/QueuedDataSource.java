package dev.finote.server.data;

import com.zaxxer.hikari.HikariDataSource;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

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
 *   <li>a caller waits at most {@code waitLimit} in the queue, then gets a
 *       {@link SQLTransientConnectionException} (the API answers 503). A caller whose turn
 *       comes while the pool has to open a connection may then wait the pool's own
 *       connection-timeout as well;</li>
 *   <li>a connection held longer than {@code holdLimit} is aborted, so a call blocked on a
 *       database that stopped answering fails instead of hanging, and the connection is
 *       evicted from the pool. This replaces pgjdbc's per-read {@code socketTimeout}, which
 *       armed a timer on every read.</li>
 * </ul>
 *
 * <p>Because callers wait here, HikariCP never sees them (its pending count stays 0 and its
 * acquire time is near 0): the queue counts its own waits, which {@link ConnectionQueueMetrics}
 * publishes on /metrics.
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
    private final LongAdder waits = new LongAdder();
    private final LongAdder nanosWaited = new LongAdder();
    private final LongAdder waitsExpired = new LongAdder();

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
        long asked = System.nanoTime();
        try {
            if (!permits.acquire(asked + waitLimit.toNanos())) {
                if (permits.isClosed()) throw new SQLTransientConnectionException("the database connection pool is closed (the server is stopping)", "08003");
                waitEnded(asked);
                waitsExpired.increment();
                throw new SQLTransientConnectionException("no database connection became free within " + waitLimit.toMillis()
                        + " ms (all " + size + " in use; DB_POOL_MAX sets how many)", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a database connection", "08001", e);
        }
        waitEnded(asked);
        Connection connection = null;
        try {
            connection = obtainTargetDataSource().getConnection();
        } finally {
            if (connection == null) permits.release(); // the pool failed (or threw an Error): give the place back
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

    /** Callers queued for a connection now. */
    public int waiting() {
        return permits.waiting();
    }

    /**
     * Callers that have left the queue since the start: with their turn (most of them), or at
     * the wait limit. Callers turned away because the server is stopping are not counted.
     */
    public long waits() {
        return waits.sum();
    }

    /** The time those callers spent in the queue, in all (nanoseconds); not the pool's own time to hand over a connection. */
    public long nanosWaited() {
        return nanosWaited.sum();
    }

    /** Those of them that reached the wait limit (each one a 503). */
    public long waitsExpired() {
        return waitsExpired.sum();
    }

    private void waitEnded(long asked) {
        nanosWaited.add(System.nanoTime() - asked);
        waits.increment();
    }

    /** Connections free to take without waiting now. */
    int free() {
        return permits.available();
    }

    /**
     * Stops the queue: queued callers and later ones get an error at once, and the sweeper
     * stops. The pool itself is left to its owner (Spring closes it right after).
     */
    public void shutdown() {
        int refused = permits.close();
        sweeper.shutdownNow();
        if (refused > 0) log.info("{} request(s) queued for a database connection were refused: the server is stopping", refused);
    }

    public boolean isShutdown() {
        return permits.isClosed() && sweeper.isShutdown();
    }

    /** {@link #shutdown()}, then closes the pool. */
    @Override
    public void close() throws Exception {
        shutdown();
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
        } catch (Throwable e) {
            log.error("database queue sweep failed", e); // keep sweeping: a thrown exception would end the schedule
        }
    }

    /** One borrowed connection: the caller's handle releases its place in the queue on close, once. */
    private final class Lease {
        private static final int OPEN = 0, ENDED = 1, ABORTED = 2;

        final Connection connection;
        final long since;
        final Connection handle;
        /** OPEN, then ENDED (closed by its caller) or ABORTED (by the sweeper; then closed by its caller). */
        private final AtomicInteger state = new AtomicInteger(OPEN);
        private final AtomicBoolean closed = new AtomicBoolean();

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

        /** The caller's close: back to the pool (evicted if aborted), then the next in line gets the place. */
        private Object end() throws SQLException {
            if (!closed.compareAndSet(false, true)) return null;
            boolean aborted = !state.compareAndSet(OPEN, ENDED);
            try {
                if (aborted && obtainTargetDataSource() instanceof HikariDataSource pool) {
                    pool.evictConnection(connection); // its socket is closed, or being closed: never hand it out again
                } else {
                    connection.close();
                }
            } finally {
                leases.remove(this);
                permits.release();
            }
            return null;
        }

        /**
         * Closes the socket under a call that has not returned, so that the call fails. On a
         * thread of its own: closing a TLS socket can block, and the sweeper must not.
         */
        void abort() {
            if (!state.compareAndSet(OPEN, ABORTED)) return;
            log.warn("aborting a database connection held for more than {} s (the database stopped answering?)", holdLimit.toSeconds());
            try {
                connection.abort(task -> Thread.ofVirtual().name("finote-db-abort").start(task));
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
