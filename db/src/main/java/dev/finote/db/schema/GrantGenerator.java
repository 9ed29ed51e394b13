package dev.finote.db.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans grants. Privileges are granted last, once every object exists, one {@code GRANT} per
 * object, role and grant option; they are revoked once the release still serving (which may use
 * them) is gone. An object created or created again in this plan starts with PostgreSQL's
 * default privileges (none for tables, views and sequences; {@code EXECUTE} to {@code PUBLIC} for
 * functions and procedures), so its grants are planned from those; an object dropped needs no
 * revoke. Neither GRANT nor REVOKE waits for a lock on the object, and neither carries a hazard.
 */
final class GrantGenerator {

    private final Catalog have;
    private final Catalog want;
    private final Set<String> recreated; // "TYPE object" of objects dropped and created again

    /**
     * @param recreatedViews    views and materialized views this plan drops and creates again (they lose their grants)
     * @param recreatedRoutines routine signatures this plan drops and creates again
     */
    GrantGenerator(Catalog have, Catalog want, Set<String> recreatedViews, Set<String> recreatedRoutines) {
        this.have = have;
        this.want = want;
        this.recreated = new TreeSet<>();
        recreatedViews.forEach(view -> recreated.add("TABLE " + view));
        recreatedRoutines.forEach(signature -> {
            Routine routine = want.routines().get(signature);
            recreated.add((routine != null && routine.procedure() ? "PROCEDURE " : "FUNCTION ") + signature);
        });
    }

    /** GRANTs (and added grant options), after every object is created. */
    List<Step> creates() {
        List<Step> steps = new ArrayList<>();
        grouped(want, grant -> {
            Grant had = before(grant);
            return had == null || (grant.grantable() && !had.grantable());
        }).forEach((group, grants) -> steps.add(Step.grant("GRANT " + privileges(grants) + " ON " + grants.getFirst().target() + " TO "
                + grants.getFirst().granteeSql() + (grants.getFirst().grantable() ? " WITH GRANT OPTION" : ""), object(want, grants.getFirst()))));
        // a new function may run for anyone at once: revoke that default right away where schema.sql does
        want.routines().forEach((signature, routine) -> {
            Grant publicExecute = new Grant(routine.procedure() ? "PROCEDURE" : "FUNCTION", signature, "PUBLIC", "EXECUTE", false);
            if (fresh(publicExecute) && !want.grants().containsKey(publicExecute.key())) {
                steps.add(Step.revoke("REVOKE EXECUTE ON " + publicExecute.target() + " FROM PUBLIC", SchemaObject.routine(signature)));
            }
        });
        return steps;
    }

    /** REVOKEs (and removed grant options) on objects that stay, post-deploy. */
    List<Step> revokes() {
        List<Step> steps = new ArrayList<>();
        grouped(have, grant -> existsAfter(grant) && !recreated.contains(grant.objectType() + " " + grant.object())
                && !want.grants().containsKey(grant.key())).forEach((group, grants) -> steps.add(revoke("", grants)));
        grouped(have, grant -> grant.grantable() && !recreated.contains(grant.objectType() + " " + grant.object())
                && want.grants().containsKey(grant.key()) && !want.grants().get(grant.key()).grantable())
                .forEach((group, grants) -> steps.add(revoke("GRANT OPTION FOR ", grants)));
        return steps;
    }

    private Step revoke(String what, List<Grant> grants) {
        return Step.revoke("REVOKE " + what + privileges(grants) + " ON " + grants.getFirst().target() + " FROM " + grants.getFirst().granteeSql(),
                object(have, grants.getFirst())).postDeploy();
    }

    /** The object {@code grant} is on, as {@code catalog} has it: what the GRANT or REVOKE needs. */
    private static SchemaObject object(Catalog catalog, Grant grant) {
        return switch (grant.objectType()) {
            case "TABLE" -> catalog.tables().containsKey(grant.object()) ? SchemaObject.table(grant.object()) : SchemaObject.view(grant.object());
            case "SEQUENCE" -> SchemaObject.sequence(grant.object());
            case "FUNCTION", "PROCEDURE" -> SchemaObject.routine(grant.object());
            default -> SchemaObject.schema(grant.object());
        };
    }

    /** What the object held before this plan: its grant in {@code have}, or PostgreSQL's default for an object it creates. */
    private Grant before(Grant grant) {
        if (!fresh(grant)) return have.grants().get(grant.key());
        boolean routine = grant.objectType().equals("FUNCTION") || grant.objectType().equals("PROCEDURE");
        return routine && grant.grantee().equals("PUBLIC") && grant.privilege().equals("EXECUTE") ? grant.withGrantable(false) : null;
    }

    /** True when this plan creates the grant's object (anew or again). */
    private boolean fresh(Grant grant) {
        return !exists(have, grant) || recreated.contains(grant.objectType() + " " + grant.object());
    }

    private boolean existsAfter(Grant grant) {
        return exists(want, grant) && exists(have, grant);
    }

    private static boolean exists(Catalog catalog, Grant grant) {
        return switch (grant.objectType()) {
            case "TABLE" -> catalog.tables().containsKey(grant.object()) || catalog.views().containsKey(grant.object())
                    || catalog.materializedViews().containsKey(grant.object());
            case "SEQUENCE" -> catalog.sequences().containsKey(grant.object());
            case "FUNCTION", "PROCEDURE" -> catalog.routines().containsKey(grant.object());
            default -> catalog.schemas().containsKey(grant.object());
        };
    }

    /** The grants of {@code catalog} that {@code selected} keeps, by object, grantee and grant option, in a stable order. */
    private static Map<String, List<Grant>> grouped(Catalog catalog, java.util.function.Predicate<Grant> selected) {
        Map<String, List<Grant>> groups = new TreeMap<>();
        for (Grant grant : catalog.grants().values()) {
            if (!selected.test(grant)) continue;
            groups.computeIfAbsent(grant.objectType() + " " + grant.object() + " " + grant.grantee() + " " + grant.grantable(),
                    k -> new ArrayList<>()).add(grant);
        }
        return groups;
    }

    private static String privileges(List<Grant> grants) {
        return String.join(", ", grants.stream().map(Grant::privilege).sorted().toList());
    }
}
