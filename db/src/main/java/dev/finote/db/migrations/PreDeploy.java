package dev.finote.db.migrations;

import dev.finote.db.schema.DeployPhase;

import java.util.List;

/**
 * {@code finote db migrate --pre-deploy}: the pending migrations up to, not including, the first
 * post-deploy one ({@link DeployPhase#ofScript}). Versions stay in Flyway's order: a pre-deploy
 * file after a post-deploy one waits with it, since applying it first would leave a gap.
 */
public final class PreDeploy {

    private PreDeploy() {
    }

    /** The migrations a run applies: all of {@code pending}, or with {@code preDeployOnly} those before the first post-deploy one. */
    public static List<PendingMigration> select(List<PendingMigration> pending, boolean preDeployOnly) {
        if (!preDeployOnly) return pending;
        int first = firstPostDeploy(pending);
        return first < 0 ? pending : pending.subList(0, first);
    }

    /** Index of the first post-deploy migration in {@code pending}, or -1. */
    public static int firstPostDeploy(List<PendingMigration> pending) {
        for (int i = 0; i < pending.size(); i++) {
            if (isPostDeploy(pending.get(i))) return i;
        }
        return -1;
    }

    public static boolean isPostDeploy(PendingMigration migration) {
        return DeployPhase.ofScript(migration.sql()) == DeployPhase.POST_DEPLOY;
    }

    /** Applies the pre-deploy part of what is pending, under the caller's lock. */
    static MigrationReport apply(Migrator migrator) {
        List<PendingMigration> pending = migrator.pending();
        int first = firstPostDeploy(pending);
        if (first < 0) return migrator.migrate();
        if (first == 0) return migrator.migrateTo("current");
        return migrator.migrateTo(pending.get(first - 1).version());
    }
}
