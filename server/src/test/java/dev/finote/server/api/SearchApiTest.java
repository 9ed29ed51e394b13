package dev.finote.server.api;

import dev.finote.server.notes.search.FoldingSql;
import dev.finote.server.notes.search.SearchFolding;
import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static dev.finote.server.api.ApiChecks.assertFieldError;
import static dev.finote.server.api.ApiChecks.ids;
import static dev.finote.server.api.ApiChecks.json;
import static dev.finote.server.api.ApiChecks.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/notes?q=…&tag=…&pinned=…: full-text search and filters. */
@ExtendWith(FinoteExtension.class)
class SearchApiTest {

    private final SharedDatabase db;
    private final TestServer server;
    private final Api api;

    SearchApiTest(SharedDatabase db, TestServer server, Api api) {
        this.db = db;
        this.server = server;
        this.api = api;
        api.registerAndLogin(unique("search"), "secret123");
    }

    private int create(String title, String content, boolean pinned, List<String> tags) {
        Api.Response response = api.post("/api/notes", json("title", title, "content", content, "isPinned", pinned, "tags", tags));
        assertThat(response.status()).as("create %s", response).isEqualTo(201);
        return response.json().get("id").intValue();
    }

    private List<Integer> search(String q) {
        Api.Response response = api.get("/api/notes?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        assertThat(response.status()).as("search %s: %s", q, response).isEqualTo(200);
        return ids(response.json());
    }

    @Test
    void everyWordMustMatchTheLastAsAPrefixCaseAndAccentInsensitive() {
        int cafe = create("Café Tujuh", "kopi susu gula aren", false, null);
        int kopi = create("Belanja", "Kopi bubuk, beras 5kg", false, List.of("Rumah"));
        int english = create("Groceries", "Coffee beans and naïve résumé", false, null);

        assertThat(search("cafe")).containsExactly(cafe);
        assertThat(search("CAFÉ")).containsExactly(cafe);
        assertThat(search("kopi")).containsExactlyInAnyOrder(cafe, kopi);
        assertThat(search("kopi beras")).containsExactly(kopi);
        assertThat(search("kop")).containsExactlyInAnyOrder(cafe, kopi);          // as you type
        assertThat(search("ko beras")).isEmpty();                               // only the last word is a prefix
        assertThat(search("resume naive")).containsExactly(english);
        assertThat(search("coffee bea")).containsExactly(english);
        assertThat(search("rumah")).containsExactly(kopi);                       // tags are searched, case-insensitively
        assertThat(search("5kg")).containsExactly(kopi);
        assertThat(search("teh")).isEmpty();
        int web = create("Menu", "pesan di www.kopiku.co.id/menu atau fi@kopiku.id", false, null);
        assertThat(search("kopiku menu")).containsExactly(web);                  // host names, paths and addresses are words too
        assertThat(search("kopiku.co.id")).containsExactly(web);
    }

    @Test
    void aTitleMatchRanksAboveAContentMatchThenPinnedThenNewest() {
        int contentOld = create("Catatan", "resep nasi goreng", false, null);
        int titleOld = create("Nasi goreng", "bumbu", false, null);
        int contentPinned = create("Minggu", "nasi uduk", true, null);
        int titleNew = create("Nasi kuning", "untuk syukuran", false, null);
        int contentNew = create("Hari ini", "makan nasi", false, null);

        assertThat(search("nasi")).containsExactly(titleNew, titleOld, contentPinned, contentNew, contentOld);
    }

    @Test
    void searchCombinesWithTagAndPinnedAndLeavesOutOtherUsersAndTheTrash() {
        int pinnedTagged = create("kopi pagi", "x", true, List.of("kopi"));
        int tagged = create("kopi sore", "x", false, List.of("kopi"));
        int untagged = create("kopi malam", "x", false, null);
        int trashed = create("kopi basi", "x", false, List.of("kopi"));
        assertThat(api.delete("/api/notes/" + trashed).status()).isEqualTo(204);
        Api other = server.api();
        other.registerAndLogin(unique("other"), "secret123");
        other.post("/api/notes", json("title", "kopi orang lain", "content", "x", "tags", List.of("kopi")));

        assertThat(search("kopi")).containsExactly(pinnedTagged, untagged, tagged);
        assertThat(ids(api.get("/api/notes?q=kopi&tag=kopi").json())).containsExactly(pinnedTagged, tagged);
        assertThat(ids(api.get("/api/notes?q=kopi&pinned=false").json())).containsExactly(untagged, tagged);
        assertThat(ids(api.get("/api/notes?tag=kopi&pinned=true").json())).containsExactly(pinnedTagged);
        assertThat(ids(api.get("/api/notes?tag=Kopi").json())).isEmpty();          // a tag filter is exact
    }

    @Test
    void aBlankOrWordlessQueryIsNoFilter() {
        int a = create("satu", "x", false, null);
        int b = create("dua", "x", false, null);
        assertThat(ids(api.get("/api/notes?q=").json())).containsExactly(b, a);
        assertThat(ids(api.get("/api/notes?q=%20%20").json())).containsExactly(b, a);
        assertThat(ids(api.get("/api/notes?q=%26%7C%21%3A*").json())).containsExactly(b, a); // tsquery operators are not words
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        assertFieldError(api.get("/api/notes?q=" + "a".repeat(201)), 400, "q_too_long", "q");
        assertThat(api.get("/api/notes?q=" + "a".repeat(200)).status()).isEqualTo(200);
        assertFieldError(api.get("/api/notes?pinned=yes"), 400, "pinned_must_be_true_or_false", "pinned");
        for (String limit : List.of("0", "201", "-1", "abc", "1.5", "")) {
            assertFieldError(api.get("/api/notes?limit=" + limit), 400, "limit_must_be_1_to_200", "limit");
        }
    }

    /** The query's words are folded exactly as PostgreSQL folds the notes for the index. */
    @Test
    void postgresqlAndTheServerFoldTextAlike() {
        List<String> texts = List.of("Ça Dépend, Łódź ÖSTERREICH", "naïve résumé jalapeño piñata über crème brûlée",
                "İstanbul ılık øl Đorđe Ålesund", "host.example/path@mail a-b_c 'q' \"d\" [x]{y}<z>|w\\v",
                "“quoted” ‘single’ … – — «guillemets»", "ñandú Ærø ß Дом ĞÜŞ", "e\u0301 (e + combining acute)", "kopi susu 5kg");
        for (String text : texts) {
            Object folded = Sql.value(db.superuserUrl(), "SELECT lower(" + FoldingSql.of("?::text") + ")", text);
            assertThat(folded).as("folding %s", text).isEqualTo(SearchFolding.fold(text));
        }
        assertThat(SearchFolding.fold("Ça Dépend, Łódź ÖSTERREICH")).isEqualTo("ca depend  lodz osterreich"); // punctuation separates words
        assertThat(SearchFolding.LETTERS_FROM).hasSameSizeAs(SearchFolding.LETTERS_TO);
    }

    /**
     * schema.sql folds with exactly the server's characters, in both search indexes and in both
     * expressions of search_notes (SearchPlanTest checks that the planner matches them).
     */
    @Test
    void theSchemaFoldsWithTheServersCharacters() throws Exception {
        String schema = Files.readString(Path.of("src/main/resources/db/schema.sql")).replaceAll("\\s+", " ").replace("( ", "(");
        assertThat(schema).contains(FoldingSql.of("left(title, 110000)"), FoldingSql.of("left(t.title, 110000)"));
        String document = FoldingSql.of("left(title || ' ' || content, 110000) || ' ' || coalesce(array_to_tsvector(array_remove(array_remove(tags, NULL), ''))::text, '')");
        assertThat(schema.split(Pattern.quote(document), -1)).as("the document's folding in the index and in search_notes").hasSize(3);
    }

    /** New notes go straight into both search indexes: a pending list (fastupdate) would be read whole by every search. */
    @Test
    void bothSearchIndexesAreBuiltWithoutAPendingList() {
        assertThat(((Number) Sql.value(db.superuserUrl(), "SELECT count(*) FROM pg_class WHERE relname IN ('notes_words_idx', 'notes_title_words_idx') "
                + "AND reloptions @> ARRAY['fastupdate=off']")).intValue()).isEqualTo(2);
    }
}
