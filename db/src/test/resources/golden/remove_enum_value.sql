SET lock_timeout = '5s';

ALTER TYPE mood RENAME TO mood__finote_old;

CREATE TYPE mood AS ENUM ('happy');

-- hazard: deletes-data: can delete data: dropped tables or columns, values that do not fit a narrower type, removed enum values
-- hazard: rewrites-table: rewrites every row of the table while holding an ACCESS EXCLUSIVE lock
ALTER TABLE notes ALTER COLUMN mood TYPE mood USING mood::text::mood;

DROP TYPE mood__finote_old;

RESET lock_timeout;
