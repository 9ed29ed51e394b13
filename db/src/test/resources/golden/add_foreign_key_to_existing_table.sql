SET lock_timeout = '5s';

ALTER TABLE notes ADD CONSTRAINT notes_user_id_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;

-- hazard: validates-constraint: scans notes to check notes_user_id_fk; reads and writes go on
ALTER TABLE notes VALIDATE CONSTRAINT notes_user_id_fk;

RESET lock_timeout;
