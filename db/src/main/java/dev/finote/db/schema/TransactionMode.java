package dev.finote.db.schema;

/**
 * How a step runs with respect to transactions: what a runner needs to know to group steps into
 * transactions (a migration file, a {@code push}) without reading their SQL.
 */
public enum TransactionMode {
    /** Runs in a transaction together with the steps around it. */
    IN_TRANSACTION,
    /** PostgreSQL refuses it in a transaction block ({@code CREATE/DROP INDEX CONCURRENTLY}): runs on its own, in autocommit. */
    OUTSIDE_TRANSACTION,
    /**
     * Runs in a transaction that must commit right after it: what it makes cannot be used in the
     * transaction that made it ({@code ALTER TYPE … ADD VALUE}, whose new label PostgreSQL refuses
     * to use before the commit).
     */
    COMMIT_AFTER
}
