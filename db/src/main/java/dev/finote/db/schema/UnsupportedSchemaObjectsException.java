package dev.finote.db.schema;

import dev.finote.db.DatabaseException;

import java.util.List;

/**
 * The database holds objects, in {@code public} or another schema a user made, that the schema
 * engine does not manage (rules, aggregates, foreign and unlogged tables, exclusion constraints, …).
 * Rather than ignore them silently, and then drop or fail to recreate them, reading the catalog
 * fails and names each.
 */
public class UnsupportedSchemaObjectsException extends DatabaseException {

    private final List<String> objects;

    public UnsupportedSchemaObjectsException(List<String> objects) {
        super("the schema holds objects Finote's schema engine does not manage: " + String.join(", ", objects)
                + " (supported: tables, columns, keys, foreign keys, checks, indexes, enums, domains, sequences, extensions, functions, procedures,"
                + " triggers, views, materialized views, row level security, policies, partitioned tables and their partitions,"
                + " comments, identity options, grants, schemas besides public)");
        this.objects = List.copyOf(objects);
    }

    @Override
    protected String defaultNext() {
        return "drop them if the application does not need them; Finote's db commands cannot manage a database that holds them,"
                + " since they could neither compare nor recreate them";
    }

    /** Each unsupported object, e.g. {@code view public.active_notes} or {@code policy own_notes on notes}. */
    public List<String> objects() {
        return objects;
    }
}
