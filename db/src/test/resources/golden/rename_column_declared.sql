SET lock_timeout = '5s';

ALTER TABLE notes RENAME COLUMN color TO colour;

RESET lock_timeout;
