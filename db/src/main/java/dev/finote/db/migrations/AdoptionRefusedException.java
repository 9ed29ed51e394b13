package dev.finote.db.migrations;

import dev.finote.db.DatabaseException;

import java.util.List;

/** A database with tables but no migration history whose schema is no migration version's. */
public class AdoptionRefusedException extends DatabaseException {

    private final List<String> differences;

    public AdoptionRefusedException(String message, List<String> differences) {
        super(message, null);
        this.differences = List.copyOf(differences);
    }

    /** How the database differs from the closest version, one line each. */
    public List<String> differences() {
        return differences;
    }
}
