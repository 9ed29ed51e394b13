package dev.finote.db.schema;

/** Plans the statements that take a database from one catalog to another. */
public final class SchemaDiff {

    private SchemaDiff() {
    }

    public static Plan plan(Catalog current, Catalog desired, DiffOptions options) {
        throw new UnsupportedOperationException("planner not written yet");
    }
}
