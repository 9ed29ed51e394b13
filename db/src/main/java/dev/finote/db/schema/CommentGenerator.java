package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Plans the comments on tables and columns: a new table's set, a kept one's set, changed or
 * removed. The comment on an object is an object of its own ({@link SchemaObject.Kind#COMMENT}),
 * set once the object it describes is there (created, renamed, or a column added again).
 */
final class CommentGenerator {

    private final DiffContext context;

    CommentGenerator(DiffContext context) {
        this.context = context;
    }

    /** The comments of new tables, then the changed ones of kept tables. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (String name : context.created()) {
            Table table = context.desired().table(name);
            if (table.comment() != null) steps.add(onTable(name, table.comment()));
            for (Column column : table.columns().values()) {
                if (column.comment() != null) steps.add(onColumn(name, column.name(), column.comment()));
            }
        }
        for (KeptTable kept : context.keptInOrder()) {
            if (!Objects.equals(kept.had.comment(), kept.want.comment())) steps.add(onTable(kept.name, kept.want.comment()));
            for (Column wanted : kept.want.columns().values()) {
                Column column = kept.had.column(wanted.name());
                String hadComment = column == null || kept.recreated.contains(wanted.name()) ? null : column.comment();
                if (!Objects.equals(hadComment, wanted.comment())) steps.add(onColumn(kept.name, wanted.name(), wanted.comment()));
            }
        }
        return steps;
    }

    /** The comment on a table, set or removed. */
    private static Step onTable(String table, String comment) {
        SchemaObject object = SchemaObject.table(table);
        return Step.alter("COMMENT ON TABLE " + Sql.qualified(table) + " IS " + Sql.literal(comment), table)
                .on(SchemaObject.comment(object)).needing(List.of(object));
    }

    /** The comment on a column, set or removed. */
    private static Step onColumn(String table, String column, String comment) {
        SchemaObject object = SchemaObject.column(table, column);
        return Step.alter("COMMENT ON COLUMN " + Sql.qualified(table) + "." + Sql.ident(column) + " IS " + Sql.literal(comment), table)
                .on(SchemaObject.comment(object)).needing(List.of(object));
    }
}
