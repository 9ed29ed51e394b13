package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the statements that take a database whose schema is {@code current} to {@code desired}.
 *
 * <p>Order: declared renames (tables, columns, and the serial sequences that follow a table);
 * then removals, dependents first: policies ({@link RowSecurityGenerator}), views and materialized
 * views in one order ({@link ViewGenerator}, {@link MaterializedViewGenerator}), triggers
 * ({@link TriggerGenerator}), routines created again ({@link RoutineGenerator}), removed partitions
 * ({@link PartitionGenerator}), foreign keys,
 * tables, checks, indexes, keys, columns, then index and constraint renames (once every drop has
 * freed its name); then additions, dependencies first: schemas ({@link SchemaGenerator}), extensions, enums, domains, sequences, PL/pgSQL
 * routines, tables, columns, partitions, SQL routines, views and materialized views, policies and row
 * level security, keys and checks, indexes, foreign keys, sequence
 * ownership, triggers, comments, grants ({@link GrantGenerator}); last revokes, the removal of routines, domains, sequences, enums and
 * extensions nothing uses any more, and of schemas. Views, triggers, routines and domains each have their own generator; the table
 * kinds are still planned here. Changes to existing tables use PostgreSQL's online forms:
 * indexes built and dropped {@code CONCURRENTLY}, unique and primary keys attached to a
 * concurrently built index, foreign keys and checks added {@code NOT VALID} then validated, all
 * under a bounded {@code lock_timeout} ({@link Step#lockTimeout()}, written by the renderers).
 *
 * <p>The order above is the tie order. Each generator also declares, per step, the object it
 * creates, changes or drops and the objects that step needs ({@link Step#object()},
 * {@link Step#needs()}); {@link StepOrder} then sorts the steps by those dependencies, stably, so
 * a step the list above places too early (a table whose default calls a SQL function created
 * later) waits for what it needs. Declared so far: tables and partitions (create, drop), columns
 * (add, change, drop), constraint drops, checks and foreign keys added, indexes, views and
 * materialized views, routines, triggers, policies, enums, domains and sequences (created,
 * changed, dropped; their OWNED BY is not); extensions, schemas, keys added, renames, comments,
 * row level security and grants are still placed by the list alone.
 *
 * <p>Known limits: column order is not reproduced (PostgreSQL appends added columns); a new
 * enum value cannot be used in the same transaction that adds it (PostgreSQL's rule), so such a
 * plan must run through {@link PlanRunner}, which
 * commits after {@code ADD VALUE}, or as two migrations.
 */
public final class SchemaDiff {

    /** How long a step that touches what exists may wait for a lock: failing beats queueing the service behind it. */
    static final java.time.Duration LOCK_TIMEOUT = java.time.Duration.ofSeconds(5);
    static final String OLD_ENUM_SUFFIX = "__finote_old";

    private final Catalog current;   // after declared renames
    private final Catalog desired;
    private final Set<String> kept;  // tables in both
    private final Set<String> created;
    private final Set<String> dropped;

    private Catalog working;         // current with the enums to recreate renamed out of the way
    private Map<String, String> enumRecreations = Map.of(); // enum → the name it is moved to
    private final List<Step> renames = new ArrayList<>();
    private final List<Step> drops = new ArrayList<>();
    private final List<Step> creates = new ArrayList<>();
    private final List<Step> lateDrops = new ArrayList<>();

    private SchemaDiff(Catalog current, Catalog desired) {
        this.current = current;
        this.desired = desired;
        this.kept = new TreeSet<>(current.tables().keySet());
        kept.retainAll(desired.tables().keySet());
        this.created = new TreeSet<>(desired.tables().keySet());
        created.removeAll(current.tables().keySet());
        this.dropped = new TreeSet<>(current.tables().keySet());
        dropped.removeAll(desired.tables().keySet());
        dropped.removeAll(PartitionGenerator.attachedTables(current, desired)); // attached, not dropped
    }

    /**
     * The plan from {@code current} to {@code desired}; empty exactly when the catalogs are equal.
     *
     * @throws IllegalArgumentException when a declared rename does not match the two catalogs
     */
    public static Plan plan(Catalog current, Catalog desired, DiffOptions options) {
        return plan(current, desired, options, java.util.function.UnaryOperator.identity());
    }

    /**
     * As {@link #plan(Catalog, Catalog, DiffOptions)}, with the steps handed to {@link StepOrder}
     * in the order {@code inputOrder} gives them: tests shuffle it to prove the order comes from
     * the declared dependencies alone.
     */
    static Plan plan(Catalog current, Catalog desired, DiffOptions options, java.util.function.UnaryOperator<List<Step>> inputOrder) {
        List<Step> renameSteps = new ArrayList<>();
        Catalog renamed = Renamer.renameOwnedSequences(Renamer.apply(current, desired, options, renameSteps), desired, renameSteps);
        SchemaDiff diff = new SchemaDiff(renamed, desired);
        // a renamed table or column is gone for the release still serving: post-deploy
        renameSteps.forEach(step -> diff.renames.add(step.postDeploy()));
        return diff.build(step -> step.action() == Action.DROP ? step.needingOnly(step.needs().stream().map(need -> renamed(need, options)).toList()) : step,
                inputOrder);
    }

    /**
     * {@code object} under the name the declared renames give it. What a drop used is read from the
     * database's catalog, where some of it (the columns a view reads) still goes by its old name.
     */
    private static SchemaObject renamed(SchemaObject object, DiffOptions options) {
        if (object.kind() == SchemaObject.Kind.TABLE) return SchemaObject.table(options.tableRenames().getOrDefault(object.name(), object.name()));
        if (object.kind() != SchemaObject.Kind.COLUMN) return object;
        int dot = object.name().lastIndexOf('.');
        String table = options.tableRenames().getOrDefault(object.name().substring(0, dot), object.name().substring(0, dot));
        String column = object.name().substring(dot + 1);
        return SchemaObject.column(table, options.columnRenames().getOrDefault(table + "." + column, column));
    }

    private Plan build(java.util.function.UnaryOperator<Step> followingRenames, java.util.function.UnaryOperator<List<Step>> inputOrder) {
        enumRecreations = enumRecreations();
        working = current;
        if (!enumRecreations.isEmpty()) working = Renamer.renameTypes(current, enumRecreations);
        new Planner(working, enumRecreations).run();
        List<Step> steps = new ArrayList<>();
        steps.addAll(renames);
        steps.addAll(drops);
        steps.addAll(creates);
        steps.addAll(lateDrops);
        // GRANT and REVOKE wait for no lock on their object; a step on no table that creates waits for none either
        boolean touchesExisting = steps.stream().anyMatch(step -> step.table() != null
                ? !created.contains(step.table()) : !(step.action() == Action.CREATE && !addsToExisting(step)) && !step.action().changesPrivileges());
        if (touchesExisting) steps.replaceAll(step -> step.withLockTimeout(LOCK_TIMEOUT));
        steps.replaceAll(followingRenames);
        return new Plan(StepOrder.sort(inputOrder.apply(steps)));
    }

    /** A step that creates a part of a type that exists (an enum's label, a domain's check): it changes that type. */
    private static boolean addsToExisting(Step step) {
        return step.object() != null && (step.object().kind() == SchemaObject.Kind.LABEL || step.object().kind() == SchemaObject.Kind.CONSTRAINT);
    }

    /** Enums whose labels cannot be reached by adding values: recreated under their name, old one renamed to this. */
    private Map<String, String> enumRecreations() {
        Map<String, String> result = new TreeMap<>();
        for (EnumType want : desired.enums().values()) {
            EnumType have = current.enums().get(want.name());
            if (have != null && !have.equals(want) && !isSubsequence(have.labels(), want.labels())) {
                result.put(want.name(), want.name() + OLD_ENUM_SUFFIX);
            }
        }
        return result;
    }

    private static boolean isSubsequence(List<String> small, List<String> big) {
        int j = 0;
        for (String label : big) if (j < small.size() && small.get(j).equals(label)) j++;
        return j == small.size();
    }

    /** Walks the two catalogs once and fills the step lists. */
    private final class Planner {
        private final Catalog have;
        private final Map<String, String> recreatedEnums;
        private final List<String> droppedTableOrder = new ArrayList<>();
        private final Set<String> disowned = new TreeSet<>(); // sequences made OWNED BY NONE before their owner goes
        private final Set<String> cutForeignKeys = new TreeSet<>(); // table.fk dropped to break a cycle among dropped tables

        Planner(Catalog have, Map<String, String> recreatedEnums) {
            this.have = have;
            this.recreatedEnums = recreatedEnums;
        }

        void run() {
            Map<String, Set<String>> recreatedColumns = recreatedColumns();
            Set<String> foreignKeysToRecreate = new TreeSet<>();
            Map<String, TableChanges> changes = new TreeMap<>();
            for (String name : kept) changes.put(name, new TableChanges(have.table(name), desired.table(name), recreatedColumns.get(name)));
            changes.values().forEach(TableChanges::decideKeysChecksAndIndexes);
            // a foreign key must be dropped before the key it references, and re-added after
            for (String name : kept) {
                for (ForeignKey fk : have.table(name).foreignKeys().values()) {
                    if (!kept.contains(fk.referencedTable()) || referencesChangedKey(fk, changes.get(fk.referencedTable()))
                            || changesColumnType(changes.get(name), fk.columns())
                            || changesColumnType(changes.get(fk.referencedTable()), fk.referencedColumns())) {
                        foreignKeysToRecreate.add(name + "." + fk.name());
                    }
                }
            }
            for (TableChanges change : changes.values()) change.decideForeignKeys(foreignKeysToRecreate);
            RoutineGenerator routines = new RoutineGenerator(have, desired);
            TriggerGenerator triggers = new TriggerGenerator(have, desired, routines.recreated());
            ViewGenerator views = new ViewGenerator(have, desired);
            MaterializedViewGenerator materializedViews = new MaterializedViewGenerator(have, desired, views);
            RowSecurityGenerator rowSecurity = new RowSecurityGenerator(have, desired);
            PartitionGenerator partitions = new PartitionGenerator(have, desired);
            DomainGenerator domains = new DomainGenerator(have, desired);
            SchemaGenerator schemas = new SchemaGenerator(have, desired);
            Set<String> recreatedViews = new TreeSet<>(views.recreated()); // after MaterializedViewGenerator added the views over its drops
            recreatedViews.addAll(materializedViews.recreated());
            GrantGenerator grants = new GrantGenerator(have, desired, recreatedViews, routines.recreated());

            // removals, dependents first
            drops.addAll(rowSecurity.drops()); // policies may read views and columns
            drops.addAll(materializedViews.drops()); // views and materialized views, in one order

            drops.addAll(triggers.drops());
            drops.addAll(routines.dropsBeforeRecreating());
            drops.addAll(partitions.drops());
            changes.values().forEach(TableChanges::dropForeignKeys);
            dropForeignKeysAmongDroppedTables();
            disownSurvivingSequences(recreatedColumns);
            dropTables(); // before the keys their foreign keys may reference
            changes.values().forEach(TableChanges::dropChecksIndexesAndKeys);
            changes.values().forEach(TableChanges::dropColumns);
            // after every drop has freed its name: index and key names are schema-wide
            changes.values().forEach(TableChanges::renameIndexesAndConstraints);

            // additions, dependencies first
            creates.addAll(schemas.creates());
            createExtensions();
            changeEnums();
            creates.addAll(domains.creates());
            createAndAlterSequences();
            creates.addAll(routines.createsBeforeTables());
            for (String name : created) createTable(desired.table(name));
            changes.values().forEach(TableChanges::alterColumns);
            creates.addAll(partitions.creates()); // a table to attach has its new columns by now
            creates.addAll(routines.createsAfterTables().stream().map(this::afterWhatItReads).toList());
            creates.addAll(materializedViews.creates()); // views and materialized views, in one order
            creates.addAll(rowSecurity.creates());
            changes.values().forEach(TableChanges::addKeysAndChecks);
            for (String name : created) createIndexes(desired.table(name));
            changes.values().forEach(TableChanges::addIndexes);
            for (String name : created) addForeignKeys(desired.table(name));
            changes.values().forEach(TableChanges::addForeignKeys);
            ownSequences();
            creates.addAll(triggers.creates());
            for (String name : created) createComments(desired.table(name));
            changes.values().forEach(TableChanges::comments);
            creates.addAll(grants.creates());

            // what nothing uses any more
            lateDrops.addAll(grants.revokes());
            lateDrops.addAll(routines.drops());
            lateDrops.addAll(domains.drops());
            dropSequences(recreatedColumns);
            dropEnumsAndExtensions();
            lateDrops.addAll(schemas.drops());
        }

        /**
         * A SQL routine's create, after the tables and views its body names: PostgreSQL checks the
         * body when it creates it. Read from the catalog's definition, never from the step's SQL.
         */
        private Step afterWhatItReads(Step create) {
            Routine routine = desired.routines().get(create.object().name());
            if (routine == null) return create;
            Set<SchemaObject> read = new TreeSet<>();
            java.util.function.Predicate<String> named = relation -> java.util.regex.Pattern.compile(
                    "(?<![\\w$])" + java.util.regex.Pattern.quote(relation.substring(relation.indexOf('.') + 1)) + "(?![\\w$])")
                    .matcher(routine.definition()).find();
            desired.tables().keySet().stream().filter(named).forEach(table -> read.add(SchemaObject.table(table)));
            desired.views().keySet().stream().filter(named).forEach(view -> read.add(SchemaObject.view(view)));
            desired.materializedViews().keySet().stream().filter(named).forEach(view -> read.add(SchemaObject.view(view)));
            return create.needing(read);
        }

        /** Columns that exist on both sides but must be dropped and added again (generated expression changes). */
        private Map<String, Set<String>> recreatedColumns() {
            Map<String, Set<String>> result = new HashMap<>();
            for (String name : kept) {
                Set<String> columns = new TreeSet<>();
                Table want = desired.table(name);
                // PostgreSQL refuses to change the type of a column a generated column reads
                Set<String> retyped = new TreeSet<>();
                for (Column had : have.table(name).columns().values()) {
                    Column wanted = want.column(had.name());
                    if (wanted != null && !had.type().equals(wanted.type())) retyped.add(had.name());
                }
                for (Column had : have.table(name).columns().values()) {
                    Column wanted = want.column(had.name());
                    if (wanted != null && wanted.isGenerated()
                            && (!Objects.equals(had.generatedExpression(), wanted.generatedExpression())
                                || !Objects.equals(had.generatedKind(), wanted.generatedKind())
                                || !had.type().equals(wanted.type())
                                || retyped.stream().anyMatch(c -> SqlTokens.mentions(had.generatedExpression(), c, SqlTokens.Role.COLUMN)))) {
                        columns.add(had.name());
                    }
                }
                result.put(name, columns);
            }
            return result;
        }

        private boolean referencesChangedKey(ForeignKey fk, TableChanges referenced) {
            if (referenced == null) return true;
            Set<String> keyColumns = new TreeSet<>(fk.referencedColumns());
            for (KeyConstraint key : referenced.droppedKeys) {
                if (new TreeSet<>(key.columns()).equals(keyColumns)) return true;
            }
            for (Index index : referenced.droppedIndexes) {
                if (index.unique() && index.body().startsWith("(" + Sql.identifiers(fk.referencedColumns()) + ")")) return true;
            }
            return referenced.recreated.stream().anyMatch(fk.referencedColumns()::contains);
        }

        private boolean changesColumnType(TableChanges change, List<String> columns) {
            if (change == null) return false;
            for (String column : columns) {
                Column had = change.had.column(column);
                Column wanted = change.want.column(column);
                if (had != null && wanted != null && (!had.type().equals(wanted.type()) || !Objects.equals(had.collation(), wanted.collation()))) return true;
            }
            return false;
        }

        private void dropForeignKeysAmongDroppedTables() {
            // Dropping tables one by one in reference order needs no foreign key dropped first;
            // only a cycle among dropped tables does. Find an order, breaking cycles by dropping keys.
            Set<String> remaining = new TreeSet<>(dropped);
            List<String> order = new ArrayList<>();
            while (!remaining.isEmpty()) {
                String next = null;
                for (String candidate : remaining) {
                    boolean referenced = false;
                    for (String other : remaining) {
                        if (other.equals(candidate)) continue;
                        for (ForeignKey fk : have.table(other).foreignKeys().values()) {
                            if (fk.referencedTable().equals(candidate)) referenced = true;
                        }
                    }
                    if (!referenced) {
                        next = candidate;
                        break;
                    }
                }
                if (next == null) { // a cycle: drop the first table's outgoing keys to other remaining tables
                    String first = remaining.iterator().next();
                    for (String other : remaining) {
                        for (ForeignKey fk : have.table(other).foreignKeys().values()) {
                            if (fk.referencedTable().equals(first) && !other.equals(first)) {
                                drops.add(Step.drop("ALTER TABLE " + Sql.qualified(other) + " DROP CONSTRAINT " + Sql.ident(fk.name()), other)
                                        .on(SchemaObject.constraint(other, fk.name())).needing(List.of(SchemaObject.table(first))));
                                cutForeignKeys.add(other + "." + fk.name());
                            }
                        }
                    }
                    next = first;
                }
                order.add(next);
                remaining.remove(next);
            }
            droppedTableOrder.addAll(order);
        }

        private void dropTables() {
            for (String name : droppedTableOrder) {
                // after the dropped tables that reference it, before what its columns used
                Set<SchemaObject> used = new TreeSet<>();
                for (ForeignKey fk : have.table(name).foreignKeys().values()) {
                    if (!cutForeignKeys.contains(name + "." + fk.name())) used.addAll(foreignKeyNeeds(have, name, fk));
                }
                for (Column column : have.table(name).columns().values()) used.addAll(usedBy(column));
                // and what goes with it used: the functions of its checks, indexes, triggers and policies
                for (CheckConstraint check : have.table(name).checks().values()) used.addAll(RoutineGenerator.calledIn(have, check.definition()));
                for (Index index : have.table(name).indexes().values()) used.addAll(RoutineGenerator.calledIn(have, index.body()));
                for (Trigger trigger : have.triggers().values()) {
                    if (trigger.table().equals(name)) used.add(SchemaObject.routine(trigger.function()));
                }
                for (Policy policy : have.policies().values()) {
                    if (!policy.table().equals(name)) continue;
                    used.addAll(RoutineGenerator.calledIn(have, policy.using()));
                    used.addAll(RoutineGenerator.calledIn(have, policy.withCheck()));
                }
                used.removeIf(object -> object.equals(SchemaObject.table(name)) || object.kind() == SchemaObject.Kind.COLUMN
                        && object.name().startsWith(name + ".") && object.name().indexOf('.', name.length() + 1) < 0); // its own
                drops.add(Step.drop("DROP TABLE " + Sql.qualified(name), name).on(SchemaObject.table(name)).needing(used)
                        .with(Hazard.DELETES_DATA, "drops table " + name + " and every row in it").postDeploy());
            }
        }

        /** A sequence that stays but whose owning column or table goes must be disowned first, or it would go too. */
        private void disownSurvivingSequences(Map<String, Set<String>> recreatedColumns) {
            for (Sequence sequence : have.sequences().values()) {
                if (!sequence.isOwned() || !desired.sequences().containsKey(sequence.name())) continue;
                if (ownerGoes(sequence, recreatedColumns)) {
                    disowned.add(sequence.name());
                    drops.add(Step.drop("ALTER SEQUENCE " + Sql.qualified(sequence.name()) + " OWNED BY NONE", null)
                            .on(SchemaObject.ownership(sequence.name())).needing(List.of(SchemaObject.column(sequence.ownedByTable(), sequence.ownedByColumn()))));
                }
            }
        }

        private boolean ownerGoes(Sequence sequence, Map<String, Set<String>> recreatedColumns) {
            if (!kept.contains(sequence.ownedByTable())) return true;
            Table want = desired.table(sequence.ownedByTable());
            return want.column(sequence.ownedByColumn()) == null
                    || recreatedColumns.getOrDefault(sequence.ownedByTable(), Set.of()).contains(sequence.ownedByColumn());
        }

        private void createExtensions() {
            for (Extension extension : desired.extensions().values()) {
                Extension had = have.extensions().get(extension.name());
                if (had != null && !had.schema().equals(extension.schema())) {
                    creates.add(Step.alter("ALTER EXTENSION " + Sql.ident(extension.name()) + " SET SCHEMA " + Sql.ident(extension.schema()), null)
                            .on(SchemaObject.extension(extension.name())).needing(List.of(SchemaObject.schema(extension.schema()))));
                }
                if (had != null) continue;
                creates.add(Step.create("CREATE EXTENSION IF NOT EXISTS " + Sql.ident(extension.name())
                        + ("public".equals(extension.schema()) ? "" : " WITH SCHEMA " + Sql.ident(extension.schema())), null)
                        .on(SchemaObject.extension(extension.name())).needing(List.of(SchemaObject.schema(extension.schema()))));
            }
        }

        private void changeEnums() {
            for (EnumType want : desired.enums().values()) {
                EnumType had = current.enums().get(want.name());
                if (had == null) {
                    creates.add(Step.create(createEnum(want), null).on(SchemaObject.type(want.name())));
                } else if (recreatedEnums.containsKey(want.name())) {
                    DeployPhase phase = enumPhase(want.name());
                    // the old type moves out of the way under a name of its own, then the new one takes its name
                    SchemaObject old = SchemaObject.type(recreatedEnums.get(want.name()));
                    creates.add(Step.rename("ALTER TYPE " + Sql.qualified(want.name()) + " RENAME TO " + Sql.local(recreatedEnums.get(want.name())), null, old)
                            .in(phase));
                    creates.add(Step.create(createEnum(want), null).on(SchemaObject.type(want.name())).needing(List.of(old)).in(phase));
                } else if (!had.equals(want)) {
                    List<String> labels = new ArrayList<>(had.labels());
                    String previous = null; // the label added last
                    for (int i = 0; i < want.labels().size(); i++) {
                        String label = want.labels().get(i);
                        if (labels.contains(label)) continue;
                        // the next wanted label that already exists tells where this one goes
                        String before = null;
                        for (int j = i + 1; j < want.labels().size() && before == null; j++) {
                            if (labels.contains(want.labels().get(j))) before = want.labels().get(j);
                        }
                        // a label of its own, placed before an old one: after the new labels that precede it
                        creates.add(Step.create("ALTER TYPE " + Sql.qualified(want.name()) + " ADD VALUE " + Sql.literal(label)
                                + (before == null ? "" : " BEFORE " + Sql.literal(before)), null).on(SchemaObject.label(want.name(), label))
                                .needing(previous == null ? List.of(SchemaObject.type(want.name()))
                                        : List.of(SchemaObject.type(want.name()), SchemaObject.label(want.name(), previous)))
                                .running(TransactionMode.COMMIT_AFTER));
                        previous = label;
                        labels.add(before == null ? labels.size() : labels.indexOf(before), label);
                    }
                }
            }
        }

        private static String createEnum(EnumType type) {
            return "CREATE TYPE " + Sql.qualified(type.name()) + " AS ENUM ("
                    + String.join(", ", type.labels().stream().map(Sql::literal).toList()) + ")";
        }

        private void createAndAlterSequences() {
            for (Sequence want : desired.sequences().values()) {
                Sequence had = have.sequences().get(want.name());
                if (had == null) {
                    creates.add(Step.create("CREATE SEQUENCE " + Sql.qualified(want.name()) + " " + want.optionsSql(), null)
                            .on(SchemaObject.sequence(want.name())));
                } else if (!had.withOwner(null, null).equals(want.withOwner(null, null))) {
                    creates.add(Step.alter("ALTER SEQUENCE " + Sql.qualified(want.name()) + " " + want.optionsSql(), null)
                            .on(SchemaObject.sequence(want.name())));
                }
            }
        }

        private void ownSequences() {
            for (Sequence want : desired.sequences().values()) {
                Sequence had = have.sequences().get(want.name());
                boolean ownerWas = had != null && had.isOwned() && !disowned(had);
                boolean sameOwner = ownerWas && Objects.equals(had.ownedByTable(), want.ownedByTable())
                        && Objects.equals(had.ownedByColumn(), want.ownedByColumn());
                if (want.isOwned() && !sameOwner) {
                    creates.add(Step.create("ALTER SEQUENCE " + Sql.qualified(want.name()) + " OWNED BY "
                            + Sql.qualified(want.ownedByTable()) + "." + Sql.ident(want.ownedByColumn()), want.ownedByTable())
                            .on(SchemaObject.ownership(want.name()))
                            .needing(List.of(SchemaObject.sequence(want.name()), SchemaObject.column(want.ownedByTable(), want.ownedByColumn()))));
                } else if (!want.isOwned() && ownerWas) {
                    creates.add(Step.drop("ALTER SEQUENCE " + Sql.qualified(want.name()) + " OWNED BY NONE", null)
                            .on(SchemaObject.ownership(want.name())).needing(List.of(SchemaObject.column(had.ownedByTable(), had.ownedByColumn()))));
                }
            }
        }

        private boolean disowned(Sequence had) {
            return disowned.contains(had.name());
        }

        private void dropSequences(Map<String, Set<String>> recreatedColumns) {
            for (Sequence had : have.sequences().values()) {
                if (desired.sequences().containsKey(had.name())) continue;
                if (had.isOwned() && ownerGoes(had, recreatedColumns)) continue; // dropped with its table or column
                lateDrops.add(Step.drop("DROP SEQUENCE " + Sql.qualified(had.name()), null).on(SchemaObject.sequence(had.name()))
                        .with(Hazard.DELETES_DATA, "drops sequence " + had.name() + " and its current value").postDeploy());
            }
        }

        /** A recreated enum that loses labels breaks old writers of them: its whole recreation waits for the rollout. */
        private DeployPhase enumPhase(String name) {
            EnumType had = current.enums().get(name);
            EnumType want = desired.enums().get(name);
            boolean removes = had != null && want != null && !want.labels().containsAll(had.labels());
            return removes ? DeployPhase.POST_DEPLOY : DeployPhase.PRE_DEPLOY;
        }

        private void dropEnumsAndExtensions() {
            // the old enum the rename made: once no column uses it (it needs itself: made by this plan)
            recreatedEnums.forEach((name, old) -> lateDrops.add(Step.drop("DROP TYPE " + Sql.qualified(old), null).on(SchemaObject.type(old))
                    .needing(List.of(SchemaObject.type(old))).in(enumPhase(name))));
            // what nothing uses any more may still be used by the columns dropped post-deploy
            for (EnumType had : current.enums().values()) {
                if (!desired.enums().containsKey(had.name())) {
                    lateDrops.add(Step.drop("DROP TYPE " + Sql.qualified(had.name()), null).on(SchemaObject.type(had.name())).postDeploy());
                }
            }
            for (Extension had : have.extensions().values()) {
                if (!desired.extensions().containsKey(had.name())) {
                    lateDrops.add(Step.drop("DROP EXTENSION " + Sql.ident(had.name()), null).on(SchemaObject.extension(had.name())).postDeploy());
                }
            }
        }

        private void createTable(Table table) {
            List<String> parts = new ArrayList<>();
            Set<SchemaObject> needs = new TreeSet<>(); // the functions its defaults, generated columns and checks call
            for (Column column : table.columns().values()) {
                parts.add(columnDefinition(column));
                needs.addAll(RoutineGenerator.calledIn(desired, column.defaultExpression()));
                needs.addAll(RoutineGenerator.calledIn(desired, column.generatedExpression()));
                needs.addAll(typeNeeds(desired, column.type()));
                needs.addAll(sequenceNeeds(desired, column.defaultExpression()));
            }
            for (CheckConstraint check : table.checks().values()) needs.addAll(RoutineGenerator.calledIn(desired, check.definition()));
            needs.addAll(addedExtensions());
            if (table.primaryKey() != null) parts.add(constraint(table.primaryKey().name(), table.primaryKey().definition()));
            for (KeyConstraint key : table.uniqueConstraints().values()) parts.add(constraint(key.name(), key.definition()));
            for (CheckConstraint check : table.checks().values()) parts.add(constraint(check.name(), check.definition()));
            String partitionBy = desired.partitionKeys().containsKey(table.name()) ? " PARTITION BY " + desired.partitionKeys().get(table.name()) : "";
            creates.add(Step.create("CREATE TABLE " + Sql.qualified(table.name()) + " (\n    " + String.join(",\n    ", parts) + "\n)" + partitionBy, table.name())
                    .on(SchemaObject.table(table.name())).needing(needs));
        }

        private void createIndexes(Table table) {
            for (Index index : table.indexes().values()) {
                creates.add(Step.create(index.createSql(table.name(), false), table.name()).on(SchemaObject.index(index.name()))
                        .needing(indexNeeds(table.name(), index)));
            }
        }

        private void addForeignKeys(Table table) {
            for (ForeignKey fk : table.foreignKeys().values()) {
                creates.add(Step.create("ALTER TABLE " + Sql.qualified(table.name()) + " ADD " + constraint(fk.name(), fk.definition()), table.name())
                        .on(SchemaObject.constraint(table.name(), fk.name())).needing(foreignKeyNeeds(desired, table.name(), fk)));
            }
        }

        private void createComments(Table table) {
            if (table.comment() != null) creates.add(commentOnTable(table.name(), table.comment()));
            for (Column column : table.columns().values()) {
                if (column.comment() != null) creates.add(commentOnColumn(table.name(), column.name(), column.comment()));
            }
        }
    }

    /** One table that exists on both sides. */
    private final class TableChanges {
        final Table had;
        final Table want;
        final String name;
        final Set<String> recreated;
        final List<KeyConstraint> droppedKeys = new ArrayList<>();
        final List<Index> droppedIndexes = new ArrayList<>();
        final List<ForeignKey> droppedForeignKeys = new ArrayList<>();
        final List<CheckConstraint> droppedChecks = new ArrayList<>();
        final Map<String, String> renamedIndexes = new LinkedHashMap<>();      // old → new
        final Map<String, String> renamedConstraints = new LinkedHashMap<>();  // old → new

        TableChanges(Table had, Table want, Set<String> recreated) {
            this.had = had;
            this.want = want;
            this.name = want.name();
            this.recreated = recreated == null ? Set.of() : recreated;
        }

        private boolean touchesRecreated(String text) {
            for (String column : recreated) if (SqlTokens.mentions(text, column, SqlTokens.Role.COLUMN)) return true;
            return false;
        }

        private boolean touchesRecreated(List<String> columns) {
            return columns.stream().anyMatch(recreated::contains);
        }

        /** Works out which keys, checks and indexes are dropped, kept or renamed, before any statement is written. */
        void decideKeysChecksAndIndexes() {
            KeyConstraint hadPk = had.primaryKey();
            KeyConstraint wantPk = want.primaryKey();
            if (hadPk != null && (wantPk == null || !hadPk.definition().equals(wantPk.definition()) || touchesRecreated(hadPk.columns()))) {
                droppedKeys.add(hadPk);
            } else if (hadPk != null && !hadPk.name().equals(wantPk.name())) {
                renamedConstraints.put(hadPk.name(), wantPk.name());
            }
            matchByDefinition(had.uniqueConstraints(), want.uniqueConstraints(), KeyConstraint::definition,
                    key -> touchesRecreated(key.columns()), droppedKeys, renamedConstraints);
            matchByDefinition(had.checks(), want.checks(), CheckConstraint::definition,
                    check -> touchesRecreated(check.definition()), droppedChecks, renamedConstraints);
            matchByDefinition(had.indexes(), want.indexes(), index -> (index.unique() ? "unique " : "") + index.method() + " " + index.body(),
                    index -> !index.valid() || touchesRecreated(index.body()), droppedIndexes, renamedIndexes);
        }

        /** After every table's keys are decided: foreign keys whose referenced key changes are recreated too. */
        void decideForeignKeys(Set<String> foreignKeysToRecreate) {
            matchByDefinition(had.foreignKeys(), want.foreignKeys(), ForeignKey::definition,
                    fk -> touchesRecreated(fk.columns()) || foreignKeysToRecreate.contains(name + "." + fk.name()),
                    droppedForeignKeys, renamedConstraints);
        }

        /**
         * Objects with the same name and definition stay; one whose definition reappears under another
         * (new) name is renamed; the rest of {@code had} is dropped.
         */
        private <T> void matchByDefinition(Map<String, T> hadByName, Map<String, T> wantByName,
                                           java.util.function.Function<T, String> definition,
                                           java.util.function.Predicate<T> mustRecreate,
                                           List<T> droppedOut, Map<String, String> renamedOut) {
            Map<String, String> unmatchedWanted = new LinkedHashMap<>(); // definition → name
            for (Map.Entry<String, T> entry : wantByName.entrySet()) {
                T had = hadByName.get(entry.getKey());
                boolean same = had != null && had.equals(entry.getValue()) && !mustRecreate.test(had);
                if (!same && !hadByName.containsKey(entry.getKey())) unmatchedWanted.putIfAbsent(definition.apply(entry.getValue()), entry.getKey());
            }
            for (Map.Entry<String, T> entry : hadByName.entrySet()) {
                T had = entry.getValue();
                T wanted = wantByName.get(entry.getKey());
                if (wanted != null && wanted.equals(had) && !mustRecreate.test(had)) continue;
                String target = wanted == null && !mustRecreate.test(had) ? unmatchedWanted.remove(definition.apply(had)) : null;
                if (target != null) renamedOut.put(entry.getKey(), target);
                else droppedOut.add(had);
            }
        }

        void dropForeignKeys() {
            // before the table it references goes
            for (ForeignKey fk : droppedForeignKeys) drops.add(dropConstraint(fk.name()).needing(foreignKeyNeeds(working, name, fk)));
        }

        void dropChecksIndexesAndKeys() {
            // each before what it used changes or goes
            for (CheckConstraint check : droppedChecks) {
                drops.add(dropConstraint(check.name()).needing(mentioned(had, check.definition()))
                        .needing(RoutineGenerator.calledIn(working, check.definition())));
            }
            for (Index index : droppedIndexes) {
                Step drop = desired.partitionKeys().containsKey(name) ? Step.drop("DROP INDEX " + Sql.schemaPrefix(name) + Sql.ident(index.name()), name) // no CONCURRENTLY there
                        : Step.drop("DROP INDEX CONCURRENTLY " + Sql.schemaPrefix(name) + Sql.ident(index.name()), name).concurrently();
                drop = drop.on(SchemaObject.index(index.name())).needing(mentioned(had, index.body()))
                        .needing(RoutineGenerator.calledIn(working, index.body()));
                // An index that goes away for good (not one rebuilt under its name, nor one in the way of a
                // column change) may still serve the release that is running: dropped once that release is gone.
                boolean removed = !want.indexes().containsKey(index.name()) && index.valid() && !touchesRecreated(index.body());
                drops.add(removed ? drop.postDeploy() : drop);
            }
            for (KeyConstraint key : droppedKeys) drops.add(dropConstraint(key.name()).needing(columns(name, key.columns())));
        }

        void renameIndexesAndConstraints() {
            // each once the drop of whatever held the new name has freed it
            renamedConstraints.forEach((from, to) -> drops.add(Step.rename("ALTER TABLE " + Sql.qualified(name) + " RENAME CONSTRAINT "
                    + Sql.ident(from) + " TO " + Sql.ident(to), name, SchemaObject.constraint(name, to))));
            renamedIndexes.forEach((from, to) -> drops.add(Step.rename("ALTER INDEX " + Sql.schemaPrefix(name) + Sql.ident(from) + " RENAME TO " + Sql.ident(to),
                    name, SchemaObject.index(to))));
        }

        private Step dropConstraint(String constraint) {
            return Step.drop("ALTER TABLE " + Sql.qualified(name) + " DROP CONSTRAINT " + Sql.ident(constraint), name)
                    .on(SchemaObject.constraint(name, constraint));
        }

        void dropColumns() {
            for (Column column : had.columns().values()) {
                if (want.column(column.name()) == null || recreated.contains(column.name())) {
                    // before the functions its default calls go
                    Step drop = Step.drop("ALTER TABLE " + Sql.qualified(name) + " DROP COLUMN " + Sql.ident(column.name()), name)
                            .on(SchemaObject.column(name, column.name())).needing(usedBy(column));
                    drops.add(column.isGenerated() && want.column(column.name()) != null
                            ? drop.with(Hazard.REWRITES_TABLE, "drops generated column " + name + "." + column.name() + " to add it back with its new definition")
                            : drop.with(Hazard.DELETES_DATA, "drops column " + name + "." + column.name() + " and its values")
                                    // the release still serving reads and writes it; a recreated one comes back at once
                                    .in(want.column(column.name()) == null ? DeployPhase.POST_DEPLOY : DeployPhase.PRE_DEPLOY));
                }
            }
        }

        void alterColumns() {
            String table = "ALTER TABLE " + Sql.qualified(name);
            for (Column wanted : want.columns().values()) {
                Column column = had.column(wanted.name());
                if (column == null || recreated.contains(wanted.name())) {
                    creates.add(addColumnHazards(Step.create(table + " ADD COLUMN " + columnDefinition(wanted), name)
                            .on(SchemaObject.column(name, wanted.name())).needing(calls(wanted)), wanted));
                    continue;
                }
                String alter = table + " ALTER COLUMN " + Sql.ident(wanted.name());
                String haveDefault = column.defaultExpression();
                SchemaObject onColumn = SchemaObject.column(name, wanted.name());
                // The parts of a column are objects of their own: a part removed goes before the column's
                // type changes, one added after; its identity counts as its default (one replaces the other).
                SchemaObject defaultOf = SchemaObject.columnPart(SchemaObject.Kind.DEFAULT, name, wanted.name());
                SchemaObject notNull = SchemaObject.columnPart(SchemaObject.Kind.NOT_NULL, name, wanted.name());
                List<SchemaObject> theColumn = List.of(onColumn);
                if (column.isGenerated() && !wanted.isGenerated()) {
                    creates.add(Step.drop(alter + " DROP EXPRESSION", name)
                            .on(SchemaObject.columnPart(SchemaObject.Kind.EXPRESSION, name, wanted.name())).needing(theColumn).needing(usedBy(column)));
                }
                if (column.identity() != Column.Identity.NONE && wanted.identity() == Column.Identity.NONE) {
                    creates.add(Step.drop(alter + " DROP IDENTITY", name).on(defaultOf).needing(List.of(onColumn, notNull)));
                }
                boolean typeChange = !column.type().equals(wanted.type()) || !Objects.equals(column.collation(), wanted.collation());
                // Old writers may insert without a value once the default is gone, or send values the
                // new type refuses: such changes wait for the rollout (post-deploy), with the default
                // steps around a type change, which must stay in order with it.
                boolean dropsDefault = column.defaultExpression() != null && wanted.defaultExpression() == null;
                DeployPhase typePhase = DeployPhase.PRE_DEPLOY;
                if (typeChange) {
                    Step retype = TypeChange.withHazards(Step.alter(alter + " TYPE " + wanted.type()
                            + (wanted.collation() == null ? "" : " COLLATE " + Sql.ident(wanted.collation()))
                            + TypeChange.using(column.type(), wanted.type(), wanted.name()), name),
                            name, column, wanted, recreatedEnumLabelsRemoved(column.type()));
                    if (retype.hazards().contains(Hazard.DELETES_DATA) || dropsDefault) typePhase = DeployPhase.POST_DEPLOY;
                    if (haveDefault != null) {
                        creates.add(Step.drop(alter + " DROP DEFAULT", name).on(defaultOf).needing(theColumn).needing(usedBy(column)).in(typePhase));
                        haveDefault = null;
                    }
                    // the old type is still there while it runs; the new one, and whatever an added extension brings, first
                    creates.add(retype.on(onColumn).needing(typeNeeds(desired, wanted.type())).needing(typesUsed(column.type()))
                            .needing(addedExtensions()).in(typePhase));
                }
                if (!Objects.equals(haveDefault, wanted.defaultExpression())) {
                    Step step = wanted.defaultExpression() == null
                            ? Step.drop(alter + " DROP DEFAULT", name).on(defaultOf).needing(theColumn).needing(usedBy(column))
                            // replacing one: before what the old one used goes
                            : Step.create(alter + " SET DEFAULT " + wanted.defaultExpression(), name).on(defaultOf).needing(theColumn)
                                    .needing(calls(wanted)).needing(haveDefault == null ? Set.of() : usedBy(column));
                    creates.add(step.in(wanted.defaultExpression() == null ? DeployPhase.POST_DEPLOY : typePhase));
                }
                if (!column.notNull() && wanted.notNull()) {
                    creates.add(Step.create(alter + " SET NOT NULL", name).on(notNull).needing(theColumn).with(Hazard.LOCKS_TABLE,
                            "scans all of " + name + " for NULLs in " + wanted.name() + " while holding an ACCESS EXCLUSIVE lock").postDeploy());
                } else if (column.notNull() && !wanted.notNull()) {
                    creates.add(Step.drop(alter + " DROP NOT NULL", name).on(notNull).needing(theColumn));
                }
                if (wanted.identity() != Column.Identity.NONE && column.identity() == Column.Identity.NONE) {
                    creates.add(Step.create(alter + " ADD " + wanted.identity().sql() + IdentityOptions.clause(wanted.identityOptions()), name)
                            .on(defaultOf).needing(List.of(onColumn, notNull)));
                } else if (wanted.identity() != Column.Identity.NONE && column.identity() != wanted.identity()) {
                    creates.add(Step.alter(alter + " SET GENERATED " + (wanted.identity() == Column.Identity.ALWAYS ? "ALWAYS" : "BY DEFAULT"), name)
                            .on(defaultOf).needing(theColumn));
                }
                // the identity sequence's options, set in place: its current value is data and stays
                Sequence hadOptions = typeChange ? IdentityOptions.retyped(column.identityOptions(), wanted.type()) : column.identityOptions();
                if (column.identity() != Column.Identity.NONE && IdentityOptions.differ(hadOptions, wanted.identityOptions())) {
                    creates.add(Step.alter(alter + IdentityOptions.changes(hadOptions, wanted.identityOptions()), name).on(defaultOf).needing(theColumn));
                }
            }
        }

        /** The functions a column's default or generated expression calls, and its enum or domain type. */
        private Set<SchemaObject> calls(Column column) {
            Set<SchemaObject> called = new TreeSet<>(RoutineGenerator.calledIn(desired, column.defaultExpression()));
            called.addAll(RoutineGenerator.calledIn(desired, column.generatedExpression()));
            called.addAll(typeNeeds(desired, column.type()));
            called.addAll(sequenceNeeds(desired, column.defaultExpression()));
            return called;
        }

        private boolean recreatedEnumLabelsRemoved(String type) {
            String base = type.endsWith("[]") ? type.substring(0, type.length() - 2) : type;
            if (!base.endsWith(OLD_ENUM_SUFFIX)) return false;
            String enumName = base.substring(0, base.length() - OLD_ENUM_SUFFIX.length());
            EnumType old = current.enums().get(enumName);
            EnumType now = desired.enums().get(enumName);
            return old != null && now != null && !now.labels().containsAll(old.labels());
        }

        private Step addColumnHazards(Step step, Column column) {
            String where = name + "." + column.name();
            if (column.isGenerated() && "STORED".equals(column.generatedKind())) {
                step = step.with(Hazard.REWRITES_TABLE, "computes generated column " + where + " for every existing row");
            } else if (column.defaultVolatile()) {
                step = step.with(Hazard.REWRITES_TABLE, "evaluates DEFAULT " + column.defaultExpression() + " for every existing row of " + name);
            } else if (column.identity() != Column.Identity.NONE) {
                step = step.with(Hazard.REWRITES_TABLE, "numbers every existing row of " + name + " in identity column " + column.name());
            }
            if (column.notNull() && column.defaultExpression() == null && !column.isGenerated() && column.identity() == Column.Identity.NONE) {
                step = step.with(Hazard.FAILS_ON_EXISTING_ROWS, "fails unless " + name + " is empty: " + column.name() + " is NOT NULL without a default");
            }
            return step;
        }

        private Step validate(String constraint) {
            return Step.alter("ALTER TABLE " + Sql.qualified(name) + " VALIDATE CONSTRAINT " + Sql.ident(constraint), name)
                    .with(Hazard.VALIDATES_CONSTRAINT, "scans " + name + " to check " + constraint + "; reads and writes go on");
        }

        void addKeysAndChecks() {
            String table = "ALTER TABLE " + Sql.qualified(name);
            List<KeyConstraint> keys = new ArrayList<>();
            if (want.primaryKey() != null) keys.add(want.primaryKey());
            keys.addAll(want.uniqueConstraints().values());
            for (KeyConstraint key : keys) {
                KeyConstraint hadKey = key.primaryKey() ? had.primaryKey() : had.uniqueConstraints().get(key.name());
                boolean present = hadKey != null && hadKey.name().equals(key.name()) && !droppedKeys.contains(hadKey);
                if (present || renamedConstraints.containsValue(key.name())) continue;
                SchemaObject keyObject = SchemaObject.constraint(name, key.name());
                List<SchemaObject> keyColumns = columns(name, key.columns());
                Matcher simple = SIMPLE_KEY.matcher(key.definition());
                if (simple.matches() && !desired.partitionKeys().containsKey(name)) { // no CONCURRENTLY on a partitioned table
                    // build the unique index without blocking writes, then attach it as the constraint
                    String nulls = simple.group(2) == null ? "" : " NULLS NOT DISTINCT";
                    // the index is the key's first part (it takes the key's name), attached by a change of the key
                    creates.add(Step.create("CREATE UNIQUE INDEX CONCURRENTLY " + Sql.ident(key.name()) + " ON " + Sql.qualified(name)
                            + " (" + simple.group(3) + ")" + nulls, name).concurrently().on(keyObject).needing(keyColumns).with(Hazard.BUILDS_INDEX,
                            "builds the index of " + key.name() + " on " + name + " without blocking writes (outside a transaction)"));
                    creates.add(Step.alter(table + " ADD CONSTRAINT " + Sql.ident(key.name()) + " " + simple.group(1)
                            + " USING INDEX " + Sql.ident(key.name()) + (simple.group(4) == null ? "" : simple.group(4)), name)
                            .on(keyObject).needing(keyColumns).needing(List.of(keyObject)));
                } else {
                    creates.add(Step.create(table + " ADD " + constraint(key.name(), key.definition()), name).on(keyObject).needing(keyColumns)
                            .with(Hazard.BUILDS_INDEX, "builds the index of " + key.name() + " on " + name)
                            .with(Hazard.LOCKS_TABLE, "blocks writes to " + name + " while the index of " + key.name() + " is built"));
                }
            }
            for (CheckConstraint check : want.checks().values()) {
                CheckConstraint hadCheck = had.checks().get(check.name());
                if ((hadCheck != null && !droppedChecks.contains(hadCheck)) || renamedConstraints.containsValue(check.name())) continue;
                SchemaObject constraint = SchemaObject.constraint(name, check.name());
                creates.add(Step.create(table + " ADD " + constraint(check.name(), check.definition()) + " NOT VALID", name)
                        .on(constraint).needing(RoutineGenerator.calledIn(desired, check.definition())).needing(mentioned(want, check.definition())));
                creates.add(validate(check.name()).on(constraint).needing(java.util.List.of(constraint)));
            }
        }

        void addIndexes() {
            for (Index index : want.indexes().values()) {
                Index hadIndex = had.indexes().get(index.name());
                if ((hadIndex != null && !droppedIndexes.contains(hadIndex)) || renamedIndexes.containsValue(index.name())) continue;
                creates.add(desired.partitionKeys().containsKey(name)
                        ? PartitionGenerator.createIndex(index, name).on(SchemaObject.index(index.name())).needing(indexNeeds(name, index))
                        : Step.create(index.createSql(name, true), name).concurrently().with(Hazard.BUILDS_INDEX,
                        "builds index " + index.name() + " on " + name + " without blocking writes (outside a transaction)")
                        .on(SchemaObject.index(index.name())).needing(indexNeeds(name, index)));
            }
        }

        void addForeignKeys() {
            String table = "ALTER TABLE " + Sql.qualified(name);
            for (ForeignKey fk : want.foreignKeys().values()) {
                ForeignKey hadFk = had.foreignKeys().get(fk.name());
                if ((hadFk != null && !droppedForeignKeys.contains(hadFk)) || renamedConstraints.containsValue(fk.name())) continue;
                if (desired.partitionKeys().containsKey(name)) { // PostgreSQL has no NOT VALID foreign key on a partitioned table
                    creates.add(PartitionGenerator.addForeignKey(table + " ADD " + constraint(fk.name(), fk.definition()), name, fk)
                            .on(SchemaObject.constraint(name, fk.name())).needing(foreignKeyNeeds(desired, name, fk)));
                    continue;
                }
                SchemaObject constraint = SchemaObject.constraint(name, fk.name());
                creates.add(Step.create(table + " ADD " + constraint(fk.name(), fk.definition()) + " NOT VALID", name)
                        .on(constraint).needing(foreignKeyNeeds(desired, name, fk)));
                creates.add(validate(fk.name()).on(constraint).needing(List.of(constraint)));
            }
        }

        void comments() {
            if (!Objects.equals(had.comment(), want.comment())) creates.add(commentOnTable(name, want.comment()));
            for (Column wanted : want.columns().values()) {
                Column column = had.column(wanted.name());
                String hadComment = column == null || recreated.contains(wanted.name()) ? null : column.comment();
                if (!Objects.equals(hadComment, wanted.comment())) {
                    creates.add(commentOnColumn(name, wanted.name(), wanted.comment()));
                }
            }
        }
    }

    /** The enum or domain {@code type} names, when {@code catalog} has it (arrays of it too). */
    private static Set<SchemaObject> typeNeeds(Catalog catalog, String type) {
        String base = type;
        while (base.endsWith("[]")) base = base.substring(0, base.length() - 2);
        return catalog.enums().containsKey(base) || catalog.domains().containsKey(base) ? Set.of(SchemaObject.type(base)) : Set.of();
    }

    /**
     * The sequences of {@code catalog} a default draws from ({@code nextval('name'::regclass)}, as
     * the catalog prints it). Not declared on the drop of such a column: a sequence that stays is
     * disowned before its column goes, a change that must run first.
     */
    private static Set<SchemaObject> sequenceNeeds(Catalog catalog, String defaultExpression) {
        if (defaultExpression == null || !defaultExpression.contains("nextval(")) return Set.of();
        Set<SchemaObject> needs = new TreeSet<>();
        for (String sequence : catalog.sequences().keySet()) {
            if (defaultExpression.contains("nextval('" + sequence + "'") || defaultExpression.contains("nextval('" + Sql.qualified(sequence) + "'")) {
                needs.add(SchemaObject.sequence(sequence));
            }
        }
        return needs;
    }

    /** What building {@code index} needs: its table, the columns it mentions, the functions its expressions call, new extensions. */
    private Set<SchemaObject> indexNeeds(String table, Index index) {
        Set<SchemaObject> needs = new TreeSet<>(RoutineGenerator.calledIn(desired, index.body()));
        needs.add(SchemaObject.table(table));
        needs.addAll(mentioned(desired.table(table), index.body()));
        needs.addAll(addedExtensions());
        return needs;
    }

    /** The columns of {@code table} that {@code text} (a check, an index body) mentions. */
    private static Set<SchemaObject> mentioned(Table table, String text) {
        Set<SchemaObject> columns = new TreeSet<>();
        if (table == null || text == null) return columns;
        for (String column : table.columns().keySet()) {
            if (SqlTokens.mentions(text, column, SqlTokens.Role.COLUMN)) columns.add(SchemaObject.column(table.name(), column));
        }
        return columns;
    }

    private static List<SchemaObject> columns(String table, List<String> columns) {
        return columns.stream().map(column -> SchemaObject.column(table, column)).toList();
    }

    /** The columns of {@code table} in {@code catalog}: what attaching it as a partition needs in place. */
    static List<SchemaObject> columnsOf(Catalog catalog, String table) {
        Table found = catalog.table(table);
        return found == null ? List.of() : columns(table, List.copyOf(found.columns().keySet()));
    }

    /**
     * What foreign key {@code fk} of {@code table} needs in {@code catalog}: its columns, the
     * referenced table and columns, and the key or unique index there that it references.
     */
    private static Set<SchemaObject> foreignKeyNeeds(Catalog catalog, String table, ForeignKey fk) {
        Set<SchemaObject> needs = new TreeSet<>(columns(table, fk.columns()));
        needs.add(SchemaObject.table(table));
        needs.add(SchemaObject.table(fk.referencedTable()));
        needs.addAll(columns(fk.referencedTable(), fk.referencedColumns()));
        Table referenced = catalog.table(fk.referencedTable());
        if (referenced == null) return needs;
        Set<String> wanted = new TreeSet<>(fk.referencedColumns());
        List<KeyConstraint> keys = new ArrayList<>(referenced.uniqueConstraints().values());
        if (referenced.primaryKey() != null) keys.add(referenced.primaryKey());
        for (KeyConstraint key : keys) {
            if (new TreeSet<>(key.columns()).equals(wanted)) needs.add(SchemaObject.constraint(referenced.name(), key.name()));
        }
        for (Index index : referenced.indexes().values()) {
            if (index.unique() && index.body().startsWith("(" + Sql.identifiers(fk.referencedColumns()) + ")")) needs.add(SchemaObject.index(index.name()));
        }
        return needs;
    }

    /** What the extensions this plan adds bring (types, functions, operators) may be used by what it creates. */
    private Set<SchemaObject> addedExtensions() {
        Set<SchemaObject> added = new TreeSet<>();
        for (String extension : desired.extensions().keySet()) {
            if (!current.extensions().containsKey(extension)) added.add(SchemaObject.extension(extension));
        }
        return added;
    }

    /** The enum or domain a column of the current schema has as {@code type}: one of the catalog, or an old enum moved out of the way. */
    private Set<SchemaObject> typesUsed(String type) {
        Set<SchemaObject> used = new TreeSet<>(typeNeeds(current, type));
        String base = type;
        while (base.endsWith("[]")) base = base.substring(0, base.length() - 2);
        for (String old : enumRecreations.values()) if (base.equals(Sql.qualified(old)) || base.equals(old)) used.add(SchemaObject.type(old));
        return used;
    }

    /**
     * What column {@code column} of the current schema uses: the functions its default and generated
     * expression call, its enum or domain type, the sequences its default draws from, and the
     * extensions this plan removes; a step that stops using them runs before they go.
     */
    private Set<SchemaObject> usedBy(Column column) {
        Catalog had = current;
        Set<SchemaObject> used = new TreeSet<>(RoutineGenerator.calledIn(had, column.defaultExpression()));
        used.addAll(RoutineGenerator.calledIn(had, column.generatedExpression()));
        used.addAll(typesUsed(column.type()));
        used.addAll(sequenceNeeds(had, column.defaultExpression()));
        for (String extension : current.extensions().keySet()) {
            if (!desired.extensions().containsKey(extension)) used.add(SchemaObject.extension(extension));
        }
        return used;
    }

    /** {@code PRIMARY KEY (a, b)} or {@code UNIQUE [NULLS NOT DISTINCT] (a)} with optional DEFERRABLE: attachable to a concurrently built index. */
    private static final Pattern SIMPLE_KEY = Pattern.compile(
            "(PRIMARY KEY|UNIQUE)( NULLS NOT DISTINCT)? \\(([^()]*)\\)( DEFERRABLE(?: INITIALLY DEFERRED)?)?");

    static String columnDefinition(Column column) {
        StringBuilder sql = new StringBuilder(Sql.ident(column.name())).append(' ').append(column.type());
        if (column.collation() != null) sql.append(" COLLATE ").append(Sql.ident(column.collation()));
        if (column.isGenerated()) {
            sql.append(" GENERATED ALWAYS AS (").append(column.generatedExpression()).append(") ").append(column.generatedKind());
        }
        if (column.defaultExpression() != null) sql.append(" DEFAULT ").append(column.defaultExpression());
        if (column.notNull()) sql.append(" NOT NULL");
        if (column.identity() != Column.Identity.NONE) sql.append(' ').append(column.identity().sql()).append(IdentityOptions.clause(column.identityOptions()));
        return sql.toString();
    }

    private static String constraint(String name, String definition) {
        return "CONSTRAINT " + Sql.ident(name) + " " + definition;
    }

    /** The comment on a table, set or removed: a change of that comment, once the table is there. */
    private static Step commentOnTable(String table, String comment) {
        SchemaObject object = SchemaObject.table(table);
        return Step.alter("COMMENT ON TABLE " + Sql.qualified(table) + " IS " + Sql.literal(comment), table)
                .on(SchemaObject.comment(object)).needing(List.of(object));
    }

    /** The comment on a column, set or removed: after the column is added, renamed or changed. */
    private static Step commentOnColumn(String table, String column, String comment) {
        SchemaObject object = SchemaObject.column(table, column);
        return Step.alter("COMMENT ON COLUMN " + Sql.qualified(table) + "." + Sql.ident(column) + " IS " + Sql.literal(comment), table)
                .on(SchemaObject.comment(object)).needing(List.of(object));
    }
}
