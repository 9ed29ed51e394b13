package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.finote.server.api.ApiChecks.assertError;
import static dev.finote.server.api.ApiChecks.assertJsonBody;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.unique;
import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a client sends, the answer is a clear 4xx JSON error: never a 500, a hang, an HTML page or a stack trace. */
@ExtendWith(FinoteExtension.class)
class BadInputApiTest {

    private static final int MIB = 1024 * 1024;

    private final SharedDatabase db;
    private final TestServer server;
    private final Api api;
    private final int userId;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    BadInputApiTest(SharedDatabase db, TestServer server, Api api) {
        this.db = db;
        this.server = server;
        this.api = api;
        this.userId = api.registerAndLogin(unique("bad"), "secret123");
    }

    @BeforeEach
    void forgetFailedLogins() {
        ApiChecks.forgetFailedLogins(db);
    }

    /** A request with exactly the given Content-Type (or none), carrying the session cookie. */
    private Api.Response raw(String method, String path, String contentType, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).method(method, body)
                .header("Cookie", Api.COOKIE + "=" + api.sessionCookie());
        if (contentType != null) request.header("Content-Type", contentType);
        if (headers.length > 0) request.headers(headers);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Api.Response raw(String method, String path, String contentType, String body) {
        return raw(method, path, contentType, HttpRequest.BodyPublishers.ofString(body));
    }

    private long myNotes() {
        return count(db, "SELECT count(*) FROM notes WHERE user_id = ?", userId);
    }

    private int myNote() {
        Api.Response created = api.post("/api/notes", json("title", "t", "content", "c"));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").intValue();
    }

    // ---- JSON --------------------------------------------------------------------------------

    @Test
    void malformedJsonIs400MalformedJson() {
        int id = myNote();
        long before = myNotes();
        for (String broken : List.of("{\"title\":", "{title: \"t\", content: \"c\"}", "{\"title\":\"t\",}", "not json", "{\"a\":1}}",
                "{\"title\":\"t\" \"content\":\"c\"}", "'single'")) {
            assertError(api.post("/api/notes", broken), 400, "malformed_json");
            assertError(api.put("/api/notes/" + id, broken), 400, "malformed_json");
            assertError(api.post("/api/auth/register", broken), 400, "malformed_json");
            assertError(api.post("/api/auth/login", broken), 400, "malformed_json");
        }
        assertThat(myNotes()).isEqualTo(before);
    }

    @Test
    void aJsonBodyThatIsNotAnObjectIs400() {
        int id = myNote();
        long before = myNotes();
        for (String notAnObject : List.of("[1,2]", "[{\"title\":\"t\",\"content\":\"c\"}]", "\"title\"", "42", "true")) {
            for (Api.Response response : List.of(api.post("/api/notes", notAnObject), api.put("/api/notes/" + id, notAnObject),
                    api.post("/api/auth/register", notAnObject), api.post("/api/auth/login", notAnObject))) {
                assertThat(response.status()).as("%s", response).isEqualTo(400);
                assertThat(assertJsonBody(response).path("message").stringValue()).isNotBlank();
            }
        }
        assertError(api.post("/api/notes", "[1,2]"), 400, "body_must_be_json_object");
        assertError(api.post("/api/auth/login", "[\"fi\",\"secret123\"]"), 400, "body_must_be_json_object");
        assertThat(myNotes()).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        long before = myNotes();
        String body = "title=t&content=c";
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml")) {
            assertError(raw("POST", "/api/notes", type, body), 415, "content_type_must_be_application_json");
            assertError(raw("POST", "/api/auth/register", type, body), 415, "content_type_must_be_application_json");
            assertError(raw("POST", "/api/auth/login", type, body), 415, "content_type_must_be_application_json");
        }
        assertError(raw("POST", "/api/notes", null, json("title", "t", "content", "c")), 415, "content_type_must_be_application_json");
        assertThat(myNotes()).isEqualTo(before);

        Api.Response withCharset = raw("POST", "/api/notes", "application/json; charset=utf-8", json("title", "t", "content", "c"));
        assertThat(withCharset.status()).isEqualTo(201);
    }

    // ---- size --------------------------------------------------------------------------------

    @Test
    void aBodyOver1MiBWithContentLengthIs413() {
        long before = myNotes();
        String big = "{\"title\":\"t\",\"content\":\"" + "x".repeat(MIB + 10) + "\"}";

        assertError(raw("POST", "/api/notes", "application/json", big), 413, "payload_too_large");
        assertError(raw("POST", "/api/auth/register", "application/json", big), 413, "payload_too_large");

        assertThat(myNotes()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyOver1MiBIs413() {
        long before = myNotes();
        byte[] big = ("{\"title\":\"t\",\"content\":\"" + "x".repeat(MIB + 10) + "\"}").getBytes(StandardCharsets.UTF_8);
        // ofInputStream has no known length, so the client sends it chunked, without Content-Length
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big));
        assertThat(chunked.contentLength()).isNegative();

        assertError(raw("POST", "/api/notes", "application/json", chunked), 413, "payload_too_large");
        HttpRequest.BodyPublisher again = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big));
        assertError(raw("POST", "/api/auth/register", "application/json", again), 413, "payload_too_large");

        assertThat(myNotes()).isEqualTo(before);
    }

    @Test
    void anAnnouncedOversizedBodyIsRefusedBeforeItIsSent() throws IOException {
        int port = URI.create(server.baseUrl()).getPort();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // Claims 50 MiB but sends only a few bytes: the server must answer without waiting for the rest.
            out.write(("POST /api/notes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Cookie: " + Api.COOKIE + "=" + api.sessionCookie() + "\r\n"
                    + "Content-Length: " + (50L * MIB) + "\r\n\r\n{\"title\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String response = readResponse(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response).containsIgnoringCase("content-type: application/json");
            assertThat(response).contains("\"message\":\"payload_too_large\"").doesNotContain("<html", "Exception");
        }
    }

    /**
     * Reads a response's head and its JSON body. The server may keep the connection open
     * (it could still be waiting to discard the announced body), so this stops at the end of
     * the JSON object rather than at the end of the stream.
     */
    private static String readResponse(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            buffer.write(chunk, 0, n);
            String text = buffer.toString(StandardCharsets.UTF_8);
            int head = text.indexOf("\r\n\r\n");
            if (head >= 0 && text.indexOf('}', head) >= 0) break;
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBodyJustUnderTheLimitIsRead() {
        String padded = "{\"title\":\"padded\",\"content\":\"c\"" + " ".repeat(MIB - 100) + "}";
        assertThat(padded.length()).isLessThan(MIB);

        Api.Response response = api.post("/api/notes", padded);

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().get("title").stringValue()).isEqualTo("padded");
    }

    // ---- routes and methods ------------------------------------------------------------------

    @Test
    void unknownRoutesAre404Json() {
        Api anonymous = server.api();
        assertError(anonymous.get("/nope"), 404, "not_found");
        assertError(anonymous.post("/nope", "{}"), 404, "not_found");
        assertError(anonymous.get("/index.html"), 404, "not_found");
        assertError(anonymous.get("/static/app.js"), 404, "not_found");
        assertError(api.get("/api/nope"), 404, "not_found");
        assertError(api.get("/api/notes/1/extra"), 404, "not_found");
        assertError(api.post("/api/auth/nope", "{}"), 404, "not_found");
        // without a session, /api/** answers 401 before revealing which routes exist
        assertError(anonymous.get("/api/nope"), 401, "unauthorized");
    }

    @Test
    void aWrongMethodIs405Json() {
        int id = myNote();
        Api.Response getOne = api.get("/api/notes/" + id);
        assertError(getOne, 405, "method_not_allowed");
        assertThat(getOne.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("PUT", "DELETE"));
        assertError(api.send("PATCH", "/api/notes/" + id, json("title", "x")), 405, "method_not_allowed");
        assertError(api.delete("/api/notes"), 405, "method_not_allowed");
        assertError(api.put("/api/notes", json("title", "x")), 405, "method_not_allowed");
        assertError(api.post("/api/auth/me", "{}"), 405, "method_not_allowed");
        Api anonymous = server.api();
        Api.Response getLogin = anonymous.get("/api/auth/login");
        assertError(getLogin, 405, "method_not_allowed");
        assertThat(getLogin.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
        assertError(anonymous.get("/api/auth/register"), 405, "method_not_allowed");
        assertError(anonymous.get("/api/auth/logout"), 405, "method_not_allowed");
        assertError(anonymous.post("/healthz", "{}"), 405, "method_not_allowed");
        assertThat(api.get("/api/notes/" + id).status()).isEqualTo(405);
        assertThat(count(db, "SELECT count(*) FROM notes WHERE id = ? AND title = 't'", id)).isOne();
    }

    @Test
    void errorsAreJsonEvenWhenTheClientPrefersHtml() {
        Api anonymous = server.api();
        for (Api.Response response : List.of(
                anonymous.send("GET", "/nope", null, "Accept", "text/html,application/xhtml+xml"),
                anonymous.send("GET", "/api/notes", null, "Accept", "text/html"),
                api.send("GET", "/api/nope", null, "Accept", "text/html"),
                api.send("POST", "/api/notes", "{\"title\":", "Accept", "text/html"))) {
            assertThat(response.status()).as("%s", response).isBetween(400, 499);
            assertThat(response.body()).doesNotContain("<html", "<HTML", "Exception");
            assertJsonBody(response);
        }
    }

    @Test
    void noBadRequestEverGetsA5xxOrLeaksInternals() {
        int id = myNote();
        List<Api.Response> responses = new ArrayList<>();
        responses.add(api.post("/api/notes", "{\"title\":\"t\",\"content\":\"c\",\"isPinned\":\"yes\"}"));
        responses.add(api.post("/api/notes", "{\"title\":\"t\",\"content\":\"c\",\"tags\":[[\"x\"]]}"));
        responses.add(api.post("/api/notes", "{\"title\":\"t\",\"content\":\"c\",\"color\":{\"r\":1}}"));
        responses.add(api.post("/api/notes", "{\"title\":1e309,\"content\":\"c\"}"));
        responses.add(api.post("/api/notes", "{\"title\":\"\\ud800\",\"content\":\"\\u0000\"}"));
        responses.add(api.post("/api/notes", "{\"title\":\"t\",\"content\":\"c\"}garbage"));
        responses.add(api.post("/api/notes", "{\"title\":\"t\",\"title\":\"u\",\"content\":\"c\"}"));
        responses.add(api.post("/api/notes", "\uFEFF{\"title\":\"t\",\"content\":\"c\"}"));
        responses.add(api.post("/api/notes", "[".repeat(5_000)));
        responses.add(api.post("/api/notes", "{\"a\":".repeat(5_000)));
        responses.add(api.put("/api/notes/" + id, "null"));
        responses.add(api.put("/api/notes/" + "9".repeat(2_000), "{}"));
        responses.add(api.post("/api/auth/register", "{\"username\":\"a\\u0000b\",\"password\":\"secret123\"}"));
        responses.add(api.post("/api/auth/login", "{\"username\":\"a\\u0000b\",\"password\":\"secret123\"}"));
        responses.add(api.post("/api/auth/login", json("username", "x".repeat(10_000), "password", "p".repeat(10_000))));
        responses.add(raw("POST", "/api/notes", "application/json; charset=latin-7", json("title", "t", "content", "c")));
        responses.add(raw("POST", "/api/notes", "application/json", HttpRequest.BodyPublishers.ofString("{\"title\":\"t\",\"content\":\"c\"}"), "Accept", "application/xml"));
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            Api.Response response = responses.get(i);
            String type = response.header("Content-Type").orElse("");
            if (response.status() >= 500 || response.status() < 200
                    || response.status() >= 400 && !(type.startsWith("application/json") && response.json().path("message").isString())
                    || response.body().contains("Exception") || response.body().contains("<html")) {
                problems.add("request #" + i + ": " + response.status() + " " + type + " " + response.body());
            }
        }
        assertThat(problems).isEmpty();
        ApiChecks.forgetFailedLogins(db);
        assertThat(api.get("/api/notes").status()).isEqualTo(200);
    }
}
