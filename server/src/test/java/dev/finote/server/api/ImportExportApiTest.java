package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.finote.server.api.ApiChecks.JSON;
import static dev.finote.server.api.ApiChecks.assertError;
import static dev.finote.server.api.ApiChecks.count;
import static dev.finote.server.api.ApiChecks.ids;
import static dev.finote.server.api.ApiChecks.json;
import static dev.finote.server.api.ApiChecks.strings;
import static dev.finote.server.api.ApiChecks.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/notes/export and POST /api/notes/import (Finote exports, Google Keep Takeout). */
@ExtendWith(FinoteExtension.class)
class ImportExportApiTest {

    private final SharedDatabase db;
    private final TestServer server;
    private final Api api;
    private final int userId;

    ImportExportApiTest(SharedDatabase db, TestServer server, Api api) {
        this.db = db;
        this.server = server;
        this.api = api;
        this.userId = api.registerAndLogin(unique("io"), "secret123");
    }

    private Api newUser() {
        Api other = server.api();
        other.registerAndLogin(unique("io"), "secret123");
        return other;
    }

    private static Map<String, Object> keepNote(String title, String text, Object... more) {
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("color", "DEFAULT");
        note.put("isTrashed", false);
        note.put("isPinned", false);
        note.put("isArchived", false);
        note.put("textContent", text);
        note.put("title", title);
        note.put("userEditedTimestampUsec", 1_700_000_000_123_456L);
        note.put("createdTimestampUsec", 1_600_000_000_000_000L);
        for (int i = 0; i < more.length; i += 2) note.put((String) more[i], more[i + 1]);
        return note;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] bytes(Object value) {
        return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode importOk(Api client, String type, byte[] body) {
        Api.Response response = client.postBytes("/api/notes/import", type, body);
        assertThat(response.status()).as("import %s", response).isEqualTo(200);
        return response.json();
    }

    @Test
    void exportHoldsEveryNoteTrashIncludedAndImportsIntoAnotherAccountOnce() {
        JsonNode kept = api.post("/api/notes", json("title", "Belanja", "content", "Beras 5kg", "isPinned", true, "color", "yellow",
                "tags", List.of("rumah"))).json();
        JsonNode trashed = api.post("/api/notes", json("title", "Lama", "content", "buang", "tags", null)).json();
        api.delete("/api/notes/" + trashed.get("id").intValue());

        Api.Response export = api.get("/api/notes/export");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Disposition")).hasValueSatisfying(value -> assertThat(value).startsWith("attachment"));
        JsonNode document = export.json();
        assertThat(document.get("format").stringValue()).isEqualTo("finote-export");
        assertThat(document.get("version").intValue()).isEqualTo(1);
        assertThat(Instant.parse(document.get("exportedAt").stringValue())).isBefore(Instant.now().plusSeconds(5));
        assertThat(ids(document.get("notes"))).containsExactly(kept.get("id").intValue(), trashed.get("id").intValue());
        assertThat(document.get("notes").get(0)).isEqualTo(kept);
        assertThat(document.get("notes").get(1).has("deletedAt")).isTrue();

        Api other = newUser();
        JsonNode result = importOk(other, "application/json", export.body().getBytes(StandardCharsets.UTF_8));
        assertThat(result.toString()).isEqualTo("{\"imported\":2,\"skipped\":0,\"problems\":[]}");
        JsonNode list = other.get("/api/notes").json();
        assertThat(list.size()).isEqualTo(1);
        JsonNode copy = list.get(0);
        for (String field : List.of("title", "content", "isPinned", "color", "tags", "createdAt", "updatedAt")) {
            assertThat(copy.get(field)).as(field).isEqualTo(kept.get(field));
        }
        assertThat(other.get("/api/notes/trash").json().get(0).get("title").stringValue()).isEqualTo("Lama");

        JsonNode again = importOk(other, "application/json", export.body().getBytes(StandardCharsets.UTF_8));
        assertThat(again.toString()).isEqualTo("{\"imported\":0,\"skipped\":2,\"problems\":[]}");
    }

    @Test
    void aKeepTakeoutZipKeepsTitleTextChecklistLabelsPinColorTrashArchiveAndTimes() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("Takeout/archive_browser.html", "<html></html>".getBytes(StandardCharsets.UTF_8));
        files.put("Takeout/Keep/Belanja.json", bytes(keepNote("Belanja", "", "isPinned", true, "color", "YELLOW",
                "labels", List.of(Map.of("name", "rumah"), Map.of("name", "Mingguan")),
                "listContent", List.of(Map.of("text", "beras", "isChecked", true), Map.of("text", "kopi", "isChecked", false)))));
        files.put("Takeout/Keep/Belanja.html", "<html>Belanja</html>".getBytes(StandardCharsets.UTF_8));
        files.put("Takeout/Keep/Lama.json", bytes(keepNote("Lama", "sudah dibuang", "isTrashed", true)));
        files.put("Takeout/Keep/Arsip.json", bytes(keepNote("", "catatan arsip", "isArchived", true)));
        files.put("Takeout/Keep/Rusak.json", "{not json".getBytes(StandardCharsets.UTF_8));
        files.put("Takeout/Keep/Besar.json", bytes(keepNote("Besar", "x".repeat(100_001))));
        files.put("Takeout/Keep/photo.png", new byte[] {1, 2, 3});
        byte[] zip = zip(files);

        JsonNode result = importOk(api, "application/zip", zip);
        assertThat(result.get("imported").intValue()).isEqualTo(3);
        assertThat(result.get("skipped").intValue()).isZero();
        assertThat(result.get("problems").toString())
                .isEqualTo("[{\"note\":\"Rusak.json\",\"message\":\"malformed_json\"},{\"note\":\"Besar.json\",\"message\":\"content_too_long\"}]");

        JsonNode list = api.get("/api/notes").json();
        assertThat(list.size()).isEqualTo(2);
        JsonNode belanja = list.get(0);
        assertThat(belanja.get("title").stringValue()).isEqualTo("Belanja");
        assertThat(belanja.get("content").stringValue()).isEqualTo("- [x] beras\n- [ ] kopi");
        assertThat(belanja.get("isPinned").booleanValue()).isTrue();
        assertThat(belanja.get("color").stringValue()).isEqualTo("yellow");
        assertThat(strings(belanja.get("tags"))).containsExactly("rumah", "Mingguan");
        assertThat(belanja.get("createdAt").stringValue()).isEqualTo("2020-09-13T12:26:40.000Z");
        assertThat(belanja.get("updatedAt").stringValue()).isEqualTo("2023-11-14T22:13:20.123Z");
        JsonNode archived = list.get(1);
        assertThat(archived.get("content").stringValue()).isEqualTo("catatan arsip");
        assertThat(strings(archived.get("tags"))).containsExactly("archived");
        assertThat(api.get("/api/notes/trash").json().get(0).get("title").stringValue()).isEqualTo("Lama");

        JsonNode again = importOk(api, "application/zip", zip);
        assertThat(again.get("imported").intValue()).isZero();
        assertThat(again.get("skipped").intValue()).isEqualTo(3);
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", userId)).isEqualTo(3);
    }

    @Test
    void oneKeepNoteJsonImports() {
        JsonNode result = importOk(api, "application/json", bytes(keepNote("Satu", "isi satu")));
        assertThat(result.get("imported").intValue()).isOne();
        assertThat(api.get("/api/notes").json().get(0).get("content").stringValue()).isEqualTo("isi satu");
    }

    @Test
    void fiveThousandNotesImportInSecondsEachOnce() {
        List<Map<String, Object>> notes = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            notes.add(Map.of("id", i, "title", "catatan " + i, "content", "isi ".repeat(50) + i, "isPinned", i % 10 == 0,
                    "color", "default", "tags", List.of("t" + (i % 7)), "createdAt", "2026-01-01T00:00:00.000Z"));
        }
        notes.add(Map.of("title", "no content"));
        byte[] file = bytes(Map.of("format", "finote-export", "version", 1, "exportedAt", "2026-01-02T00:00:00.000Z", "notes", notes));

        Instant start = Instant.now();
        JsonNode result = importOk(api, "application/json", file);
        Duration took = Duration.between(start, Instant.now());

        assertThat(result.get("imported").intValue()).isEqualTo(5_000);
        assertThat(result.get("problems").toString()).isEqualTo("[{\"note\":\"notes[5000]\",\"message\":\"content_missing\"}]");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", userId)).isEqualTo(5_000);
        assertThat(api.get("/api/notes?q=catatan%204999").json().size()).isOne();
    }

    @Test
    void anythingElseIs400UnsupportedAndImportsNothing() throws IOException {
        List<byte[]> bodies = List.of(
                "{\"hello\":1}".getBytes(StandardCharsets.UTF_8),
                "[1,2,3]".getBytes(StandardCharsets.UTF_8),
                "not json at all".getBytes(StandardCharsets.UTF_8),
                "{\"format\":\"finote-export\",\"version\":2,\"notes\":[]}".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                zip(Map.of("Takeout/Drive/file.txt", "x".getBytes(StandardCharsets.UTF_8))),
                new byte[] {'P', 'K', 3, 4, 9, 9, 9});
        for (byte[] body : bodies) {
            assertError(api.postBytes("/api/notes/import", "application/octet-stream", body), 400, "unsupported_import");
        }
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", userId)).isZero();
    }

    @Test
    void aZipBombAndABodyOver50MiBAre413() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("Takeout/Keep/bomb.png"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 300; i++) zip.write(zeros); // 300 MiB of zeros, a few hundred KiB zipped
            zip.closeEntry();
        }
        assertThat(bytes.size()).isLessThan(2 * 1024 * 1024);
        assertError(api.postBytes("/api/notes/import", "application/zip", bytes.toByteArray()), 413, "import_too_large");

        // Over 50 MiB: refused from the Content-Length, before the body is sent (so a raw request, headers only).
        URI base = URI.create(server.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /api/notes/import HTTP/1.1\r\nHost: localhost\r\nCookie: " + Api.COOKIE + "="
                    + api.sessionCookie() + "\r\nContent-Type: application/json\r\nContent-Length: " + (50 * 1024 * 1024 + 1)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder answer = new StringBuilder();
            for (int c; answer.indexOf("}") < 0 && (c = socket.getInputStream().read()) >= 0; ) answer.append((char) c);
            assertThat(answer.toString()).startsWith("HTTP/1.1 413").contains("{\"message\":\"payload_too_large\"}");
        }
        // Up to 50 MiB is read (and here refused only for what it holds).
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        assertError(api.postBytes("/api/notes/import", "application/json", big), 400, "unsupported_import");
        assertThat(count(db, "SELECT count(*) FROM notes WHERE user_id = ?", userId)).isZero();
    }

    @Test
    void importAndExportNeedASession() {
        Api anonymous = server.api();
        assertError(anonymous.get("/api/notes/export"), 401, "unauthorized");
        assertError(anonymous.postBytes("/api/notes/import", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 401, "unauthorized");
    }
}
