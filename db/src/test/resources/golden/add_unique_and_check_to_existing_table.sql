-- This migration builds or drops indexes CONCURRENTLY, which PostgreSQL cannot do in a
-- transaction: Flyway runs it statement by statement (mixed mode), not atomically.

SET lock_timeout = '5s';

-- hazard: builds-index: builds an index: CONCURRENTLY on existing tables, slow on big ones, and not inside a transaction
CREATE UNIQUE INDEX CONCURRENTLY notes_title_unique ON notes (title);

ALTER TABLE notes ADD CONSTRAINT notes_title_unique UNIQUE USING INDEX notes_title_unique;

ALTER TABLE notes ADD CONSTRAINT notes_color_check CHECK ((color <> ''::text)) NOT VALID;

-- hazard: validates-constraint: scans the table to validate a constraint (a lock that still lets reads and writes through)
ALTER TABLE notes VALIDATE CONSTRAINT notes_color_check;

RESET lock_timeout;
