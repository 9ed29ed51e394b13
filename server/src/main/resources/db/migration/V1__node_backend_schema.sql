-- The schema of the old Node backend (Drizzle migration 0000), reproduced exactly — same
-- names, types, defaults and constraint names — so that a database it created is this
-- version, and can be adopted in place.
CREATE TABLE "users" (
    "id" serial PRIMARY KEY NOT NULL,
    "username" text NOT NULL,
    "password" text NOT NULL,
    CONSTRAINT "users_username_unique" UNIQUE ("username")
);

CREATE TABLE "notes" (
    "id" serial PRIMARY KEY NOT NULL,
    "user_id" integer NOT NULL,
    "title" text NOT NULL,
    "content" text NOT NULL,
    "is_pinned" boolean DEFAULT false,
    "color" text DEFAULT 'default',
    "tags" text[],
    "created_at" timestamp DEFAULT now()
);

ALTER TABLE "notes" ADD CONSTRAINT "notes_user_id_users_id_fk"
    FOREIGN KEY ("user_id") REFERENCES "public"."users" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION;
