package dev.finote.server.notes.imports;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/notes/import}: reads the file, then inserts its notes in one transaction,
 * {@value #BATCH} per statement ({@code jsonb_to_recordset}: one round trip per batch, so 5,000
 * notes take well under a second). Every note goes in whole or is reported as a problem; a note
 * whose source hash the user already has is skipped ({@code ON CONFLICT DO NOTHING} on the
 * per-user unique import key), so importing a file again imports nothing.
 */
@Service
public class NoteImporter {

    static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final ImportReader reader;

    public NoteImporter(JdbcClient jdbc, JsonMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
        this.reader = new ImportReader(json);
    }

    public ImportResult importFile(int userId, InputStream body) throws IOException {
        List<ImportedNote> notes = new ArrayList<>();
        List<ImportProblem> problems = new ArrayList<>();
        for (Object item : reader.read(body)) {
            if (item instanceof ImportedNote note) notes.add(note);
            else problems.add((ImportProblem) item);
        }
        Integer imported = transaction.execute(status -> {
            int count = 0;
            for (int from = 0; from < notes.size(); from += BATCH) {
                count += insert(userId, notes.subList(from, Math.min(notes.size(), from + BATCH)));
            }
            return count;
        });
        return new ImportResult(imported, notes.size() - imported, problems);
    }

    private int insert(int userId, List<ImportedNote> batch) {
        ArrayNode rows = json.createArrayNode();
        for (ImportedNote note : batch) {
            ObjectNode row = rows.addObject();
            row.put("title", note.title());
            row.put("content", note.content());
            row.put("is_pinned", note.isPinned());
            row.put("color", note.color());
            if (note.tags() == null) row.putNull("tags");
            else note.tags().forEach(row.putArray("tags")::add);
            row.put("created_at", text(note.createdAt()));
            row.put("updated_at", text(note.updatedAt()));
            row.put("deleted_at", text(note.deletedAt()));
            row.put("import_key", note.key());
        }
        return jdbc.sql("""
                        INSERT INTO notes (user_id, title, content, is_pinned, color, tags, created_at, updated_at, deleted_at, import_key)
                        SELECT ?, title, content, is_pinned, color, tags, coalesce(created_at, timezone('UTC', now())),
                               updated_at, deleted_at, import_key
                          FROM jsonb_to_recordset(?::jsonb) AS n(title text, content text, is_pinned boolean, color text,
                               tags text[], created_at timestamp, updated_at timestamp, deleted_at timestamp, import_key text)
                        ON CONFLICT (user_id, import_key) WHERE import_key IS NOT NULL DO NOTHING""")
                .params(userId, json.writeValueAsString(rows)).update();
    }

    private static String text(LocalDateTime time) {
        return time == null ? null : time.toString();
    }
}
