package dev.finote.server.lifecycle;

import com.zaxxer.hikari.HikariDataSource;
import dev.finote.server.data.QueuedDataSource;
import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Far more requests in flight than DB_POOL_MAX connections: they queue for a connection
 * (QueuedDataSource in front of HikariCP) and every one of them is answered.
 */
@ExtendWith(FinoteExtension.class)
class ConnectionQueueTest {

    @Test
    void sixtyFourConcurrentRequestsShareASingleConnection(SharedDatabase database) throws Exception {
        QueuedDataSource queue;
        try (TestServer server = TestServer.start(database.appUrl(), Map.of("DB_POOL_MAX", "1"))) {
            DataSource dataSource = server.context().getBean(DataSource.class);
            assertThat(dataSource).isInstanceOf(QueuedDataSource.class);
            queue = (QueuedDataSource) dataSource;
            assertThat(dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize()).isEqualTo(1);

            Api client = server.api();
            client.registerAndLogin("queue-" + System.nanoTime(), "secret123");
            assertThat(client.post("/api/notes", json("title", "queued", "content", "one connection")).status()).isEqualTo(201);

            String before = metrics(server);
            List<Future<Api.Response>> responses = new ArrayList<>();
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 64; i++) {
                    String path = i % 2 == 0 ? "/api/notes" : "/api/auth/me";
                    responses.add(callers.submit(() -> client.get(path)));
                }
            }
            for (int i = 0; i < responses.size(); i++) {
                Api.Response response = responses.get(i).get(30, TimeUnit.SECONDS);
                assertThat(response.status()).as("request %d: %s", i, response).isEqualTo(200);
                if (i % 2 == 0) assertThat(response.json().get(0).get("title").asString()).isEqualTo("queued");
            }

            // The queue's waits are on /metrics, where HikariCP's figures cannot see them.
            String after = metrics(server);
            assertThat(sample(after, "finote_db_queue_wait_seconds_count") - sample(before, "finote_db_queue_wait_seconds_count"))
                    .as("a turn for every statement: 64 session reads and 32 lists").isGreaterThanOrEqualTo(96);
            assertThat(sample(after, "finote_db_queue_wait_seconds_sum")).as("64 requests on one connection waited in line")
                    .isGreaterThan(sample(before, "finote_db_queue_wait_seconds_sum"));
            assertThat(sample(after, "finote_db_queue_timeouts_total")).isZero();

            // While the one connection is taken, a request waits, and /metrics (which needs no connection) says so.
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Api.Response> waiting;
                try (var taken = dataSource.getConnection()) {
                    waiting = callers.submit(() -> client.get("/api/auth/me"));
                    String during = Lifecycle.await(Duration.ofSeconds(2), () -> metrics(server), m -> sample(m, "finote_db_queue_waiting") >= 1);
                    assertThat(sample(during, "finote_db_queue_waiting")).isEqualTo(1);
                    assertThat(sample(during, "hikaricp_connections_pending")).as("HikariCP does not see the waiting request").isZero();
                }
                assertThat(waiting.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            assertThat(sample(metrics(server), "finote_db_queue_waiting")).isZero();
        }
        assertThat(queue.isShutdown()).as("stopping the server stops the queue and its sweeper thread").isTrue();
    }

    private static String metrics(TestServer server) {
        Api.Response response = server.api().get("/metrics");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    /** The value of the first sample of {@code name} (with or without labels). */
    private static double sample(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(matcher.find()).as("%s on /metrics", name).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
