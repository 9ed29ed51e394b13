SET lock_timeout = '5s';

-- hazard: locks-table: scans all of notes for NULLs in color while holding an ACCESS EXCLUSIVE lock
ALTER TABLE notes ALTER COLUMN color SET NOT NULL;

RESET lock_timeout;
