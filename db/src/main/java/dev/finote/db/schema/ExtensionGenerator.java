package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans extensions: added ones created (in their schema), moved ones given their new schema,
 * removed ones dropped post-deploy. What an added extension brings may be used by any table,
 * column or index the plan creates: those declare they need it ({@link DiffContext#addedExtensions()}).
 */
final class ExtensionGenerator {

    private final Catalog have;
    private final Catalog want;

    ExtensionGenerator(Catalog have, Catalog want) {
        this.have = have;
        this.want = want;
    }

    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (Extension extension : want.extensions().values()) {
            Extension had = have.extensions().get(extension.name());
            List<SchemaObject> schema = List.of(SchemaObject.schema(extension.schema()));
            if (had != null && !had.schema().equals(extension.schema())) {
                steps.add(Step.alter("ALTER EXTENSION " + Sql.ident(extension.name()) + " SET SCHEMA " + Sql.ident(extension.schema()), null)
                        .on(SchemaObject.extension(extension.name())).needing(schema));
            }
            if (had != null) continue;
            steps.add(Step.create("CREATE EXTENSION IF NOT EXISTS " + Sql.ident(extension.name())
                    + ("public".equals(extension.schema()) ? "" : " WITH SCHEMA " + Sql.ident(extension.schema())), null)
                    .on(SchemaObject.extension(extension.name())).needing(schema));
        }
        return steps;
    }

    /** Removed extensions, post-deploy: what is dropped then may still use them. */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        for (Extension had : have.extensions().values()) {
            if (!want.extensions().containsKey(had.name())) {
                steps.add(Step.drop("DROP EXTENSION " + Sql.ident(had.name()), null).on(SchemaObject.extension(had.name())).postDeploy());
            }
        }
        return steps;
    }
}
