-- This migration builds or drops indexes CONCURRENTLY, which PostgreSQL cannot do in a
-- transaction: Flyway runs it statement by statement (mixed mode), not atomically.

SET lock_timeout = '5s';

-- hazard: builds-index: builds the index of notes_title_unique on notes without blocking writes (outside a transaction)
CREATE UNIQUE INDEX CONCURRENTLY notes_title_unique ON notes (title);

ALTER TABLE notes ADD CONSTRAINT notes_title_unique UNIQUE USING INDEX notes_title_unique;

ALTER TABLE notes ADD CONSTRAINT notes_color_check CHECK ((color <> ''::text)) NOT VALID;

-- hazard: validates-constraint: scans notes to check notes_color_check; reads and writes go on
ALTER TABLE notes VALIDATE CONSTRAINT notes_color_check;

RESET lock_timeout;
