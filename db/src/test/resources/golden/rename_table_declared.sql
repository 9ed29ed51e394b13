SET lock_timeout = '5s';

ALTER TABLE notes RENAME TO memos;

ALTER SEQUENCE notes_id_seq RENAME TO memos_id_seq;

ALTER TABLE memos RENAME CONSTRAINT notes_pkey TO memos_pkey;

RESET lock_timeout;
