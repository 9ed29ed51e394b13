-- GET /api/notes reads one user's notes, pinned first, then newest first: this index
-- serves that query in order without a sort. Built concurrently so that adopting a large
-- existing database does not block writes to notes while it builds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_user_pinned_created_idx
    ON notes (user_id, is_pinned DESC, created_at DESC, id DESC);
