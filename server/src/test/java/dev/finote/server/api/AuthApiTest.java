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
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static dev.finote.server.api.ApiChecks.assertError;
import static dev.finote.server.api.ApiChecks.assertFieldError;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.unique;
import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(FinoteExtension.class)
class AuthApiTest {

    /** The Node backend's {@code bcrypt.hash("secret123", 10)}. */
    private static final String NODE_HASH_OF_SECRET123 = "$2b$10$5GH5ebrcR60ItiVvA4jLhuca3hZsmkcIJMNQ8mlZs2DZk60gJk5ZC";
    private static final String BCRYPT_COST_10 = "^\\$2b\\$10\\$[./A-Za-z0-9]{53}$";

    private final SharedDatabase db;
    private final Api api;
    private final TestServer server;

    AuthApiTest(SharedDatabase db, Api api, TestServer server) {
        this.db = db;
        this.api = api;
        this.server = server;
    }

    @BeforeEach
    @AfterEach
    void forgetFailedLogins() {
        ApiChecks.forgetFailedLogins(db);
    }

    private Api.Response register(String username, String password) {
        return api.post("/api/auth/register", json("username", username, "password", password));
    }

    private Api.Response login(Api client, String username, String password) {
        return client.post("/api/auth/login", json("username", username, "password", password));
    }

    private Api.Response login(String username, String password) {
        return login(api, username, password);
    }

    private int registered(String username, String password) {
        Api.Response response = register(username, password);
        assertThat(response.status()).as("register %s", response).isEqualTo(201);
        return response.json().get("id").intValue();
    }

    private long sessionsOf(int userId) {
        return count(db, "SELECT count(*) FROM finote_sessions WHERE user_id = ?", userId);
    }

    // ---- register ----------------------------------------------------------------------------

    @Test
    void registerReturns201WithIdAndUsernameAndDoesNotLogIn() {
        String name = unique("fi");
        Api.Response response = api.post("/api/auth/register", json("username", name, "password", "secret123"));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().get("username").stringValue()).isEqualTo(name);
        assertThat(response.json().get("id").isInt()).isTrue();
        assertThat(response.json().propertyNames()).containsExactlyInAnyOrder("id", "username");
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.sessionCookie()).isEmpty();
        assertThat(api.get("/api/auth/me").status()).isEqualTo(401);
        int id = response.json().get("id").intValue();
        assertThat(Sql.value(db.superuserUrl(), "SELECT username FROM users WHERE id = ?", id)).isEqualTo(name);
        assertThat(sessionsOf(id)).isZero();
    }

    @Test
    void registerStoresANodeCompatibleBcryptHashThatNeverAppearsInAnyResponse() {
        String name = unique("hash");
        String password = "correct horse battery staple";
        Api.Response registered = register(name, password);
        Api.Response loggedIn = login(name, password);
        Api.Response me = api.get("/api/auth/me");

        String stored = (String) Sql.value(db.superuserUrl(), "SELECT password FROM users WHERE username = ?", name);
        assertThat(stored).matches(BCRYPT_COST_10).isNotEqualTo(password);
        for (Api.Response response : List.of(registered, loggedIn, me)) {
            assertThat(response.status()).isBetween(200, 201);
            assertThat(response.body()).doesNotContain(stored, stored.substring(7), password, "password", "$2");
            assertThat(response.json().propertyNames()).containsExactlyInAnyOrder("id", "username");
            assertThat(response.headers().toString()).doesNotContain(stored.substring(7), password);
        }
    }

    @Test
    void registerWithAMissingOrEmptyUsernameOrPasswordIs400() {
        String name = unique("empty");
        List<String> bodies = List.of(
                json("password", "secret123"),
                json("username", name),
                json("username", "", "password", "secret123"),
                json("username", name, "password", ""),
                ApiChecks.json("username", null, "password", "secret123"),
                ApiChecks.json("username", name, "password", null),
                "{}");
        for (String body : bodies) {
            assertError(api.post("/api/auth/register", body), 400, "username_and_password_required");
        }
        assertError(api.send("POST", "/api/auth/register", null), 400, "username_and_password_required");
        assertThat(count(db, "SELECT count(*) FROM users WHERE username = ?", name)).isZero();
    }

    @Test
    void registeringATakenUsernameIs409AndKeepsTheFirstPassword() {
        String name = unique("twice");
        int id = registered(name, "first-password");
        String hash = (String) Sql.value(db.superuserUrl(), "SELECT password FROM users WHERE id = ?", id);

        assertError(register(name, "second-password"), 409, "username_already_exists");

        assertThat(Sql.value(db.superuserUrl(), "SELECT password FROM users WHERE id = ?", id)).isEqualTo(hash);
        assertThat(count(db, "SELECT count(*) FROM users WHERE username = ?", name)).isOne();
        assertThat(login(name, "second-password").status()).isEqualTo(401);
        assertThat(login(name, "first-password").status()).isEqualTo(200);
    }

    @Test
    void registerWithWrongTypesIs400NamingTheField() {
        String name = unique("types");
        assertFieldError(api.post("/api/auth/register", ApiChecks.json("username", 123, "password", "secret123")),
                400, "field_must_be_string", "username");
        assertFieldError(api.post("/api/auth/register", ApiChecks.json("username", List.of(name), "password", "secret123")),
                400, "field_must_be_string", "username");
        assertFieldError(api.post("/api/auth/register", ApiChecks.json("username", name, "password", true)),
                400, "field_must_be_string", "password");
        assertFieldError(api.post("/api/auth/register", ApiChecks.json("username", name, "password", java.util.Map.of("a", 1))),
                400, "field_must_be_string", "password");
        assertThat(count(db, "SELECT count(*) FROM users WHERE username = ?", name)).isZero();
    }

    @Test
    void aPasswordOver72BytesIsRefusedAtRegistrationButExactly72IsAccepted() {
        String tooLong = unique("long");
        assertFieldError(register(tooLong, "a".repeat(73)), 400, "password_too_long", "password");
        // 19 four-byte emoji are 76 bytes though only 38 UTF-16 chars: the limit is bcrypt's, in bytes.
        assertFieldError(register(tooLong, "😀".repeat(19)), 400, "password_too_long", "password");
        assertThat(count(db, "SELECT count(*) FROM users WHERE username = ?", tooLong)).isZero();

        String exact = unique("exact");
        String password = "b".repeat(71) + "!";
        registered(exact, password);
        assertThat(login(exact, password).status()).isEqualTo(200);
        assertThat(login(exact, "b".repeat(71) + "?").status()).isEqualTo(401);
    }

    @Test
    void aUsernameOver100CharactersIsRefused() {
        assertFieldError(register("u".repeat(101), "secret123"), 400, "username_too_long", "username");
        assertThat(count(db, "SELECT count(*) FROM users WHERE username = ?", "u".repeat(101))).isZero();
    }

    // ---- login -------------------------------------------------------------------------------

    @Test
    void loginSetsTheSessionCookieAndMeAnswersWithTheUser() {
        String name = unique("budi");
        api.post("/api/auth/register", json("username", name, "password", "rahasia-2024"));

        Api.Response login = api.post("/api/auth/login", json("username", name, "password", "rahasia-2024"));

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("username").stringValue()).isEqualTo(name);
        assertThat(login.json().propertyNames()).containsExactlyInAnyOrder("id", "username");
        String cookie = login.setCookies().getFirst();
        assertThat(cookie).startsWith("finote.sid=").contains("Path=/", "HttpOnly", "Max-Age=604800", "SameSite=Lax")
                .doesNotContain("Secure");
        assertThat(login.setCookies()).hasSize(1);
        Api.Response me = api.get("/api/auth/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("id").intValue()).isEqualTo(login.json().get("id").intValue());
        assertThat(me.json().get("username").stringValue()).isEqualTo(name);
        assertThat(me.json().propertyNames()).containsExactlyInAnyOrder("id", "username");
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIs401InvalidCredentialsWithoutACookie() {
        String name = unique("wrong");
        registered(name, "right-password");

        Api.Response wrongPassword = login(name, "wrong-password");
        Api.Response unknownUser = login(unique("nobody"), "right-password");
        Api.Response wrongCase = login(name, "RIGHT-PASSWORD");

        for (Api.Response response : List.of(wrongPassword, unknownUser, wrongCase)) {
            assertError(response, 401, "invalid_credentials");
            assertThat(response.sessionCookie()).isEmpty();
        }
        assertThat(api.get("/api/auth/me").status()).isEqualTo(401);
    }

    @Test
    void loginWithMissingFieldsIs401MissingCredentials() {
        String name = unique("missing");
        registered(name, "secret123");
        List<String> bodies = List.of(
                json("username", name),
                json("password", "secret123"),
                json("username", name, "password", ""),
                json("username", "", "password", "secret123"),
                ApiChecks.json("username", name, "password", null),
                "{}");
        for (String body : bodies) {
            Api.Response response = api.post("/api/auth/login", body);
            assertError(response, 401, "Missing credentials");
            assertThat(response.sessionCookie()).isEmpty();
        }
        assertError(api.send("POST", "/api/auth/login", null), 401, "Missing credentials");
        // Missing credentials are not password guesses: they never count towards the throttle.
        assertThat(count(db, "SELECT count(*) FROM finote_login_throttle WHERE throttle_key NOT LIKE 'register:%'")).isZero();
    }

    @Test
    void loginWithWrongTypesIs400NamingTheField() {
        assertFieldError(api.post("/api/auth/login", ApiChecks.json("username", 42, "password", "secret123")),
                400, "field_must_be_string", "username");
        assertFieldError(api.post("/api/auth/login", ApiChecks.json("username", unique("t"), "password", 12345678)),
                400, "field_must_be_string", "password");
    }

    @Test
    void aUserInsertedWithANodeBcryptHashLogsInUnchanged() {
        String name = unique("fi");
        Sql.update(db.superuserUrl(), "INSERT INTO users (username, password) VALUES (?, ?)", name, NODE_HASH_OF_SECRET123);
        int id = ((Number) Sql.value(db.superuserUrl(), "SELECT id FROM users WHERE username = ?", name)).intValue();

        assertError(login(name, "secret1234"), 401, "invalid_credentials");
        Api.Response login = login(name, "secret123");

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("id").intValue()).isEqualTo(id);
        assertThat(login.json().get("username").stringValue()).isEqualTo(name);
        assertThat(api.get("/api/auth/me").json().get("id").intValue()).isEqualTo(id);
        // The hash is left as the Node backend wrote it.
        assertThat(Sql.value(db.superuserUrl(), "SELECT password FROM users WHERE id = ?", id)).isEqualTo(NODE_HASH_OF_SECRET123);
    }

    // ---- me and logout -----------------------------------------------------------------------

    @Test
    void meWithoutASessionOrWithAnUnknownCookieIs401() {
        assertError(api.get("/api/auth/me"), 401, "unauthorized");
        api.useSessionCookie("not-a-session");
        assertError(api.get("/api/auth/me"), 401, "unauthorized");
        api.useSessionCookie("A".repeat(43)); // well-formed, but no such session
        assertError(api.get("/api/auth/me"), 401, "unauthorized");
    }

    @Test
    void logoutAnswersSuccessAlsoWhenNotLoggedIn() {
        Api.Response response = api.post("/api/auth/logout", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().propertyNames()).containsExactly("success");
        assertThat(response.json().get("success").booleanValue()).isTrue();

        api.useSessionCookie("garbage");
        Api.Response withGarbage = api.post("/api/auth/logout", null);
        assertThat(withGarbage.status()).isEqualTo(200);
        assertThat(withGarbage.json().get("success").booleanValue()).isTrue();
    }

    @Test
    void logoutDestroysTheSessionServerSideSoTheOldCookieNoLongerWorks() {
        String name = unique("bye");
        int id = registered(name, "secret123");
        assertThat(login(name, "secret123").status()).isEqualTo(200);
        String cookie = api.sessionCookie();
        assertThat(cookie).isNotBlank();
        assertThat(sessionsOf(id)).isOne();

        Api.Response logout = api.post("/api/auth/logout", null);

        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.json().get("success").booleanValue()).isTrue();
        assertThat(logout.sessionCookie()).contains("");
        assertThat(logout.setCookies().getFirst()).contains("Max-Age=0", "Path=/");
        assertThat(sessionsOf(id)).isZero();
        api.useSessionCookie(cookie); // a client that kept the cookie anyway
        assertError(api.get("/api/auth/me"), 401, "unauthorized");
        assertError(api.get("/api/notes"), 401, "unauthorized");
    }

    @Test
    void everyLoginGetsANewSessionIdAndTheCookieFromBeforeStopsWorking() {
        String name = unique("fix");
        int id = registered(name, "secret123");
        assertThat(login(name, "secret123").status()).isEqualTo(200);
        String first = api.sessionCookie();

        Api.Response again = login(name, "secret123"); // the browser still sends the first cookie
        String second = api.sessionCookie();

        assertThat(again.status()).isEqualTo(200);
        assertThat(second).isNotBlank().isNotEqualTo(first);
        assertThat(api.get("/api/auth/me").status()).isEqualTo(200);
        assertThat(sessionsOf(id)).isOne();
        Api replay = server.api();
        replay.useSessionCookie(first);
        assertError(replay.get("/api/auth/me"), 401, "unauthorized");
    }

    @Test
    void aSessionIdPlantedBeforeLoginIsNotAdopted() {
        String name = unique("plant");
        registered(name, "secret123");
        String planted = "P".repeat(43); // well-formed, as an attacker would set it
        api.useSessionCookie(planted);

        assertThat(login(name, "secret123").status()).isEqualTo(200);

        assertThat(api.sessionCookie()).isNotEqualTo(planted);
        Api attacker = server.api();
        attacker.useSessionCookie(planted);
        assertError(attacker.get("/api/auth/me"), 401, "unauthorized");
    }

    @Test
    void separateLoginsOfOneUserGetSeparateSessions() {
        String name = unique("two");
        int id = registered(name, "secret123");
        Api phone = server.api();
        assertThat(login(name, "secret123").status()).isEqualTo(200);
        assertThat(login(phone, name, "secret123").status()).isEqualTo(200);

        assertThat(phone.sessionCookie()).isNotEqualTo(api.sessionCookie());
        assertThat(sessionsOf(id)).isEqualTo(2);
        assertThat(phone.post("/api/auth/logout", null).status()).isEqualTo(200);
        assertThat(api.get("/api/auth/me").status()).isEqualTo(200);
        assertThat(phone.get("/api/auth/me").status()).isEqualTo(401);
    }

    @Test
    void sessionsAreStoredOnlyAsKeyedHashesNotAsTheCookieValue() {
        String name = unique("store");
        int id = registered(name, "secret123");
        login(name, "secret123");
        String cookie = api.sessionCookie();

        byte[] stored = (byte[]) Sql.value(db.superuserUrl(), "SELECT token_hash FROM finote_sessions WHERE user_id = ?", id);
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(cookie);
        assertThat(stored).isNotEqualTo(cookie.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(cookie).matches("[A-Za-z0-9_-]{43,}");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void passwordsAndHashesNeverReachTheLogs(CapturedOutput output) {
        String name = unique("quiet");
        String password = "log-canary-" + UUID.randomUUID();
        registered(name, password);
        login(name, password + "-wrong");
        login(name, password);
        register(name, password); // 409
        api.get("/api/auth/me");
        api.post("/api/auth/logout", null);
        String hash = (String) Sql.value(db.superuserUrl(), "SELECT password FROM users WHERE username = ?", name);

        String marker = "/capture-check-" + UUID.randomUUID();
        api.get(marker); // the server logs unknown routes: proves its log lines are captured here

        assertThat(output.getAll()).contains(marker).doesNotContain(password, hash.substring(7));
    }

    // ---- throttling --------------------------------------------------------------------------

    @Test
    void fiveFailuresBlockTheUsernameEvenForTheRightPasswordUntilRetryAfterHasPassed() throws InterruptedException {
        String name = unique("guess");
        registered(name, "right-password");
        for (int i = 1; i <= 5; i++) assertError(login(name, "wrong-" + i), 401, "invalid_credentials");

        Api.Response blocked = login(name, "wrong-6");
        assertError(blocked, 429, "too_many_login_attempts");
        long retryAfter = Long.parseLong(blocked.header("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 2L);
        Api.Response rightWhileBlocked = login(name, "right-password");
        assertError(rightWhileBlocked, 429, "too_many_login_attempts");
        assertThat(rightWhileBlocked.sessionCookie()).isEmpty();
        assertThat(rightWhileBlocked.header("Retry-After")).isPresent();
        assertThat(api.get("/api/auth/me").status()).isEqualTo(401);

        Thread.sleep(retryAfter * 1000 + 300);

        Api.Response afterWaiting = login(name, "right-password");
        assertThat(afterWaiting.status()).isEqualTo(200);
        assertThat(api.get("/api/auth/me").status()).isEqualTo(200);
        // Success does not reset the username's count (guessers elsewhere get no fresh guesses from it):
        // a new failure from this address is answered 401, and blocks the username again.
        assertError(login(server.api(), name, "again-1"), 401, "invalid_credentials");
        assertError(login(server.api(), name, "again-2"), 429, "too_many_login_attempts");
    }

    @Test
    void theBlockDoublesWithEachFailurePastTheLimit() throws InterruptedException {
        String name = unique("double");
        registered(name, "right-password");
        for (int i = 1; i <= 5; i++) login(name, "wrong-" + i);
        Api.Response first = login(name, "wrong");
        assertThat(first.status()).isEqualTo(429);
        assertThat(first.header("Retry-After")).contains("1");

        Thread.sleep(1300);
        assertError(login(name, "wrong-again"), 401, "invalid_credentials");
        Api.Response second = login(name, "right-password");

        assertError(second, 429, "too_many_login_attempts");
        assertThat(second.header("Retry-After")).contains("2");
    }

    @Test
    void manyConsecutiveSuccessfulLoginsAreNeverLimited() {
        String name = unique("often");
        registered(name, "secret123");
        for (int i = 0; i < 12; i++) {
            assertThat(login(server.api(), name, "secret123").status()).as("login %d", i + 1).isEqualTo(200);
        }
        assertThat(count(db, "SELECT count(*) FROM finote_login_throttle WHERE throttle_key NOT LIKE 'register:%'")).isZero();
    }

    @Test
    void aBlockedAddressRefusesEveryUsernameFromIt() {
        String victim = unique("victim");
        registered(victim, "secret123");

        // 20 failures from this address, each for a different username: no username is blocked, the address is.
        Api.Response last = null;
        for (int i = 0; i < 20; i++) last = login(unique("spray"), "wrong-" + i);
        assertError(last, 401, "invalid_credentials");

        Api.Response refused = login(victim, "secret123");

        assertError(refused, 429, "too_many_login_attempts");
        assertThat(refused.header("Retry-After")).isPresent();
        assertThat(count(db, "SELECT count(*) FROM finote_login_throttle WHERE throttle_key LIKE 'addr:%' AND failures >= 20")).isOne();
        assertThat(count(db, "SELECT count(*) FROM finote_login_throttle WHERE throttle_key = ?", "user:" + victim.toLowerCase())).isZero();
    }

    @Test
    void anUnknownUsernameTakesAboutAsLongAsAWrongPassword() {
        String name = unique("timing");
        registered(name, "right-password");
        // warm up both paths
        login(name, "wrong");
        login(unique("ghost"), "wrong");
        ApiChecks.forgetFailedLogins(db);

        List<Long> wrongPassword = new ArrayList<>();
        List<Long> unknownUser = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            wrongPassword.add(timeLogin(name));
            ApiChecks.forgetFailedLogins(db);
            unknownUser.add(timeLogin(unique("ghost")));
            ApiChecks.forgetFailedLogins(db);
        }

        long wrong = median(wrongPassword);
        long unknown = median(unknownUser);
        assertThat(wrong).as("a bcrypt check of cost 10 takes milliseconds").isGreaterThan(5_000_000L);
        assertThat(unknown).as("unknown %d ns vs wrong password %d ns", unknown, wrong).isGreaterThanOrEqualTo(wrong / 2);
    }

    private long timeLogin(String username) {
        long start = System.nanoTime();
        Api.Response response = login(server.api(), username, "wrong-password");
        long elapsed = System.nanoTime() - start;
        assertThat(response.status()).isEqualTo(401);
        return elapsed;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void registerAndLoginWorkForUnicodeUsernamesAndPasswords() {
        String name = unique("Ñoño-日本");
        String password = "pässwörd-🔑";
        registered(name, password);
        Api.Response login = login(name, password);
        assertThat(login.status()).isEqualTo(200);
        JsonNode me = api.get("/api/auth/me").json();
        assertThat(me.get("username").stringValue()).isEqualTo(name);
    }
}
