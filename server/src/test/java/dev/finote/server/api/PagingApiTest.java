package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.finote.server.api.ApiChecks.assertFieldError;
import static dev.finote.server.api.ApiChecks.ids;
import static dev.finote.server.api.ApiChecks.json;
import static dev.finote.server.api.ApiChecks.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/notes?limit=…&cursor=…: keyset pages linked by {@code Link: <…>; rel="next"}. */
@ExtendWith(FinoteExtension.class)
class PagingApiTest {

    private static final Pattern NEXT = Pattern.compile("^<([^>]+)>; rel=\"next\"$");

    private final SharedDatabase db;
    private final TestServer server;
    private final Api api;
    private final int userId;

    PagingApiTest(SharedDatabase db, TestServer server, Api api) {
        this.db = db;
        this.server = server;
        this.api = api;
        this.userId = api.registerAndLogin(unique("pages"), "secret123");
    }

    private int create(String title, boolean pinned) {
        Api.Response response = api.post("/api/notes", json("title", title, "content", "c", "isPinned", pinned));
        assertThat(response.status()).isEqualTo(201);
        return response.json().get("id").intValue();
    }

    private static Optional<String> next(Api.Response page) {
        return page.header("Link").map(link -> {
            Matcher matcher = NEXT.matcher(link);
            assertThat(matcher.matches()).as("Link header %s", link).isTrue();
            return matcher.group(1);
        });
    }

    /** Follows every Link from {@code first}; the ids in page order. */
    private List<Integer> walk(Api client, String first, int limit) {
        List<Integer> all = new ArrayList<>();
        String path = first;
        for (int pages = 0; path != null; pages++) {
            assertThat(pages).as("pages").isLessThan(100);
            Api.Response page = client.get(path);
            assertThat(page.status()).as("page %s", page).isEqualTo(200);
            assertThat(page.json().size()).isLessThanOrEqualTo(limit);
            all.addAll(ids(page.json()));
            path = next(page).orElse(null);
            if (path != null) assertThat(page.json().size()).isEqualTo(limit);
        }
        return all;
    }

    @Test
    void pagesFollowTheListOrderAndTheLastPageHasNoLink() {
        for (int i = 0; i < 12; i++) create("note " + i, i % 4 == 0);
        // rows the Node backend may have left: NULL pin and NULL creation time sort first under DESC
        for (String values : List.of("NULL, '2026-01-01 00:00:00'", "true, NULL", "NULL, NULL", "false, NULL")) {
            Sql.update(db.superuserUrl(), "INSERT INTO notes (user_id, title, content, is_pinned, created_at) VALUES (?, 'old', 'c', " + values + ")", userId);
        }
        List<Integer> full = ids(api.get("/api/notes").json());
        assertThat(full).hasSize(16);

        for (int limit : List.of(1, 3, 5, 16, 200)) {
            assertThat(walk(api, "/api/notes?limit=" + limit, limit)).as("limit %d", limit).isEqualTo(full);
        }
        Api.Response exact = api.get("/api/notes?limit=16");
        assertThat(exact.header("Link")).isEmpty();
    }

    @Test
    void pagesOfASearchAndOfAFilterKeepTheirFilters() {
        List<Integer> kopi = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            kopi.add(create((i % 2 == 0 ? "kopi " : "teh ") + i, i == 3));
            create("lain " + i, false);
        }
        List<Integer> titleHits = new ArrayList<>(List.of(kopi.get(0), kopi.get(2), kopi.get(4), kopi.get(6)));
        // Node-era rows with NULL pin or creation time, matching in the title or only in the content
        for (String values : List.of("NULL, '2026-01-01 00:00:00'", "true, NULL", "NULL, NULL", "false, NULL")) {
            titleHits.add(((Number) Sql.value(db.superuserUrl(), "INSERT INTO notes (user_id, title, content, is_pinned, created_at) "
                    + "VALUES (?, 'kopi lama', 'c', " + values + ") RETURNING id", userId)).intValue());
            Sql.update(db.superuserUrl(), "INSERT INTO notes (user_id, title, content, is_pinned, created_at) VALUES (?, 'lama', 'kopi', " + values + ")", userId);
        }
        List<Integer> expected = ids(api.get("/api/notes?q=kopi%20").json());
        assertThat(expected).hasSize(12);
        assertThat(expected.subList(0, 8)).as("title matches first").containsExactlyInAnyOrderElementsOf(titleHits);
        for (int limit : List.of(1, 2, 3, 5)) {
            assertThat(walk(api, "/api/notes?q=kopi%20&limit=" + limit, limit)).as("limit %d", limit).isEqualTo(expected);
        }
        List<Integer> pinned = ids(api.get("/api/notes?pinned=false").json());
        assertThat(walk(api, "/api/notes?pinned=false&limit=4", 4)).isEqualTo(pinned);
    }

    @Test
    void aNoteAddedWhilePagingNeitherRepeatsNorShiftsTheRest() {
        List<Integer> before = new ArrayList<>();
        for (int i = 0; i < 6; i++) before.add(0, create("n" + i, false));
        Api.Response first = api.get("/api/notes?limit=3");
        int added = create("added meanwhile", false);
        Api.Response second = api.get(next(first).orElseThrow());
        assertThat(ids(first.json())).isEqualTo(before.subList(0, 3));
        assertThat(ids(second.json())).isEqualTo(before.subList(3, 6)).doesNotContain(added);
    }

    @Test
    void aTamperedForeignOrMismatchedCursorIs400() {
        for (int i = 0; i < 3; i++) create("n" + i, false);
        String link = next(api.get("/api/notes?limit=1")).orElseThrow();
        String cursor = link.substring(link.indexOf("cursor=") + 7);

        String flipped = cursor.substring(0, 5) + (cursor.charAt(5) == 'A' ? 'B' : 'A') + cursor.substring(6);
        assertFieldError(api.get("/api/notes?limit=1&cursor=" + flipped), 400, "invalid_cursor", "cursor");
        assertFieldError(api.get("/api/notes?limit=1&cursor=garbage"), 400, "invalid_cursor", "cursor");
        assertFieldError(api.get("/api/notes?limit=1&cursor=" + "A".repeat(600)), 400, "invalid_cursor", "cursor");
        assertFieldError(api.get("/api/notes?limit=1&q=x&cursor=" + cursor), 400, "invalid_cursor", "cursor");

        Api other = server.api();
        other.registerAndLogin(unique("other"), "secret123");
        other.post("/api/notes", json("title", "t", "content", "c"));
        assertFieldError(other.get("/api/notes?limit=1&cursor=" + cursor), 400, "invalid_cursor", "cursor");

        assertThat(api.get(link).status()).isEqualTo(200);
    }

    @Test
    void aCursorWithoutALimitGivesEverythingAfterIt() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) all.add(0, create("n" + i, false));
        String link = next(api.get("/api/notes?limit=2")).orElseThrow();
        String cursor = link.substring(link.indexOf("cursor=") + 7);
        assertThat(ids(api.get("/api/notes?cursor=" + cursor).json())).isEqualTo(all.subList(2, 5));
    }
}
