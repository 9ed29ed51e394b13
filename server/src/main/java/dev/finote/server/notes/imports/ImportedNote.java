package dev.finote.server.notes.imports;

import java.time.LocalDateTime;
import java.util.List;

/**
 * A note read from an import file, validated like a note from the API, with {@code key}: a hash
 * of its source, unique per user in the database, so that the same note is never imported twice.
 * Times are UTC; null where the file has none.
 */
public record ImportedNote(String title, String content, boolean isPinned, String color, List<String> tags,
                           LocalDateTime createdAt, LocalDateTime updatedAt, LocalDateTime deletedAt, String key) {
}
