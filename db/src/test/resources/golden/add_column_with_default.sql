SET lock_timeout = '5s';

ALTER TABLE notes ADD COLUMN is_archived boolean DEFAULT false NOT NULL;

-- hazard: rewrites-table: evaluates DEFAULT gen_random_uuid() for every existing row of notes
ALTER TABLE notes ADD COLUMN uid uuid DEFAULT gen_random_uuid() NOT NULL;

RESET lock_timeout;
