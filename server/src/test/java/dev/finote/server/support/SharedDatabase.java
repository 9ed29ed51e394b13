package dev.finote.server.support;

import dev.finote.db.postgres.DatabaseUrl;
import dev.finote.db.postgres.EmbeddedDatabase;
import dev.finote.db.migrations.Migrator;
import dev.finote.db.migrations.ProjectLayout;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real PostgreSQL per test run, migrated with the project's migrations, with the
 * restricted application role set up; started on first use and stopped when the run ends
 * (kept in JUnit's root store rather than in a static field).
 */
public final class SharedDatabase implements AutoCloseable {

    private final EmbeddedDatabase embedded;
    private final DatabaseUrl appUrl;

    private SharedDatabase() {
        this.embedded = EmbeddedDatabase.temporary();
        new Migrator(embedded.url(), ProjectLayout.CLASSPATH_MIGRATIONS).migrate();
        this.appUrl = AppRole.grant(embedded.url());
    }

    public static SharedDatabase in(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(SharedDatabase.class, key -> new SharedDatabase(), SharedDatabase.class);
    }

    public EmbeddedDatabase embedded() {
        return embedded;
    }

    /** The superuser: for test set-up and for looking at rows behind the API's back. */
    public DatabaseUrl superuserUrl() {
        return embedded.url();
    }

    /** The restricted role the server runs as. */
    public DatabaseUrl appUrl() {
        return appUrl;
    }

    @Override
    public void close() {
        embedded.close();
    }
}
