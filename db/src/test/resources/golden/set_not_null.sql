SET lock_timeout = '5s';

ALTER TABLE notes ADD CONSTRAINT finote_not_null_color CHECK (color IS NOT NULL) NOT VALID;

-- hazard: validates-constraint: scans notes to check finote_not_null_color; reads and writes go on
ALTER TABLE notes VALIDATE CONSTRAINT finote_not_null_color;

ALTER TABLE notes ALTER COLUMN color SET NOT NULL;

ALTER TABLE notes DROP CONSTRAINT finote_not_null_color;

RESET lock_timeout;
