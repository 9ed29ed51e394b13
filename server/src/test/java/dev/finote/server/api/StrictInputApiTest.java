package dev.finote.server.api;

import dev.finote.server.auth.Usernames;
import dev.finote.server.ops.Housekeeping;
import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.security.crypto.bcrypt.BCrypt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;

import static dev.finote.server.api.ApiChecks.assertError;
import static dev.finote.server.api.ApiChecks.assertFieldError;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.unique;
import static dev.finote.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13, section 3: inputs the first release answered with a 500, an HTML page or a silent change. */
@ExtendWith(FinoteExtension.class)
class StrictInputApiTest {

    private final SharedDatabase db;
    private final Api api;
    private final TestServer server;

    StrictInputApiTest(SharedDatabase db, Api api, TestServer server) {
        this.db = db;
        this.api = api;
        this.server = server;
    }

    @BeforeEach
    @AfterEach
    void forgetFailedLogins() {
        ApiChecks.forgetFailedLogins(db);
    }

    private long users() {
        return count(db, "SELECT count(*) FROM users");
    }

    // ---- content types ---------------------------------------------------------------------------

    @Test
    void wildcardContentTypesAre415NeverA500() {
        int id = api.registerAndLogin(unique("wild"), "secret123");
        long notes = count(db, "SELECT count(*) FROM notes WHERE user_id = ?", id);
        int note = api.post("/api/notes", json("title", "t", "content", "c")).json().get("id").intValue();
        String body = json("username", unique("w"), "password", "secret123");
        for (String type : List.of("*/*", "application/*", "*/json", "*/*; charset=utf-8")) {
            for (String[] call : List.of(new String[]{"POST", "/api/auth/register"}, new String[]{"POST", "/api/auth/login"},
                    new String[]{"POST", "/api/notes"}, new String[]{"PUT", "/api/notes/" + note})) {
                var request = "%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: %s\r\nCookie: %s=%s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                        .formatted(call[0], call[1], type, Api.COOKIE, api.sessionCookie(), body.length(), body);
                RawHttp.Answer answer = RawHttp.send(server.baseUrl(), request);
                assertThat(answer.status()).as("%s %s with %s: %s", call[0], call[1], type, answer).isEqualTo(415);
                assertThat(answer.isJson()).isTrue();
                assertThat(answer.body()).contains("content_type_must_be_application_json");
            }
        }
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", id)).isEqualTo(notes + 1);
    }

    @Test
    void anEmptyAcceptOnMetricsIsAnsweredNotA500() {
        RawHttp.Answer answer = RawHttp.send(server.baseUrl(), "GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: \r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).as(answer.head()).isEqualTo(200);
        assertThat(answer.body()).contains("finote_http_requests_total");
    }

    // ---- Tomcat's own errors ---------------------------------------------------------------------

    @Test
    void requestsTomcatRefusesAreAnsweredWithJsonNotAnHtmlPage() {
        List<String> requests = List.of(
                "GET /api/notes/a%2Fb HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /api/notes/a%00b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /api/notes/a%5Cb HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\nConnection: close\r\n\r\n",
                "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n",
                "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nExpect: bogus\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: bogus\r\nConnection: close\r\n\r\n",
                "GET /healthz HTTP/1.2\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Long: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n",
                "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        for (String request : requests) {
            RawHttp.Answer answer = RawHttp.send(server.baseUrl(), request);
            String what = request.substring(0, Math.min(80, request.length())).replace("\r\n", " | ");
            assertThat(answer.status()).as("%s → %s", what, answer.head()).isBetween(400, 599);
            assertThat(answer.body()).as("%s → %s", what, answer).doesNotContainIgnoringCase("<html").doesNotContain("Tomcat");
            assertThat(answer.isJson()).as("%s → %s", what, answer.head()).isTrue();
            assertThat(ApiChecks.JSON.readTree(answer.body()).path("message").stringValue()).as(what).matches("[a-z_]+");
        }
        RawHttp.Answer version = RawHttp.send(server.baseUrl(), "GET /healthz HTTP/1.2\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(version.status()).isEqualTo(505);
        assertThat(version.body()).isEqualTo("{\"message\":\"http_version_not_supported\"}");
        RawHttp.Answer coding = RawHttp.send(server.baseUrl(),
                "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: bogus\r\nConnection: close\r\n\r\n");
        assertThat(coding.status()).isEqualTo(501);
        assertThat(coding.body()).isEqualTo("{\"message\":\"not_implemented\"}");
    }

    // ---- text that is not valid Unicode ----------------------------------------------------------

    @Test
    void loneSurrogatesAreRefusedInNotesAndCredentials() {
        int id = api.registerAndLogin(unique("surrogate"), "secret123");
        long notes = count(db, "SELECT count(*) FROM notes WHERE user_id = ?", id);
        long before = users();
        assertFieldError(api.post("/api/notes", "{\"title\":\"a\\ud800b\",\"content\":\"c\"}"), 400, "field_must_be_valid_unicode", "title");
        assertFieldError(api.post("/api/notes", "{\"title\":\"t\",\"content\":\"\\udc00\"}"), 400, "field_must_be_valid_unicode", "content");
        assertFieldError(api.post("/api/notes", "{\"title\":\"t\",\"content\":\"c\",\"tags\":[\"\\ud83d\"]}"), 400, "field_must_be_valid_unicode", "tags");
        assertFieldError(api.post("/api/auth/register", "{\"username\":\"x\\ud800\",\"password\":\"secret123\"}"), 400, "field_must_be_valid_unicode", "username");
        assertFieldError(api.post("/api/auth/register", "{\"username\":\"" + unique("s") + "\",\"password\":\"secret\\udfff123\"}"), 400, "field_must_be_valid_unicode", "password");
        assertFieldError(api.post("/api/auth/login", "{\"username\":\"x\\ud800\",\"password\":\"secret123\"}"), 400, "field_must_be_valid_unicode", "username");
        // A real pair is one character, and fine.
        assertThat(api.post("/api/notes", "{\"title\":\"\\ud83d\\ude00\",\"content\":\"c\"}").status()).isEqualTo(201);
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", id)).isEqualTo(notes + 1);
        assertThat(users()).isEqualTo(before);
    }

    @Test
    void invalidUtf8IsRefusedNotTurnedIntoOtherCharacters() {
        int id = api.registerAndLogin(unique("utf8"), "secret123");
        long notes = count(db, "SELECT count(*) FROM notes WHERE user_id = ?", id);
        long before = users();
        byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xFF}, {(byte) 0xC3}};
        for (byte[] sequence : bad) {
            for (String[] call : List.of(new String[]{"/api/notes", "{\"title\":\"a", "\",\"content\":\"c\"}"},
                    new String[]{"/api/auth/register", "{\"username\":\"u", "\",\"password\":\"secret123\"}"},
                    new String[]{"/api/auth/login", "{\"username\":\"u", "\",\"password\":\"secret123\"}"})) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes(call[1].getBytes(StandardCharsets.UTF_8));
                body.writeBytes(sequence);
                body.writeBytes(call[2].getBytes(StandardCharsets.UTF_8));
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                request.writeBytes(("POST " + call[0] + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nCookie: "
                        + Api.COOKIE + "=" + api.sessionCookie() + "\r\nContent-Length: " + body.size() + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                request.writeBytes(body.toByteArray());
                RawHttp.Answer answer = RawHttp.send(server.baseUrl(), request.toByteArray());
                assertThat(answer.status()).as("%s with %s: %s", call[0], java.util.HexFormat.of().formatHex(sequence), answer).isEqualTo(400);
                assertThat(answer.isJson()).isTrue();
            }
        }
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", id)).isEqualTo(notes);
        assertThat(users()).isEqualTo(before);
    }

    // ---- usernames -------------------------------------------------------------------------------

    @Test
    void newUsernamesAreStoredAsNfcWithoutSurroundingSpace() {
        String base = unique("josé");
        String nfd = Normalizer.normalize(base, Normalizer.Form.NFD);
        assertThat(nfd).isNotEqualTo(base);
        var created = api.post("/api/auth/register", json("username", "  " + nfd + "\t", "password", "secret123"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("username").stringValue()).isEqualTo(base);
        assertThat(Sql.value(db.superuserUrl(), "SELECT username FROM users WHERE id = ?", created.json().get("id").intValue())).isEqualTo(base);
        // Typed as before (NFD, with spaces) or as stored, the name logs in.
        assertThat(api.post("/api/auth/login", json("username", " " + nfd, "password", "secret123")).status()).isEqualTo(200);
        assertThat(api.post("/api/auth/login", json("username", base, "password", "secret123")).status()).isEqualTo(200);
    }

    @Test
    void aNameEqualToAnExistingOneUpToCaseCompatibilityOrInvisibleCharactersIsTaken() {
        String base = unique("Admin");
        registerOk(base);
        long before = users();
        for (String lookalike : List.of(base.toLowerCase(), base.toUpperCase(), "\uFF21" + base.substring(1), // full-width A
                base.substring(0, 2) + "\u200B" + base.substring(2), base + "\u200D", "\uFEFF" + base, " " + base + " ")) {
            assertError(api.post("/api/auth/register", json("username", lookalike, "password", "secret123")), 409, "username_already_exists");
        }
        String josé = unique("josé");
        registerOk(Normalizer.normalize(josé, Normalizer.Form.NFC));
        assertError(api.post("/api/auth/register", json("username", Normalizer.normalize(josé, Normalizer.Form.NFD), "password", "secret123")),
                409, "username_already_exists");
        assertError(api.post("/api/auth/register", json("username", josé.toUpperCase(), "password", "secret123")), 409, "username_already_exists");
        assertThat(users()).isEqualTo(before + 1);
    }

    @Test
    void existingAccountsKeepTheirNamesEvenWhenTheyWouldNowCollide() {
        // Two accounts the old backend allowed side by side, one of them stored in NFD.
        String upper = unique("Legacy");
        String nfd = Normalizer.normalize(unique("rené"), Normalizer.Form.NFD);
        String hash = BCrypt.hashpw("old-password", BCrypt.gensalt(10));
        Sql.update(db.superuserUrl(), "INSERT INTO users (username, password) VALUES (?, ?), (?, ?), (?, ?)",
                upper, hash, upper.toLowerCase(), hash, nfd, hash);
        for (String name : List.of(upper, upper.toLowerCase(), nfd)) {
            var login = server.api().post("/api/auth/login", json("username", name, "password", "old-password"));
            assertThat(login.status()).as(name).isEqualTo(200);
            assertThat(login.json().get("username").stringValue()).isEqualTo(name);
        }
        // Their skeletons are not stored yet (rows from before that column): a new name is still compared with them...
        assertError(api.post("/api/auth/register", json("username", upper.toUpperCase(), "password", "secret123")), 409, "username_already_exists");
        // ...and once the server has stored them, through the index; both colliding accounts keep their names.
        server.context().getBean(Housekeeping.class).storeMissingSkeletons();
        assertThat(Sql.value(db.superuserUrl(), "SELECT count(*) FROM users WHERE username_skeleton IS NULL")).isEqualTo(0L);
        assertThat(Sql.value(db.superuserUrl(), "SELECT count(DISTINCT username_skeleton) FROM users WHERE username IN (?, ?)", upper, upper.toLowerCase()))
                .isEqualTo(1L);
        assertError(api.post("/api/auth/register", json("username", upper.toUpperCase(), "password", "secret123")), 409, "username_already_exists");
        assertError(api.post("/api/auth/register", json("username", Normalizer.normalize(nfd, Normalizer.Form.NFC), "password", "secret123")),
                409, "username_already_exists");
    }

    /** A registration looks names up by their stored skeleton: it does not recompute every user's (which read the whole table). */
    @Test
    void aRegistrationComparesStoredSkeletonsNotEveryName() {
        String hash = BCrypt.hashpw("old-password", BCrypt.gensalt(10));
        String taken = unique("taken");
        String lookalike = unique("lookalike");
        // A stored skeleton decides, whatever the row's name: the first name is refused, the second
        // (whose row stores another skeleton) is free, which it would not be if every name were compared.
        Sql.update(db.superuserUrl(), "INSERT INTO users (username, password, username_skeleton) VALUES (?, ?, ?), (?, ?, ?)",
                unique("other"), hash, Usernames.skeleton(taken), lookalike.toUpperCase(), hash, unique("elsewhere"));
        assertError(api.post("/api/auth/register", json("username", taken, "password", "secret123")), 409, "username_already_exists");
        registerOk(lookalike);
        assertThat(Sql.value(db.superuserUrl(), "SELECT username_skeleton FROM users WHERE username = ?", lookalike)).isEqualTo(Usernames.skeleton(lookalike));
    }

    @Test
    void aBlankOrInvisibleUsernameIsRefused() {
        assertFieldError(api.post("/api/auth/register", json("username", "   ", "password", "secret123")), 400, "username_required", "username");
        assertFieldError(api.post("/api/auth/register", json("username", "\u200B\u200D", "password", "secret123")), 400, "username_required", "username");
        assertFieldError(api.post("/api/auth/register", json("username", "tab\tname", "password", "secret123")), 400,
                "username_must_not_contain_control_characters", "username");
    }

    // ---- passwords -------------------------------------------------------------------------------

    @Test
    void newPasswordsNeedEightCharactersAndMustNotBeCommon() {
        String name = unique("pw");
        assertFieldError(register(name, "abc1234"), 400, "password_too_short", "password");
        assertFieldError(register(name, "😀😀😀😀😀😀😀"), 400, "password_too_short", "password"); // 7 characters, 28 bytes
        for (String common : List.of("password", "12345678", "password123", "PassWord123", "iloveyou", "qwertyuiop")) {
            assertFieldError(register(name, common), 400, "password_too_common", "password");
        }
        assertThat(count(db, "SELECT count(*) FROM users WHERE username = ?", name)).isZero();
        assertThat(register(name, "😀😀😀😀😀😀😀😀").status()).isEqualTo(201);
    }

    @Test
    void existingUsersWithShortOrCommonPasswordsStillLogIn() {
        String name = unique("old");
        Sql.update(db.superuserUrl(), "INSERT INTO users (username, password) VALUES (?, ?)", name, BCrypt.hashpw("abc", BCrypt.gensalt(10)));
        assertThat(api.post("/api/auth/login", json("username", name, "password", "abc")).status()).isEqualTo(200);
        String other = unique("old");
        Sql.update(db.superuserUrl(), "INSERT INTO users (username, password) VALUES (?, ?)", other, BCrypt.hashpw("password", BCrypt.gensalt(10)));
        assertThat(api.post("/api/auth/login", json("username", other, "password", "password")).status()).isEqualTo(200);
    }

    private Api.Response register(String name, String password) {
        return api.post("/api/auth/register", json("username", name, "password", password));
    }

    private void registerOk(String name) {
        Api.Response response = register(name, "secret123");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }
}
