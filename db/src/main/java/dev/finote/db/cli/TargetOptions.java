package dev.finote.db.cli;

import dev.finote.db.DatabaseUrl;
import dev.finote.db.EmbeddedDatabase;
import picocli.CommandLine.Option;

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
        if (explicit != null) return new Target(DatabaseUrl.parse(explicit), null);
        if (context.production()) {
            throw new CommandFailure("DATABASE_URL is not set and NODE_ENV=production",
                    "set DATABASE_URL (or pass --url) to the production database");
        }
        Path dataDirectory = context.layout().developmentDataDirectory();
        context.err().println("Using the embedded development database in " + dataDirectory + " (set DATABASE_URL to use another).");
        context.err().flush();
        EmbeddedDatabase embedded = EmbeddedDatabase.persistent(dataDirectory);
        return new Target(embedded.url(), embedded);
    }

    /** A database to work on, and the embedded cluster to stop afterwards if this command started one. */
    record Target(DatabaseUrl url, EmbeddedDatabase embedded) implements AutoCloseable {
        @Override
        public void close() {
            if (embedded != null) embedded.close();
        }
    }
}
