SET lock_timeout = '5s';

ALTER TYPE mood ADD VALUE 'calm' BEFORE 'sad';

ALTER TYPE mood ADD VALUE 'angry';

RESET lock_timeout;
