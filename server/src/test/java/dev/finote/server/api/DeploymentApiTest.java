package dev.finote.server.api;

import dev.finote.server.auth.ThrottleCounters;
import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static dev.finote.server.api.ApiChecks.assertError;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.json;
import static dev.finote.server.api.ApiChecks.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What changes with the deployment settings: the production session cookie, the trusted
 * reverse proxy's headers, SESSION_NAME, and sessions shared by every instance.
 */
@ExtendWith(FinoteExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentApiTest {

    private final SharedDatabase db;
    private final TestServer shared;
    private final TestServer production;

    DeploymentApiTest(SharedDatabase db, TestServer shared) {
        this.db = db;
        this.shared = shared;
        // Behind a reverse proxy on this machine, as TRUSTED_PROXIES declares.
        this.production = TestServer.start(db.appUrl(), Map.of("NODE_ENV", "production", "TRUSTED_PROXIES", "127.0.0.1/32, ::1"));
    }

    @AfterAll
    void stop() {
        production.close();
    }

    @BeforeEach
    void forgetFailedLogins() {
        ApiChecks.forgetFailedLogins(db);
    }

    private static Api.Response login(Api client, String name) {
        return client.post("/api/auth/login", Api.json("username", name, "password", "secret123"));
    }

    private String registered(Api client) {
        String name = unique("prod");
        assertThat(client.post("/api/auth/register", Api.json("username", name, "password", "secret123")).status()).isEqualTo(201);
        return name;
    }

    @Test
    void inProductionTheSessionCookieIsSecureAndSameSiteNone() {
        Api client = production.api();
        String name = registered(client);

        Api.Response login = login(client, name);

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.setCookies()).hasSize(1);
        String cookie = login.setCookies().getFirst();
        assertThat(cookie).startsWith("finote.sid=").contains("Path=/", "HttpOnly", "Max-Age=604800", "Secure", "SameSite=None")
                .doesNotContain("SameSite=Lax");
        assertThat(client.get("/api/auth/me").status()).isEqualTo(200);

        Api.Response logout = client.post("/api/auth/logout", null);
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.setCookies().getFirst()).startsWith("finote.sid=;").contains("Max-Age=0", "Secure", "SameSite=None", "Path=/");
    }

    @Test
    void inProductionTheClientAddressComesFromTheTrustedProxysLastForwardedEntry() {
        Api client = production.api();
        String name = registered(client);

        client.send("POST", "/api/auth/login", Api.json("username", name, "password", "wrong"),
                "X-Forwarded-For", "198.51.100.1, 203.0.113.7", "X-Forwarded-Proto", "https");

        assertThat(count(db, "SELECT count(*) FROM finote_login_throttle WHERE throttle_key = ?", ThrottleCounters.key("addr", "203.0.113.7"))).isOne();
        assertThat(count(db, "SELECT count(*) FROM finote_login_throttle WHERE throttle_key = ?", ThrottleCounters.key("addr", "198.51.100.1"))).isZero();
        assertThat(count(db, "SELECT count(*) FROM finote_login_throttle WHERE throttle_key LIKE 'addr:%'")).isOne();
    }

    @Test
    void anyInstanceServesASessionAndLogoutOnOneEndsItOnAll() {
        Api onShared = shared.api();
        String name = registered(onShared);
        assertThat(login(onShared, name).status()).isEqualTo(200);
        int noteId = onShared.post("/api/notes", json("title", "shared", "content", "c")).json().get("id").intValue();

        Api onProduction = production.api();
        onProduction.useSessionCookie(onShared.sessionCookie());
        Api.Response me = onProduction.get("/api/auth/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").stringValue()).isEqualTo(name);
        assertThat(ApiChecks.ids(onProduction.get("/api/notes").json())).containsExactly(noteId);

        assertThat(onProduction.post("/api/auth/logout", null).status()).isEqualTo(200);
        assertError(onShared.get("/api/auth/me"), 401, "unauthorized");
    }

    @Test
    void sessionNameNamesTheCookie() {
        try (TestServer named = TestServer.start(db.appUrl(), Map.of("SESSION_NAME", "notes_session"))) {
            Api client = named.api();
            String name = registered(client);

            Api.Response login = login(client, name);

            assertThat(login.status()).isEqualTo(200);
            assertThat(login.setCookies()).singleElement().satisfies(cookie ->
                    assertThat(cookie).startsWith("notes_session=").contains("Path=/", "HttpOnly", "Max-Age=604800", "SameSite=Lax"));
            String token = login.setCookies().getFirst().substring("notes_session=".length(), login.setCookies().getFirst().indexOf(';'));
            assertThat(client.send("GET", "/api/auth/me", null, "Cookie", "notes_session=" + token).status()).isEqualTo(200);
            // the default name means nothing to this server
            assertThat(client.send("GET", "/api/auth/me", null, "Cookie", Api.COOKIE + "=" + token).status()).isEqualTo(401);
            Api.Response logout = client.send("POST", "/api/auth/logout", null, "Cookie", "notes_session=" + token);
            assertThat(logout.setCookies()).singleElement().satisfies(cookie -> assertThat(cookie).startsWith("notes_session=;"));
            assertThat(client.send("GET", "/api/auth/me", null, "Cookie", "notes_session=" + token).status()).isEqualTo(401);
        }
    }
}
