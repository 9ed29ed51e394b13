package dev.finote.db.schema;

import dev.finote.db.DatabaseException;

import java.util.List;

/**
 * The database holds objects, in {@code public} or another schema a user made, that the schema
 * engine does not manage (policies, rules, aggregates, …). Rather than ignore them silently, reading the catalog fails and names each.
 */
public class UnsupportedSchemaObjectsException extends DatabaseException {

    private final List<String> objects;

    public UnsupportedSchemaObjectsException(List<String> objects) {
        super("the schema holds objects Finote's schema engine does not manage: " + String.join(", ", objects)
                + " (supported: tables, columns, keys, foreign keys, checks, indexes, enums, sequences, extensions, functions, procedures, triggers,"
                + " materialized views, row level security, policies, partitioned tables and their partitions,"
                + " comments, identity options, grants, schemas besides public); remove them");
        this.objects = List.copyOf(objects);
    }

    @Override
    protected String defaultNext() {
        return "keep such objects in another schema than public (Finote's tools compare only what they manage), then try again";
    }

    /** Each unsupported object, e.g. {@code view public.active_notes} or {@code policy own_notes on notes}. */
    public List<String> objects() {
        return objects;
    }
}
