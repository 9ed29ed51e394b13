package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.finote.server.api.ApiChecks.assertError;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.unique;
import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13, section 2: abuse that took the first release down or let guessing through. */
@ExtendWith(FinoteExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AbuseApiTest {

    private final SharedDatabase db;
    private final TestServer shared;
    /** Behind a trusted proxy on 127.0.0.1, so each test can speak for many client addresses; 3 registrations per address. */
    private final TestServer proxied;

    AbuseApiTest(SharedDatabase db, TestServer shared) {
        this.db = db;
        this.shared = shared;
        this.proxied = TestServer.start(db.appUrl(), Map.of("TRUSTED_PROXIES", "127.0.0.1/32, ::1", "REGISTRATIONS_PER_ADDRESS", "3"));
    }

    @AfterAll
    void stop() {
        proxied.close();
    }

    @BeforeEach
    @AfterEach
    void forgetCounts() {
        ApiChecks.forgetFailedLogins(db);
    }

    private static Api.Response from(Api client, String address, String method, String path, String body) {
        return client.send(method, path, body, "X-Forwarded-For", address);
    }

    private static Api.Response register(Api client, String address, String name, String password) {
        return from(client, address, "POST", "/api/auth/register", json("username", name, "password", password));
    }

    private static Api.Response login(Api client, String address, String name, String password) {
        return from(client, address, "POST", "/api/auth/login", json("username", name, "password", password));
    }

    // ---- registration ----------------------------------------------------------------------------

    @Test
    void registrationsAreLimitedPerClientAddress() {
        Api client = proxied.api();
        for (int i = 0; i < 3; i++) assertThat(register(client, "203.0.113.7", unique("reg"), "secret123").status()).isEqualTo(201);
        String refusedName = unique("reg");
        Api.Response refused = register(client, "203.0.113.7", refusedName, "secret123");
        assertError(refused, 429, "too_many_registrations");
        assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isPositive();
        assertThat(count(db, "SELECT count(*) FROM users WHERE username = ?", refusedName)).isZero();
        // Another address is not affected.
        assertThat(register(client, "203.0.113.8", unique("reg"), "secret123").status()).isEqualTo(201);
    }

    @Test
    void forwardedHeadersAreIgnoredFromPeersThatAreNotTrustedProxies() {
        try (TestServer direct = TestServer.start(db.appUrl(), Map.of("REGISTRATIONS_PER_ADDRESS", "2"))) {
            Api client = direct.api();
            assertThat(register(client, "198.51.100.1", unique("xff"), "secret123").status()).isEqualTo(201);
            assertThat(register(client, "198.51.100.2", unique("xff"), "secret123").status()).isEqualTo(201);
            // A new X-Forwarded-For each time does not make a new client: the peer is 127.0.0.1 and not trusted.
            assertError(register(client, "198.51.100.3", unique("xff"), "secret123"), 429, "too_many_registrations");
        }
    }

    @Test
    void theClientIsTheRightmostForwardedAddressThatIsNotATrustedProxy() {
        Api client = proxied.api();
        // The client wrote "192.0.2.1" itself; the proxy appended the address it saw, 203.0.113.50.
        for (int i = 0; i < 3; i++) {
            assertThat(register(client, "192.0.2." + (i + 1) + ", 203.0.113.50", unique("hop"), "secret123").status()).isEqualTo(201);
        }
        assertError(register(client, "192.0.2.99, 203.0.113.50", unique("hop"), "secret123"), 429, "too_many_registrations");
    }

    @Test
    void registrationCanBeClosed() {
        try (TestServer closed = TestServer.start(db.appUrl(), Map.of("REGISTRATIONS_PER_ADDRESS", "0"))) {
            String name = unique("closed");
            assertError(closed.api().post("/api/auth/register", json("username", name, "password", "secret123")), 403, "registration_closed");
            assertThat(count(db, "SELECT count(*) FROM users WHERE username = ?", name)).isZero();
        }
    }

    @Test
    void aTakenNameIsRefusedBeforeAnyPasswordIsHashed() {
        Api client = shared.api();
        String name = unique("taken");
        assertThat(client.post("/api/auth/register", json("username", name, "password", "secret123")).status()).isEqualTo(201);
        // A bcrypt hash (cost 10) takes tens of milliseconds; the duplicate check a database read.
        List<Long> duplicate = new ArrayList<>();
        List<Long> hashing = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long start = System.nanoTime();
            assertError(client.post("/api/auth/register", json("username", name.toUpperCase(), "password", "secret123")), 409, "username_already_exists");
            duplicate.add(System.nanoTime() - start);
            start = System.nanoTime();
            assertThat(client.post("/api/auth/login", json("username", name, "password", "wrong-password-" + i)).status()).isEqualTo(401);
            hashing.add(System.nanoTime() - start);
            ApiChecks.forgetFailedLogins(db);
        }
        Collections.sort(duplicate);
        Collections.sort(hashing);
        assertThat(duplicate.get(3)).as("median of a duplicate registration vs. of a bcrypt check, ns").isLessThan(hashing.get(3) / 2);
    }

    /**
     * The flood: many clients registering random names at once. bcrypt runs on at most
     * half the cores, in a queue with a deadline, so a logged-in user's list keeps answering.
     */
    @Test
    void aRegistrationFloodLeavesLoggedInUsersServed() throws Exception {
        Api user = proxied.api();
        String reader = unique("reader");
        assertThat(register(user, "203.0.113.201", reader, "secret123").status()).isEqualTo(201);
        assertThat(login(user, "203.0.113.201", reader, "secret123").status()).isEqualTo(200);
        for (int i = 0; i < 20; i++) user.post("/api/notes", json("title", "note " + i, "content", "x".repeat(300)));

        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        AtomicBoolean flooding = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
        AtomicInteger address = new AtomicInteger();
        List<Thread> flooders = new ArrayList<>();
        for (int c = 0; c < 64; c++) {
            flooders.add(Thread.ofVirtual().start(() -> {
                while (flooding.get()) {
                    int n = address.incrementAndGet();
                    HttpRequest request = HttpRequest.newBuilder(URI.create(proxied.baseUrl() + "/api/auth/register"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                            .header("X-Forwarded-For", "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255))
                            .POST(HttpRequest.BodyPublishers.ofString(json("username", unique("flood"), "password", "flood-password-" + n)))
                            .build();
                    try {
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        floodStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    } catch (IOException e) {
                        floodStatuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        List<Long> latencies = new ArrayList<>();
        try {
            Thread.sleep(2000); // let the flood fill the queue
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                assertThat(user.get("/api/notes").status()).isEqualTo(200);
                latencies.add(System.nanoTime() - start);
            }
        } finally {
            flooding.set(false);
            for (Thread flooder : flooders) flooder.join(Duration.ofSeconds(40));
        }
        Collections.sort(latencies);
        long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1) / 1_000_000;
        System.out.printf("register flood: %d list answers in 8 s, p50 %d ms, p99 %d ms; flood answers %s%n", latencies.size(),
                latencies.get(latencies.size() / 2) / 1_000_000, p99, floodStatuses);
        assertThat(latencies.size()).as("list answers in 8 s during the flood").isGreaterThanOrEqualTo(40);
        assertThat(p99).as("list p99 in ms during the flood").isLessThan(1000);
        // The flood itself gets answers, never errors: created, or 503 with Retry-After past the queue's deadline.
        assertThat(floodStatuses.keySet()).isSubsetOf(201, 503);
        assertThat(floodStatuses.get(201)).isNotNull();
    }

    // ---- login throttle --------------------------------------------------------------------------

    @Test
    void otherAddressesFailuresNeverLockTheOwnerOut() {
        Api client = proxied.api();
        String victim = unique("victim");
        assertThat(register(client, "203.0.113.90", victim, "right-password").status()).isEqualTo(201);
        for (int i = 1; i <= 5; i++) assertThat(login(client, "198.51.100.66", victim.toUpperCase(), "guess-" + i).status()).isEqualTo(401);
        assertError(login(client, "198.51.100.66", victim, "guess-6"), 429, "too_many_login_attempts");
        // The owner, from an address that has not failed for this name, gets in at once.
        Api owner = proxied.api();
        assertThat(login(owner, "203.0.113.90", victim, "right-password").status()).isEqualTo(200);
        // Each new guessing address gets one guess while the name is blocked, then is refused too.
        for (int a = 1; a <= 3; a++) {
            String guesser = "198.51.100." + (100 + a);
            assertError(login(client, guesser, victim, "more-" + a), 401, "invalid_credentials");
            assertError(login(client, guesser, victim, "right-password"), 429, "too_many_login_attempts");
        }
        // And the owner still gets in.
        assertThat(login(proxied.api(), "203.0.113.90", victim, "right-password").status()).isEqualTo(200);
    }

    @Test
    void oneAddressGuessingManyNamesIsBlockedForEveryName() {
        Api client = proxied.api();
        String real = unique("real");
        assertThat(register(client, "203.0.113.91", real, "right-password").status()).isEqualTo(201);
        for (int i = 0; i < 20; i++) login(client, "198.51.100.77", unique("spray"), "guess");
        assertError(login(client, "198.51.100.77", real, "right-password"), 429, "too_many_login_attempts");
        assertThat(login(client, "203.0.113.91", real, "right-password").status()).isEqualTo(200);
    }

    @Test
    void overLongUsernamesAndForwardedHeadersAre401NeverA503() {
        Api client = proxied.api();
        String longName = "n".repeat(200_000);
        for (int i = 0; i < 6; i++) assertError(login(client, "198.51.100.5", longName, "guess"), i < 5 ? 401 : 429,
                i < 5 ? "invalid_credentials" : "too_many_login_attempts");
        String hugeForwarded = "9".repeat(6_000);
        assertError(login(client, hugeForwarded, unique("nobody"), "guess"), 401, "invalid_credentials");
        assertError(shared.api().send("POST", "/api/auth/login", json("username", unique("x"), "password", "guess"),
                "X-Forwarded-For", hugeForwarded), 401, "invalid_credentials");
        assertThat(count(db, "SELECT max(length(throttle_key)) FROM finote_login_throttle")).isLessThanOrEqualTo(80);
        ApiChecks.assertFieldError(register(client, "198.51.100.6", "n".repeat(101), "secret123"), 400, "username_too_long", "username");
    }

    // ---- cross-site requests ---------------------------------------------------------------------

    @Test
    void anotherSiteCannotLogTheUserOutOrWrite() {
        Api user = shared.api();
        int id = user.registerAndLogin(unique("csrf"), "secret123");
        long notes = count(db, "SELECT count(*) FROM notes WHERE user_id = ?", id);
        // What a browser sends for a form on https://evil.example auto-submitted to the API.
        assertError(user.send("POST", "/api/auth/logout", "x=1", "Content-Type", "text/plain", "Origin", "https://evil.example",
                "Sec-Fetch-Site", "cross-site"), 403, "cross_site_request_refused");
        assertError(user.send("POST", "/api/notes", json("title", "t", "content", "c"), "Origin", "https://evil.example",
                "Sec-Fetch-Site", "same-site"), 403, "cross_site_request_refused");
        // An older browser without Sec-Fetch-Site, still naming the other origin.
        assertError(user.send("POST", "/api/auth/logout", null, "Origin", "https://evil.example"), 403, "cross_site_request_refused");
        assertThat(user.get("/api/auth/me").status()).isEqualTo(200);
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", id)).isEqualTo(notes);
        // The same calls from the page itself, or from a client that is not a browser, work.
        assertThat(user.send("POST", "/api/notes", json("title", "t", "content", "c"), "Origin", shared.baseUrl(),
                "Sec-Fetch-Site", "same-origin").status()).isEqualTo(201);
        assertThat(user.send("POST", "/api/notes", json("title", "t", "content", "c"), "Origin", shared.baseUrl()).status()).isEqualTo(201);
        assertThat(user.send("POST", "/api/auth/logout", null, "Sec-Fetch-Site", "same-origin").status()).isEqualTo(200);
        assertThat(user.get("/api/auth/me").status()).isEqualTo(401);
    }

    // ---- /metrics --------------------------------------------------------------------------------

    @Test
    void inventedMethodsNeverBecomeMetricLabels() throws Exception {
        for (int i = 0; i < 40; i++) {
            RawHttp.send(shared.baseUrl(), "FOO" + i + " /api/notes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        }
        String metrics = shared.api().get("/metrics").body();
        long series = metrics.lines().filter(l -> l.startsWith("finote_http_requests_total{")).count();
        assertThat(metrics).doesNotContain("method=\"FOO").contains("method=\"other\"");
        for (int i = 40; i < 200; i++) {
            RawHttp.send(shared.baseUrl(), "BAR" + i + " /api/x" + i + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        }
        String after = shared.api().get("/metrics").body();
        assertThat(after).doesNotContain("method=\"BAR");
        assertThat(after.lines().filter(l -> l.startsWith("finote_http_requests_total{")).count()).as("series").isLessThanOrEqualTo(series + 1);
    }

    @Test
    void metricsCanRequireAToken() {
        String token = "metrics-token-7f3a9c1e5b";
        try (TestServer guarded = TestServer.start(db.appUrl(), Map.of("METRICS_TOKEN", token))) {
            Api client = guarded.api();
            assertError(client.get("/metrics"), 401, "unauthorized");
            assertError(client.send("GET", "/metrics", null, "Authorization", "Bearer wrong-token-0000000"), 401, "unauthorized");
            Api.Response scraped = client.send("GET", "/metrics", null, "Authorization", "Bearer " + token);
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.body()).contains("finote_http_requests_total");
            assertThat(client.get("/healthz").status()).isEqualTo(200);
        }
    }

    // ---- slow clients ----------------------------------------------------------------------------

    /** Slowloris: headers trickling in, a line a second, are cut off by the 15 s deadline; others are served meanwhile. */
    @Test
    void aConnectionThatSendsItsHeadersTooSlowlyIsClosed() throws Exception {
        URI uri = URI.create(shared.baseUrl());
        try (Socket slow = new Socket(uri.getHost(), uri.getPort())) {
            slow.setSoTimeout(500);
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean closed = false;
            int line = 0;
            while (!closed && System.nanoTime() - start < Duration.ofSeconds(30).toNanos()) {
                try {
                    out.write(("X-Slow-" + line++ + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    closed = in.read() < 0;
                } catch (SocketTimeoutException e) {
                    // still open: a new client is served meanwhile
                    assertThat(shared.api().get("/healthz").status()).isEqualTo(200);
                } catch (SocketException e) {
                    closed = true;
                }
            }
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertThat(closed).as("closed after %d s", seconds).isTrue();
            assertThat(seconds).isBetween(14L, 20L);
        }
    }
}
