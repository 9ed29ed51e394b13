package dev.finote.db.cli;

import dev.finote.db.ActionableException;
import dev.finote.db.migrations.ProjectLayout;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --schema FILE}: the desired schema, the single source of truth. */
public final class SchemaOption {

    @Option(names = "--schema", paramLabel = "FILE",
            description = "The schema file, plain PostgreSQL DDL (default: the project's server/src/main/resources/db/schema.sql).")
    Path schema;

    /**
     * Where the schema comes from, for messages and the header of generated migrations: a
     * file inside the checkout by its path from the project's root, so that a committed
     * migration does not carry one developer's home directory.
     */
    String describe(ProjectLayout layout) {
        Path file = schema != null ? schema : layout.schemaFile().orElse(null);
        if (file == null) return "schema.sql inside finote.jar";
        Path absolute = file.toAbsolutePath().normalize();
        return layout.checkout().map(root -> root.toAbsolutePath().normalize()).filter(absolute::startsWith)
                .map(root -> root.relativize(absolute).toString())
                .orElse(file.toString());
    }

    /** Whether there is a schema to read: --schema, a checkout's file, or one inside the jar. */
    boolean available(ProjectLayout layout) {
        return schema != null || layout.schemaFile().isPresent()
                || SchemaOption.class.getClassLoader().getResource(ProjectLayout.CLASSPATH_SCHEMA) != null;
    }

    /** The schema's SQL: --schema, else the checkout's file, else the copy inside the jar. */
    String read(ProjectLayout layout) {
        Path file = schema != null ? schema : layout.schemaFile().orElse(null);
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ActionableException("the schema file " + file + " does not exist",
                        schema != null ? "check the path given to --schema" : "restore it from version control (git checkout -- " + file + ")");
            }
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ActionableException("cannot read the schema file " + file + ": " + e.getMessage(), "check its permissions");
            }
        }
        try (InputStream in = SchemaOption.class.getClassLoader().getResourceAsStream(ProjectLayout.CLASSPATH_SCHEMA)) {
            if (in == null) {
                throw new ActionableException("this build has no schema.sql inside it", "pass --schema FILE");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ActionableException("cannot read schema.sql from the jar: " + e.getMessage(), "pass --schema FILE");
        }
    }
}
