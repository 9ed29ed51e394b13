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

    /**
     * The kinds. Besides the catalog's objects, parts of a column that steps add and remove on
     * their own ({@code DEFAULT}: its default or identity, {@code NOT_NULL}, {@code EXPRESSION}:
     * its generation expression), a sequence's {@code OWNERSHIP} by a column, and the
     * {@code COMMENT} on an object (named as that object prints, e.g. {@code table notes}), an
     * enum's {@code LABEL} ({@code type:label}), and a table's {@code ATTACHMENT} as a partition.
     */
    public enum Kind { SCHEMA, EXTENSION, TYPE, SEQUENCE, TABLE, COLUMN, CONSTRAINT, INDEX, VIEW, ROUTINE, TRIGGER, POLICY,
        DEFAULT, NOT_NULL, EXPRESSION, OWNERSHIP, COMMENT, LABEL, ATTACHMENT }

    public SchemaObject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    static SchemaObject schema(String name) {
        return new SchemaObject(Kind.SCHEMA, name);
    }

    static SchemaObject extension(String name) {
        return new SchemaObject(Kind.EXTENSION, name);
    }

    /** A part of column {@code table.column} ({@link Kind#DEFAULT}, {@link Kind#NOT_NULL}, {@link Kind#EXPRESSION}). */
    static SchemaObject columnPart(Kind part, String table, String column) {
        return new SchemaObject(part, table + "." + column);
    }

    /** Sequence {@code sequence} being owned by a column. */
    static SchemaObject ownership(String sequence) {
        return new SchemaObject(Kind.OWNERSHIP, sequence);
    }

    /** The comment on {@code object}. */
    static SchemaObject comment(SchemaObject object) {
        return new SchemaObject(Kind.COMMENT, object.toString());
    }

    /**
     * What this object lives in, which must exist while it does: the table of a column, a part of
     * one, a constraint, trigger or policy; the schema of a table, view, type, sequence or routine
     * outside {@code public}. Null for the others (an index names no table: its steps declare it).
     */
    SchemaObject parent() {
        return switch (kind) {
            case COLUMN, CONSTRAINT, TRIGGER, POLICY -> table(name.substring(0, name.lastIndexOf('.')));
            case DEFAULT, NOT_NULL, EXPRESSION -> new SchemaObject(Kind.COLUMN, name);
            case LABEL -> type(name.substring(0, name.indexOf(':')));
            case ATTACHMENT -> table(name);
            case TABLE, VIEW, TYPE, SEQUENCE, ROUTINE -> {
                int paren = name.indexOf('(');
                String qualified = paren < 0 ? name : name.substring(0, paren);
                int dot = qualified.indexOf('.');
                yield dot < 0 ? null : schema(qualified.substring(0, dot));
            }
            default -> null;
        };
    }

    /** Label {@code label} of enum {@code type}. */
    static SchemaObject label(String type, String label) {
        return new SchemaObject(Kind.LABEL, type + ":" + label);
    }

    /** Table {@code table} attached as a partition. */
    static SchemaObject attachment(String table) {
        return new SchemaObject(Kind.ATTACHMENT, table);
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
