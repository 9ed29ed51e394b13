package dev.finote.server.api;

import dev.finote.server.support.AppRole;
import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.finote.server.api.ApiChecks.ids;
import static dev.finote.server.api.ApiChecks.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list is streamed from a database cursor to the response (issue 13: 1,500 notes of 100,000
 * characters made a 150 MB list, held whole in memory). Proof without measuring the heap: a
 * client that reads only the start of a 30 MB list leaves the server's query suspended mid-way
 * in its transaction, fetching more rows only as the client reads. A server that read every row
 * first would have finished its query before sending a byte.
 */
@ExtendWith(FinoteExtension.class)
class StreamingListApiTest {

    private final SharedDatabase db;
    private final TestServer server;
    private final Api api;
    private final int userId;

    StreamingListApiTest(SharedDatabase db, TestServer server, Api api) {
        this.db = db;
        this.server = server;
        this.api = api;
        this.userId = api.registerAndLogin(unique("stream"), "secret123");
    }

    private long suspendedListQueries() {
        return ((Number) Sql.value(db.superuserUrl(), "SELECT count(*) FROM pg_stat_activity WHERE usename = ? "
                + "AND state = 'idle in transaction' AND query LIKE 'SELECT id, user_id, title%FROM notes WHERE user_id = $1 AND deleted_at IS NULL%'",
                AppRole.NAME)).longValue();
    }

    @Test
    void aSlowReaderOfAHugeListHoldsTheQueryOpenInsteadOfTheServerHoldingTheRows() throws Exception {
        Sql.update(db.superuserUrl(), "INSERT INTO notes (user_id, title, content, created_at) "
                + "SELECT ?, 'big ' || g, repeat('x', 100000), timezone('UTC', now()) FROM generate_series(1, 300) g", userId);
        assertThat(suspendedListQueries()).isZero();

        URI base = URI.create(server.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /api/notes HTTP/1.1\r\nHost: localhost\r\nCookie: " + Api.COOKIE + "="
                    + api.sessionCookie() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(2_000), StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 200").contains("[{\"id\":");

            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (suspendedListQueries() == 0 && Instant.now().isBefore(deadline)) Thread.sleep(50);
            assertThat(suspendedListQueries()).as("list queries suspended mid-way while the client does not read").isOne();

            long read = 2_000;
            StringBuilder tail = new StringBuilder();
            byte[] buffer = new byte[1 << 16];
            for (int n; !tail.toString().endsWith("]\r\n0\r\n\r\n") && (n = in.read(buffer)) > 0; ) { // the last chunk
                read += n;
                tail.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (tail.length() > 64) tail.delete(0, tail.length() - 64);
            }
            assertThat(read).isGreaterThan(30_000_000);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (suspendedListQueries() > 0 && Instant.now().isBefore(deadline)) Thread.sleep(50);
        assertThat(suspendedListQueries()).isZero();
    }

    /** A list of up to 100 notes is one plain query, a longer one a cursor: both sides of that line come whole and in order. */
    @Test
    void listsJustUnderAndOverOneFetchComeWholeInTheListOrder() {
        Sql.update(db.superuserUrl(), "INSERT INTO notes (user_id, title, content, is_pinned, created_at) "
                + "SELECT ?, 'n ' || g, 'c', g % 7 = 0, timestamp '2024-01-01' + (g % 50) * interval '1 hour' FROM generate_series(1, 100) g", userId);
        assertThat(ids(api.get("/api/notes").json())).hasSize(100).isEqualTo(expectedOrder());

        Sql.update(db.superuserUrl(), "INSERT INTO notes (user_id, title, content, created_at) VALUES (?, 'one more', 'c', timestamp '2023-01-01')", userId);
        assertThat(ids(api.get("/api/notes").json())).hasSize(101).isEqualTo(expectedOrder());
    }

    private List<Integer> expectedOrder() {
        return Sql.rows(db.superuserUrl(), "SELECT id FROM notes WHERE user_id = ? AND deleted_at IS NULL ORDER BY is_pinned DESC, created_at DESC, id DESC", userId)
                .stream().map(row -> ((Number) row.getFirst()).intValue()).toList();
    }
}
