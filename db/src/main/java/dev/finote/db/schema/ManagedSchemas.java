package dev.finote.db.schema;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which schemas of a live database the schema manages: public and those the expected schema has.
 * Others belong to someone else — Drizzle's {@code drizzle} history, a hosting provider's own —
 * and drift, adoption and {@code push} leave them and everything in them alone, as they do
 * extensions the schema does not name.
 */
public final class ManagedSchemas {

    private ManagedSchemas() {
    }

    /** {@code live} without the schemas {@code expected} lacks and the objects in them. */
    public static Catalog of(Catalog expected, Catalog live) {
        Set<String> foreign = new TreeSet<>(live.schemas().keySet());
        foreign.removeAll(expected.schemas().keySet());
        if (foreign.isEmpty()) return live;
        Predicate<String> inForeign = key -> foreign.stream().anyMatch(schema -> key.startsWith(schema + ".") || key.startsWith(Sql.ident(schema) + "."));
        return new Catalog(kept(live.tables(), inForeign), kept(live.enums(), inForeign), kept(live.sequences(), inForeign), live.extensions(),
                kept(live.routines(), inForeign), kept(live.triggers(), inForeign), kept(live.views(), inForeign), kept(live.domains(), inForeign),
                live.grants().entrySet().stream()
                        .filter(entry -> !inForeign.test(entry.getValue().object()) && !foreign.contains(entry.getValue().object()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                kept(live.schemas(), foreign::contains),
                kept(live.materializedViews(), inForeign),
                live.policies().entrySet().stream().filter(entry -> !inForeign.test(entry.getValue().table()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                kept(live.rowSecurity(), inForeign), kept(live.partitionKeys(), inForeign), kept(live.partitions(), inForeign));
    }

    private static <V> Map<String, V> kept(Map<String, V> objects, Predicate<String> foreign) {
        return objects.entrySet().stream().filter(entry -> !foreign.test(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
