package dev.finote.db.schema;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which grants of a live database the schema manages: those to {@code PUBLIC} and to the roles
 * the expected schema grants anything to. Operators give the application's role its rights
 * outside schema.sql (README: "The server never runs DDL"); drift, adoption and {@code push}
 * leave those alone instead of reporting or revoking them. A role schema.sql stops naming
 * altogether is therefore left with what it has.
 */
public final class ManagedGrants {

    private ManagedGrants() {
    }

    /** {@code live} with only the grants {@code expected} manages. */
    public static Catalog of(Catalog expected, Catalog live) {
        Set<String> roles = new TreeSet<>();
        roles.add("PUBLIC");
        expected.grants().values().forEach(grant -> roles.add(grant.grantee()));
        Map<String, Grant> managed = live.grants().entrySet().stream()
                .filter(entry -> roles.contains(entry.getValue().grantee()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return live.withGrants(managed);
    }
}
