package dev.finote.server.api;

import dev.finote.server.notes.TrashPurge;
import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.finote.server.api.ApiChecks.assertError;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.ids;
import static dev.finote.server.api.ApiChecks.json;
import static dev.finote.server.api.ApiChecks.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** DELETE moves to the trash; the trash lists, restores, deletes for good, empties, and purges after 30 days. */
@ExtendWith(FinoteExtension.class)
class TrashApiTest {

    private final SharedDatabase db;
    private final TestServer server;
    private final Api api;
    private final int userId;

    TrashApiTest(SharedDatabase db, TestServer server, Api api) {
        this.db = db;
        this.server = server;
        this.api = api;
        this.userId = api.registerAndLogin(unique("trash"), "secret123");
    }

    private JsonNode create(String title) {
        Api.Response response = api.post("/api/notes", json("title", title, "content", "isi", "isPinned", true, "color", "red",
                "tags", List.of("a", "b")));
        assertThat(response.status()).isEqualTo(201);
        return response.json();
    }

    @Test
    void aDeletedNoteGoesToTheTrashAndComesBackWithAllItsFields() {
        JsonNode note = create("buang");
        int id = note.get("id").intValue();
        Instant before = Instant.now();
        assertThat(api.delete("/api/notes/" + id).status()).isEqualTo(204);

        assertThat(ids(api.get("/api/notes").json())).doesNotContain(id);
        assertThat(ids(api.get("/api/notes?q=buang").json())).isEmpty();
        assertError(api.put("/api/notes/" + id, json("title", "x")), 404, "note_not_found");
        assertError(api.delete("/api/notes/" + id), 404, "note_not_found");

        Api.Response trash = api.get("/api/notes/trash");
        assertThat(trash.status()).isEqualTo(200);
        assertThat(trash.json().size()).isEqualTo(1);
        JsonNode trashed = trash.json().get(0);
        assertThat(trashed.get("id").intValue()).isEqualTo(id);
        assertThat(Instant.parse(trashed.get("deletedAt").stringValue())).isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));

        Api.Response restored = api.post("/api/notes/" + id + "/restore", null);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.body()).isEqualTo(ApiChecks.JSON.writeValueAsString(note));
        assertThat(restored.json().has("deletedAt")).isFalse();
        assertThat(ids(api.get("/api/notes").json())).contains(id);
        assertThat(api.get("/api/notes/trash").json().size()).isZero();
        assertError(api.post("/api/notes/" + id + "/restore", null), 404, "note_not_found");
    }

    @Test
    void theTrashIsMostRecentlyDeletedFirstAndOnlyTheCallers() {
        int a = create("a").get("id").intValue();
        int b = create("b").get("id").intValue();
        api.delete("/api/notes/" + b);
        api.delete("/api/notes/" + a);
        Sql.update(db.superuserUrl(), "UPDATE notes SET deleted_at = deleted_at - interval '1 hour' WHERE id = ?", b);

        Api other = server.api();
        other.registerAndLogin(unique("other"), "secret123");
        assertThat(other.get("/api/notes/trash").json().size()).isZero();
        assertError(other.post("/api/notes/" + a + "/restore", null), 404, "note_not_found");
        assertError(other.delete("/api/notes/trash/" + a), 404, "note_not_found");
        assertThat(other.delete("/api/notes/trash").json().get("deleted").intValue()).isZero();

        assertThat(ids(api.get("/api/notes/trash").json())).containsExactly(a, b);
    }

    @Test
    void deletingFromTheTrashIsForGoodAndOnlyForNotesInTheTrash() {
        int listed = create("listed").get("id").intValue();
        int trashed = create("trashed").get("id").intValue();
        api.delete("/api/notes/" + trashed);

        assertError(api.delete("/api/notes/trash/" + listed), 404, "note_not_found");
        assertThat(api.delete("/api/notes/trash/" + trashed).status()).isEqualTo(204);
        assertThat(count(db, "SELECT count(*) FROM notes WHERE id IN (?, ?)", listed, trashed)).isOne();
        assertError(api.delete("/api/notes/trash/" + trashed), 404, "note_not_found");
        assertError(api.post("/api/notes/" + trashed + "/restore", null), 404, "note_not_found");
        ApiChecks.assertFieldError(api.delete("/api/notes/trash/abc"), 400, "invalid_id", "id");
    }

    @Test
    void emptyingTheTrashSaysHowManyWereDeleted() {
        for (int i = 0; i < 3; i++) api.delete("/api/notes/" + create("t" + i).get("id").intValue());
        int kept = create("kept").get("id").intValue();

        Api.Response emptied = api.delete("/api/notes/trash");
        assertThat(emptied.status()).isEqualTo(200);
        assertThat(emptied.body()).isEqualTo("{\"deleted\":3}");
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", userId)).isOne();
        assertThat(ids(api.get("/api/notes").json())).containsExactly(kept);
        assertThat(api.delete("/api/notes/trash").body()).isEqualTo("{\"deleted\":0}");
    }

    @Test
    void notesInTheTrashOver30DaysArePurgedAndSeveralInstancesShareThePurge() throws Exception {
        Sql.update(db.superuserUrl(), "INSERT INTO notes (user_id, title, content, created_at, deleted_at) "
                + "SELECT ?, 'old ' || g, 'c', timezone('UTC', now()), timezone('UTC', now()) - interval '31 days' FROM generate_series(1, 1200) g", userId);
        int recent = create("recent").get("id").intValue();
        api.delete("/api/notes/" + recent);
        Sql.update(db.superuserUrl(), "UPDATE notes SET deleted_at = deleted_at - interval '29 days' WHERE id = ?", recent);
        int listed = create("listed").get("id").intValue();

        try (TestServer second = TestServer.start(db.appUrl())) {
            TrashPurge one = server.context().getBean(TrashPurge.class);
            TrashPurge two = second.context().getBean(TrashPurge.class);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> runs = pool.invokeAll(List.<Callable<Integer>>of(one::purge, two::purge, one::purge, two::purge));
                int total = 0;
                for (Future<Integer> run : runs) total += run.get(60, TimeUnit.SECONDS);
                assertThat(total).isGreaterThanOrEqualTo(1_200);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ? AND title LIKE 'old %'", userId)).isZero();
        assertThat(ids(api.get("/api/notes/trash").json())).containsExactly(recent);
        assertThat(ids(api.get("/api/notes").json())).containsExactly(listed);
    }
}
