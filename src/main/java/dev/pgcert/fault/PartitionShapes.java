package dev.pgcert.fault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Jepsen's partition shapes as grudges: for each member, the members whose packets it drops
 * (jepsen.nemesis: {@code complete-grudge}, {@code bisect}, {@code split-one}, {@code bridge},
 * {@code majorities-ring}). Pure functions of the members and a seeded random source: the members are
 * sorted first, so the same seed and the same members give the same grudge.
 */
final class PartitionShapes {

    enum Shape {
        /** two halves, {@code floor(n/2)} and the rest, chosen at random */
        RANDOM_HALVES("random-halves"),
        /** one member, chosen at random, cut off from all the others */
        ISOLATED("isolated"),
        /** two halves that cannot talk to each other, and one member that both halves still reach */
        BRIDGE("bridge"),
        /** the members on a random ring; each sees the majority centred on itself, no two the same majority */
        MAJORITIES_RING("majorities-ring");

        final String spec;

        Shape(String spec) {
            this.spec = spec;
        }

        static Shape parse(String s) {
            for (Shape shape : values()) {
                if (shape.spec.equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return shape;
                }
            }
            throw new FaultException("shape '" + s + "': expected random-halves, isolated, bridge or majorities-ring");
        }
    }

    /** A grudge with the groups it came from (empty for shapes that are not groups: ring, bridge). */
    record Cut(Map<String, Set<String>> grudge, List<List<String>> groups) {}

    private PartitionShapes() {}

    static Cut of(Shape shape, Collection<String> members, Random random) {
        List<String> shuffled = new ArrayList<>(new TreeSet<>(members));
        int n = shuffled.size();
        int minimum = shape == Shape.BRIDGE ? 3 : 2;
        if (n < minimum) {
            throw new FaultException(shape.spec + " needs at least " + minimum + " members, got " + n + ": " + shuffled);
        }
        Collections.shuffle(shuffled, random);
        return switch (shape) {
            case RANDOM_HALVES -> groups(List.of(shuffled.subList(0, n / 2), shuffled.subList(n / 2, n)));
            case ISOLATED -> groups(List.of(shuffled.subList(0, 1), shuffled.subList(1, n)));
            case BRIDGE -> bridge(shuffled);
            case MAJORITIES_RING -> new Cut(majoritiesRing(shuffled), List.of());
        };
    }

    /** Every member drops every member of the other groups (Jepsen's complete-grudge). */
    static Cut groups(List<List<String>> groups) {
        Map<String, Set<String>> grudge = new TreeMap<>();
        for (List<String> group : groups) {
            for (String member : group) {
                Set<String> drops = grudge.computeIfAbsent(member, k -> new TreeSet<>());
                for (List<String> other : groups) {
                    if (other != group) drops.addAll(other);
                }
            }
        }
        List<List<String>> sorted = groups.stream().map(g -> List.copyOf(new TreeSet<>(g))).toList();
        return new Cut(grudge, sorted);
    }

    /** Halves as {@code bisect} makes them; the first member of the second half is the bridge. */
    private static Cut bridge(List<String> shuffled) {
        int n = shuffled.size();
        List<String> left = shuffled.subList(0, n / 2);
        String bridge = shuffled.get(n / 2);
        List<String> right = shuffled.subList(n / 2 + 1, n);
        Cut halves = groups(List.of(left, right));
        Map<String, Set<String>> grudge = new TreeMap<>(halves.grudge());
        grudge.put(bridge, new TreeSet<>());
        return new Cut(grudge, List.of(List.copyOf(new TreeSet<>(left)), List.of(bridge), List.copyOf(new TreeSet<>(right))));
    }

    /**
     * The ring in shuffled order; for member i, the window of {@code m = floor(n/2)+1} consecutive
     * members whose middle ({@code floor(m/2)}) is i; i drops everything outside its window.
     */
    private static Map<String, Set<String>> majoritiesRing(List<String> ring) {
        int n = ring.size();
        int m = n / 2 + 1;
        Map<String, Set<String>> grudge = new TreeMap<>();
        for (int start = 0; start < n; start++) {
            List<String> window = new ArrayList<>();
            for (int k = 0; k < m; k++) window.add(ring.get((start + k) % n));
            String middle = window.get(m / 2);
            Set<String> drops = new TreeSet<>(ring);
            drops.removeAll(window);
            grudge.put(middle, drops);
        }
        return grudge;
    }

    /** For the history: member to the sorted members it drops, leaving out those that drop nothing. */
    static Map<String, List<String>> describe(Map<String, Set<String>> grudge) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        grudge.forEach((k, v) -> {
            if (!v.isEmpty()) out.put(k, List.copyOf(v));
        });
        return out;
    }
}
