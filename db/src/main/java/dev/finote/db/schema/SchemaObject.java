package dev.finote.db.schema;

import java.util.Objects;

/**
 * A schema object a step creates, changes or drops, or that a step needs: the nodes between which
 * generators declare dependencies ({@link Step#needs()}) and {@link StepOrder} orders steps.
 *
 * @param kind what kind of object
 * @param name its name as the catalog keys it: {@code table}, {@code table.column},
 *             {@code table.constraint}, a routine's signature, {@code table.trigger}, …
 */
public record SchemaObject(Kind kind, String name) implements Comparable<SchemaObject> {

    public enum Kind { SCHEMA, EXTENSION, TYPE, SEQUENCE, TABLE, COLUMN, CONSTRAINT, INDEX, VIEW, ROUTINE, TRIGGER, POLICY }

    public SchemaObject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    static SchemaObject table(String name) {
        return new SchemaObject(Kind.TABLE, name);
    }

    static SchemaObject column(String table, String column) {
        return new SchemaObject(Kind.COLUMN, table + "." + column);
    }

    static SchemaObject constraint(String table, String constraint) {
        return new SchemaObject(Kind.CONSTRAINT, table + "." + constraint);
    }

    static SchemaObject index(String name) {
        return new SchemaObject(Kind.INDEX, name);
    }

    /** A view or a materialized view: they share one namespace, and either may read the other. */
    static SchemaObject view(String name) {
        return new SchemaObject(Kind.VIEW, name);
    }

    static SchemaObject routine(String signature) {
        return new SchemaObject(Kind.ROUTINE, signature);
    }

    static SchemaObject trigger(String table, String name) {
        return new SchemaObject(Kind.TRIGGER, table + "." + name);
    }

    static SchemaObject type(String name) {
        return new SchemaObject(Kind.TYPE, name);
    }

    static SchemaObject sequence(String name) {
        return new SchemaObject(Kind.SEQUENCE, name);
    }

    @Override
    public int compareTo(SchemaObject other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name;
    }
}
