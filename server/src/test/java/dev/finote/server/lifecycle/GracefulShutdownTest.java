package dev.finote.server.lifecycle;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.Jdbc;
import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the server (what SIGTERM does) stops taking new connections at once but lets a
 * request already in flight finish with its real answer, and only then returns.
 */
@ExtendWith(FinoteExtension.class)
class GracefulShutdownTest {

    /** What a new connection may get once shutdown has begun: no connection, no answer, or a 503. */
    private static final Set<String> REFUSED = Set.of("refused", "closed", "reset", "503");

    private final SharedDatabase db;

    GracefulShutdownTest(SharedDatabase db) {
        this.db = db;
    }

    @Test
    void anInFlightRequestFinishesWhileNewConnectionsAreRefused() throws Exception {
        DatabaseUrl superuser = db.superuserUrl();
        TestServer server = TestServer.start(db.appUrl());
        int port = URI.create(server.baseUrl()).getPort();
        ExecutorService background = Executors.newFixedThreadPool(2);
        Connection lock = Jdbc.connect(superuser);
        try {
            Api client = server.api();
            client.registerAndLogin(Lifecycle.unique("graceful"), "secret123");
            assertThat(client.post("/api/notes", json("title", "in flight", "content", "finishes")).status()).isEqualTo(201);
            assertThat(probeNewConnection(port)).as("a new connection before shutdown").isEqualTo("200");

            lock.setAutoCommit(false);
            try (Statement sql = lock.createStatement()) {
                sql.execute("LOCK TABLE notes IN ACCESS EXCLUSIVE MODE");
            }
            Future<Api.Response> inFlight = background.submit(() -> client.get("/api/notes"));
            assertThat(Lifecycle.await(Duration.ofSeconds(10), () -> requestsWaitingForTheLock(superuser), n -> n > 0))
                    .as("server queries waiting for the lock on notes").isEqualTo(1);

            Future<Long> closing = background.submit(() -> {
                server.close();
                return System.nanoTime();
            });

            String probe = Lifecycle.await(Duration.ofSeconds(10), () -> probeNewConnection(port), REFUSED::contains);
            System.out.println("a new connection during shutdown: " + probe);
            assertThat(probe).as("a new connection during shutdown").isIn(REFUSED);
            assertThat(inFlight.isDone()).as("the in-flight request is still waiting").isFalse();
            assertThat(closing.isDone()).as("close() waits for the in-flight request").isFalse();
            assertThat(requestsWaitingForTheLock(superuser)).isEqualTo(1);

            long released = System.nanoTime();
            lock.rollback();

            Api.Response response = inFlight.get(15, TimeUnit.SECONDS);
            assertThat(response.status()).as("the in-flight request: %s", response).isEqualTo(200);
            assertThat(response.json().size()).isEqualTo(1);
            assertThat(response.json().get(0).get("title").stringValue()).isEqualTo("in flight");
            long closed = closing.get(25, TimeUnit.SECONDS);
            assertThat(closed).as("close() returned after the request was let through").isGreaterThan(released);
            assertThat(probeNewConnection(port)).as("a new connection after shutdown").isIn(REFUSED);
        } finally {
            lock.rollback();
            lock.close();
            server.close();
            background.shutdownNow();
        }
    }

    private static long requestsWaitingForTheLock(DatabaseUrl superuser) {
        return Lifecycle.count(superuser, """
                SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND l.relation = 'notes'::regclass AND NOT l.granted AND a.application_name = 'finote-server'""");
    }

    /**
     * Opens a NEW connection (never the HTTP client's kept-alive one) and asks for /healthz:
     * the status code, or how the connection was refused.
     */
    private static String probeNewConnection(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 1000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (statusLine == null) return "closed";
            String[] parts = statusLine.split(" ");
            return parts.length > 1 ? parts[1] : statusLine;
        } catch (ConnectException e) {
            return "refused";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "reset";
        }
    }
}
