SET lock_timeout = '5s';

-- hazard: deletes-data: can delete data: dropped tables or columns, values that do not fit a narrower type, removed enum values
ALTER TABLE notes DROP COLUMN color;

RESET lock_timeout;
