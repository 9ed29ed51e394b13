package dev.finote.db.schema;

import dev.finote.db.DatabaseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Plans partitions of partitioned tables (a partitioned table itself is a table: its columns,
 * keys and indexes are planned with the others, and {@code CREATE TABLE} gets its
 * {@code PARTITION BY}). A new partition is created {@code PARTITION OF} its parent; a table of the
 * old schema that becomes a partition is attached (PostgreSQL scans it to check its rows fit); a
 * partition whose bound or parent changes is detached and attached again, rows kept; a removed
 * partition is dropped with its rows once the release still serving is gone. Partitions of a
 * dropped table go with it.
 *
 * <p>Refused, since PostgreSQL cannot do them in place: a change of a table's partition key,
 * a table that becomes partitioned or stops being so, and a partition that becomes a table of its
 * own.
 */
final class PartitionGenerator {

    private final Catalog have;
    private final Catalog want;

    PartitionGenerator(Catalog have, Catalog want) {
        this.have = have;
        this.want = want;
        for (String table : want.tables().keySet()) {
            if (!have.tables().containsKey(table)) continue;
            String had = have.partitionKeys().get(table);
            String wanted = want.partitionKeys().get(table);
            if (!Objects.equals(had, wanted)) {
                throw new DatabaseException("table " + table + (had == null ? " becomes partitioned by " + wanted
                        : wanted == null ? " stops being partitioned by " + had : " changes its partition key from " + had + " to " + wanted)
                        + ", which PostgreSQL cannot do in place",
                        "create the new table under another name in schema.sql, move the rows over, and drop the old one later", null);
            }
        }
        for (Partition had : have.partitions().values()) {
            if (!want.partitions().containsKey(had.name()) && want.tables().containsKey(had.name())) {
                throw new DatabaseException("partition " + had.name() + " of " + had.parent() + " becomes a table of its own,"
                        + " which Finote does not plan yet (the detached table keeps names PostgreSQL chose)",
                        "give the new table another name in schema.sql and move the rows over, or keep it a partition", null);
            }
        }
    }

    /** Tables of the old schema that become partitions: attached, not dropped. */
    static java.util.Set<String> attachedTables(Catalog have, Catalog want) {
        java.util.Set<String> names = new java.util.TreeSet<>(have.tables().keySet());
        names.retainAll(want.partitions().keySet());
        return names;
    }

    /** An index added to an existing partitioned table: PostgreSQL cannot build one there {@code CONCURRENTLY}. */
    static Step createIndex(Index index, String table) {
        return Step.create(index.createSql(table, false), table)
                .with(Hazard.BUILDS_INDEX, "builds index " + index.name() + " on partitioned table " + table + " and each of its partitions")
                .with(Hazard.LOCKS_TABLE, "blocks writes to " + table + " and its partitions while index " + index.name()
                        + " is built (a partitioned table has no CONCURRENTLY build)");
    }

    /** A foreign key added to an existing partitioned table: PostgreSQL does not take one {@code NOT VALID} there. */
    static Step addForeignKey(String sql, String table, ForeignKey fk) {
        return Step.alter(sql, table).with(Hazard.LOCKS_TABLE, "blocks writes to " + table + " and its partitions while each row is checked against "
                + fk.referencedTable() + " (a partitioned table takes no NOT VALID foreign key)");
    }

    /** Drops of removed partitions of kept tables (post-deploy: their rows go), before tables change. */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        for (Partition had : have.partitions().values()) {
            if (want.partitions().containsKey(had.name()) || !want.tables().containsKey(had.parent())) continue;
            steps.add(Step.drop("DROP TABLE " + Sql.qualified(had.name()), had.parent()).on(SchemaObject.table(had.name()))
                    .with(Hazard.DELETES_DATA, "drops partition " + had.name() + " of " + had.parent() + " and every row in it").postDeploy());
        }
        return steps;
    }

    /** Creates, attaches and moves of partitions, after their parents are created and their columns changed. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (Partition wanted : want.partitions().values()) {
            Partition had = have.partitions().get(wanted.name());
            if (had != null && had.equals(wanted)) continue;
            String attach = "ALTER TABLE " + Sql.qualified(wanted.parent()) + " ATTACH PARTITION " + Sql.qualified(wanted.name()) + " " + wanted.bound();
            if (had != null) {
                steps.add(Step.drop("ALTER TABLE " + Sql.qualified(had.parent()) + " DETACH PARTITION " + Sql.qualified(had.name()), had.parent())
                        .on(SchemaObject.attachment(had.name())));
                steps.add(scansDefault(Step.create(attach, wanted.parent()).on(SchemaObject.attachment(wanted.name())).with(Hazard.LOCKS_TABLE, "scans " + wanted.name()
                        + " to check that every row fits " + wanted.bound() + " while holding an ACCESS EXCLUSIVE lock on it"), wanted));
            } else if (have.tables().containsKey(wanted.name())) {
                steps.add(scansDefault(Step.create(attach, wanted.parent()).on(SchemaObject.attachment(wanted.name())).needing(DiffContext.columnsOf(want, wanted.name())).with(Hazard.LOCKS_TABLE, "scans table " + wanted.name()
                        + " to check that every row fits " + wanted.bound() + " while holding an ACCESS EXCLUSIVE lock on it"), wanted));
            } else {
                steps.add(scansDefault(Step.create(wanted.createSql(), wanted.parent()).on(SchemaObject.table(wanted.name()))
                        .needing(List.of(SchemaObject.table(wanted.parent()))), wanted));
            }
        }
        return steps;
    }

    /** A new bound of a kept parent that has a kept default partition: PostgreSQL scans that for rows the bound now claims. */
    private Step scansDefault(Step step, Partition partition) {
        if (partition.isDefault() || !have.tables().containsKey(partition.parent())) return step;
        for (Partition other : have.partitions().values()) {
            if (other.isDefault() && other.parent().equals(partition.parent()) && other.equals(want.partitions().get(other.name()))) {
                String why = "scans default partition " + other.name() + " for rows that belong in " + partition.name()
                        + " (it fails if there are any), holding an ACCESS EXCLUSIVE lock on " + partition.parent();
                return step.hazards().contains(Hazard.LOCKS_TABLE) ? step.with(Hazard.LOCKS_TABLE, step.reason(Hazard.LOCKS_TABLE) + "; " + why)
                        : step.with(Hazard.LOCKS_TABLE, why);
            }
        }
        return step;
    }
}
