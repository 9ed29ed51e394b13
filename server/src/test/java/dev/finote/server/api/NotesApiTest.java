package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import static dev.finote.server.api.ApiChecks.assertError;
import static dev.finote.server.api.ApiChecks.assertFieldError;
import static dev.finote.server.api.ApiChecks.assertRejectsField;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.ids;
import static dev.finote.server.api.ApiChecks.json;
import static dev.finote.server.api.ApiChecks.strings;
import static dev.finote.server.api.ApiChecks.unique;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(FinoteExtension.class)
class NotesApiTest {

    private static final String CREATED_AT = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private final SharedDatabase db;
    private final TestServer server;
    private final Api api;
    private final int userId;

    NotesApiTest(SharedDatabase db, TestServer server, Api api) {
        this.db = db;
        this.server = server;
        this.api = api;
        this.userId = api.registerAndLogin(unique("notes"), "secret123");
    }

    private JsonNode create(Api client, String body) {
        Api.Response response = client.post("/api/notes", body);
        assertThat(response.status()).as("create %s", response).isEqualTo(201);
        return response.json();
    }

    private JsonNode create(String body) {
        return create(api, body);
    }

    private JsonNode create(String title, boolean pinned) {
        return create(json("title", title, "content", "c", "isPinned", pinned));
    }

    private Api otherUser() {
        Api other = server.api();
        other.registerAndLogin(unique("other"), "secret123");
        return other;
    }

    private long notesOf(int user) {
        return count(db, "SELECT count(*) FROM notes WHERE user_id = ?", user);
    }

    private List<Object> row(int noteId) {
        return Sql.rows(db.superuserUrl(), "SELECT user_id, title, content, is_pinned, color, tags::text, created_at FROM notes WHERE id = ?", noteId)
                .getFirst();
    }

    // ---- authentication ----------------------------------------------------------------------

    @Test
    void everyNotesRouteIs401WithoutASession() {
        Api anonymous = server.api();
        int noteId = create("mine", false).get("id").intValue();
        String body = json("title", "t", "content", "c");

        assertError(anonymous.get("/api/notes"), 401, "unauthorized");
        assertError(anonymous.post("/api/notes", body), 401, "unauthorized");
        assertError(anonymous.put("/api/notes/" + noteId, body), 401, "unauthorized");
        assertError(anonymous.delete("/api/notes/" + noteId), 401, "unauthorized");
        assertError(anonymous.put("/api/notes/abc", body), 401, "unauthorized");
        anonymous.useSessionCookie("x".repeat(43));
        assertError(anonymous.get("/api/notes"), 401, "unauthorized");
        assertError(anonymous.delete("/api/notes/" + noteId), 401, "unauthorized");

        assertThat(row(noteId).get(1)).isEqualTo("mine");
        assertThat(count(db, "SELECT count(*) FROM notes WHERE id = ?", noteId)).isOne();
    }

    // ---- create ------------------------------------------------------------------------------

    @Test
    void createReturns201WithTheDefaultsAndExactlyTheNoteFields() {
        Instant before = Instant.now();
        Api.Response response = api.post("/api/notes", json("title", "Belanja", "content", "Beras 5kg"));
        Instant after = Instant.now();

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode note = response.json();
        assertThat(note.propertyNames()).containsExactlyInAnyOrder("id", "userId", "title", "content", "isPinned", "color", "tags", "createdAt", "updatedAt");
        assertThat(note.get("id").isInt()).isTrue();
        assertThat(note.get("userId").intValue()).isEqualTo(userId);
        assertThat(note.get("title").stringValue()).isEqualTo("Belanja");
        assertThat(note.get("content").stringValue()).isEqualTo("Beras 5kg");
        assertThat(note.get("isPinned").isBoolean()).isTrue();
        assertThat(note.get("isPinned").booleanValue()).isFalse();
        assertThat(note.get("color").stringValue()).isEqualTo("default");
        assertThat(note.get("tags").isNull()).isTrue();
        String createdAt = note.get("createdAt").stringValue();
        assertThat(createdAt).matches(CREATED_AT);
        assertThat(Instant.parse(createdAt)).isBetween(before.minusSeconds(5), after.plusSeconds(5));

        List<Object> row = row(note.get("id").intValue());
        assertThat(row.subList(0, 6)).containsExactly(userId, "Belanja", "Beras 5kg", false, "default", null);
    }

    @Test
    void createKeepsEveryGivenField() {
        JsonNode note = create(json("title", "Belanja", "content", "Beras 5kg", "isPinned", true, "color", "yellow",
                "tags", List.of("belanja", "rumah")));

        assertThat(note.get("isPinned").booleanValue()).isTrue();
        assertThat(note.get("color").stringValue()).isEqualTo("yellow");
        assertThat(strings(note.get("tags"))).containsExactly("belanja", "rumah");
        assertThat(row(note.get("id").intValue()).get(5)).isEqualTo("{belanja,rumah}");

        JsonNode empty = create(json("title", "t", "content", "", "tags", List.of()));
        assertThat(empty.get("content").stringValue()).isEmpty();
        assertThat(empty.get("tags").isArray()).isTrue();
        assertThat(empty.get("tags").size()).isZero();
    }

    @Test
    void idUserIdAndCreatedAtInTheBodyAreIgnored() {
        Api other = otherUser();
        int otherId = other.get("/api/auth/me").json().get("id").intValue();

        Api.Response response = api.post("/api/notes", json("id", 999_999_999, "userId", otherId, "createdAt", "2000-01-01T00:00:00.000Z",
                "title", "mine", "content", "c"));

        assertThat(response.status()).isEqualTo(201);
        JsonNode note = response.json();
        assertThat(note.get("id").intValue()).isNotEqualTo(999_999_999);
        assertThat(note.get("userId").intValue()).isEqualTo(userId);
        assertThat(note.get("createdAt").stringValue()).doesNotStartWith("2000");
        assertThat(row(note.get("id").intValue()).getFirst()).isEqualTo(userId);
        assertThat(count(db, "SELECT count(*) FROM notes WHERE id = 999999999")).isZero();
        assertThat(other.get("/api/notes").json().size()).isZero();

        int id = note.get("id").intValue();
        Api.Response updated = api.put("/api/notes/" + id, json("id", id + 1, "userId", otherId, "createdAt", "2000-01-01T00:00:00.000Z",
                "title", "still mine"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("id").intValue()).isEqualTo(id);
        assertThat(updated.json().get("userId").intValue()).isEqualTo(userId);
        assertThat(updated.json().get("createdAt").stringValue()).isEqualTo(note.get("createdAt").stringValue());
        assertThat(updated.json().get("title").stringValue()).isEqualTo("still mine");
        assertThat(row(id).getFirst()).isEqualTo(userId);
        assertThat(other.get("/api/notes").json().size()).isZero();
    }

    // ---- list --------------------------------------------------------------------------------

    @Test
    void listReturnsOnlyTheCallersNotesPinnedFirstThenNewestFirst() {
        Api other = otherUser();
        create(other, json("title", "someone else's", "content", "c", "isPinned", true));
        int oldest = create("oldest", false).get("id").intValue();
        int pinnedOld = create("pinned old", true).get("id").intValue();
        int middle = create("middle", false).get("id").intValue();
        int pinnedNew = create("pinned new", true).get("id").intValue();
        int newest = create("newest", false).get("id").intValue();

        Api.Response list = api.get("/api/notes");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().isArray()).isTrue();
        assertThat(ids(list.json())).containsExactly(pinnedNew, pinnedOld, newest, middle, oldest);
        list.json().forEach(note -> {
            assertThat(note.get("userId").intValue()).isEqualTo(userId);
            assertThat(note.propertyNames()).containsExactlyInAnyOrder("id", "userId", "title", "content", "isPinned", "color", "tags", "createdAt", "updatedAt");
            assertThat(note.get("createdAt").stringValue()).matches(CREATED_AT);
        });

        // pinning an old note later moves it among the pinned notes, ordered by creation
        api.put("/api/notes/" + oldest, json("isPinned", true));
        assertThat(ids(api.get("/api/notes").json())).containsExactly(pinnedNew, pinnedOld, oldest, newest, middle);
        assertThat(ids(other.get("/api/notes").json())).hasSize(1).doesNotContain(oldest, pinnedOld, middle, pinnedNew, newest);
    }

    @Test
    void aNewUserHasAnEmptyList() {
        Api.Response list = otherUser().get("/api/notes");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).isEqualTo("[]");
    }

    /**
     * A note in the list is byte for byte the note as create and update return it: the same
     * text, escapes, nulls and non-ASCII included, so clients can never tell the two apart.
     */
    @Test
    void theListIsByteForByteTheNotesAsCreateAndUpdateReturnThem() {
        Api client = server.api();
        client.registerAndLogin(unique("bytes"), "secret123");
        List<Api.Response> created = new java.util.ArrayList<>();
        for (String body : List.of(
                json("title", "plain", "content", "c"),
                json("title", "Belanja \"mingguan\" \\ / é ✓ 🍜", "content", "line1\nline2\ttab\u0001\u2028end",
                        "isPinned", true, "color", "yellow", "tags", List.of("rumah", "kötü \"q\"", "")),
                json("title", "no tags", "content", "", "tags", List.of()),
                json("title", "null tags", "content", "x", "tags", null, "color", "blue"))) {
            Api.Response response = client.post("/api/notes", body);
            assertThat(response.status()).isEqualTo(201);
            created.add(response);
        }
        Api.Response updated = client.put("/api/notes/" + created.get(1).json().get("id").intValue(), json("content", "changed <b>"));
        assertThat(updated.status()).isEqualTo(200);
        List<String> bodies = List.of(created.get(0).body(), updated.body(), created.get(2).body(), created.get(3).body());

        // pinned first, then newest first
        String expected = "[" + String.join(",", bodies.get(1), bodies.get(3), bodies.get(2), bodies.get(0)) + "]";
        Api.Response list = client.get("/api/notes");
        assertThat(list.body()).isEqualTo(expected);
        assertThat(list.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void rowsWrittenByTheOldBackendAreServedInTheSameShape() {
        int id = ((Number) Sql.value(db.superuserUrl(),
                "INSERT INTO notes (user_id, title, content, created_at) VALUES (?, 'Belanja', 'Beras 5kg', '2026-11-24 04:00:37.390567') RETURNING id",
                userId)).intValue();

        JsonNode note = api.get("/api/notes").json().get(ids(api.get("/api/notes").json()).indexOf(id));

        assertThat(note.get("createdAt").stringValue()).isEqualTo("2026-11-24T04:00:37.390Z");
        assertThat(note.get("tags").isNull()).isTrue();
        assertThat(note.get("isPinned").booleanValue()).isFalse();
        assertThat(note.get("color").stringValue()).isEqualTo("default");
    }

    @Test
    void createdAtIsUtcWhateverTheServersTimeZone() {
        TimeZone original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati")); // UTC+14: any local-time slip shows
        try (TestServer faraway = TestServer.start(db.appUrl(), Map.of())) {
            Api client = faraway.api();
            client.registerAndLogin(unique("tz"), "secret123");
            Instant before = Instant.now();
            JsonNode note = create(client, json("title", "t", "content", "c"));
            Instant after = Instant.now();

            assertThat(note.get("createdAt").stringValue()).matches(CREATED_AT);
            assertThat(Instant.parse(note.get("createdAt").stringValue())).isBetween(before.minusSeconds(5), after.plusSeconds(5));
            String listed = client.get("/api/notes").json().get(0).get("createdAt").stringValue();
            assertThat(listed).isEqualTo(note.get("createdAt").stringValue());
        } finally {
            TimeZone.setDefault(original);
        }
    }

    // ---- update ------------------------------------------------------------------------------

    @Test
    void putChangesOnlyTheGivenFieldsAndReturnsTheNote() {
        JsonNode note = create(json("title", "Belanja", "content", "Beras 5kg", "isPinned", false, "color", "yellow",
                "tags", List.of("belanja", "rumah")));
        int id = note.get("id").intValue();

        Api.Response titled = api.put("/api/notes/" + id, json("title", "Belanja mingguan"));

        assertThat(titled.status()).isEqualTo(200);
        JsonNode updated = titled.json();
        assertThat(updated.propertyNames()).containsExactlyInAnyOrder("id", "userId", "title", "content", "isPinned", "color", "tags", "createdAt", "updatedAt");
        assertThat(updated.get("title").stringValue()).isEqualTo("Belanja mingguan");
        assertThat(updated.get("content").stringValue()).isEqualTo("Beras 5kg");
        assertThat(updated.get("isPinned").booleanValue()).isFalse();
        assertThat(updated.get("color").stringValue()).isEqualTo("yellow");
        assertThat(strings(updated.get("tags"))).containsExactly("belanja", "rumah");
        assertThat(updated.get("createdAt").stringValue()).isEqualTo(note.get("createdAt").stringValue());
        assertThat(updated.get("id").intValue()).isEqualTo(id);

        JsonNode pinned = api.put("/api/notes/" + id, json("isPinned", true, "color", "blue", "content", "Beras 10kg")).json();
        assertThat(pinned.get("isPinned").booleanValue()).isTrue();
        assertThat(pinned.get("color").stringValue()).isEqualTo("blue");
        assertThat(pinned.get("content").stringValue()).isEqualTo("Beras 10kg");
        assertThat(pinned.get("title").stringValue()).isEqualTo("Belanja mingguan");
        assertThat(strings(pinned.get("tags"))).containsExactly("belanja", "rumah");

        JsonNode retagged = api.put("/api/notes/" + id, json("tags", List.of("x"))).json();
        assertThat(strings(retagged.get("tags"))).containsExactly("x");

        JsonNode unchanged = api.put("/api/notes/" + id, "{}").json();
        assertThat(unchanged.get("title").stringValue()).isEqualTo("Belanja mingguan");
        assertThat(strings(unchanged.get("tags"))).containsExactly("x");

        assertThat(row(id).subList(0, 6)).containsExactly(userId, "Belanja mingguan", "Beras 10kg", true, "blue", "{x}");
        JsonNode listed = api.get("/api/notes").json().get(0);
        assertThat(listed.get("id").intValue()).isEqualTo(id);
        assertThat(listed.get("title").stringValue()).isEqualTo("Belanja mingguan");
    }

    @Test
    void putWithTagsNullClearsTheTags() {
        int id = create(json("title", "t", "content", "c", "tags", List.of("a", "b"))).get("id").intValue();

        Api.Response response = api.put("/api/notes/" + id, json("tags", null));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("tags").isNull()).isTrue();
        assertThat(response.json().get("title").stringValue()).isEqualTo("t");
        assertThat(row(id).get(5)).isNull();
        assertThat(api.put("/api/notes/" + id, json("tags", List.of())).json().get("tags").size()).isZero();
    }

    @Test
    void putOrDeleteOfAnotherUsersNoteIs404AndLeavesItUnchanged() {
        Api owner = otherUser();
        JsonNode theirs = create(owner, json("title", "private", "content", "secret", "tags", List.of("t")));
        int id = theirs.get("id").intValue();
        List<Object> before = row(id);

        assertError(api.put("/api/notes/" + id, json("title", "hijacked", "isPinned", true)), 404, "note_not_found");
        assertError(api.delete("/api/notes/" + id), 404, "note_not_found");

        assertThat(row(id)).isEqualTo(before);
        JsonNode seenByOwner = owner.get("/api/notes").json().get(0);
        assertThat(seenByOwner.get("id").intValue()).isEqualTo(id);
        assertThat(seenByOwner.get("title").stringValue()).isEqualTo("private");
        assertThat(seenByOwner.get("isPinned").booleanValue()).isFalse();
        assertThat(ids(api.get("/api/notes").json())).doesNotContain(id);
    }

    @Test
    void putOfAMissingNoteIs404() {
        assertError(api.put("/api/notes/2147483647", json("title", "x")), 404, "note_not_found");
        assertError(api.put("/api/notes/0", json("title", "x")), 404, "note_not_found");
    }

    // ---- delete ------------------------------------------------------------------------------

    @Test
    void deleteIs204ThenTheNoteIsGoneFromTheList() {
        int id = create("short-lived", false).get("id").intValue();
        int kept = create("kept", false).get("id").intValue();

        Api.Response deleted = api.delete("/api/notes/" + id);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(count(db, "SELECT count(*) FROM notes WHERE id = ? AND deleted_at IS NULL", id)).isZero();
        assertThat(ids(api.get("/api/notes").json())).contains(kept).doesNotContain(id);
        assertError(api.delete("/api/notes/" + id), 404, "note_not_found");
        assertError(api.put("/api/notes/" + id, json("title", "back?")), 404, "note_not_found");
        assertThat(count(db, "SELECT count(*) FROM notes WHERE id = ?", kept)).isOne();
    }

    // ---- validation --------------------------------------------------------------------------

    @Test
    void createWithoutTitleOrContentIs400NamingTheFieldAndWritesNothing() {
        long before = notesOf(userId);

        assertFieldError(api.post("/api/notes", json("content", "c")), 400, "field_required", "title");
        assertFieldError(api.post("/api/notes", json("title", null, "content", "c")), 400, "field_required", "title");
        assertFieldError(api.post("/api/notes", json("title", "t")), 400, "field_required", "content");
        assertFieldError(api.post("/api/notes", "{}"), 400, "field_required", "title");
        assertFieldError(api.send("POST", "/api/notes", null), 400, "field_required", "title");

        assertThat(notesOf(userId)).isEqualTo(before);
    }

    @Test
    void createWithAWrongTypeIs400NamingTheFieldAndWritesNothing() {
        long before = notesOf(userId);
        Map<String, List<Object>> wrongValues = Map.of(
                "title", List.of(5, true, List.of("t"), Map.of("a", "b")),
                "content", List.of(5, false, List.of()),
                "isPinned", List.of("yes", "true", 1, 0, List.of(true)),
                "color", List.of(3, true, List.of("red")),
                "tags", List.of("a", List.of(1), List.of("ok", 2), List.of(List.of("a")), Map.of("a", "b"), true));
        for (var field : wrongValues.entrySet()) {
            for (Object value : field.getValue()) {
                Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("title", "t", "content", "c"));
                body.put(field.getKey(), value);
                Api.Response response = api.post("/api/notes", ApiChecks.JSON.writeValueAsString(body));
                assertRejectsField(response, field.getKey());
            }
        }
        assertThat(notesOf(userId)).isEqualTo(before);
    }

    @Test
    void updateWithAWrongTypeOrANullRequiredFieldIs400AndChangesNothing() {
        int id = create(json("title", "t", "content", "c", "color", "red", "tags", List.of("k"))).get("id").intValue();
        List<Object> before = row(id);

        assertRejectsField(api.put("/api/notes/" + id, json("title", 5)), "title");
        assertRejectsField(api.put("/api/notes/" + id, json("title", null)), "title");
        assertRejectsField(api.put("/api/notes/" + id, json("content", null)), "content");
        assertRejectsField(api.put("/api/notes/" + id, json("isPinned", "yes")), "isPinned");
        assertRejectsField(api.put("/api/notes/" + id, json("isPinned", null)), "isPinned");
        assertRejectsField(api.put("/api/notes/" + id, json("color", 3)), "color");
        assertRejectsField(api.put("/api/notes/" + id, json("color", null)), "color");
        assertRejectsField(api.put("/api/notes/" + id, json("tags", "a")), "tags");
        assertRejectsField(api.put("/api/notes/" + id, json("tags", List.of(1))), "tags");
        // one bad field spoils the whole update: the valid ones are not applied either
        assertRejectsField(api.put("/api/notes/" + id, json("title", "new", "tags", List.of(1))), "tags");

        assertThat(row(id)).isEqualTo(before);
    }

    @Test
    void oversizedFieldsAre400NamingTheField() {
        long before = notesOf(userId);
        assertFieldError(api.post("/api/notes", json("title", "t".repeat(1_001), "content", "c")), 400, "field_too_long", "title");
        assertFieldError(api.post("/api/notes", json("title", "t", "content", "c".repeat(100_001))), 400, "field_too_long", "content");
        assertFieldError(api.post("/api/notes", json("title", "t", "content", "c", "color", "c".repeat(33))), 400, "field_too_long", "color");
        assertFieldError(api.post("/api/notes", json("title", "t", "content", "c", "tags", java.util.Collections.nCopies(51, "x"))),
                400, "too_many_items", "tags");
        assertFieldError(api.post("/api/notes", json("title", "t", "content", "c", "tags", List.of("x".repeat(101)))),
                400, "field_too_long", "tags");
        assertThat(notesOf(userId)).isEqualTo(before);

        JsonNode atTheLimits = create(json("title", "t".repeat(1_000), "content", "c".repeat(100_000)));
        assertThat(atTheLimits.get("content").stringValue()).hasSize(100_000);
    }

    @Test
    void aNonNumericIdIs400AndAHugeNumericIdIs404() {
        int id = create("target", false).get("id").intValue();
        for (String bad : List.of("abc", "1.5", "-1", "1e3", "0x10", "%20" + id, id + "abc", "null")) {
            assertFieldError(api.put("/api/notes/" + bad, json("title", "x")), 400, "invalid_id", "id");
            assertFieldError(api.delete("/api/notes/" + bad), 400, "invalid_id", "id");
        }
        for (String huge : List.of("2147483648", "9223372036854775807", "9223372036854775808", "99999999999999999999999999")) {
            assertError(api.put("/api/notes/" + huge, json("title", "x")), 404, "note_not_found");
            assertError(api.delete("/api/notes/" + huge), 404, "note_not_found");
        }
        assertThat(row(id).get(1)).isEqualTo("target");
    }

    @Test
    void unicodeEmojiQuotesBackslashesAndNewlinesRoundTripExactly() {
        String title = "Belanja 🛒 \"besar\" — ñ 日本語 \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        String content = "line 1\nline 2\r\n\ttabbed \\ back\\slash 'single' \"double\" </script><b>x</b> \u00e9\u0301 \u2028 {\"json\":1} %s ${x} ?";
        List<String> tags = List.of("rumah 🏠", "a,b", "{braces}", "\"q\"", "back\\slash", "NULL", "");

        JsonNode created = create(json("title", title, "content", content, "color", "#ff00ff ✓", "tags", tags));
        int id = created.get("id").intValue();

        for (JsonNode note : List.of(created, api.get("/api/notes").json().get(ids(api.get("/api/notes").json()).indexOf(id)))) {
            assertThat(note.get("title").stringValue()).isEqualTo(title);
            assertThat(note.get("content").stringValue()).isEqualTo(content);
            assertThat(note.get("color").stringValue()).isEqualTo("#ff00ff ✓");
            assertThat(strings(note.get("tags"))).containsExactlyElementsOf(tags);
        }
        assertThat(Sql.value(db.superuserUrl(), "SELECT content FROM notes WHERE id = ?", id)).isEqualTo(content);
        String storedTags = (String) Sql.value(db.superuserUrl(), "SELECT array_to_json(tags)::text FROM notes WHERE id = ?", id);
        assertThat(strings(ApiChecks.JSON.readTree(storedTags))).containsExactlyElementsOf(tags);

        JsonNode updated = api.put("/api/notes/" + id, json("content", "“smart” ‘quotes’ \\n literal")).json();
        assertThat(updated.get("content").stringValue()).isEqualTo("“smart” ‘quotes’ \\n literal");
    }

    @Test
    void aNulCharacterIsRefusedWithAClear400NotA500() {
        long before = notesOf(userId);
        assertRejectsField(api.post("/api/notes", json("title", "a\u0000b", "content", "c")), "title");
        assertRejectsField(api.post("/api/notes", json("title", "t", "content", "c", "tags", List.of("x\u0000"))), "tags");
        assertThat(notesOf(userId)).isEqualTo(before);
    }

    @Test
    void notesSurviveAcrossSessionsOfTheSameUser() {
        String name = unique("again");
        Api first = server.api();
        first.registerAndLogin(name, "secret123");
        int id = create(first, json("title", "kept", "content", "c")).get("id").intValue();
        first.post("/api/auth/logout", null);

        Api second = server.api();
        assertThat(second.post("/api/auth/login", Api.json("username", name, "password", "secret123")).status()).isEqualTo(200);
        assertThat(ids(second.get("/api/notes").json())).containsExactly(id);
    }
}
