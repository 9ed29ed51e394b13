package dev.finote.db.schema;

/**
 * What a step does to its object ({@link Step#object()}), set by the generator that made it, so
 * nothing downstream reads it back from the SQL.
 */
public enum Action {
    /** Brings the object into being, or replaces it whole ({@code CREATE OR REPLACE}). */
    CREATE,
    /** Changes an object that exists (renames, options, enabling, comments, ownership). */
    ALTER,
    /**
     * Gives an existing object its name (the {@link Step#object()}): what uses the new name comes
     * after it, drops included, and it waits for the drop of whatever held the name before.
     */
    RENAME,
    /** Removes the object. */
    DROP,
    /** Grants privileges on it. */
    GRANT,
    /** Revokes privileges on it. */
    REVOKE;

    /** GRANT and REVOKE: they change who may use an object, and wait for no lock on it. */
    public boolean changesPrivileges() {
        return this == GRANT || this == REVOKE;
    }
}
