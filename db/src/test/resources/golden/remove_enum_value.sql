SET lock_timeout = '5s';

ALTER TYPE mood RENAME TO mood__finote_old;

CREATE TYPE mood AS ENUM ('happy');

-- hazard: deletes-data: rows of notes whose mood holds a value removed from the enum make the conversion fail
-- hazard: rewrites-table: rewrites notes to convert mood to the recreated enum mood
ALTER TABLE notes ALTER COLUMN mood TYPE mood USING mood::text::mood;

DROP TYPE mood__finote_old;

RESET lock_timeout;
