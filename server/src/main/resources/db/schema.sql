-- Finote's database schema: the single source of truth.
--
-- Change the schema here, then generate the migration that gets a database from the
-- previous version to this one (see README, "Changing the schema"). Never edit a
-- migration that has been applied somewhere.

CREATE TABLE users (
    id serial PRIMARY KEY,
    username text NOT NULL,
    password text NOT NULL,              -- bcrypt hash ($2a$/$2b$); never returned or logged
    CONSTRAINT users_username_unique UNIQUE (username)
);

CREATE TABLE notes (
    id serial PRIMARY KEY,
    user_id integer NOT NULL,
    title text NOT NULL,
    content text NOT NULL,
    is_pinned boolean DEFAULT false,
    color text DEFAULT 'default',
    tags text[],
    created_at timestamp DEFAULT now(),  -- UTC wall-clock time, as the old backend stored it
    CONSTRAINT notes_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users (id)
);

CREATE INDEX notes_user_pinned_created_idx ON notes (user_id, is_pinned DESC, created_at DESC, id DESC);

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
