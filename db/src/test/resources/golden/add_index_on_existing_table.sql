-- This migration builds or drops indexes CONCURRENTLY, which PostgreSQL cannot do in a
-- transaction: Flyway runs it statement by statement (mixed mode), not atomically.

SET lock_timeout = '5s';

-- hazard: builds-index: builds index notes_user_created_idx on notes without blocking writes (outside a transaction)
CREATE INDEX CONCURRENTLY notes_user_created_idx ON notes (user_id, created_at DESC) WHERE (color <> 'hidden'::text);

RESET lock_timeout;
