SET lock_timeout = '5s';

-- hazard: deletes-data: drops column notes.color and its values
ALTER TABLE notes DROP COLUMN color;

RESET lock_timeout;
