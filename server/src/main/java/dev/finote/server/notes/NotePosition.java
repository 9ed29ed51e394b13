package dev.finote.server.notes;

import java.time.LocalDateTime;

/**
 * Where a note sits in a list's order: search rank (1 for a title match, else 0), then pinned
 * ({@code pinKey} 2 for a NULL is_pinned, which sorts first as PostgreSQL's DESC puts NULLs
 * first, 1 pinned, 0 not), then created (null sorts first for the same reason), then id.
 */
public record NotePosition(int rank, int pinKey, LocalDateTime created, int id) {

    /** True when the fast keyset predicate over the list index applies (no NULL in the sort keys). */
    boolean hasNoNulls() {
        return pinKey != 2 && created != null;
    }
}
