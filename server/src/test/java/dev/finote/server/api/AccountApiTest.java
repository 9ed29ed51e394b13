package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.finote.server.api.ApiChecks.assertError;
import static dev.finote.server.api.ApiChecks.assertFieldError;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.unique;
import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11's account calls: PUT /api/auth/password and DELETE /api/auth/me. */
@ExtendWith(FinoteExtension.class)
class AccountApiTest {

    private final SharedDatabase db;
    private final Api api;
    private final TestServer server;

    AccountApiTest(SharedDatabase db, Api api, TestServer server) {
        this.db = db;
        this.api = api;
        this.server = server;
    }

    @BeforeEach
    @AfterEach
    void forgetFailedLogins() {
        ApiChecks.forgetFailedLogins(db);
    }

    private String hashOf(int userId) {
        return (String) Sql.value(db.superuserUrl(), "SELECT password FROM users WHERE id = ?", userId);
    }

    private Api.Response changePassword(Api client, String current, String proposed) {
        return client.put("/api/auth/password", json("currentPassword", current, "newPassword", proposed));
    }

    @Test
    void changingThePasswordKeepsThisSessionAndEndsEveryOther() {
        String name = unique("change");
        int id = api.registerAndLogin(name, "first-password");
        Api phone = server.api();
        assertThat(phone.post("/api/auth/login", json("username", name, "password", "first-password")).status()).isEqualTo(200);
        String otherUser = unique("bystander");
        Api bystander = server.api();
        bystander.registerAndLogin(otherUser, "secret123");

        Api.Response changed = changePassword(api, "first-password", "second-password");

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().toString()).isEqualTo("{\"success\":true}");
        assertThat(api.get("/api/auth/me").status()).isEqualTo(200);
        assertError(phone.get("/api/auth/me"), 401, "unauthorized");
        assertThat(bystander.get("/api/auth/me").status()).isEqualTo(200);
        assertThat(count(db, "SELECT count(*) FROM finote_sessions WHERE user_id = ?", id)).isOne();
        assertError(server.api().post("/api/auth/login", json("username", name, "password", "first-password")), 401, "invalid_credentials");
        assertThat(server.api().post("/api/auth/login", json("username", name, "password", "second-password")).status()).isEqualTo(200);
        assertThat(hashOf(id)).startsWith("$2b$10$");
    }

    @Test
    void aWrongCurrentPasswordIs401AndIsThrottledLikeALogin() {
        String name = unique("guess");
        int id = api.registerAndLogin(name, "first-password");
        String hash = hashOf(id);
        for (int i = 1; i <= 5; i++) {
            assertError(changePassword(api, "wrong-" + i, "second-password"), 401, "invalid_credentials");
        }
        Api.Response blocked = changePassword(api, "first-password", "second-password");
        assertError(blocked, 429, "too_many_login_attempts");
        assertThat(blocked.header("Retry-After")).isPresent();
        assertError(api.post("/api/auth/login", json("username", name, "password", "first-password")), 429, "too_many_login_attempts");
        assertThat(hashOf(id)).isEqualTo(hash);
        assertThat(api.get("/api/auth/me").status()).isEqualTo(200);
    }

    @Test
    void anUnusableNewPasswordIs400NamingTheFieldAndChangesNothing() {
        int id = api.registerAndLogin(unique("weak"), "first-password");
        String hash = hashOf(id);
        assertFieldError(changePassword(api, "first-password", "short"), 400, "password_too_short", "newPassword");
        assertFieldError(changePassword(api, "first-password", "password123"), 400, "password_too_common", "newPassword");
        assertFieldError(changePassword(api, "first-password", "x".repeat(73)), 400, "password_too_long", "newPassword");
        assertFieldError(api.put("/api/auth/password", json("currentPassword", "first-password")), 400, "field_required", "newPassword");
        assertFieldError(api.put("/api/auth/password", ApiChecks.json("currentPassword", "first-password", "newPassword", 12345678)),
                400, "field_must_be_string", "newPassword");
        assertThat(hashOf(id)).isEqualTo(hash);
        // None of these checked the current password, so none counted as a failed login.
        assertThat(count(db, "SELECT count(*) FROM finote_login_throttle WHERE throttle_key NOT LIKE 'register:%'")).isZero();
    }

    @Test
    void accountCallsNeedASession() {
        Api anonymous = server.api();
        assertError(changePassword(anonymous, "a-password", "another-password"), 401, "unauthorized");
        assertError(anonymous.send("DELETE", "/api/auth/me", json("password", "a-password")), 401, "unauthorized");
    }

    @Test
    void deletingTheAccountRemovesTheUserTheirNotesAndSessionsAndFreesTheName() {
        String name = unique("leaving");
        int id = api.registerAndLogin(name, "first-password");
        for (int i = 0; i < 3; i++) {
            assertThat(api.send("POST", "/api/notes", json("title", "t" + i, "content", "c"), "Idempotency-Key", "leaving-" + i).status())
                    .isEqualTo(201);
        }
        assertThat(count(db, "SELECT count(*) FROM finote_idempotency_keys WHERE user_id = ?", id)).isEqualTo(3);
        Api phone = server.api();
        phone.post("/api/auth/login", json("username", name, "password", "first-password"));
        Api stays = server.api();
        int staying = stays.registerAndLogin(unique("staying"), "secret123");
        stays.post("/api/notes", json("title", "mine", "content", "c"));

        Api.Response deleted = api.send("DELETE", "/api/auth/me", json("password", "first-password"));

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(deleted.sessionCookie()).contains("");
        assertThat(count(db, "SELECT count(*) FROM users WHERE id = ?", id)).isZero();
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", id)).isZero();
        assertThat(count(db, "SELECT count(*) FROM finote_sessions WHERE user_id = ?", id)).isZero();
        assertThat(count(db, "SELECT count(*) FROM finote_idempotency_keys WHERE user_id = ?", id)).isZero();
        assertError(phone.get("/api/auth/me"), 401, "unauthorized");
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", staying)).isOne();
        assertThat(stays.get("/api/notes").json().size()).isOne();
        Api.Response again = server.api().post("/api/auth/register", json("username", name, "password", "another-password"));
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.json().get("id").intValue()).isNotEqualTo(id);
    }

    @Test
    void deletingWithAWrongOrMissingPasswordIs401AndDeletesNothing() {
        int id = api.registerAndLogin(unique("staying"), "first-password");
        api.post("/api/notes", json("title", "t", "content", "c"));
        assertError(api.send("DELETE", "/api/auth/me", json("password", "wrong-password")), 401, "invalid_credentials");
        assertError(api.send("DELETE", "/api/auth/me", "{}"), 401, "invalid_credentials");
        assertError(api.send("DELETE", "/api/auth/me", null), 401, "invalid_credentials");
        assertThat(count(db, "SELECT count(*) FROM users WHERE id = ?", id)).isOne();
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", id)).isOne();
        assertThat(api.get("/api/auth/me").status()).isEqualTo(200);
    }
}
