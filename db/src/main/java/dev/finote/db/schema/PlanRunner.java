package dev.finote.db.schema;

import dev.finote.db.DatabaseException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Runs a plan on a connection: consecutive transactional steps together in one transaction,
 * each {@code CONCURRENTLY} step on its own in autocommit (PostgreSQL refuses it in a transaction).
 * A transaction is also committed right after {@code ALTER TYPE … ADD VALUE}, because PostgreSQL
 * refuses to use a new enum label in the transaction that added it.
 */
public final class PlanRunner {

    private PlanRunner() {
    }

    public static void apply(Connection connection, Plan plan) {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
        } catch (SQLException e) {
            throw new DatabaseException("could not apply the schema changes: " + e.getMessage(), e);
        }
        List<Step> statements = plan.statements(); // with the lock timeout settings
        int number = 0;
        int committed = 0; // steps known to be applied for good
        try {
            boolean inTransaction = false;
            for (Step step : statements) {
                number++;
                if (step.outsideTransaction()) {
                    if (inTransaction) {
                        connection.commit();
                        committed = number - 1;
                        inTransaction = false;
                    }
                    connection.setAutoCommit(true);
                } else if (!inTransaction) {
                    connection.setAutoCommit(false);
                    inTransaction = true;
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute(step.sql());
                }
                if (!inTransaction) {
                    committed = number;
                } else if (step.transaction() == TransactionMode.COMMIT_AFTER) {
                    connection.commit();
                    committed = number;
                    inTransaction = false;
                }
            }
            if (inTransaction) connection.commit();
        } catch (SQLException e) {
            rollbackQuietly(connection);
            Step failed = statements.get(number - 1);
            throw new DatabaseException("schema change " + number + " of " + statements.size() + " failed: "
                    + e.getMessage() + "\n  statement: " + failed.sql()
                    + (committed > 0 ? "\n  changes 1 to " + committed + " were applied and stay; the others were not" : "\n  nothing was changed"), e);
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // the connection is broken; the error above says why
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            if (!connection.getAutoCommit()) connection.rollback();
        } catch (SQLException ignored) {
            // nothing more to undo
        }
    }
}
