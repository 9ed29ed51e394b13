package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;

import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(FinoteExtension.class)
class AuthApiTest {

    private final SharedDatabase db;
    private final Api api;

    AuthApiTest(SharedDatabase db, Api api) {
        this.db = db;
        this.api = api;
    }

    @BeforeEach
    void forgetFailedLogins() {
        dev.finote.server.support.Sql.update(db.superuserUrl(), "DELETE FROM finote_login_throttle");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void registerReturns201WithIdAndUsernameAndDoesNotLogIn() {
        String name = unique("fi");
        Api.Response response = api.post("/api/auth/register", json("username", name, "password", "secret123"));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().get("username").stringValue()).isEqualTo(name);
        assertThat(response.json().get("id").isInt()).isTrue();
        assertThat(response.json().propertyNames()).containsExactlyInAnyOrder("id", "username");
        assertThat(response.sessionCookie()).isEmpty();
        assertThat(api.get("/api/auth/me").status()).isEqualTo(401);
    }

    @Test
    void loginSetsTheSessionCookieAndMeAnswersWithTheUser() {
        String name = unique("budi");
        api.post("/api/auth/register", json("username", name, "password", "rahasia"));

        Api.Response login = api.post("/api/auth/login", json("username", name, "password", "rahasia"));

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("username").stringValue()).isEqualTo(name);
        String cookie = login.setCookies().getFirst();
        assertThat(cookie).startsWith("finote.sid=").contains("Path=/", "HttpOnly", "Max-Age=604800", "SameSite=Lax")
                .doesNotContain("Secure");
        Api.Response me = api.get("/api/auth/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("id").intValue()).isEqualTo(login.json().get("id").intValue());
    }
}
