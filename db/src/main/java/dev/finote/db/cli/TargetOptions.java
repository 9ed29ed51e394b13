package dev.finote.db.cli;

import dev.finote.db.DatabaseUrl;
import dev.finote.db.EmbeddedDatabase;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** The option that says which database a command works on. */
public final class TargetOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "Database to use, as postgresql://user:password@host:port/db (default: $DATABASE_URL; "
                    + "without either, the development database embedded in the project).")
    String url;

    /**
     * Opens the target database: --url, else DATABASE_URL, else the embedded development
     * database (never in production, where a missing DATABASE_URL is a mistake).
     */
    Target open(DbContext context) {
        String explicit = url != null ? url : context.env("DATABASE_URL");
        if (explicit != null) return new Target(DatabaseUrl.parse(explicit), null, context.err());
        if (context.production()) {
            throw new CommandFailure("DATABASE_URL is not set and NODE_ENV=production",
                    "set DATABASE_URL (or pass --url) to the production database");
        }
        Path dataDirectory = context.layout().developmentDataDirectory();
        context.err().println("Using the embedded development database in " + dataDirectory + " (set DATABASE_URL to use another).");
        context.err().flush();
        EmbeddedDatabase embedded = EmbeddedDatabase.persistent(dataDirectory, context.err()::println);
        return new Target(embedded.url(), embedded, context.err());
    }

    /**
     * A database to work on, and the embedded cluster to stop afterwards if this command started
     * one, unless another process (a {@code finote dev} that reused it meanwhile) is connected to it.
     */
    record Target(DatabaseUrl url, EmbeddedDatabase embedded, PrintWriter err) implements AutoCloseable {
        @Override
        public void close() {
            if (embedded != null && embedded.closeUnlessInUse()) {
                err.println("left the development database running: another process is using it");
                err.flush();
            }
        }
    }
}
