package dev.finote.server.notes;

import dev.finote.server.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Optional;

/**
 * {@code POST /api/notes} with an {@code Idempotency-Key}: a create that was answered 503 or cut
 * off may have been committed, so a client retries it with the same key, and the retry returns
 * the note the first attempt made instead of making a second one. Keys are per user, at most
 * {@value #MAX_KEY_LENGTH} characters, and kept {@value #KEEP_HOURS} hours.
 *
 * <p>The key row is inserted in the same transaction as the note. Two attempts racing with the
 * same key meet on the key's primary key: the second waits for the first to commit, finds its
 * row, and returns its note.
 */
@Service
public class IdempotentCreates {

    public static final String HEADER = "Idempotency-Key";
    static final int MAX_KEY_LENGTH = 200;
    static final int KEEP_HOURS = 24;

    private final JdbcClient jdbc;
    private final NoteRepository notes;
    private final TransactionTemplate transaction;

    public IdempotentCreates(JdbcClient jdbc, NoteRepository notes, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.notes = notes;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** The note made, or the one an earlier attempt with this key made ({@code replayed}). */
    public record Created(Note note, boolean replayed) {
    }

    public Created create(int userId, String key, NoteDraft draft) {
        if (key == null) return new Created(notes.create(userId, draft), false);
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw ApiException.invalidField("idempotency_key_must_be_1_to_200_printable_ascii_characters", HEADER);
        }
        return transaction.execute(status -> {
            jdbc.sql("DELETE FROM finote_idempotency_keys WHERE user_id = ? AND idempotency_key = ? "
                            + "AND created_at < now() - make_interval(hours => ?)")
                    .params(userId, key, KEEP_HOURS).update();
            boolean first = jdbc.sql("INSERT INTO finote_idempotency_keys (user_id, idempotency_key) VALUES (?, ?) ON CONFLICT DO NOTHING")
                    .params(userId, key).update() == 1;
            if (!first) {
                Optional<Note> earlier = jdbc.sql("SELECT note_id FROM finote_idempotency_keys WHERE user_id = ? AND idempotency_key = ?")
                        .params(userId, key).query(Integer.class).optional()
                        .flatMap(noteId -> notes.find(userId, noteId));
                if (earlier.isPresent()) return new Created(earlier.get(), true);
                // The earlier note was deleted for good since: the key starts afresh.
            }
            Note note = notes.create(userId, draft);
            jdbc.sql("UPDATE finote_idempotency_keys SET note_id = ?, created_at = now() WHERE user_id = ? AND idempotency_key = ?")
                    .params(note.id(), userId, key).update();
            return new Created(note, false);
        });
    }

    /** Deletes keys past their {@value #KEEP_HOURS} hours; how many. */
    public int deleteExpired() {
        return jdbc.sql("DELETE FROM finote_idempotency_keys WHERE created_at < now() - make_interval(hours => ?)")
                .param(KEEP_HOURS).update();
    }
}
