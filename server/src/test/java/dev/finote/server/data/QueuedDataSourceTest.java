package dev.finote.server.data;

import com.zaxxer.hikari.HikariDataSource;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.finote.server.data.FairPermitsTest.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queue in front of a real HikariCP pool on a real PostgreSQL. */
@ExtendWith(FinoteExtension.class)
@Timeout(60) // a lost wake-up would otherwise hang the build instead of failing it
class QueuedDataSourceTest {

    private static final Duration WAIT_LIMIT = Duration.ofMillis(400);
    private static final Duration HOLD_LIMIT = Duration.ofSeconds(1);

    private HikariDataSource pool;
    private QueuedDataSource queued;

    @BeforeEach
    void openPool(SharedDatabase database) {
        DatabaseUrl url = database.appUrl();
        pool = new HikariDataSource();
        pool.setJdbcUrl(url.jdbcUrl());
        pool.setUsername(url.user());
        pool.setPassword(url.password());
        pool.setMaximumPoolSize(2);
        pool.setConnectionTimeout(3000);
        queued = new QueuedDataSource(pool, 2, WAIT_LIMIT, HOLD_LIMIT);
    }

    @AfterEach
    void closePool() throws Exception {
        queued.close();
        assertThat(pool.isClosed()).as("closing the queue closes the pool").isTrue();
    }

    @Test
    void aCallerQueuesWhileEveryConnectionIsTakenAndGetsTheFirstOneReturned() throws Exception {
        Connection first = queued.getConnection();
        Connection second = queued.getConnection();
        long waitedBefore = queued.nanosWaited();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            long submitted = System.nanoTime();
            Future<Integer> third = threads.submit(() -> {
                try (Connection connection = queued.getConnection(); Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("SELECT 41 + 1")) {
                    row.next();
                    return row.getInt(1);
                }
            });
            awaitValue(queued::waiting, 1);
            assertThat(third).isNotDone();
            long queuedAt = System.nanoTime();
            Thread.sleep(50);
            long waitedAtLeast = System.nanoTime() - queuedAt;
            first.close();
            assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo(42);
            long answered = System.nanoTime() - submitted;
            assertThat(queued.nanosWaited() - waitedBefore).as("the third caller's time in line, and nothing after its turn")
                    .isBetween(waitedAtLeast, answered);
        }
        second.close();
        assertThat(queued.free()).isEqualTo(2);
        assertThat(queued.waits()).isEqualTo(3);
        assertThat(queued.waitsExpired()).isZero();
        assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).as("the pool itself never had a waiter").isZero();
    }

    @Test
    void aCallerThatWaitsTooLongGetsATransientErrorNamingTheSetting() throws Exception {
        try (Connection first = queued.getConnection(); Connection second = queued.getConnection()) {
            long start = System.nanoTime();
            assertThatThrownBy(queued::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("within 400 ms")
                    .hasMessageContaining("DB_POOL_MAX");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(WAIT_LIMIT);
            assertThat(queued.waiting()).isZero();
            assertThat(queued.waitsExpired()).isEqualTo(1);
            assertThat(queued.waits()).as("the two turns at once, and the wait that reached the limit").isEqualTo(3);
            assertThat(Duration.ofNanos(queued.nanosWaited())).as("the limit's wait is in the sum").isGreaterThanOrEqualTo(WAIT_LIMIT);

            // As /metrics publishes them (Prometheus's names: finote_db_queue_wait_seconds_count and _sum, _timeouts_total).
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new ConnectionQueueMetrics(queued).bindTo(registry);
            FunctionTimer waits = registry.get("finote.db.queue.wait").functionTimer();
            assertThat(waits.count()).isEqualTo(3);
            assertThat(waits.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(WAIT_LIMIT.toMillis());
            assertThat(registry.get("finote.db.queue.timeouts").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("finote.db.queue.waiting").gauge().value()).isZero();
        }
        assertThat(queued.free()).isEqualTo(2);
    }

    @Test
    void closingAConnectionTwiceGivesBackOnePlace() throws SQLException {
        Connection connection = queued.getConnection();
        connection.close();
        connection.close();
        assertThat(queued.free()).isEqualTo(2);
        assertThat(connection.isClosed()).isTrue();
        try (Connection other = queued.getConnection()) {
            assertThat(connection).isEqualTo(connection).isNotEqualTo(other);
        }
    }

    @Test
    void aPoolThatCannotConnectGivesBackThePlaceOfEveryCaller() throws Exception {
        try (HikariDataSource unreachable = new HikariDataSource();
             QueuedDataSource queue = new QueuedDataSource(unreachable, 1, WAIT_LIMIT, HOLD_LIMIT)) {
            unreachable.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + unusedPort() + "/finote");
            unreachable.setConnectionTimeout(250);
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThatThrownBy(queue::getConnection).as("attempt %d fails on the pool, not in the queue", attempt)
                        .satisfiesAnyOf(e -> assertThat(e).isInstanceOf(RuntimeException.class),
                                e -> assertThat(e).isInstanceOf(SQLException.class).hasMessageNotContaining("DB_POOL_MAX"));
                assertThat(queue.free()).isEqualTo(1);
            }
            assertThat(queue.waits()).as("each caller had its turn at once").isEqualTo(3);
            assertThat(queue.waitsExpired()).isZero();
        }
    }

    @Test
    void shuttingDownRefusesQueuedAndLaterCallers() throws Exception {
        try (Connection first = queued.getConnection(); Connection second = queued.getConnection();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Connection> queuedCaller = threads.submit(() -> queued.getConnection());
            awaitValue(queued::waiting, 1);
            queued.shutdown();
            assertThatThrownBy(() -> queuedCaller.get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(SQLTransientConnectionException.class).hasMessageContaining("server is stopping");
            assertThatThrownBy(queued::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            assertThat(queued.isShutdown()).isTrue();
            assertThat(queued.waits()).as("callers turned away by the shutdown are not waits").isEqualTo(2);
            assertThat(queued.waitsExpired()).isZero();
        }
    }

    private static int unusedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aConnectionHeldPastTheLimitIsAbortedAndThePoolRecovers() throws Exception {
        try (Connection stuck = queued.getConnection(); Statement statement = stuck.createStatement()) {
            long start = System.nanoTime();
            // A call that does not come back (as if the database had stopped answering).
            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(60)")).isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(HOLD_LIMIT, Duration.ofSeconds(20));
        }
        assertThat(queued.free()).isEqualTo(2);
        assertThat(new JdbcTemplate(queued).queryForObject("SELECT 'still serving'", String.class)).isEqualTo("still serving");
    }
}
