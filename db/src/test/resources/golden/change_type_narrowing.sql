SET lock_timeout = '5s';

-- hazard: deletes-data: narrows notes.user_id from integer to smallint: values that do not fit are rounded or make the change fail
-- hazard: rewrites-table: rewrites notes to convert user_id from integer to smallint
ALTER TABLE notes ALTER COLUMN user_id TYPE smallint;

-- hazard: deletes-data: narrows notes.title from text to character varying(10): values that do not fit are rounded or make the change fail
-- hazard: rewrites-table: rewrites notes to convert title from text to character varying(10)
ALTER TABLE notes ALTER COLUMN title TYPE character varying(10);

RESET lock_timeout;
