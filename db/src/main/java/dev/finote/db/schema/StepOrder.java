package dev.finote.db.schema;

import dev.finote.db.DatabaseException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * Orders steps from the dependencies their generators declare ({@link Step#object()},
 * {@link Step#needs()}), the way PostgreSQL enforces them, and from nothing else:
 * <ul>
 *   <li>a step that creates, changes, renames or grants on something runs after the steps that
 *       create, change or rename what it needs (a function before the trigger, default, check or
 *       index that calls it; a table before its indexes; a column's type change before the view
 *       over it is created again); a need nothing builds is met by the step that creates or
 *       renames what holds it ({@link SchemaObject#parent()}: the new table of a column);</li>
 *   <li>such a step that needs something only dropped (an old enum its column leaves, the
 *       sequence a replaced default drew from), or made by this plan and then dropped (a drop
 *       that needs its own object), runs before that drop;</li>
 *   <li>every step needs what its object lives in ({@link SchemaObject#parent()}: its table, its
 *       schema) and the table it changes ({@link Step#table()});</li>
 *   <li>a drop runs before the steps that drop or change what the dropped object used (a view
 *       dropped before the type change of a column it reads; a trigger before its function), so
 *       drops come in reverse dependency order, and before the drop of what holds what it used
 *       (a view over a column before the column's table); but after the rename that gave what
 *       it uses its name;</li>
 *   <li>an object dropped and created again, or a name dropped and given to another by a rename,
 *       is dropped first; a change of a renamed object follows the rename.</li>
 * </ul>
 * The sort is stable: among steps free to run, the one that came first in the input runs first,
 * so an input that already respects every dependency comes out unchanged, and the same input
 * always gives the same plan. No order is needed beyond the declared one: a test hands the steps
 * over reversed and shuffled ({@code DeclaredOrderTest}).
 */
final class StepOrder {

    private StepOrder() {
    }

    /**
     * The steps in dependency order.
     *
     * @throws DatabaseException when the declared dependencies form a cycle, naming its objects
     */
    static List<Step> sort(List<Step> steps) {
        int n = steps.size();
        List<List<Integer>> after = new ArrayList<>(n); // i → the steps that must run after i
        for (int i = 0; i < n; i++) after.add(new ArrayList<>());
        int[] waitingFor = new int[n];
        Map<SchemaObject, List<Integer>> built = new HashMap<>();   // created, changed or renamed
        Map<SchemaObject, List<Integer>> made = new HashMap<>();    // created or renamed: there from then on
        Map<SchemaObject, List<Integer>> renamed = new HashMap<>();
        Map<SchemaObject, List<Integer>> removed = new HashMap<>(); // dropped
        Map<SchemaObject, List<Integer>> changed = new HashMap<>(); // changed in place
        for (int i = 0; i < n; i++) {
            Step step = steps.get(i);
            if (step.object() == null) continue;
            switch (step.action()) {
                case CREATE -> {
                    add(built, step.object(), i);
                    add(made, step.object(), i);
                }
                case RENAME -> {
                    add(built, step.object(), i);
                    add(made, step.object(), i);
                    add(renamed, step.object(), i);
                }
                case ALTER -> {
                    add(built, step.object(), i);
                    add(changed, step.object(), i);
                }
                case DROP -> add(removed, step.object(), i);
                default -> { } // privileges build nothing others need
            }
        }
        for (int j = 0; j < n; j++) {
            Step step = steps.get(j);
            Set<SchemaObject> needs = needs(step);
            if (step.action() == Action.DROP) {
                for (SchemaObject used : needs) {
                    for (int k : removed.getOrDefault(used, List.of())) edge(j, k, after, waitingFor);
                    for (int k : changed.getOrDefault(used, List.of())) edge(j, k, after, waitingFor);
                    for (int k : renamed.getOrDefault(used, List.of())) edge(k, j, after, waitingFor);
                    // what holds it goes with it: a view over a column is dropped before the column's table
                    for (SchemaObject holder = used.parent(); holder != null; holder = holder.parent()) {
                        for (int k : removed.getOrDefault(holder, List.of())) edge(j, k, after, waitingFor);
                    }
                }
                continue;
            }
            for (SchemaObject need : needs) {
                for (int i : providers(need, built, made)) edge(i, j, after, waitingFor);
                for (int k : removed.getOrDefault(need, List.of())) {
                    if (!made.containsKey(need) || madeHere(steps.get(k))) edge(j, k, after, waitingFor);
                }
            }
            if (step.object() == null) continue;
            if (step.action() == Action.CREATE || step.action() == Action.RENAME) {
                for (int i : removed.getOrDefault(step.object(), List.of())) if (!madeHere(steps.get(i))) edge(i, j, after, waitingFor);
            } else if (step.action() == Action.ALTER) {
                for (int i : renamed.getOrDefault(step.object(), List.of())) edge(i, j, after, waitingFor);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) if (waitingFor[i] == 0) ready.add(i);
        List<Step> ordered = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            ordered.add(steps.get(i));
            for (int j : after.get(i)) if (--waitingFor[j] == 0) ready.add(j);
        }
        if (ordered.size() < n) throw cycle(steps, after, waitingFor);
        return ordered;
    }

    /**
     * True for the drop of something this plan itself made (it needs its own object: the old enum
     * a rename moved out of the way): it follows that step, where another drop of an object
     * made again comes before it.
     */
    private static boolean madeHere(Step drop) {
        return drop.needs().contains(drop.object());
    }

    /** What {@code step} declares it needs, with what its object lives in and the table it changes. */
    private static Set<SchemaObject> needs(Step step) {
        Set<SchemaObject> needs = new java.util.LinkedHashSet<>(step.needs());
        if (step.object() != null && step.object().parent() != null) needs.add(step.object().parent());
        SchemaObject table = step.table() == null ? null : SchemaObject.table(step.table());
        if (table != null && !table.equals(step.object())) needs.add(table);
        return needs;
    }

    /** The steps that build {@code need}, else those that create or rename what holds it, nearest first. */
    private static List<Integer> providers(SchemaObject need, Map<SchemaObject, List<Integer>> built, Map<SchemaObject, List<Integer>> made) {
        List<Integer> direct = built.get(need);
        if (direct != null) return direct;
        for (SchemaObject holder = need.parent(); holder != null; holder = holder.parent()) {
            List<Integer> found = made.get(holder);
            if (found != null) return found;
        }
        return List.of();
    }

    private static void add(Map<SchemaObject, List<Integer>> map, SchemaObject object, int step) {
        map.computeIfAbsent(object, o -> new ArrayList<>()).add(step);
    }

    private static void edge(int before, int after, List<List<Integer>> edges, int[] waitingFor) {
        if (before == after) return;
        edges.get(before).add(after);
        waitingFor[after]++;
    }

    /** A cycle among the steps left waiting, walked from one of them. */
    private static DatabaseException cycle(List<Step> steps, List<List<Integer>> after, int[] waitingFor) {
        // every step left waits on another step left: walking back from one must come round
        Map<Integer, Integer> predecessor = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            if (waitingFor[i] == 0) continue;
            for (int j : after.get(i)) if (waitingFor[j] > 0) predecessor.putIfAbsent(j, i);
        }
        int start = predecessor.keySet().stream().min(Integer::compare).orElseThrow();
        List<Integer> walk = new ArrayList<>();
        Set<Integer> seen = new TreeSet<>();
        int at = start;
        while (seen.add(at)) {
            walk.add(at);
            at = predecessor.get(at);
        }
        List<Integer> loop = new ArrayList<>(walk.subList(walk.indexOf(at), walk.size()));
        java.util.Collections.reverse(loop);
        java.util.Collections.rotate(loop, -loop.indexOf(java.util.Collections.min(loop))); // told from the step planned first
        List<String> names = new ArrayList<>();
        for (int i : loop) names.add(describe(steps.get(i)));
        names.add(names.getFirst());
        return new DatabaseException("the schema changes depend on each other in a cycle, so no order runs them all: "
                + String.join(" → ", names),
                "split the change in two: generate a migration for part of it, then one for the rest", null);
    }

    private static String describe(Step step) {
        String what = step.action().name().toLowerCase(java.util.Locale.ROOT);
        return step.object() == null ? what + " (" + step.sql().lines().findFirst().orElse("") + ")" : what + " " + step.object();
    }
}
