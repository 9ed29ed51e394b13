SET lock_timeout = '5s';

-- hazard: deletes-data: can delete data: dropped tables or columns, values that do not fit a narrower type, removed enum values
-- hazard: rewrites-table: rewrites every row of the table while holding an ACCESS EXCLUSIVE lock
ALTER TABLE notes ALTER COLUMN user_id TYPE smallint;

-- hazard: deletes-data: can delete data: dropped tables or columns, values that do not fit a narrower type, removed enum values
-- hazard: rewrites-table: rewrites every row of the table while holding an ACCESS EXCLUSIVE lock
ALTER TABLE notes ALTER COLUMN title TYPE character varying(10);

RESET lock_timeout;
