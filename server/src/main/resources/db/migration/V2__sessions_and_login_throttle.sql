-- Server-side sessions. Named finote_sessions so it can never collide with the old
-- backend's "session" table, which adopted databases still hold. Only a keyed hash
-- (HMAC-SHA-256 with SESSION_SECRET) of each session id is stored: a leaked dump cannot
-- be replayed as cookies.
CREATE TABLE finote_sessions (
    token_hash bytea PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

CREATE INDEX finote_sessions_user_id_idx ON finote_sessions (user_id);
CREATE INDEX finote_sessions_expires_at_idx ON finote_sessions (expires_at);

-- Failed-login counters, per username and per client address, shared by every instance.
CREATE TABLE finote_login_throttle (
    throttle_key text PRIMARY KEY,
    failures integer NOT NULL,
    window_started_at timestamptz NOT NULL,
    blocked_until timestamptz
);

CREATE INDEX finote_login_throttle_window_idx ON finote_login_throttle (window_started_at);
