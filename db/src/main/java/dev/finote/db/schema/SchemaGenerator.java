package dev.finote.db.schema;

import dev.finote.db.DatabaseException;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans the schemas besides public: added ones are created before anything else (every object
 * may live in one), removed ones dropped after everything else, once the release still serving
 * is gone; dropping one whose tables go with it is {@link Hazard#DELETES_DATA} (the tables' own
 * drops carry it too). A table that leaves one schema for another under the same name would be
 * a drop and a create, losing its rows: that is refused, saying how to move it.
 */
final class SchemaGenerator {

    private final Catalog have;
    private final Catalog want;

    SchemaGenerator(Catalog have, Catalog want) {
        this.have = have;
        this.want = want;
        for (String added : want.tables().keySet()) {
            if (have.tables().containsKey(added)) continue;
            for (String gone : have.tables().keySet()) {
                if (!want.tables().containsKey(gone) && localName(gone).equals(localName(added))) {
                    throw new DatabaseException("table " + localName(added) + " moves from schema " + schemaOf(gone) + " to schema "
                            + schemaOf(added) + ", which generate would plan as a drop and a create, losing its rows",
                            "move it in a migration of your own (ALTER TABLE " + Sql.qualified(gone) + " SET SCHEMA "
                                    + Sql.ident(schemaOf(added)) + ";) and then run generate again", null);
                }
            }
        }
    }

    /** CREATE SCHEMA for the added ones: every object in one needs it ({@link SchemaObject#parent()}). */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (String name : want.schemas().keySet()) {
            if (!have.schemas().containsKey(name)) steps.add(Step.create("CREATE SCHEMA " + Sql.ident(name), null).on(SchemaObject.schema(name)));
        }
        return steps;
    }

    /** DROP SCHEMA for the removed ones, after the objects in them ({@link SchemaObject#parent()}), post-deploy. */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        for (String name : have.schemas().keySet()) {
            if (want.schemas().containsKey(name)) continue;
            Step drop = Step.drop("DROP SCHEMA " + Sql.ident(name), null).on(SchemaObject.schema(name)).postDeploy();
            List<String> tables = have.tables().keySet().stream().filter(table -> table.startsWith(name + ".")).toList();
            steps.add(tables.isEmpty() ? drop
                    : drop.with(Hazard.DELETES_DATA, "drops schema " + name + " with its tables " + String.join(", ", tables) + " and their rows"));
        }
        return steps;
    }

    private static String schemaOf(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? "public" : key.substring(0, dot);
    }

    private static String localName(String key) {
        return key.substring(key.indexOf('.') + 1);
    }
}
