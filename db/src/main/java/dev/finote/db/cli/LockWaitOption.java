package dev.finote.db.cli;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.migrations.MigrationLock;
import dev.finote.db.migrations.SchemaMigrator;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code --lock-wait}: how long a command that changes the schema waits while another run does. */
final class LockWaitOption {

    @Option(names = "--lock-wait", paramLabel = "DURATION",
            description = "How long to wait while another run (migrate, dev, reset, restore) is changing the same database: "
                    + "seconds, or 90s, 15m, 1h (default: $" + MigrationLock.WAIT_VARIABLE + ", else 15m). A waiting run says "
                    + "which session it waits for and holds no snapshot meanwhile; when the time is up it stops, having changed nothing.")
    String lockWait;

    private Duration wait(DbContext context) {
        return MigrationLock.waitFrom(lockWait, context.environment());
    }

    /** How {@code who} (e.g. "finote db migrate") waits, saying so on the command's error stream. */
    SchemaMigrator.LockWait as(String who, DbContext context) {
        return new SchemaMigrator.LockWait(who, wait(context), line -> {
            context.err().println(line);
            context.err().flush();
        });
    }

    /** Takes the migration lock for {@code who}, waiting as above. */
    MigrationLock acquire(String who, DatabaseUrl url, DbContext context) {
        SchemaMigrator.LockWait lockWait = as(who, context);
        return MigrationLock.acquire(url, who, lockWait.timeout(), lockWait.notice());
    }
}
