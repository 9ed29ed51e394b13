package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plans enums: new ones created; labels added in place ({@code ADD VALUE}, each committed before
 * it can be used, {@link TransactionMode#COMMIT_AFTER}) when the old labels keep their order in
 * the new list; otherwise the enum is created again: the old one renamed out of the way, the new
 * one created, the columns converted (by {@code ColumnGenerator}), the old one dropped. A
 * recreation that loses labels breaks the old release's writers of them: it waits for the rollout.
 * Removed enums are dropped post-deploy.
 */
final class EnumGenerator {

    /** What an enum created again is renamed to meanwhile, after its name. */
    static final String OLD_SUFFIX = "__finote_old";

    private final DiffContext context;

    EnumGenerator(DiffContext context) {
        this.context = context;
    }

    /** Enums whose labels cannot be reached by adding values: created again under their name, the old one renamed to this. */
    static Map<String, String> recreations(Catalog current, Catalog desired) {
        Map<String, String> result = new TreeMap<>();
        for (EnumType want : desired.enums().values()) {
            EnumType have = current.enums().get(want.name());
            if (have != null && !have.equals(want) && !isSubsequence(have.labels(), want.labels())) {
                result.put(want.name(), want.name() + OLD_SUFFIX);
            }
        }
        return result;
    }

    private static boolean isSubsequence(List<String> small, List<String> big) {
        int j = 0;
        for (String label : big) if (j < small.size() && small.get(j).equals(label)) j++;
        return j == small.size();
    }

    /** Creates, added labels and recreations. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        for (EnumType want : context.desired().enums().values()) {
            EnumType had = context.current().enums().get(want.name());
            if (had == null) {
                steps.add(Step.create(createSql(want), null).on(SchemaObject.type(want.name())));
            } else if (context.enumRecreations().containsKey(want.name())) {
                DeployPhase phase = phase(want.name());
                // the old type moves out of the way under a name of its own, then the new one takes its name
                String oldName = context.enumRecreations().get(want.name());
                SchemaObject old = SchemaObject.type(oldName);
                steps.add(Step.rename("ALTER TYPE " + Sql.qualified(want.name()) + " RENAME TO " + Sql.local(oldName), null, old).in(phase));
                steps.add(Step.create(createSql(want), null).on(SchemaObject.type(want.name())).needing(List.of(old)).in(phase));
            } else if (!had.equals(want)) {
                steps.addAll(addedLabels(had, want));
            }
        }
        return steps;
    }

    private static List<Step> addedLabels(EnumType had, EnumType want) {
        List<Step> steps = new ArrayList<>();
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
            steps.add(Step.create("ALTER TYPE " + Sql.qualified(want.name()) + " ADD VALUE " + Sql.literal(label)
                    + (before == null ? "" : " BEFORE " + Sql.literal(before)), null).on(SchemaObject.label(want.name(), label))
                    .needing(previous == null ? List.of(SchemaObject.type(want.name()))
                            : List.of(SchemaObject.type(want.name()), SchemaObject.label(want.name(), previous)))
                    .running(TransactionMode.COMMIT_AFTER));
            labels.add(before == null ? labels.size() : labels.indexOf(before), label);
            previous = label;
        }
        return steps;
    }

    /** Drops of the old enums of recreations, then of removed enums (post-deploy: columns dropped then may still use them). */
    List<Step> drops() {
        List<Step> steps = new ArrayList<>();
        // the old enum the rename made: once no column uses it (it needs itself: made by this plan)
        context.enumRecreations().forEach((name, old) -> steps.add(Step.drop("DROP TYPE " + Sql.qualified(old), null).on(SchemaObject.type(old))
                .needing(List.of(SchemaObject.type(old))).in(phase(name))));
        for (EnumType had : context.current().enums().values()) {
            if (!context.desired().enums().containsKey(had.name())) {
                steps.add(Step.drop("DROP TYPE " + Sql.qualified(had.name()), null).on(SchemaObject.type(had.name())).postDeploy());
            }
        }
        return steps;
    }

    /** A recreated enum that loses labels breaks old writers of them: its whole recreation waits for the rollout. */
    private DeployPhase phase(String name) {
        EnumType had = context.current().enums().get(name);
        EnumType want = context.desired().enums().get(name);
        boolean removes = had != null && want != null && !want.labels().containsAll(had.labels());
        return removes ? DeployPhase.POST_DEPLOY : DeployPhase.PRE_DEPLOY;
    }

    private static String createSql(EnumType type) {
        return "CREATE TYPE " + Sql.qualified(type.name()) + " AS ENUM ("
                + String.join(", ", type.labels().stream().map(Sql::literal).toList()) + ")";
    }
}
