package dev.finote.db.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.migrations.ProjectLayout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Runs {@code finote db …} in-process the way an operator types it, capturing exit code and output. */
public final class DbCli {

    /** What a command left: its exit code and what it printed to each stream. */
    public record Run(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final EmbeddedDatabase postgres;
    private final Path workingDirectory;

    /** Commands run outside any checkout, in a working directory of their own (where, e.g., automatic backups go). */
    DbCli(EmbeddedDatabase postgres) {
        this.postgres = postgres;
        try {
            this.workingDirectory = java.nio.file.Files.createTempDirectory("finote-db-cli");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.workingDirectory.toFile().deleteOnExit();
    }

    /** Where the commands run: automatic backups land here, never in the source tree. */
    Path workingDirectory() {
        return workingDirectory;
    }

    Run run(Map<String, String> environment, String... args) {
        return run(new ProjectLayout(Optional.empty(), workingDirectory, Optional.empty()), environment, args);
    }

    /** Runs a command as if started inside the project checkout {@code checkout}. */
    Run runInCheckout(Path checkout, Map<String, String> environment, String... args) {
        return run(new ProjectLayout(Optional.of(checkout), checkout, Optional.empty()), environment, args);
    }

    /** Runs {@code finote db args…} with this layout and environment (for tests outside this package). */
    public static Run run(ProjectLayout layout, Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var line = DbCommand.commandLine(new DbContext(environment, layout, new PrintWriter(out, true), new PrintWriter(err, true)));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A new empty database in the shared cluster. */
    DatabaseUrl newDatabase() {
        return postgres.createUniqueDatabase("c");
    }
}
