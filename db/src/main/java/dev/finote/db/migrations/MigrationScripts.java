package dev.finote.db.migrations;


import java.util.function.Function;

/** Reads a migration's SQL by its script name from a Flyway location ({@code filesystem:DIR} or {@code classpath:PATH}). */
public final class MigrationScripts {

    private MigrationScripts() {
    }

    public static Function<String, String> reader(String location) {
        return script -> Migrator.readScript(location, script);
    }
}
