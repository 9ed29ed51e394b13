-- Finote's database schema: the single source of truth.
--
-- Change the schema here, then generate the migration that gets a database from the
-- previous version to this one (see README, "Changing the schema"). Never edit a
-- migration that has been applied somewhere.

CREATE TABLE users (
    id serial PRIMARY KEY,
    username text NOT NULL,
    password text NOT NULL,              -- bcrypt hash ($2a$/$2b$); never returned or logged
    -- The name as registrations compare it (Usernames.skeleton: NFKC, case-folded, invisible
    -- characters removed), so that a new name is checked through an index instead of against
    -- every user. Computed by the server: NULL on rows from before this column (the server
    -- fills them in the background) or written meanwhile by a previous release. Not unique:
    -- accounts the old backend let collide keep their names.
    username_skeleton text,
    CONSTRAINT users_username_unique UNIQUE (username)
);
CREATE INDEX users_username_skeleton_idx ON users (username_skeleton);

CREATE TABLE notes (
    id serial PRIMARY KEY,
    user_id integer NOT NULL,
    title text NOT NULL,
    content text NOT NULL,
    is_pinned boolean DEFAULT false,
    color text DEFAULT 'default',
    tags text[],
    created_at timestamp DEFAULT now(),  -- UTC wall-clock time, as the old backend stored it
    updated_at timestamp,                -- UTC; NULL until the first edit by this release (the API shows created_at then)
    deleted_at timestamp,                -- UTC; set while the note is in the trash
    import_key text,                     -- hash of the source of an imported note: the same note is never imported twice
    CONSTRAINT notes_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users (id)
);

CREATE INDEX notes_user_pinned_created_idx ON notes (user_id, is_pinned DESC, created_at DESC, id DESC);

-- The trash of each user, most recently deleted first; also what the 30-day purge scans.
CREATE INDEX notes_trash_idx ON notes (user_id, deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;

-- An imported note's source hash is unique per user, so importing a file again adds nothing.
CREATE UNIQUE INDEX notes_user_import_key_idx ON notes (user_id, import_key) WHERE import_key IS NOT NULL;

-- Search: a GIN index over the words of title, content and tags, each word prefixed with the
-- note's user id ('42ukopi'), so that a search reads only its user's entries: with the user id
-- as a separate GIN column, PostgreSQL intersects the global posting lists of every word, which
-- grows with the whole table instead of the user's notes. The 'simple' configuration (no
-- stemming: Indonesian and English alike). Accents folded: decomposed (NFD) and the combining
-- marks removed, ø đ ł ı mapped to their base letters; punctuation turned into spaces, so '.',
-- '/', '@', '-' separate words (host names, paths, addresses). unaccent() is not IMMUTABLE; a
-- translate() table of every accented letter (notes_search_idx, the first version of this
-- index) cost about 0.4 ms per note on every insert and update. An expression index: adding it
-- rewrites no row. Empty and NULL tags are left out and the text is cut at 110,000 characters
-- (more than a note can hold) because array_to_tsvector and to_tsvector refuse them: rows the
-- Node backend wrote must not make the build or a later write fail. search_notes (below) repeats
-- this expression exactly (the planner matches it) and SearchFolding folds a query the same way.
CREATE INDEX notes_words_idx ON notes USING gin (to_tsvector('simple'::regconfig, regexp_replace(
    translate(regexp_replace(regexp_replace(normalize(
        left(title || ' ' || content, 110000) || ' ' || coalesce(array_to_tsvector(array_remove(array_remove(tags, NULL), ''))::text, ''),
        NFD), '[\u0300-\u036f]+', '', 'g'), '[]./@,;:!?()[{}<>"`~#$%^&*+=|\\_“”‘’…–—«»''-]', ' ', 'g'), 'øØđĐłŁı', 'ooddlli'),
    '(\S+)', user_id::text || 'u\1', 'g')))
    -- Without the pending list of fastupdate: new notes would sit in an unsorted list that every
    -- search reads whole (5,000 fresh notes made a search read 510 index pages instead of 8).
    WITH (fastupdate = off);

-- The title's words alone, folded and prefixed the same way: which of a search's matches are
-- title hits (ranked first) comes from this small index instead of folding every match's title.
CREATE INDEX notes_title_words_idx ON notes USING gin (to_tsvector('simple'::regconfig, regexp_replace(
    translate(regexp_replace(regexp_replace(normalize(left(title, 110000), NFD), '[\u0300-\u036f]+', '', 'g'),
        '[]./@,;:!?()[{}<>"`~#$%^&*+=|\\_“”‘’…–—«»''-]', ' ', 'g'), 'øØđĐłŁı', 'ooddlli'),
    '(\S+)', user_id::text || 'u\1', 'g'))) WITH (fastupdate = off);

-- A search of GET /api/notes?q=…: the owner's notes outside the trash whose words match `words`
-- (a to_tsquery text of words prefixed with the owner's id, the last one a prefix: '42ukopi' &
-- '42usu':*), title matches first, then pinned, newest, id; after a position when `after_id` is
-- set; at most `max_notes` (NULL: all). title_hit is 1 for a title match, for the next page's
-- position. The expressions are written exactly as in notes_words_idx and notes_title_words_idx,
-- so the planner reads those indexes (SearchPlanTest checks it).
--
-- A function, not a statement sent by the server, for its SET clauses. Planned per call, a search
-- spent a third of its PostgreSQL time in the planner (0.2 ms of 0.6 ms); a prepared statement
-- never switches to the reusable generic plan by itself, because the generic plan's estimate
-- (0.5% of the table for an unknown search) makes it look 250 times costlier. The plan is the same
-- for every search (the indexes carry the owner in every word), so it is forced generic; parallel
-- workers, which the generic estimate would ask for, and JIT compilation, which it would trigger
-- on servers built with LLVM, cost milliseconds per search and are turned off.
CREATE FUNCTION search_notes(owner_id integer, words text, tag text, pinned boolean,
    after_rank integer, after_pin integer, after_created timestamp, after_id integer, max_notes integer)
RETURNS TABLE (id integer, user_id integer, title text, content text, is_pinned boolean, color text, tags text[],
    created_at timestamp, updated_at timestamp, deleted_at timestamp, title_hit integer)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
SET max_parallel_workers_per_gather = 0
SET jit = off
AS $$
#variable_conflict use_column
BEGIN
    -- The page's notes are picked by their sort keys alone, then read whole: sorting every
    -- match with its content cost a third of the search's time. They are read again by the
    -- address of the row version the statement saw (ctid, the same snapshot: it cannot have
    -- moved), one page each instead of a walk down the primary key. user_id + 0: the owner test must
    -- not make the planner walk notes_user_pinned_created_idx (it did, folding every note of a
    -- user the statistics did not know yet: 230 ms instead of 0.5 ms).
    RETURN QUERY
    SELECT n.id, n.user_id, n.title, n.content, n.is_pinned, n.color, n.tags, n.created_at, n.updated_at, n.deleted_at, top.title_hit
      FROM (SELECT m.row_version, m.id, m.is_pinned, m.created_at, m.title_hit
              FROM (SELECT notes.ctid AS row_version, notes.id, notes.is_pinned, notes.created_at,
                           (notes.id IN (SELECT t.id FROM notes t WHERE t.user_id + 0 = owner_id AND to_tsvector('simple'::regconfig, regexp_replace(
                               translate(regexp_replace(regexp_replace(normalize(left(t.title, 110000), NFD), '[\u0300-\u036f]+', '', 'g'),
                                   '[]./@,;:!?()[{}<>"`~#$%^&*+=|\\_“”‘’…–—«»''-]', ' ', 'g'), 'øØđĐłŁı', 'ooddlli'),
                               '(\S+)', t.user_id::text || 'u\1', 'g')) @@ to_tsquery('simple'::regconfig, words)))::int AS title_hit
                      FROM notes
                     WHERE notes.user_id + 0 = owner_id AND notes.deleted_at IS NULL
                       AND to_tsvector('simple'::regconfig, regexp_replace(
                               translate(regexp_replace(regexp_replace(normalize(
                                   left(title || ' ' || content, 110000) || ' ' || coalesce(array_to_tsvector(array_remove(array_remove(tags, NULL), ''))::text, ''),
                                   NFD), '[\u0300-\u036f]+', '', 'g'), '[]./@,;:!?()[{}<>"`~#$%^&*+=|\\_“”‘’…–—«»''-]', ' ', 'g'), 'øØđĐłŁı', 'ooddlli'),
                               '(\S+)', user_id::text || 'u\1', 'g')) @@ to_tsquery('simple'::regconfig, words)
                       AND (tag IS NULL OR notes.tags @> ARRAY[tag])
                       AND (pinned IS NULL OR notes.is_pinned = pinned)) m
             -- After a position: NULL is_pinned and created_at sort first under DESC, so they
             -- are compared through keys that put them there.
             WHERE after_id IS NULL
                OR (m.title_hit, CASE WHEN m.is_pinned IS NULL THEN 2 WHEN m.is_pinned THEN 1 ELSE 0 END,
                    coalesce(m.created_at, 'infinity'::timestamp), m.id)
                   < (after_rank, after_pin, coalesce(after_created, 'infinity'::timestamp), after_id)
             ORDER BY m.title_hit DESC, m.is_pinned DESC, m.created_at DESC, m.id DESC
             LIMIT max_notes) top
      JOIN notes n ON n.ctid = top.row_version
     ORDER BY top.title_hit DESC, top.is_pinned DESC, top.created_at DESC, top.id DESC;
END
$$;

-- Server-side sessions: only a keyed hash of each session id is stored.
CREATE TABLE finote_sessions (
    token_hash bytea PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

CREATE INDEX finote_sessions_user_id_idx ON finote_sessions (user_id);
CREATE INDEX finote_sessions_expires_at_idx ON finote_sessions (expires_at);

-- Failed-login counters per username and per client address.
CREATE TABLE finote_login_throttle (
    throttle_key text PRIMARY KEY,
    failures integer NOT NULL,
    window_started_at timestamptz NOT NULL,
    blocked_until timestamptz
);

CREATE INDEX finote_login_throttle_window_idx ON finote_login_throttle (window_started_at);

-- Idempotency-Key of POST /api/notes: a retried create with the same key returns the note the
-- first one made. Kept 24 hours, then deleted by the server. No foreign keys: a key whose note
-- or user is gone is simply not found (user ids are never reused), and `generate` would add
-- them to an existing table in a way `check` refuses.
CREATE TABLE finote_idempotency_keys (
    user_id integer NOT NULL,
    idempotency_key text NOT NULL,
    note_id integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, idempotency_key)
);

CREATE INDEX finote_idempotency_keys_created_idx ON finote_idempotency_keys (created_at);
