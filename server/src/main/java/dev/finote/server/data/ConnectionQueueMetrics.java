package dev.finote.server.data;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.concurrent.TimeUnit;

/**
 * The connection queue on /metrics: HikariCP's own figures cannot show it, since callers wait
 * in {@link QueuedDataSource} before they reach the pool. In Prometheus's names:
 * <ul>
 *   <li>{@code finote_db_queue_waiting}: callers waiting for a connection now;</li>
 *   <li>{@code finote_db_queue_wait_seconds_count} and {@code _sum}: callers that left the queue
 *       (with a connection, or at the wait limit), and the time they spent in it (the mean wait is
 *       the rate of the second over the rate of the first);</li>
 *   <li>{@code finote_db_queue_timeouts_total}: those that reached the wait limit and got a 503.</li>
 * </ul>
 * Read by the registry when /metrics is asked for: the queue itself only adds to three counters.
 */
public final class ConnectionQueueMetrics implements MeterBinder {

    private final QueuedDataSource queue;

    public ConnectionQueueMetrics(QueuedDataSource queue) {
        this.queue = queue;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("finote.db.queue.waiting", queue, QueuedDataSource::waiting)
                .description("Requests waiting for a database connection now (DB_POOL_MAX are in use)")
                .strongReference(true)
                .register(registry);
        FunctionTimer.builder("finote.db.queue.wait", queue, QueuedDataSource::waits,
                        QueuedDataSource::nanosWaited, TimeUnit.NANOSECONDS)
                .description("Waits in line for a database connection (ended with a connection or at the limit), and their time")
                .register(registry);
        FunctionCounter.builder("finote.db.queue.timeouts", queue, QueuedDataSource::waitsExpired)
                .description("Waits for a database connection that reached the limit (each one a 503)")
                .register(registry);
    }
}
