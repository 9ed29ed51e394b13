package dev.finote.server.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A client of the Finote API over real HTTP, holding one browser-like session cookie.
 * Each test makes its own, so sessions never leak between tests.
 */
public final class Api {

    public static final String COOKIE = "finote.sid";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private String sessionCookie;

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json);
    }

    public Response put(String path, String json) {
        return send("PUT", path, json);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    public Response send(String method, String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) request.header("Content-Type", "application/json");
        if (sessionCookie != null) request.header("Cookie", COOKIE + "=" + sessionCookie);
        if (headers.length > 0) request.headers(headers);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Response result = new Response(response.statusCode(), response.headers().map(), response.body());
            result.sessionCookie().ifPresent(cookie -> sessionCookie = cookie.isEmpty() ? null : cookie);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST with a raw body (a file upload such as an import). */
    public Response postBytes(String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        if (sessionCookie != null) request.header("Cookie", COOKIE + "=" + sessionCookie);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers and logs in a user with a name no other test uses; returns the user's id. */
    public int registerAndLogin(String username, String password) {
        Response registered = post("/api/auth/register", json("username", username, "password", password));
        if (registered.status() != 201) throw new AssertionError("register failed: " + registered);
        Response login = post("/api/auth/login", json("username", username, "password", password));
        if (login.status() != 200) throw new AssertionError("login failed: " + login);
        return login.json().get("id").intValue();
    }

    public String sessionCookie() {
        return sessionCookie;
    }

    public void useSessionCookie(String value) {
        this.sessionCookie = value;
    }

    /** A JSON object from alternating names and values (strings only; build others by hand). */
    public static String json(String... namesAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) node.put(namesAndValues[i], namesAndValues[i + 1]);
        return JSON.writeValueAsString(node);
    }

    public record Response(int status, java.util.Map<String, List<String>> headers, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        public List<String> setCookies() {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
                    .flatMap(e -> e.getValue().stream()).toList();
        }

        /** The session cookie this response sets: its value, or "" when it clears it. */
        public Optional<String> sessionCookie() {
            return setCookies().stream().filter(c -> c.startsWith(COOKIE + "="))
                    .map(c -> c.substring(COOKIE.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                    .findFirst();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
