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
 * {@link Step#needs()}), the way PostgreSQL enforces them:
 * <ul>
 *   <li>a step that creates or changes something runs after the steps that create or change
 *       what it needs (a function before the trigger, default, check or index that calls it; a
 *       table before its indexes; a column's type change before the view over it is created again);</li>
 *   <li>a drop runs before the steps that drop or change what the dropped object used (a view
 *       dropped before the type change of a column it reads; a trigger before its function), so
 *       drops come in reverse dependency order;</li>
 *   <li>an object dropped and created again is dropped first.</li>
 * </ul>
 * The sort is stable: among steps free to run, the one that came first in the input runs first,
 * so an input that already respects every dependency comes out unchanged. Steps that declare no
 * object keep their place relative to the others.
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
        Map<SchemaObject, List<Integer>> built = new HashMap<>();   // created or changed
        Map<SchemaObject, List<Integer>> removed = new HashMap<>(); // dropped
        Map<SchemaObject, List<Integer>> changed = new HashMap<>(); // changed in place
        for (int i = 0; i < n; i++) {
            Step step = steps.get(i);
            if (step.object() == null) continue;
            switch (step.action()) {
                case CREATE -> built.computeIfAbsent(step.object(), o -> new ArrayList<>()).add(i);
                case ALTER -> {
                    built.computeIfAbsent(step.object(), o -> new ArrayList<>()).add(i);
                    changed.computeIfAbsent(step.object(), o -> new ArrayList<>()).add(i);
                }
                case DROP -> removed.computeIfAbsent(step.object(), o -> new ArrayList<>()).add(i);
                default -> { } // privileges: placed by their generator
            }
        }
        for (int j = 0; j < n; j++) {
            Step step = steps.get(j);
            if (step.action() == Action.CREATE || step.action() == Action.ALTER) {
                for (SchemaObject need : step.needs()) {
                    for (int i : built.getOrDefault(need, List.of())) edge(i, j, after, waitingFor);
                }
                if (step.action() == Action.CREATE && step.object() != null) {
                    for (int i : removed.getOrDefault(step.object(), List.of())) edge(i, j, after, waitingFor);
                }
            } else if (step.action() == Action.DROP) {
                for (SchemaObject used : step.needs()) {
                    for (int k : removed.getOrDefault(used, List.of())) edge(j, k, after, waitingFor);
                    for (int k : changed.getOrDefault(used, List.of())) edge(j, k, after, waitingFor);
                }
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
