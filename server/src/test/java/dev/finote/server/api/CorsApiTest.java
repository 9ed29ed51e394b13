package dev.finote.server.api;

import dev.finote.server.config.SettingsException;
import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static dev.finote.server.api.ApiChecks.assertError;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.json;
import static dev.finote.server.api.ApiChecks.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cross-origin access with credentials only from the origins in CORS_ORIGIN; none at all
 * when it is empty (the shared test server), and {@code *} refused at startup.
 */
@ExtendWith(FinoteExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsApiTest {

    private static final String APP = "https://app.example.com";
    private static final String ADMIN = "https://admin.example.com";
    private static final List<String> STRANGERS = List.of("https://evil.example", "http://app.example.com",
            "https://app.example.com.evil.example", "https://sub.app.example.com", "https://app.example.com:8443", "null");

    private final SharedDatabase db;
    private final TestServer shared;
    private final TestServer cors;

    CorsApiTest(SharedDatabase db, TestServer shared) {
        this.db = db;
        this.shared = shared;
        this.cors = TestServer.start(db.appUrl(), Map.of("CORS_ORIGIN", APP + " , " + ADMIN));
    }

    @AfterAll
    void stop() {
        cors.close();
    }

    private static Api.Response preflight(Api client, String path, String origin, String method) {
        return client.send("OPTIONS", path, null, "Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", "content-type");
    }

    private Api loggedIn(TestServer server) {
        Api client = server.api();
        client.registerAndLogin(unique("cors"), "secret123");
        return client;
    }

    @Test
    void aPreflightFromAListedOriginIsAllowedWithCredentials() {
        for (String origin : List.of(APP, ADMIN)) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
                Api.Response response = preflight(cors.api(), "/api/notes/1", origin, method);

                assertThat(response.status()).as("%s %s: %s", origin, method, response).isBetween(200, 204);
                assertThat(response.header("Access-Control-Allow-Origin")).contains(origin);
                assertThat(response.header("Access-Control-Allow-Credentials")).contains("true");
                assertThat(response.header("Access-Control-Allow-Methods")).hasValueSatisfying(m -> assertThat(m).contains(method));
                assertThat(response.header("Access-Control-Allow-Headers")).hasValueSatisfying(h -> assertThat(h).containsIgnoringCase("content-type"));
            }
        }
    }

    @Test
    void actualRequestsFromAListedOriginGetTheCorsHeaders() {
        Api client = cors.api();
        String name = unique("cors");
        Api.Response register = client.send("POST", "/api/auth/register", Api.json("username", name, "password", "secret123"), "Origin", APP);
        Api.Response login = client.send("POST", "/api/auth/login", Api.json("username", name, "password", "secret123"), "Origin", APP);
        Api.Response create = client.send("POST", "/api/notes", json("title", "t", "content", "c"), "Origin", APP);
        Api.Response list = client.send("GET", "/api/notes", null, "Origin", APP);
        Api.Response logout = client.send("POST", "/api/auth/logout", null, "Origin", APP);
        Api.Response unauthorized = client.send("GET", "/api/auth/me", null, "Origin", APP);

        assertThat(List.of(register.status(), login.status(), create.status(), list.status(), logout.status(), unauthorized.status()))
                .containsExactly(201, 200, 201, 200, 200, 401);
        for (Api.Response response : List.of(register, login, create, list, logout, unauthorized)) {
            assertThat(response.header("Access-Control-Allow-Origin")).as("%s", response).contains(APP);
            assertThat(response.header("Access-Control-Allow-Credentials")).as("%s", response).contains("true");
        }
        assertThat(list.json().get(0).get("title").stringValue()).isEqualTo("t");
    }

    @Test
    void anotherOriginGetsNoCorsHeadersAndItsPreflightIsAJson403() {
        for (String origin : STRANGERS) {
            Api.Response response = preflight(cors.api(), "/api/notes", origin, "POST");

            assertError(response, 403, "cors_origin_not_allowed");
            assertThat(response.header("Access-Control-Allow-Origin")).as(origin).isEmpty();
            assertThat(response.header("Access-Control-Allow-Credentials")).as(origin).isEmpty();
        }
    }

    @Test
    void anotherOriginCannotReadOrWriteALoggedInUsersNotes() {
        Api victim = loggedIn(cors);
        int victimId = victim.get("/api/auth/me").json().get("id").intValue();
        victim.post("/api/notes", json("title", "private", "content", "c"));

        for (String origin : STRANGERS) {
            Api.Response read = victim.send("GET", "/api/notes", null, "Origin", origin);
            Api.Response write = victim.send("POST", "/api/notes", json("title", "forged", "content", "c"), "Origin", origin);
            for (Api.Response response : List.of(read, write)) {
                assertThat(response.header("Access-Control-Allow-Origin")).as("%s: %s", origin, response).isEmpty();
                assertThat(response.header("Access-Control-Allow-Credentials")).as("%s: %s", origin, response).isEmpty();
                assertThat(response.body()).doesNotContain("private");
            }
        }
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ? AND title = 'forged'", victimId)).isZero();
    }

    @Test
    void withAnEmptyCorsOriginNoOriginIsAllowed() {
        Api client = loggedIn(shared);
        for (String origin : List.of(APP, "https://evil.example", "http://localhost:5173", "null")) {
            Api.Response pre = preflight(shared.api(), "/api/notes", origin, "POST");
            Api.Response read = client.send("GET", "/api/notes", null, "Origin", origin);
            Api.Response login = shared.api().send("POST", "/api/auth/login", Api.json("username", "x", "password", ""), "Origin", origin);
            for (Api.Response response : List.of(pre, read, login)) {
                assertThat(response.header("Access-Control-Allow-Origin")).as("%s: %s", origin, response).isEmpty();
                assertThat(response.header("Access-Control-Allow-Credentials")).as("%s: %s", origin, response).isEmpty();
            }
        }
    }

    @Test
    void requestsWithoutAnOriginAreServedAsUsual() {
        Api client = loggedIn(cors);
        Api.Response list = client.get("/api/notes");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aWildcardCorsOriginIsRefusedAtStartup() {
        for (String wildcard : List.of("*", "https://*.example.com", APP + ",*")) {
            assertThatThrownBy(() -> TestServer.start(db.appUrl(), Map.of("CORS_ORIGIN", wildcard)).close())
                    .as(wildcard)
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("CORS_ORIGIN");
        }
    }
}
