package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Readable differences between an expected catalog and an actual one, used to explain drift
 * and refused adoption: "missing" is in the expected catalog only, "extra" in the actual one only,
 * "differs" shows the expected value first.
 */
final class CatalogComparison {

    private final List<String> lines = new ArrayList<>();

    private CatalogComparison() {
    }

    static List<String> compare(Catalog expected, Catalog actual) {
        CatalogComparison comparison = new CatalogComparison();
        comparison.catalogs(expected, actual);
        return List.copyOf(comparison.lines);
    }

    private void catalogs(Catalog expected, Catalog actual) {
        named("extension", "", expected.extensions(), actual.extensions(), (e, a) -> {
            if (!Objects.equals(e.schema(), a.schema())) lines.add("extension " + e.name() + " schema differs: " + e.schema() + " vs " + a.schema());
        });
        named("enum", "", expected.enums(), actual.enums(), (e, a) ->
                lines.add("enum " + e.name() + " labels differ: " + e.labels() + " vs " + a.labels()));
        named("sequence", "", expected.sequences(), actual.sequences(), (e, a) -> {
            field("sequence " + e.name(), "type", e.dataType(), a.dataType());
            field("sequence " + e.name(), "start", e.start(), a.start());
            field("sequence " + e.name(), "increment", e.increment(), a.increment());
            field("sequence " + e.name(), "minvalue", e.minValue(), a.minValue());
            field("sequence " + e.name(), "maxvalue", e.maxValue(), a.maxValue());
            field("sequence " + e.name(), "cache", e.cache(), a.cache());
            field("sequence " + e.name(), "cycle", e.cycle(), a.cycle());
            field("sequence " + e.name(), "owner", owner(e), owner(a));
        });
        named("table", "", expected.tables(), actual.tables(), this::tables);
        named(null, "", expected.routines(), actual.routines(), (e, a) ->
                lines.add(kind(e) + " " + e.signature() + " differs:\n" + e.definition() + "\nvs\n" + a.definition()));
        named("domain", "", expected.domains(), actual.domains(), (e, a) -> {
            field("domain " + e.name(), "type", e.type(), a.type());
            field("domain " + e.name(), "default", e.defaultExpression(), a.defaultExpression());
            field("domain " + e.name(), "not null", e.notNull(), a.notNull());
            field("domain " + e.name(), "checks", e.checks(), a.checks());
        });
        named("view", "", expected.views(), actual.views(), (e, a) ->
                lines.add("view " + e.name() + " differs:\n" + e.definition() + "\nvs\n" + a.definition()));
        named("schema", "", expected.schemas(), actual.schemas(), (e, a) -> {
        });
        named("grant", "", expected.grants(), actual.grants(), (e, a) ->
                field("grant " + e.key(), "grant option", e.grantable(), a.grantable()));
        named("materialized view", "", expected.materializedViews(), actual.materializedViews(), (e, a) -> {
            if (!e.definition().equals(a.definition())) lines.add("materialized view " + e.name() + " differs:\n" + e.definition() + "\nvs\n" + a.definition());
            named("index", "materialized view " + e.name() + ": ", e.indexes(), a.indexes(), (ei, ai) ->
                    lines.add("index " + ei.name() + " differs: " + ei.createSql(e.name(), false) + " vs " + ai.createSql(e.name(), false)));
        });
        named("row level security on", "", expected.rowSecurity(), actual.rowSecurity(), (e, a) -> {
            field("row level security on " + e.table(), "enabled", e.enabled(), a.enabled());
            field("row level security on " + e.table(), "forced", e.forced(), a.forced());
        });
        named("policy", "", expected.policies(), actual.policies(), (e, a) -> {
            String what = "policy " + e.name() + " on " + e.table();
            field(what, "permissive", e.permissive(), a.permissive());
            field(what, "command", e.command(), a.command());
            field(what, "roles", e.roles(), a.roles());
            field(what, "using", e.using(), a.using());
            field(what, "with check", e.withCheck(), a.withCheck());
        });
        named("partitioned table", "", expected.partitionKeys(), actual.partitionKeys(), (e, a) ->
                lines.add("partition key differs: " + e + " vs " + a));
        named("partition", "", expected.partitions(), actual.partitions(), (e, a) -> {
            field("partition " + e.name(), "parent", e.parent(), a.parent());
            field("partition " + e.name(), "bound", e.bound(), a.bound());
        });
        named("trigger", "", expected.triggers(), actual.triggers(), (e, a) -> {
            field("trigger " + e.name() + " on " + e.table(), "definition", e.definition(), a.definition());
            field("trigger " + e.name() + " on " + e.table(), "enabled", e.enabled(), a.enabled());
        });
    }

    private static String kind(Routine routine) {
        return routine.procedure() ? "procedure" : "function";
    }

    private static String owner(Sequence sequence) {
        return sequence.isOwned() ? sequence.ownedByTable() + "." + sequence.ownedByColumn() : "none";
    }

    private void tables(Table e, Table a) {
        String prefix = "table " + e.name() + ": ";
        named("column", prefix, e.columns(), a.columns(), (ec, ac) -> {
            String what = prefix + "column " + ec.name();
            field(what, "type", ec.type(), ac.type());
            field(what, "not null", ec.notNull(), ac.notNull());
            field(what, "default", ec.defaultExpression(), ac.defaultExpression());
            field(what, "identity", ec.identity(), ac.identity());
            field(what, "identity options", IdentityOptions.clause(ec.identityOptions()), IdentityOptions.clause(ac.identityOptions()));
            field(what, "generated expression", ec.generatedExpression(), ac.generatedExpression());
            field(what, "generated kind", ec.generatedKind(), ac.generatedKind());
            field(what, "collation", ec.collation(), ac.collation());
            field(what, "comment", ec.comment(), ac.comment());
        });
        KeyConstraint epk = e.primaryKey();
        KeyConstraint apk = a.primaryKey();
        if (epk != null && apk == null) lines.add(prefix + "primary key " + epk.name() + " is missing");
        else if (epk == null && apk != null) lines.add(prefix + "primary key " + apk.name() + " is extra");
        else if (epk != null && !epk.equals(apk)) {
            lines.add(prefix + "primary key differs: " + epk.name() + " " + epk.definition() + " vs " + apk.name() + " " + apk.definition());
        }
        named("unique constraint", prefix, e.uniqueConstraints(), a.uniqueConstraints(), (ek, ak) ->
                lines.add(prefix + "unique constraint " + ek.name() + " differs: " + ek.definition() + " vs " + ak.definition()));
        named("foreign key", prefix, e.foreignKeys(), a.foreignKeys(), (ef, af) ->
                lines.add(prefix + "foreign key " + ef.name() + " differs: " + ef.definition() + " vs " + af.definition()));
        named("check constraint", prefix, e.checks(), a.checks(), (ec, ac) ->
                lines.add(prefix + "check constraint " + ec.name() + " differs: " + ec.definition() + " vs " + ac.definition()));
        named("index", "", e.indexes(), a.indexes(), (ei, ai) -> {
            if (!ai.valid() && ei.valid()) lines.add("index " + ei.name() + " is invalid (a failed CREATE INDEX CONCURRENTLY?)");
            Function<Index, String> show = i -> i.createSql(e.name(), false);
            if (ei.unique() != ai.unique() || !ei.method().equals(ai.method()) || !ei.body().equals(ai.body())) {
                lines.add("index " + ei.name() + " differs: " + show.apply(ei) + " vs " + show.apply(ai));
            }
        });
        field("table " + e.name(), "comment", e.comment(), a.comment());
    }

    private <T> void named(String kind, String prefix, Map<String, T> expected, Map<String, T> actual, Differ<T> differ) {
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(actual.keySet());
        for (String name : names) {
            T e = expected.get(name);
            T a = actual.get(name);
            String what = kind != null ? kind : kind((Routine) (e != null ? e : a)); // routines name their own kind
            if (a == null) lines.add(prefix + what + " " + name + " is missing");
            else if (e == null) lines.add(prefix + what + " " + name + " is extra");
            else if (!e.equals(a)) {
                int before = lines.size();
                differ.differences(e, a);
                if (lines.size() == before) lines.add(prefix + what + " " + name + " differs");
            }
        }
    }

    private void field(String what, String field, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            lines.add(what + " " + field + " differs: " + show(expected) + " vs " + show(actual));
        }
    }

    private static String show(Object value) {
        return value == null ? "none" : value.toString();
    }

    private interface Differ<T> {
        void differences(T expected, T actual);
    }
}
