package dev.finote.db.cli;

import dev.finote.db.ActionableException;
import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.postgres.SessionCheck;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** The option that says which database a command works on. */
public final class TargetOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "Database to use, as postgresql://user:password@host:port/db (default: $DATABASE_URL, "
                    + "or $DIRECT_DATABASE_URL for commands that need a session of their own; "
                    + "without either, the development database embedded in the project).")
    String url;

    /**
     * Opens the target database: --url, else DATABASE_URL, else the embedded development
     * database (never in production, where a missing DATABASE_URL is a mistake).
     */
    Target open(DbContext context) {
        if (url != null) return new Target(DatabaseUrl.parse("--url", url), null, context.err());
        String explicit = context.env("DATABASE_URL");
        if (explicit != null) return new Target(DatabaseUrl.parse(explicit), null, context.err());
        return embedded(context);
    }

    /**
     * Opens the target of a command that needs a session of its own (session advisory locks, one
     * snapshot, {@code CONCURRENTLY}): --url, else DIRECT_DATABASE_URL (Prisma's directUrl
     * convention: the server's DATABASE_URL may lead through a transaction pooler), else
     * DATABASE_URL, else the embedded development database. Refuses a target that turns out to
     * be a transaction pooler, rather than running with its locks and snapshot shared with
     * strangers' transactions.
     */
    Target openSession(DbContext context, String command) {
        String variable = url != null ? "--url" : context.env("DIRECT_DATABASE_URL") != null ? "DIRECT_DATABASE_URL" : "DATABASE_URL";
        String value = url != null ? url : context.env(variable);
        if (value == null) return embedded(context);
        DatabaseUrl target = DatabaseUrl.parse(variable, value);
        SessionCheck.Result check = SessionCheck.check(target);
        if (check.sessionsShared()) {
            throw new ActionableException(variable + " (" + target.describe() + ") leads to a transaction pooler: " + check.evidence()
                    + "; `finote db " + command + "` needs a session of its own",
                    "set DIRECT_DATABASE_URL to the database itself (not the pooler), e.g. postgresql://user:password@db-host:5432/finote, and try again");
        }
        return new Target(target, null, context.err());
    }

    private Target embedded(DbContext context) {
        if (context.production()) {
            throw new ActionableException("DATABASE_URL is not set and NODE_ENV=production",
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
